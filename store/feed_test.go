package store

import (
	"context"
	"testing"
	"time"

	"hanchot"
)

// revisions returns each 2019 occurrence's revision and date, by agency.
func revisions(t *testing.T, db *DB) map[string]FeedEntry {
	t.Helper()
	entries, err := db.FeedEntries(context.Background(), FeedFilter{From: 2019, To: 2019})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]FeedEntry{}
	for _, e := range entries {
		out[e.Agency] = e
	}
	return out
}

// An occurrence's calendar event takes a new revision when its date
// changes, when an extension moves it, when it is retired and when it is
// restored; a sync that changes nothing leaves it.
func TestFeedEntries_Revision(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	cal := testCalendar()
	sync := func(today string, occs ...hanchot.Occurrence) {
		t.Helper()
		if _, err := db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: occs}, SyncOptions{Today: date(today), Start: date("2019-01-01"), AllowRetire: true}); err != nil {
			t.Fatal(err)
		}
	}
	lead := occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-15", "2019-03-15")
	support := occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-15", "2019-03-12")
	sync("2019-01-02", lead, support)
	want := func(step string, lead, support int) {
		t.Helper()
		got := revisions(t, db)
		if got["so-noi-vu"].Revision != lead || got["so-tu-phap"].Revision != support {
			t.Errorf("%s: revisions lead %d, support %d; want %d, %d", step, got["so-noi-vu"].Revision, got["so-tu-phap"].Revision, lead, support)
		}
	}
	want("first sync", 0, 0)
	sync("2019-01-03", lead, support)
	want("same sync again", 0, 0)

	db.Now = func() time.Time { return time.Date(2019, 1, 4, 2, 0, 0, 0, time.UTC) }
	moved := occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-20", "2019-03-20")
	sync("2019-01-04", moved, support)
	want("date changed", 1, 0)
	if e := revisions(t, db)["so-noi-vu"]; !e.Changed.Equal(db.Now()) || e.Target.String() != "2019-03-20" {
		t.Errorf("after the change: changed %s, target %s", e.Changed, e.Target)
	}

	if _, err := db.Extend(ctx, OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-tu-phap"}, date("2019-03-18"), "thiếu số liệu", ""); err != nil {
		t.Fatal(err)
	}
	want("extended", 1, 1)

	sync("2019-01-05", moved)
	want("support retired", 1, 2)
	if e := revisions(t, db)["so-tu-phap"]; e.Retired.IsZero() {
		t.Errorf("the retired occurrence has no retirement time: %+v", e)
	}
	sync("2019-01-06", moved, support)
	want("support restored", 1, 3)
	if e := revisions(t, db)["so-tu-phap"]; !e.Retired.IsZero() {
		t.Errorf("the restored occurrence is still retired: %+v", e)
	}

	// The support entry names its lead, with the lead's date.
	if e := revisions(t, db)["so-tu-phap"]; len(e.Leads) != 1 || e.Leads[0].ID != "so-noi-vu" || e.Leads[0].Name != "Sở Nội vụ" || e.Leads[0].Target.String() != "2019-03-20" {
		t.Errorf("leads of the support entry = %+v", e.Leads)
	}
}

// A failed pass keeps the time of the last one that succeeded.
func TestRecordPass(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	if _, found, err := db.LastPass(ctx); found || err != nil {
		t.Fatalf("a new database has a last pass: %v %v", found, err)
	}
	t1 := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if err := db.RecordPass(ctx, PassRecord{Started: t1, Finished: t1.Add(time.Second), AsOf: t1, OK: true}); err != nil {
		t.Fatal(err)
	}
	t2 := t1.Add(24 * time.Hour)
	if err := db.RecordPass(ctx, PassRecord{Started: t2, Finished: t2.Add(time.Second), AsOf: t2, Error: "load items: disk I/O error"}); err != nil {
		t.Fatal(err)
	}
	p, found, err := db.LastPass(ctx)
	if err != nil || !found || p.OK || p.Error != "load items: disk I/O error" || !p.Finished.Equal(t2.Add(time.Second)) || !p.LastOK.Equal(t1.Add(time.Second)) {
		t.Errorf("last pass = %+v, %v %v", p, found, err)
	}
}

// Stats counts deliveries by status and the open overdue items by level.
func TestStats(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	cal := testCalendar()
	if _, err := db.Sync(ctx, cal, map[int][]hanchot.Occurrence{2019: {
		occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-15", "2019-03-15"),
		occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-15", "2019-03-12"),
	}}, SyncOptions{Today: date("2019-01-02"), Start: date("2019-01-01")}); err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats(ctx, date("2019-03-14"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Overdue[0] != 1 || len(st.Overdue) != 1 || st.Notices["reminder"] != 0 {
		t.Errorf("overdue on 2019-03-14 = %v, want the support item at level 0", st.Overdue)
	}
	for _, s := range []string{"pending", "sending", "sent", "failed", "expired"} {
		if n, ok := st.Deliveries[s]; !ok || n != 0 {
			t.Errorf("deliveries %s = %d, %v; want 0, listed", s, n, ok)
		}
	}
	if _, err := db.Submit(ctx, []NewSubmission{{Key: OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-tu-phap"}, At: time.Date(2019, 3, 14, 9, 0, 0, 0, time.UTC)}}, false); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.Stats(ctx, date("2019-03-20")); st.Overdue[0] != 1 || len(st.Overdue) != 1 {
		t.Errorf("overdue on 2019-03-20 = %v, want the lead item alone", st.Overdue)
	}
}
