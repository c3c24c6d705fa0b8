package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hanchot"
)

// A database made by the release before the history work (migrations 001
// to 003, with a synced calendar, a submission and a sent reminder)
// upgrades in place: its rows stay tracked as they were, the day it was
// created becomes the first day tracked, and its deadlines are then known
// by their normalised periods.
func TestMigrate_FromPreviousRelease(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	old, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	old.SetMaxOpenConns(1)
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := old.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%v in %.80s", err, query)
		}
	}
	exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range []string{"001_calendar.sql", "002_outbox.sql", "003_submissions.sql"} {
		src, err := fs.ReadFile(migrations, "migrations/"+name)
		if err != nil {
			t.Fatal(err)
		}
		exec(string(src))
		exec(`INSERT INTO migrations (name, applied_at) VALUES (?, '2019-02-20T01:00:00Z')`, "migrations/"+name)
	}
	exec(`INSERT INTO agency (id, name, emails) VALUES ('so-noi-vu', 'Sở Nội vụ', 'snv@laocai.example'), ('so-tu-phap', 'Sở Tư pháp', 'stp@laocai.example')`)
	exec(`INSERT INTO agency_group (id, name, members) VALUES ('cac-so', 'Các Sở', 'so-noi-vu,so-tu-phap')`)
	exec(`INSERT INTO report (code, title, lead, support, points) VALUES ('1.2.1', 'Báo cáo định kỳ về CCHC', 'so-noi-vu', 'cac-so', 0.5)`)
	exec(`INSERT INTO deadline (id, report_code, period, rule) VALUES (1, '1.2.1', 'Quý I', '15/03')`)
	exec(`INSERT INTO occurrence (id, deadline_id, year, agency_id, role, due, effective_due) VALUES
		(1, 1, 2019, 'so-noi-vu', 'lead', '2019-03-15', '2019-03-15'),
		(2, 1, 2019, 'so-tu-phap', 'support', '2019-03-15', '2019-03-12')`)
	exec(`INSERT INTO calendar_year (year, synced_at) VALUES (2019, '2019-02-20T01:00:00Z')`)
	exec(`INSERT INTO submission (occurrence_id, submitted_at, ref, recorded_at) VALUES (1, '2019-03-14T10:00:00+07:00', '1/BC', '2019-03-14T03:00:00Z')`)
	exec(`INSERT INTO message (id, kind, agency_id, to_addrs, subject, body_text, body_html, message_id, status, next_attempt_at, created_at, sent_at)
		VALUES (1, 'reminder', 'so-tu-phap', 'stp@laocai.example', 's', 't', 'h', 'm1@test', 'sent', '2019-03-05', '2019-03-05', '2019-03-05T01:00:00Z')`)
	exec(`INSERT INTO notification (occurrence_id, kind, step, target, recipient, message_id, days, created_at)
		VALUES (2, 'reminder', 7, '2019-03-12', 'so-tu-phap', 1, 7, '2019-03-05')`)
	old.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2019, 3, 20, 1, 0, 0, 0, time.UTC) }
	// Every later migration applies, in order: 004 to 008.
	names, _ := db.Migrations(ctx)
	embedded, _ := fs.Glob(migrations, "migrations/*.sql")
	want := []string{"migrations/001_calendar.sql", "migrations/002_outbox.sql", "migrations/003_submissions.sql",
		"migrations/004_delivery.sql", "migrations/005_history.sql", "migrations/006_feeds.sql",
		"migrations/007_open_items.sql", "migrations/008_web.sql"}
	if !slices.Equal(names, want) || !slices.Equal(embedded, want) {
		t.Errorf("migrations = %v, embedded %v, want %v", names, embedded, want)
	}
	// The submission made before the web front came from the command line
	// (008), and the occurrence has no request for a later date.
	if o, err := db.Occurrence(ctx, OccurrenceKey{ID: 1}); err != nil || o.Submission == nil || o.Submission.Source != "cli" || o.Pending != nil {
		t.Errorf("occurrence 1 after the upgrade = %+v, %v", o, err)
	}
	// The standing submission marks its occurrence as submitted (007).
	var on sql.NullString
	db.db.QueryRowContext(ctx, `SELECT submitted_on FROM occurrence WHERE id = 1`).Scan(&on)
	if on.String != "2019-03-14" {
		t.Errorf("submitted_on after the upgrade = %v", on)
	}
	// Their calendar events start at revision 0, changed when their year
	// was synced.
	entries, err := db.FeedEntries(ctx, FeedFilter{From: 2019, To: 2019})
	if err != nil || len(entries) != 2 {
		t.Fatalf("feed entries after the upgrade = %+v, %v", entries, err)
	}
	for _, e := range entries {
		if e.Revision != 0 || !e.Changed.Equal(time.Date(2019, 2, 20, 1, 0, 0, 0, time.UTC)) {
			t.Errorf("%s %s: revision %d, changed %s", e.Code, e.Agency, e.Revision, e.Changed)
		}
	}
	if start, ok, err := db.Start(ctx); err != nil || !ok || start.String() != "2019-02-20" {
		t.Errorf("start = %s %v %v, want the day the database was created", start, ok, err)
	}
	recs, err := db.Records(ctx, RecordFilter{Year: 2019})
	if err != nil || len(recs) != 2 || recs[1].SubmittedAt.IsZero() {
		t.Fatalf("records after the upgrade = %+v, %v", recs, err)
	}
	// The next sync, with "Quý 1" for "Quý I" and as of a day when both
	// are past, keeps everything.
	cal := testCalendar()
	cal.Reports[0].Deadlines[0].Period = "Quý 1"
	res, err := db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: {
		occ("1.2.1", "Quý 1", "so-noi-vu", hanchot.Lead, "2019-03-10", "2019-03-11"),
		occ("1.2.1", "Quý 1", "so-tu-phap", hanchot.Support, "2019-03-10", "2019-03-06"),
	}}, SyncOptions{Today: date("2019-03-20")})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Occurrences; o.Added+o.Changed+o.Retired != 0 || o.PastLeft != 2 || res.First {
		t.Errorf("first sync after the upgrade: %+v %+v", res.Occurrences, res.Changes)
	}
	after, _ := db.Records(ctx, RecordFilter{Year: 2019})
	if len(after) != 2 || after[0].Target != recs[0].Target || after[1].Target != recs[1].Target || after[1].Period != "Quý 1" {
		t.Errorf("records after the sync = %+v", after)
	}
	if items, _ := db.Items(ctx, date("2019-03-01"), date("2019-03-31")); len(items) != 1 || items[0].Agency != "so-tu-phap" {
		t.Errorf("items = %+v", items)
	}
}

