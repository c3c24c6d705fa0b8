package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hanchot"
)

// syncedDB returns a database holding testCalendar's 2019 occurrences.
func syncedDB(t *testing.T) (*DB, []hanchot.Item) {
	t.Helper()
	db := MustOpen(t)
	ctx := context.Background()
	_, err := db.Sync(ctx, testCalendar(), map[int][]hanchot.Occurrence{2019: {
		occ("1.2.1", "Quý I", "so-noi-vu", hanchot.Lead, "2019-03-15", "2019-03-15"),
		occ("1.2.1", "Quý I", "so-tu-phap", hanchot.Support, "2019-03-15", "2019-03-12"),
	}}, SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items, err := db.Items(ctx, date("2019-03-01"), date("2019-03-31"))
	if err != nil || len(items) != 2 {
		t.Fatalf("items = %v, %v", items, err)
	}
	return db, items
}

func date(s string) hanchot.Date { d, _ := hanchot.ParseDate(s); return d }

func compose(d hanchot.Digest) (hanchot.Message, error) {
	var codes []string
	for _, n := range d.Notices {
		codes = append(codes, fmt.Sprintf("%s/%d", n.Agency, n.Step))
	}
	return hanchot.Message{To: d.Recipient.Emails, Subject: strings.Join(codes, " "), Text: "t", HTML: "h",
		MessageID: fmt.Sprintf("%d.%s@test", time.Now().UnixNano(), d.Recipient.ID)}, nil
}

func TestItems(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	if items[0].Code != "1.2.1" || items[0].AgencyName != "Sở Nội vụ" || items[0].Target.String() != "2019-03-15" {
		t.Errorf("item = %+v", items[0])
	}
	// The window is on the date that counts.
	got, _ := db.Items(ctx, date("2019-03-13"), date("2019-03-31"))
	if len(got) != 1 || got[0].Agency != "so-noi-vu" {
		t.Errorf("window items = %+v", got)
	}
	got, _ = db.Items(ctx, date("2020-03-01"), date("2020-03-31"))
	if len(got) != 0 {
		t.Errorf("items outside the window = %+v", got)
	}
}

func TestEnqueue_NeverTwice(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	agency := hanchot.Agency{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"snv@laocai.example"}}
	d := hanchot.Digest{Kind: hanchot.Reminder, Recipient: agency, Notices: []hanchot.Notice{
		{Item: items[0], Kind: hanchot.Reminder, Step: 7, Recipient: "so-noi-vu", Days: 7},
	}}
	queued, err := db.Enqueue(ctx, d, compose)
	if err != nil || !queued {
		t.Fatalf("first enqueue = %v, %v", queued, err)
	}
	// The same notice again (a second pass, a restart): nothing.
	queued, err = db.Enqueue(ctx, d, compose)
	if err != nil || queued {
		t.Fatalf("second enqueue = %v, %v", queued, err)
	}
	// A digest with the old notice and a new one carries only the new one.
	d.Notices = append(d.Notices, hanchot.Notice{Item: items[1], Kind: hanchot.Reminder, Step: 3, Recipient: "so-noi-vu", Days: 0})
	if queued, _ = db.Enqueue(ctx, d, compose); !queued {
		t.Fatal("a digest with a new notice was not queued")
	}
	msgs, _ := db.Messages(ctx, LogFilter{})
	if len(msgs) != 2 || msgs[0].Subject != "so-tu-phap/3" {
		t.Errorf("messages = %+v", msgs)
	}
	// A compose failure leaves nothing behind.
	d.Notices[0].Step = 1
	if _, err := db.Enqueue(ctx, d, func(hanchot.Digest) (hanchot.Message, error) { return hanchot.Message{}, fmt.Errorf("boom") }); err == nil {
		t.Fatal("compose error not returned")
	}
	var n int
	db.db.QueryRow(`SELECT count(*) FROM notification`).Scan(&n)
	if n != 2 {
		t.Errorf("notifications after a failed enqueue = %d, want 2", n)
	}
}

