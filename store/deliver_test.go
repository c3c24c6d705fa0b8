package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"hanchot"
	"hanchot/internal/smtptest"
	"hanchot/notify"
	"hanchot/scheduler"
)

// deliverSetup queues n reminders, one per address aNNN@tinh.example, and
// returns a pass that delivers them to srv.
func deliverSetup(t *testing.T, n int, srv *smtptest.Server) (*DB, *scheduler.Pass) {
	t.Helper()
	ctx := context.Background()
	db := benchDB(t, n, n)
	items, err := db.Items(ctx, hanchot.NewDate(2019, 3, 15), hanchot.NewDate(2019, 3, 15))
	if err != nil || len(items) != n {
		t.Fatalf("%d items, %v", len(items), err)
	}
	composer, err := notify.NewComposer("", "cchc@tinh.example", notify.Context{})
	if err != nil {
		t.Fatal(err)
	}
	var ds []hanchot.Digest
	for i, it := range items {
		a := hanchot.Agency{ID: it.Agency, Name: it.AgencyName, Emails: []string{fmt.Sprintf("a%03d@tinh.example", i)}}
		ds = append(ds, hanchot.Digest{Kind: hanchot.Reminder, Recipient: a, Today: hanchot.NewDate(2019, 3, 8), Expires: time.Now().Add(time.Hour),
			Notices: []hanchot.Notice{{Item: it, Kind: hanchot.Reminder, Step: 7, Recipient: it.Agency, Days: 7}}})
	}
	if _, err := db.Enqueue(ctx, ds, composer.Compose); err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	return db, &scheduler.Pass{
		Store: db,
		Transport: &notify.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none", Timeout: 5 * time.Second,
			Envelope: notify.Envelope{From: "Sở Nội vụ <cchc@tinh.example>", Location: loc}},
		SendTimeout: 5 * time.Second,
		Clock:       time.Now,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// statuses reads each address's delivery status through a connection of
// its own, so that it sees only what was committed.
func statuses(t *testing.T, db *DB) func() (map[string]string, error) {
	t.Helper()
	var path string
	if err := db.db.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	reader, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reader.Close() })
	return func() (map[string]string, error) {
		rows, err := reader.Query(`SELECT address, status FROM delivery`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		m := map[string]string{}
		for rows.Next() {
			var a, s string
			if err := rows.Scan(&a, &s); err != nil {
				return nil, err
			}
			m[a] = s
		}
		return m, rows.Err()
	}
}