// The past is frozen; future occurrences follow the file; what a later
// sync adds is tracked from its day; retiring a mailed-about or submitted
// occurrence is refused unless allowed; an open item moves to the
// successor of an agency that ceased.
func TestSync_History(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	cal := testCalendar()
	y2019 := []hanchot.Occurrence{
		occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-15", "2019-03-15"),
		occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-15", "2019-03-12"),
	}
	res, err := db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: y2019}, SyncOptions{Today: date("2019-03-01"), Start: date("2019-01-01")})
	if err != nil || !res.First || res.Start.String() != "2019-01-01" || res.Occurrences.Added != 2 {
		t.Fatalf("first sync: %+v %v", res, err)
	}
	// As of 2019-03-13 the support item is past, the lead's is not.
	moved := []hanchot.Occurrence{
		occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-20", "2019-03-20"),
		occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-20", "2019-03-15"),
	}
	res, err = db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: moved}, SyncOptions{Today: date("2019-03-13"), DryRun: true})
	if err != nil || res.Occurrences.Changed != 1 || res.Occurrences.PastLeft != 1 {
		t.Fatalf("dry run: %+v %v", res.Occurrences, err)
	}
	if o, _ := db.Occurrence(ctx, OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-noi-vu"}); o.Target.String() != "2019-03-15" {
		t.Fatalf("the dry run wrote: %+v", o.Item)
	}
	if _, err := db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: moved}, SyncOptions{Today: date("2019-03-13")}); err != nil {
		t.Fatal(err)
	}
	lead, _ := db.Occurrence(ctx, OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-noi-vu"})
	support, _ := db.Occurrence(ctx, OccurrenceKey{Code: "1.2.1", Period: "quý 1", Year: 2019, Agency: "so-tu-phap"})
	if lead.Target.String() != "2019-03-20" || support.Target.String() != "2019-03-12" {
		t.Errorf("after the sync: lead %s (want 2019-03-20), support %s (want 2019-03-12, past)", lead.Target, support.Target)
	}

	// A new agency and a successor: so-tu-phap ends 2019-03-31, so-moi
	// takes over. The 6 tháng deadline is new as of 2019-03-13.
	rule, _ := hanchot.ParseRule("15/06")
	cal.Reports[0].Deadlines = append(cal.Reports[0].Deadlines, hanchot.Deadline{Period: "6 tháng", Rule: rule})
	first := append(moved, occ("1.2.1", "6 tháng", "so-noi-vu", hanchot.Lead, "2019-06-15", "2019-06-17"),
		occ("1.2.1", "6 tháng", "so-tu-phap", hanchot.Support, "2019-06-15", "2019-06-12"))
	if _, err := db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: first}, SyncOptions{Today: date("2019-03-13")}); err != nil {
		t.Fatal(err)
	}
	var tracked string
	db.db.QueryRow(`SELECT tracked_from FROM occurrence o JOIN deadline d ON d.id = o.deadline_id WHERE d.period = '6 tháng' AND o.role = 'lead'`).Scan(&tracked)
	if tracked != "2019-03-13" {
		t.Errorf("an occurrence added later is tracked from %q, want the sync's day", tracked)
	}
	cal.Agencies[1].Life = hanchot.Span{Until: date("2019-03-31")}
	cal.Agencies[1].Successor = "so-moi"
	cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: "so-moi", Name: "Sở Mới", Emails: []string{"sm@laocai.example"}, Life: hanchot.Span{From: date("2019-04-01")}})
	second := append(moved, first[2], occ("1.2.1", "6 tháng", "so-moi", hanchot.Support, "2019-06-15", "2019-06-12"))
	res, err = db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: second}, SyncOptions{Today: date("2019-04-02")})
	if err != nil || res.Occurrences.Moved != 1 || res.Occurrences.Retired != 0 {
		t.Fatalf("handover: %+v %v", res.Occurrences, err)
	}
	if _, err := db.Occurrence(ctx, OccurrenceKey{Code: "1.2.1", Period: "6 tháng", Year: 2019, Agency: "so-tu-phap"}); err == nil || !strings.Contains(err.Error(), "handed over to so-moi") {
		t.Errorf("the moved occurrence: %v", err)
	}
	h, _ := db.History(ctx, OccurrenceKey{Code: "1.2.1", Period: "6 tháng", Year: 2019, Agency: "so-moi"})
	if len(h) != 1 || h[0].What != "taken over" || !strings.Contains(h[0].Detail, "from so-tu-phap") {
		t.Errorf("successor's history = %+v", h)
	}

	// Retiring a submitted future occurrence is refused.
	if _, err := db.Submit(ctx, []NewSubmission{{Key: OccurrenceKey{Code: "1.2.1", Period: "6 tháng", Year: 2019, Agency: "so-noi-vu"}, At: time.Date(2019, 4, 2, 9, 0, 0, 0, time.UTC), Ref: "2/BC"}}, false); err != nil {
		t.Fatal(err)
	}
	cal.Reports[0].Deadlines = cal.Reports[0].Deadlines[:1]
	var re *RetireError
	_, err = db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: moved}, SyncOptions{Today: date("2019-04-03")})
	if !errors.As(err, &re) || len(re.Occurrences) != 1 || !strings.Contains(re.Occurrences[0].String(), "1.2.1 6 tháng 2019 so-noi-vu (lead)") {
		t.Fatalf("retiring a submitted occurrence: %v", err)
	}
	res, err = db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: moved}, SyncOptions{Today: date("2019-04-03"), AllowRetire: true})
	if err != nil || res.Occurrences.Retired != 2 {
		t.Errorf("with AllowRetire: %+v %v", res.Occurrences, err)
	}
}
