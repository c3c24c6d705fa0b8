package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"hanchot"
)

// Items works out for a whole window what announcedColumns asks item by
// item: the date the agency was last told, the fewest days before of the
// reminders sent for the date that counts, the latest extension's reason.
// Both give the same, whatever was sent, in any order, changed or undone.
func TestItemsTellWhatAnnouncedColumnsTell(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	lead, input := items[0], items[1] // so-noi-vu on 15/03, so-tu-phap on 12/03
	tpp := hanchot.Agency{ID: "so-tu-phap", Name: "Sở Tư pháp", Emails: []string{"stp@laocai.example"}}
	clock := time.Date(2019, 3, 1, 1, 0, 0, 0, time.UTC)
	at := func(day int) { clock = time.Date(2019, 3, day, 1, 0, 0, 0, time.UTC) }
	db.Now = func() time.Time { return clock }
	remind := func(it hanchot.Item, step int, target string) hanchot.Notice {
		n := hanchot.Notice{Item: it, Kind: hanchot.Reminder, Step: step, Recipient: it.Agency}
		n.Target = date(target)
		return n
	}

	// The lead: two steps for its date, then a reminder of another date
	// (it was moved), the latest; an escalation about it to the focal
	// point is not telling the agency.
	at(1)
	enqueue(t, db, snv, later, remind(lead, 14, "2019-03-15"))
	at(8)
	enqueue(t, db, snv, later, remind(lead, 7, "2019-03-15"))
	at(10)
	enqueue(t, db, snv, later, remind(lead, 3, "2019-03-10"))
	at(11)
	esc := hanchot.Notice{Item: lead, Kind: hanchot.Escalation, Step: 1, Recipient: tpp.ID}
	enqueue(t, db, tpp, later, esc)
	// The input: an overdue notice and a reminder recorded at the same
	// time; the one recorded last counts.
	at(13)
	overdue := hanchot.Notice{Item: input, Kind: hanchot.Overdue, Step: 1, Recipient: input.Agency}
	enqueue(t, db, tpp, later, overdue, remind(input, 0, "2019-03-11"))

	check := func(when string) {
		t.Helper()
		want := map[int64]hanchot.Item{}
		for _, it := range items {
			got, err := queryAll(ctx, db.db, "announced", `SELECT `+itemColumns+`, `+announcedColumns+` FROM `+itemJoins+` WHERE o.id = ?`,
				[]any{it.OccurrenceID}, scanAnnounced)
			if err != nil || len(got) != 1 {
				t.Fatalf("%s: %v %v", when, got, err)
			}
			want[it.OccurrenceID] = got[0]
		}
		got, keys, err := db.Window(ctx, date("2019-03-01"), date("2019-04-30"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d items, want %d", when, len(got), len(want))
		}
		for _, it := range got {
			if !reflect.DeepEqual(it, want[it.OccurrenceID]) {
				t.Errorf("%s: item\n%+v\nwant\n%+v", when, it, want[it.OccurrenceID])
			}
		}
		var n int
		db.db.QueryRowContext(ctx, `SELECT count(*) FROM notification`).Scan(&n)
		if len(keys) != n {
			t.Errorf("%s: %d keys of %d notices", when, len(keys), n)
		}
		if !keys[esc.Key()] || !keys[overdue.Key()] {
			t.Errorf("%s: keys %v", when, keys)
		}
	}
	check("as sent")
	first, _, _ := db.Window(ctx, date("2019-03-01"), date("2019-04-30"))
	if first[0].Announced.String() != "2019-03-10" || !first[0].Reminded || first[0].RemindedStep != 7 {
		t.Errorf("lead = %+v", first[0])
	}
	if first[1].Announced.String() != "2019-03-11" || first[1].Reminded {
		t.Errorf("input = %+v", first[1])
	}

	// Extended twice, then submitted and undone: still an item, with the
	// latest reason and no reminder yet for its new date.
	key := OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-noi-vu"}
	for _, e := range []struct{ due, reason string }{{"2019-03-22", "Công văn 1"}, {"2019-03-29", "Công văn 2"}} {
		if _, err := db.Extend(ctx, key, date(e.due), e.reason, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Submit(ctx, []NewSubmission{{Key: key, At: clock, Ref: "1/BC"}}, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Items(ctx, date("2019-03-01"), date("2019-04-30")); len(got) != 1 {
		t.Errorf("a submitted occurrence is an item: %+v", got)
	}
	if _, err := db.Undo(ctx, key, "nhầm", ""); err != nil {
		t.Fatal(err)
	}
	check("extended, submitted and undone")
	if got, _ := db.Items(ctx, date("2019-03-01"), date("2019-04-30")); got[0].ExtensionReason != "Công văn 2" || got[0].Reminded {
		t.Errorf("extended lead = %+v", got[0])
	}
}

// The window's queries read the open occurrences through their index and
// what was sent and extended through the indexes on occurrence ids: their
// cost follows the window, not the history.
func TestWindowQueryPlans(t *testing.T) {
	db := MustOpen(t)
	window := []any{"2026-01-01", "2026-03-31"}
	for _, q := range []struct {
		name, sql string
		args      []any
		index     string
	}{
		{"items", windowItemsQuery, window, "USING INDEX occurrence_open"},
		{"told", toldQuery, window, "USING INDEX occurrence_open"},
		{"latest told", latestToldQuery, []any{"[1,2]"}, "USING INDEX sqlite_autoindex_notification_1 (occurrence_id=? AND kind=?)"},
		{"extensions", extensionsQuery, window, "USING INDEX occurrence_open"},
		{"recorded notices (enqueue)", recordedNoticesQuery, []any{"[1,2]"}, "USING COVERING INDEX sqlite_autoindex_notification_1 (occurrence_id=?)"},
	} {
		plan := queryPlan(t, db, q.sql, q.args...)
		joined := strings.Join(plan, "; ")
		if !strings.Contains(joined, q.index) {
			t.Errorf("%s: the plan does not read %s: %s", q.name, q.index, joined)
		}
		for _, step := range plan {
			// json_each is the list of ids given.
			if strings.HasPrefix(step, "SCAN") && !strings.HasPrefix(step, "SCAN json_each") {
				t.Errorf("%s: plan %q reads a whole table", q.name, joined)
			}
		}
	}
}

// The years kept open by extensions are found from the extensions, which
// are few, never by walking the occurrences of every year tracked.
func TestExtendedYearsQueryPlan(t *testing.T) {
	db := MustOpen(t)
	joined := strings.Join(queryPlan(t, db, extendedYearsQuery, "2026-01-01"), "; ")
	if !strings.Contains(joined, "SCAN e") || !strings.Contains(joined, "SEARCH o USING INTEGER PRIMARY KEY") || strings.Contains(joined, "SCAN o") {
		t.Errorf("plan %q: want the extensions walked and each occurrence looked up by id", joined)
	}
}
