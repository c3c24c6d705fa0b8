package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"hanchot"
)

func TestSubmitUndoExtend(t *testing.T) {
	db, _ := syncedDB(t)
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2019, 3, 20, 1, 0, 0, 0, time.UTC) } // when things are recorded
	key := OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-noi-vu"}
	at := time.Date(2019, 3, 14, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))

	if _, err := db.Submit(ctx, []NewSubmission{{Key: key, At: at, Ref: "1/BC"}, {Key: OccurrenceKey{Code: "9.9", Period: "Quý I", Year: 2019, Agency: "so-noi-vu"}, At: at}}, false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a batch with an unknown occurrence: %v", err)
	}
	if o, _ := db.Occurrence(ctx, key); o.Submission != nil {
		t.Fatal("a failed batch recorded part of itself")
	}
	if _, err := db.Submit(ctx, []NewSubmission{{Key: key, At: at, Ref: "1/BC"}}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(ctx, []NewSubmission{{Key: key, At: at, Ref: "1/BC"}}, false); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate: %v", err)
	}
	if res, err := db.Submit(ctx, []NewSubmission{{Key: key, At: at, Ref: "1/BC"}}, true); err != nil || res.Skipped != 1 {
		t.Errorf("identical re-import: %+v %v", res, err)
	}
	if _, err := db.Extend(ctx, key, date("2019-03-29"), "x", ""); !errors.Is(err, ErrConflict) {
		t.Errorf("extending a submitted occurrence: %v", err)
	}
	if _, err := db.Undo(ctx, key, "nhầm", "Văn thư"); err != nil {
		t.Fatal(err)
	}
	h, _ := db.History(ctx, key)
	if len(h) != 2 || h[0].What != "submitted" || h[1].What != "undone" || h[1].Detail != "the submission of 2019-03-14T10:00:00+07:00: nhầm (Văn thư)" {
		t.Errorf("history = %+v", h)
	}
	prev, err := db.Extend(ctx, key, date("2019-03-29"), "Công văn 45", "")
	if err != nil || prev.String() != "2019-03-15" {
		t.Fatalf("extend = %s, %v", prev, err)
	}
	if h, _ := db.History(ctx, key); len(h) != 3 || h[2].What != "extended" || h[2].Detail != "2019-03-15 → 2019-03-29: Công văn 45" {
		t.Errorf("history after extension = %+v", h)
	}
	o, _ := db.Occurrence(ctx, key)
	if !o.Extended || o.Target.String() != "2019-03-29" {
		t.Errorf("after extension: %+v", o.Item)
	}
	if _, err := db.Extend(ctx, key, date("2019-03-20"), "shorter", ""); !errors.Is(err, ErrConflict) {
		t.Errorf("an 'extension' to an earlier date: %v", err)
	}
}

// The overdue log keeps the day an item went overdue even when a re-sync
// moves its date.
func TestOverdueLogSurvivesResync(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	if err := db.RecordOverdue(ctx, items, date("2019-03-18")); err != nil {
		t.Fatal(err)
	}
	db.RecordOverdue(ctx, items, date("2019-03-19")) // again: no change
	db.Sync(ctx, testCalendar(), map[int][]hanchot.Occurrence{2019: {
		occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-20", "2019-03-20"),
		occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-20", "2019-03-15"),
	}}, SyncOptions{Today: date("2019-03-01")})
	recs, err := db.Records(ctx, RecordFilter{Year: 2019})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		want := map[string]string{"so-noi-vu": "2019-03-16", "so-tu-phap": "2019-03-13"}[r.Agency]
		if r.Since.String() != want {
			t.Errorf("%s since %s, want %s (target now %s)", r.Agency, r.Since, want, r.Target)
		}
	}
}

// For statistics, the records of a year are the same without the overdue
// log's state, in any order.
func TestRecordsCounts(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	if err := db.RecordOverdue(ctx, items, date("2019-03-18")); err != nil {
		t.Fatal(err)
	}
	full, err := db.Records(ctx, RecordFilter{Year: 2019})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := db.Records(ctx, RecordFilter{Year: 2019, Counts: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) == 0 || len(counts) != len(full) {
		t.Fatalf("%d records for counts, %d in full", len(counts), len(full))
	}
	byID := map[int64]Record{}
	logged := 0
	for _, r := range full {
		if !r.Since.IsZero() {
			logged++
		}
		r.Since, r.Level, r.EscalatedAt = hanchot.Date{}, 0, time.Time{}
		byID[r.OccurrenceID] = r
	}
	if logged == 0 {
		t.Error("no full record shows the overdue log")
	}
	for _, r := range counts {
		if want, ok := byID[r.OccurrenceID]; !ok || !reflect.DeepEqual(r, want) {
			t.Errorf("counts record %+v, want %+v", r, want)
		}
	}
}