func TestOutboxStates(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	clock := time.Date(2019, 3, 8, 1, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	agency := hanchot.Agency{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"snv@laocai.example"}}
	db.Enqueue(ctx, hanchot.Digest{Kind: hanchot.Reminder, Recipient: agency, Notices: []hanchot.Notice{
		{Item: items[0], Kind: hanchot.Reminder, Step: 7, Recipient: "so-noi-vu"}}}, compose)
	msgs, _ := db.Unsent(ctx, clock, false)
	if len(msgs) != 1 || msgs[0].Status != "pending" {
		t.Fatalf("unsent = %+v", msgs)
	}
	id := msgs[0].ID

	t.Run("TemporaryFailure", func(t *testing.T) {
		if ok, err := db.Claim(ctx, id, clock.Add(time.Minute)); !ok || err != nil {
			t.Fatalf("claim = %v, %v", ok, err)
		}
		if ok, _ := db.Claim(ctx, id, clock.Add(time.Minute)); ok {
			t.Fatal("a message being sent was claimed twice")
		}
		db.Record(ctx, id, hanchot.SendResult{Temporary: true, Reply: "451 4.3.0 try later"}, clock.Add(2*time.Minute))
		if got, _ := db.Unsent(ctx, clock.Add(time.Minute), false); len(got) != 0 {
			t.Errorf("retried before its time: %+v", got)
		}
		if got, _ := db.Unsent(ctx, clock.Add(time.Minute), true); len(got) != 1 {
			t.Errorf("a manual run does not see the pending message")
		}
		got, _ := db.Unsent(ctx, clock.Add(3*time.Minute), false)
		if len(got) != 1 || got[0].Attempts != 1 || got[0].Reply != "451 4.3.0 try later" {
			t.Errorf("after backoff: %+v", got)
		}
	})
	t.Run("CrashWhileSending", func(t *testing.T) {
		db.Claim(ctx, id, clock.Add(time.Minute))
		// The process dies here. Before the deadline nobody touches it.
		if got, _ := db.Unsent(ctx, clock.Add(30*time.Second), true); len(got) != 0 {
			t.Errorf("a message being sent was offered again: %+v", got)
		}
		clock = clock.Add(2 * time.Minute)
		got, _ := db.Unsent(ctx, clock, false)
		if len(got) != 1 {
			t.Fatalf("an interrupted message was not offered again")
		}
		if ok, _ := db.Claim(ctx, id, clock.Add(time.Minute)); !ok {
			t.Fatal("could not reclaim")
		}
		db.Record(ctx, id, hanchot.SendResult{OK: true, Reply: "250 2.0.0 queued"}, time.Time{})
		var attempts []string
		rows, _ := db.db.Query(`SELECT reply FROM attempt WHERE message_id = ? ORDER BY id`, id)
		for rows.Next() {
			var r string
			rows.Scan(&r)
			attempts = append(attempts, r)
		}
		rows.Close()
		if len(attempts) != 3 || !strings.HasPrefix(attempts[1], "interrupted") || attempts[2] != "250 2.0.0 queued" {
			t.Errorf("attempts = %q", attempts)
		}
		msgs, _ := db.Messages(ctx, LogFilter{Status: "sent"})
		if len(msgs) != 1 || msgs[0].SentAt.IsZero() {
			t.Errorf("sent = %+v", msgs)
		}
		if got, _ := db.Unsent(ctx, clock.Add(time.Hour), true); len(got) != 0 {
			t.Errorf("a sent message is offered again: %+v", got)
		}
	})
	t.Run("PermanentFailure", func(t *testing.T) {
		db.Enqueue(ctx, hanchot.Digest{Kind: hanchot.Reminder, Recipient: agency, Notices: []hanchot.Notice{
			{Item: items[0], Kind: hanchot.Reminder, Step: 3, Recipient: "so-noi-vu"}}}, compose)
		got, _ := db.Unsent(ctx, clock, false)
		db.Claim(ctx, got[0].ID, clock.Add(time.Minute))
		db.Record(ctx, got[0].ID, hanchot.SendResult{Reply: "550 5.1.1 no such user"}, time.Time{})
		failed, _ := db.Messages(ctx, LogFilter{Status: "failed"})
		if len(failed) != 1 || failed[0].Reply != "550 5.1.1 no such user" {
			t.Errorf("failed = %+v", failed)
		}
		if got, _ := db.Unsent(ctx, clock.Add(time.Hour), true); len(got) != 0 {
			t.Errorf("a failed message is offered again: %+v", got)
		}
	})
}