// The commit of one message overlaps the next message's exchange with the
// server, but never its end: when the server takes a message's final dot,
// every message accepted before it is recorded as sent, and this one is
// claimed ("sending"). So a crash at any moment leaves at most one message
// out but unrecorded.
func TestDeliver_EachMessageRecordedBeforeTheNextIsOut(t *testing.T) {
	srv := smtptest.Start(t)
	db, pass := deliverSetup(t, 40, srv)
	read := statuses(t, db)
	var mu sync.Mutex
	var accepted []string
	var problems []string
	srv.RejectWith(func(to []string) error {
		mu.Lock()
		defer mu.Unlock()
		st, err := read()
		if err != nil {
			problems = append(problems, err.Error())
			return nil
		}
		if st[to[0]] != "sending" {
			problems = append(problems, fmt.Sprintf("%s is %q at its final dot, want sending", to[0], st[to[0]]))
		}
		for _, a := range accepted {
			if st[a] != "sent" {
				problems = append(problems, fmt.Sprintf("%s, accepted before %s, is %q at the latter's dot, want sent", a, to[0], st[a]))
			}
		}
		accepted = append(accepted, to[0])
		return nil
	})
	res, err := pass.Deliver(context.Background())
	if err != nil || res.Sent != 40 {
		t.Fatalf("sent %d of 40: %v", res.Sent, err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	st, _ := read()
	for a, s := range st {
		if s != "sent" {
			t.Errorf("%s is %q after the pass", a, s)
		}
	}
}

// lostClaims is the outbox with another process claiming some deliveries
// first: Advance reports them not claimed.
type lostClaims struct {
	*DB
	lose map[int64]bool
}

func (l lostClaims) Advance(ctx context.Context, done *hanchot.Outcome, next int64, until time.Time) (bool, error) {
	if l.lose[next] {
		_, err := l.DB.Advance(ctx, done, 0, time.Time{})
		return false, err
	}
	return l.DB.Advance(ctx, done, next, until)
}

// A message taken up to the end of its data while its claim was being
// committed is given up when the claim fails: the connection is dropped
// before the final dot, the server never has it, and the rest of the
// pass goes on over a new connection.
func TestDeliver_LostClaimNeverReachesTheServer(t *testing.T) {
	srv := smtptest.Start(t)
	db, pass := deliverSetup(t, 10, srv)
	ds, err := db.Unsent(context.Background(), time.Now(), false)
	if err != nil || len(ds) != 10 {
		t.Fatalf("%d unsent, %v", len(ds), err)
	}
	lost := ds[4]
	pass.Store = lostClaims{DB: db, lose: map[int64]bool{lost.ID: true}}
	res, err := pass.Deliver(context.Background())
	if err != nil || res.Sent != 9 {
		t.Fatalf("sent %d, want 9: %v", res.Sent, err)
	}
	got := srv.Messages()
	if len(got) != 9 {
		t.Fatalf("server has %d messages, want 9", len(got))
	}
	for _, m := range got {
		if m.To[0] == lost.Address {
			t.Errorf("the message whose claim was lost reached the server")
		}
	}
	if srv.Sessions() != 2 {
		t.Errorf("%d sessions, want 2 (a new one after the given-up message)", srv.Sessions())
	}
	read := statuses(t, db)
	st, _ := read()
	if st[lost.Address] != "pending" {
		t.Errorf("the lost delivery is %q, want pending (left to whoever claimed it)", st[lost.Address])
	}
}

// slowClaims is the outbox with a disk that stalls while claiming some
// deliveries.
type slowClaims struct {
	*DB
	slow  map[int64]bool
	pause time.Duration
}

func (s slowClaims) Advance(ctx context.Context, done *hanchot.Outcome, next int64, until time.Time) (bool, error) {
	if s.slow[next] {
		time.Sleep(s.pause)
	}
	return s.DB.Advance(ctx, done, next, until)
}

// A slow commit takes from the message's time, never from the wait for
// the server's answer to its dot, and never makes it go out twice: a
// commit that ends within the message's time is followed by the dot with
// a wait of its own; one that ends after it gives the message up before
// its dot, to be tried again later.
func TestDeliver_SlowCommit(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pause time.Duration
		sent  bool
	}{
		{"within the message's time", 450 * time.Millisecond, true},
		{"past the message's time", 700 * time.Millisecond, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t)
			db, pass := deliverSetup(t, 3, srv)
			pass.SendTimeout = 300 * time.Millisecond
			pass.Transport.(*notify.SMTP).Timeout = 300 * time.Millisecond
			ds, err := db.Unsent(context.Background(), time.Now(), false)
			if err != nil || len(ds) != 3 {
				t.Fatalf("%d unsent, %v", len(ds), err)
			}
			slow := ds[1]
			pass.Store = slowClaims{DB: db, slow: map[int64]bool{slow.ID: true}, pause: tt.pause}
			res, err := pass.Deliver(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			copies := 0
			for _, m := range srv.Messages() {
				if m.To[0] == slow.Address {
					copies++
				}
			}
			st, _ := statuses(t, db)()
			if tt.sent {
				if copies != 1 || st[slow.Address] != "sent" || res.Sent != 3 {
					t.Errorf("%d copies, status %q, %d sent; want 1 copy, sent, 3 sent", copies, st[slow.Address], res.Sent)
				}
			} else {
				if copies != 0 || st[slow.Address] != "pending" || res.Sent != 2 || res.Retrying != 1 {
					t.Errorf("%d copies, status %q, %+v; want none, pending, 2 sent and 1 retrying", copies, st[slow.Address], res)
				}
			}
		})
	}
}
