package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"hanchot"
	"hanchot/scheduler"
)

// benchDB fills a database with total occurrences of 200 agencies, of which
// due have their date a week after 2019-03-08 (a reminder is due for them)
// and the rest are spread over other days of 2000–2039.
func benchDB(b testing.TB, total, due int) *DB {
	b.Helper()
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cal := &hanchot.Calendar{}
	for i := 0; i < 200; i++ {
		id := fmt.Sprintf("agency-%03d", i)
		cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: id, Name: "Cơ quan " + id, Emails: []string{id + "@tinh.example"}})
	}
	rule, _ := hanchot.ParseRule("15/03")
	for i := 0; i < 100; i++ {
		cal.Reports = append(cal.Reports, hanchot.Report{Code: fmt.Sprintf("%d.%d", i/10+1, i%10+1), Title: "Báo cáo",
			Lead: []string{"agency-000"}, Deadlines: []hanchot.Deadline{{Period: "Cả năm", Rule: rule}}})
	}
	if _, err := db.Sync(ctx, cal, nil, SyncOptions{}); err != nil {
		b.Fatal(err)
	}
	// Occurrence n: deadline n%100, agency n/100%200, year from n. The
	// first `due` get 2019-03-15; the others a date at least a year away.
	_, err = db.db.ExecContext(ctx, `
		WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?),
		o(i, y, d) AS (
			SELECT i, 2019, '2019-03-15' FROM n WHERE i < ?
			UNION ALL
			SELECT i, y, date(y || '-01-01', '+' || (i % 300) || ' days')
			FROM (SELECT i, 2000 + i / 20000 + CASE WHEN i / 20000 >= 18 THEN 3 ELSE 0 END AS y FROM n WHERE i >= ?))
		INSERT INTO occurrence (deadline_id, year, agency_id, role, due, effective_due)
		SELECT (i % 100) + 1, y, printf('agency-%03d', (i / 100) % 200), 'lead', d, d FROM o`, total, due, due)
	if err != nil {
		b.Fatal(err)
	}
	var n int
	db.db.QueryRow(`SELECT count(*) FROM occurrence`).Scan(&n)
	if n != total {
		b.Fatalf("%d occurrences, want %d", n, total)
	}
	return db
}

// benchPass is a pass without delivery: load the window, plan, and queue
// (after the first iteration every notice is already queued, as on every
// pass of a day but the first).
func benchPass(b *testing.B, total, due int) {
	db := benchDB(b, total, due)
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	ticks, _ := cron.ParseStandard("0 8 * * MON-FRI")
	s := scheduler.PlanSettings{RemindDays: []int{14, 7, 3, 1, 0}, AfterDays: []int{1, 7, 15}, FocalPoint: "agency-000", Ticks: ticks, Location: loc}
	wd := scheduler.NewWorkdays(scheduler.DefaultWorkdayRules())
	now := time.Date(2019, 3, 8, 8, 0, 0, 0, loc)
	cal := &hanchot.Calendar{}
	for i := 0; i < 200; i++ {
		id := fmt.Sprintf("agency-%03d", i)
		cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: id, Name: id, Emails: []string{id + "@tinh.example"}})
	}
	compose := func(d hanchot.Digest) (hanchot.Message, error) {
		return hanchot.Message{To: d.Recipient.Emails, Subject: "s", MessageID: fmt.Sprintf("%s.%d@bench", d.Recipient.ID, time.Now().UnixNano())}, nil
	}
	today := hanchot.DateOf(now, loc)
	from, to := s.Window(today)
	notices := 0
	b.ResetTimer()
	for b.Loop() {
		items, err := db.Items(ctx, from, to)
		if err != nil {
			b.Fatal(err)
		}
		ns := scheduler.Plan(items, now, wd, s)
		if _, err := db.Enqueue(ctx, scheduler.Digests(ns, cal, today), compose); err != nil {
			b.Fatal(err)
		}
		notices = len(ns)
	}
	if notices != due {
		b.Fatalf("%d notices, want %d", notices, due)
	}
	b.ReportMetric(float64(notices), "notices")
}

func BenchmarkPass_10kOccurrences_1000Due(b *testing.B) { benchPass(b, 10_000, 1000) }
func BenchmarkPass_1MOccurrences_1000Due(b *testing.B)  { benchPass(b, 1_000_000, 1000) }
