package store

import (
	"context"
	"errors"
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

// enqueue queues digests for agency with the given notices, given up at
// expires.
func enqueue(t *testing.T, db *DB, agency hanchot.Agency, expires time.Time, notices ...hanchot.Notice) hanchot.Enqueued {
	t.Helper()
	res, err := db.Enqueue(context.Background(), []hanchot.Digest{{Kind: notices[0].Kind, Recipient: agency, Notices: notices, Expires: expires}}, compose)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var (
	snv     = hanchot.Agency{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"snv@laocai.example"}}
	later   = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	reached = hanchot.SendResult{OK: true, Reply: "250 2.0.0 queued"}
)

func TestEnqueue_NeverTwice(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	n7 := hanchot.Notice{Item: items[0], Kind: hanchot.Reminder, Step: 7, Recipient: "so-noi-vu", Days: 7}
	if res := enqueue(t, db, snv, later, n7); res.Messages != 1 || res.Deliveries != 1 {
		t.Fatalf("first enqueue = %+v", res)
	}
	// The same notice again (a second pass, a restart): nothing.
	if res := enqueue(t, db, snv, later, n7); res.Messages != 0 {
		t.Fatalf("second enqueue = %+v", res)
	}
	// A digest with the old notice and a new one carries only the new one.
	n3 := hanchot.Notice{Item: items[1], Kind: hanchot.Reminder, Step: 3, Recipient: "so-noi-vu", Days: 0}
	if res := enqueue(t, db, snv, later, n7, n3); res.Messages != 1 {
		t.Fatal("a digest with a new notice was not queued")
	}
	msgs, _ := db.Deliveries(ctx, LogFilter{})
	if len(msgs) != 2 || msgs[0].Subject != "so-tu-phap/3" {
		t.Errorf("messages = %+v", msgs)
	}
}

func TestEnqueue_UncomposedIsRecordedAndPlannedAgain(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	two := hanchot.Agency{ID: "so-tu-phap", Name: "Sở Tư pháp", Emails: []string{"a@laocai.example", "b@laocai.example"}}
	bad := hanchot.Digest{Kind: hanchot.Reminder, Recipient: two, Expires: later,
		Notices: []hanchot.Notice{{Item: items[1], Kind: hanchot.Reminder, Step: 1, Recipient: "so-tu-phap"}}}
	good := hanchot.Digest{Kind: hanchot.Reminder, Recipient: snv, Expires: later,
		Notices: []hanchot.Notice{{Item: items[0], Kind: hanchot.Reminder, Step: 1, Recipient: "so-noi-vu"}}}
	broken := func(d hanchot.Digest) (hanchot.Message, error) {
		if d.Recipient.ID == "so-tu-phap" {
			return hanchot.Message{}, fmt.Errorf("template: reminder.txt: bad field")
		}
		return compose(d)
	}
	// One digest fails to compose: it is recorded as failed, the other
	// is queued, and the pass goes on.
	res, err := db.Enqueue(ctx, []hanchot.Digest{bad, good}, broken)
	if err != nil || res.Messages != 1 || res.Uncomposed != 1 {
		t.Fatalf("enqueue = %+v, %v", res, err)
	}
	failed, _ := db.Deliveries(ctx, LogFilter{Status: hanchot.Failed})
	if len(failed) != 2 || !strings.Contains(failed[0].Reply, "bad field") {
		t.Fatalf("failed = %+v", failed)
	}
	// The next pass with the same broken template records nothing twice.
	if res, _ := db.Enqueue(ctx, []hanchot.Digest{bad}, broken); res.Uncomposed != 0 {
		t.Errorf("recorded twice: %+v", res)
	}
	// Once the template is fixed, the items are queued after all.
	if res, _ := db.Enqueue(ctx, []hanchot.Digest{bad}, compose); res.Messages != 1 || res.Deliveries != 2 {
		t.Errorf("after the fix: %+v", res)
	}
	// It cannot be requeued: it has no body.
	if _, err := db.Requeue(ctx, RequeueFilter{ID: failed[0].ID}, "admin", "", later); !errors.Is(err, ErrNotRequeuable) {
		t.Errorf("requeue of an uncomposed message: %v", err)
	}
}

func TestOutboxStates(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	clock := time.Date(2019, 3, 8, 1, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	enqueue(t, db, snv, later, hanchot.Notice{Item: items[0], Kind: hanchot.Reminder, Step: 7, Recipient: "so-noi-vu"})
	msgs, _ := db.Unsent(ctx, clock, false)
	if len(msgs) != 1 || msgs[0].Status != "pending" || msgs[0].Address != "snv@laocai.example" {
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
		db.Record(ctx, hanchot.Outcome{ID: id, Result: hanchot.SendResult{Temporary: true, Reply: "451 4.3.0 try later"}, RetryAt: clock.Add(2 * time.Minute)})
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
	t.Run("OutageUsesNoAttempt", func(t *testing.T) {
		db.Claim(ctx, id, clock.Add(time.Minute))
		db.Record(ctx, hanchot.Outcome{ID: id, Result: hanchot.SendResult{Reply: "connection refused"}, Outage: true})
		if err := db.NoteOutage(ctx, clock.Add(time.Hour), "connection refused"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Unsent(ctx, clock.Add(time.Hour), false)
		if len(got) != 1 || got[0].Attempts != 1 || got[0].Status != "pending" || !strings.Contains(got[0].Reply, "mail server is unavailable") {
			t.Errorf("after an outage: %+v", got)
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
		// The interruption counts as an attempt.
		if d, _ := db.Deliveries(ctx, LogFilter{ID: id}); d[0].Attempts != 2 {
			t.Errorf("attempts after a reclaim = %d, want 2", d[0].Attempts)
		}
		db.Record(ctx, hanchot.Outcome{ID: id, Result: reached})
		attempts, _ := db.Attempts(ctx, id)
		if len(attempts) != 3 || !strings.HasPrefix(attempts[1].Reply, "interrupted") || attempts[2].Reply != "250 2.0.0 queued" {
			t.Errorf("attempts = %+v", attempts)
		}
		msgs, _ := db.Deliveries(ctx, LogFilter{Status: "sent"})
		if len(msgs) != 1 || msgs[0].SentAt.IsZero() || msgs[0].Attempts != 3 {
			t.Errorf("sent = %+v", msgs)
		}
		if got, _ := db.Unsent(ctx, clock.Add(time.Hour), true); len(got) != 0 {
			t.Errorf("a sent message is offered again: %+v", got)
		}
	})
	t.Run("PermanentFailureAndRequeue", func(t *testing.T) {
		enqueue(t, db, snv, later, hanchot.Notice{Item: items[0], Kind: hanchot.Reminder, Step: 3, Recipient: "so-noi-vu"})
		got, _ := db.Unsent(ctx, clock, false)
		db.Claim(ctx, got[0].ID, clock.Add(time.Minute))
		db.Record(ctx, hanchot.Outcome{ID: got[0].ID, Result: hanchot.SendResult{Reply: "550 5.1.1 no such user"}})
		failed, _ := db.Deliveries(ctx, LogFilter{Status: "failed"})
		if len(failed) != 1 || failed[0].Reply != "550 5.1.1 no such user" {
			t.Errorf("failed = %+v", failed)
		}
		if got, _ := db.Unsent(ctx, clock.Add(time.Hour), true); len(got) != 0 {
			t.Errorf("a failed message is offered again: %+v", got)
		}
		if un, _ := db.UnreportedFailures(ctx); len(un) != 1 {
			t.Errorf("unreported failures = %+v", un)
		}
		// A sent delivery cannot be requeued; the failed one can.
		if _, err := db.Requeue(ctx, RequeueFilter{ID: id}, "admin", "", later); !errors.Is(err, ErrNotRequeuable) {
			t.Errorf("requeue of a sent delivery: %v", err)
		}
		req, err := db.Requeue(ctx, RequeueFilter{Status: hanchot.Failed}, "Nguyễn Văn A", "địa chỉ đã sửa", later)
		if err != nil || len(req) != 1 {
			t.Fatalf("requeue = %+v, %v", req, err)
		}
		got, _ = db.Unsent(ctx, clock, false)
		if len(got) != 1 || got[0].ID != failed[0].ID || !strings.Contains(got[0].Reply, "requeued by Nguyễn Văn A") {
			t.Errorf("after requeue: %+v", got)
		}
		hist, _ := db.Attempts(ctx, failed[0].ID)
		if last := hist[len(hist)-1]; last.What != "requeued" || !strings.Contains(last.Reply, "địa chỉ đã sửa") {
			t.Errorf("history = %+v", hist)
		}
		if un, _ := db.UnreportedFailures(ctx); len(un) != 0 {
			t.Errorf("a requeued delivery is still reported: %+v", un)
		}
	})
}

func TestDeliveryPerAddress(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	two := hanchot.Agency{ID: "so-tu-phap", Name: "Sở Tư pháp", Emails: []string{"dead@laocai.example", "live@laocai.example"}}
	res := enqueue(t, db, two, later, hanchot.Notice{Item: items[1], Kind: hanchot.Reminder, Step: 3, Recipient: "so-tu-phap"})
	if res.Messages != 1 || res.Deliveries != 2 {
		t.Fatalf("enqueue = %+v", res)
	}
	ds, _ := db.Unsent(ctx, db.Now(), false)
	if len(ds) != 2 || ds[0].MessageID != ds[1].MessageID || ds[0].Address == ds[1].Address {
		t.Fatalf("deliveries = %+v", ds)
	}
	// A 550 for one address; the other is delivered.
	db.Claim(ctx, ds[0].ID, later)
	db.Record(ctx, hanchot.Outcome{ID: ds[0].ID, Result: hanchot.SendResult{Reply: "550 5.1.1 no such user"}})
	db.Claim(ctx, ds[1].ID, later)
	db.Record(ctx, hanchot.Outcome{ID: ds[1].ID, Result: reached})
	log, _ := db.Deliveries(ctx, LogFilter{Agency: "so-tu-phap"})
	status := map[string]string{}
	for _, d := range log {
		status[d.Address] = d.Status
	}
	if status["dead@laocai.example"] != "failed" || status["live@laocai.example"] != "sent" {
		t.Errorf("statuses = %v", status)
	}
}

func TestExpire(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	reminderEnd := time.Date(2019, 3, 16, 0, 0, 0, 0, time.UTC)
	enqueue(t, db, snv, reminderEnd, hanchot.Notice{Item: items[0], Kind: hanchot.Reminder, Step: 1, Recipient: "so-noi-vu"})
	if n, err := db.Expire(ctx, reminderEnd.Add(-time.Second)); n != 0 || err != nil {
		t.Errorf("expired before its time: %d, %v", n, err)
	}
	if n, _ := db.Expire(ctx, reminderEnd); n != 1 {
		t.Errorf("expired %d, want 1", n)
	}
	got, _ := db.Deliveries(ctx, LogFilter{Status: hanchot.Expired})
	if len(got) != 1 || !strings.HasPrefix(got[0].Reply, "expired") {
		t.Errorf("expired = %+v", got)
	}
	if u, _ := db.Unsent(ctx, later, true); len(u) != 0 {
		t.Errorf("an expired delivery is offered: %+v", u)
	}
	if un, _ := db.UnreportedFailures(ctx); len(un) != 1 || un[0].Status != hanchot.Expired {
		t.Errorf("expired mail is not reported: %+v", un)
	}
	// Requeued by hand, it is tried again and kept until the new limit.
	if req, err := db.Requeue(ctx, RequeueFilter{Status: hanchot.Expired}, "admin", "", later); err != nil || len(req) != 1 {
		t.Fatalf("requeue = %v, %v", req, err)
	}
	if n, _ := db.Expire(ctx, reminderEnd.Add(time.Hour)); n != 0 {
		t.Errorf("a requeued delivery expired at once")
	}
}

// The questions a pass asks of the outbox are served by indexes, not by a
// scan of the ledger, which grows by every message ever sent.
func TestOutboxQueryPlans(t *testing.T) {
	db := MustOpen(t)
	now := stamp(time.Now())
	now2 := time.Now()
	var qs []struct{ name, sql string }
	for _, all := range []bool{false, true} {
		for i, q := range unsentQueries(now2, all) {
			// The real queries, with their arguments written in.
			text := q.sql
			for _, a := range q.args {
				text = strings.Replace(text, "?", "'"+fmt.Sprint(a)+"'", 1)
			}
			qs = append(qs, struct{ name, sql string }{fmt.Sprintf("unsent %d (all %v)", i, all), text})
		}
	}
	for _, q := range append(qs, []struct{ name, sql string }{
		{"expire", `UPDATE delivery SET status = 'expired' WHERE status = 'pending' AND expires_at <= '` + now + `'`},
		{"unreported", `SELECT d.id FROM delivery d JOIN message m ON m.id = d.message_id WHERE d.status IN ('failed', 'expired') AND d.reported_at IS NULL ORDER BY d.id`},
		{"notification key", `SELECT 1 FROM notification WHERE occurrence_id = 1 AND kind = 'reminder' AND step = 7 AND target = '2019-03-15' AND recipient = 'x'`},
	}...) {
		plan := queryPlan(t, db, q.sql)
		joined := strings.Join(plan, "; ")
		for _, step := range plan {
			// "SCAN d USING INDEX delivery_unreported" reads a partial
			// index of just the rows asked for; a SCAN without an index
			// reads the whole table.
			if strings.HasPrefix(step, "SCAN") && !strings.Contains(step, "INDEX") {
				t.Errorf("%s: plan %q scans the table", q.name, joined)
			}
		}
		t.Logf("%s: %s", q.name, joined)
	}
}

// The overdue log reads open, recently submitted and late items each
// through its own index, never every occurrence ever tracked; a year's
// statistics read that year's occurrences alone.
func TestOverdueQueryPlan(t *testing.T) {
	db := MustOpen(t)
	for _, tt := range []struct {
		f       RecordFilter
		indexes []string
	}{
		{RecordFilter{Before: date("2026-12-01"), OpenOn: date("2026-12-01")}, []string{"occurrence_open", "occurrence_submitted_on"}},
		{RecordFilter{Before: date("2026-12-01"), OpenOn: date("2026-12-01"), Late: true}, []string{"occurrence_open", "occurrence_submitted_on", "occurrence_late"}},
		{RecordFilter{Year: 2025, Counts: true}, []string{"occurrence_year"}},
		{RecordFilter{Year: 2025}, []string{"occurrence_year"}},
	} {
		q, args := recordsQuery(tt.f)
		plan := queryPlan(t, db, q, args...)
		joined := strings.Join(plan, "; ")
		for _, index := range tt.indexes {
			if !strings.Contains(joined, index) {
				t.Errorf("%+v: the plan does not use %s: %s", tt.f, index, joined)
			}
		}
		for _, step := range plan {
			if (strings.HasPrefix(step, "SCAN o") || strings.HasPrefix(step, "SCAN occurrence")) && !strings.Contains(step, "INDEX") {
				t.Errorf("%+v: the plan reads every occurrence: %s", tt.f, joined)
			}
			if strings.HasPrefix(step, "SCAN") && !strings.Contains(step, "INDEX") {
				t.Errorf("%+v: the plan scans a table: %s", tt.f, joined)
			}
			// A record's escalation levels come in order from the
			// notification key: no sorting per record.
			if strings.Contains(step, "FOR GROUP BY") {
				t.Errorf("%+v: the plan sorts to find the escalation level: %s", tt.f, joined)
			}
		}
		t.Logf("%+v: %s", tt.f, joined)
	}
}
