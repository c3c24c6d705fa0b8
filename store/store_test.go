package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hanchot"
)

// MustOpen opens a database in a temp dir, closed at the end of the test.
func MustOpen(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "sub", "hanchot.db"))
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2019, 3, 1, 8, 0, 0, 0, time.UTC) }
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestOpen_Migrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hanchot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.Migrations(ctx)
	if err != nil || len(first) == 0 {
		t.Fatalf("migrations = %v, %v", first, err)
	}
	db.Close()
	// Reopening applies nothing twice.
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, _ := db.Migrations(ctx)
	if strings.Join(again, ",") != strings.Join(first, ",") {
		t.Errorf("migrations after reopen = %v, want %v", again, first)
	}
	var mode string
	if err := db.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := db.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
}

func testCalendar() *hanchot.Calendar {
	rule, _ := hanchot.ParseRule("15/03")
	return &hanchot.Calendar{
		Agencies: []hanchot.Agency{
			{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"snv@laocai.example"}},
			{ID: "so-tu-phap", Name: "Sở Tư pháp", Emails: []string{"stp@laocai.example"}},
		},
		Groups: []hanchot.Group{{ID: "cac-so", Name: "Các Sở", Members: []string{"so-noi-vu", "so-tu-phap"}}},
		Reports: []hanchot.Report{{
			Code: "1.2.1", Title: "Báo cáo định kỳ về CCHC", Lead: []string{"so-noi-vu"}, Support: []string{"cac-so"}, Points: 0.5,
			Deadlines: []hanchot.Deadline{{Period: "Quý I", Rule: rule}},
		}},
	}
}

func occ(code, period, agency string, role hanchot.Role, due, eff string) hanchot.Occurrence {
	d, _ := hanchot.ParseDate(due)
	e, _ := hanchot.ParseDate(eff)
	return hanchot.Occurrence{Code: code, Period: period, Year: 2019, Agency: agency, Role: role, Due: d, EffectiveDue: e}
}

func TestSync(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	cal := testCalendar()
	years := map[int][]hanchot.Occurrence{2019: {
		occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-15", "2019-03-15"),
		occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-15", "2019-03-12"),
	}}

	t.Run("Adds", func(t *testing.T) {
		res, err := db.Sync(ctx, cal, years, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// 2 agencies, 1 group, 1 report, 1 deadline.
		if got := len(res.Changes); got != 5 || res.Occurrences.Added != 2 {
			t.Errorf("first sync: %d changes, %+v", got, res.Occurrences)
		}
	})
	t.Run("Idempotent", func(t *testing.T) {
		res, err := db.Sync(ctx, cal, years, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Empty() {
			t.Errorf("second sync changed %+v %+v", res.Changes, res.Occurrences)
		}
	})
	t.Run("ChangesAndRetires", func(t *testing.T) {
		cal2 := testCalendar()
		cal2.Agencies[1].Name = "Sở Tư pháp tỉnh Lào Cai"
		cal2.Agencies = cal2.Agencies[:2]
		cal2.Groups = nil
		cal2.Reports[0].Support = nil
		res, err := db.Sync(ctx, cal2, map[int][]hanchot.Occurrence{2019: years[2019][:1]}, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range res.Changes {
			got[c.Kind+" "+c.Key] = c.What
		}
		if got["agency so-tu-phap"] != "changed" || got["group cac-so"] != "retired" || got["report 1.2.1"] != "changed" {
			t.Errorf("changes = %v", got)
		}
		if res.Occurrences.Retired != 1 {
			t.Errorf("occurrences = %+v, want 1 retired", res.Occurrences)
		}
		// Retired rows stay in the database.
		var n int
		db.db.QueryRow(`SELECT count(*) FROM occurrence WHERE retired_at IS NOT NULL`).Scan(&n)
		if n != 1 {
			t.Errorf("retired occurrences kept = %d, want 1", n)
		}
		db.db.QueryRow(`SELECT count(*) FROM agency_group`).Scan(&n)
		if n != 1 {
			t.Errorf("groups kept = %d, want 1", n)
		}
	})
	t.Run("Restores", func(t *testing.T) {
		res, err := db.Sync(ctx, cal, years, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range res.Changes {
			got[c.Kind+" "+c.Key] = c.What
		}
		if got["group cac-so"] != "restored" || res.Occurrences.Restored != 1 {
			t.Errorf("changes = %v, occurrences %+v", got, res.Occurrences)
		}
	})
	t.Run("DateChange", func(t *testing.T) {
		moved := map[int][]hanchot.Occurrence{2019: {
			occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-16", "2019-03-18"),
			years[2019][1],
		}}
		res, err := db.Sync(ctx, cal, moved, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Occurrences.Changed != 1 {
			t.Errorf("occurrences = %+v, want 1 changed", res.Occurrences)
		}
		ys, _ := db.SyncedYears(ctx)
		if !ys[2019] || len(ys) != 1 {
			t.Errorf("synced years = %v", ys)
		}
	})
}

// queryPlan returns the steps of SQLite's plan for query.
func queryPlan(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.db.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
