package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"hanchot"
	"hanchot/internal/mailpit"
	"hanchot/internal/smtptest"
	"hanchot/notify"
	"hanchot/scheduler"
)

// The send path as a pass runs it (each delivery claimed, sent over one
// SMTP connection and recorded, one commit per message) against its
// limit: go-mail alone sending the same messages over one connection.
// The two run in turns, a batch of each per round, in alternating order,
// so that both meet the machine in the same state; each reports its rate and the ratio of
// the two. The outbox runs with synchronous=FULL (what the daemon runs)
// and NORMAL (for the cost of FULL).
//
// Three sinks: an SMTP server in this process that keeps messages in
// memory; the same kind of server in a process of its own that discards
// them; and Mailpit, a mail server that stores them.
func BenchmarkSend(b *testing.B) {
	inProcess := smtptest.Start(b)
	sinks := []struct {
		name string
		addr func(b *testing.B) (string, int)
	}{
		{"in-process", func(*testing.B) (string, int) { return inProcess.Host, inProcess.Port }},
		{"process", func(b *testing.B) (string, int) { s := smtptest.StartProcess(b); return s.Host, s.Port }},
		{"mailpit", func(b *testing.B) (string, int) { s := mailpit.Start(b); return s.Host, s.Port }},
	}
	for _, sink := range sinks {
		b.Run("sink="+sink.name, func(b *testing.B) {
			host, port := sink.addr(b)
			for _, sync := range []string{"FULL", "NORMAL"} {
				b.Run("synchronous="+sync, func(b *testing.B) {
					outbox := newOutboxSender(b, sync, host, port)
					bare := newBareSender(b, host, port)
					var tookOutbox, tookBare time.Duration
					for round := 0; b.Loop(); round++ {
						if round%2 == 0 {
							tookBare += bare()
							tookOutbox += outbox()
						} else {
							tookOutbox += outbox()
							tookBare += bare()
						}
					}
					n := float64(sendBatch * b.N)
					b.ReportMetric(n/tookOutbox.Seconds(), "msgs/s")
					b.ReportMetric(n/tookBare.Seconds(), "bare-msgs/s")
					b.ReportMetric(tookBare.Seconds()/tookOutbox.Seconds(), "ratio")
				})
			}
		})
	}
}

const sendBatch = 200

// newOutboxSender returns a function that delivers a batch of sendBatch
// digests through the outbox and returns how long Deliver took. Queuing
// the batch is not timed.
func newOutboxSender(b *testing.B, synchronous, host string, port int) func() time.Duration {
	ctx := context.Background()
	db := benchDB(b, sendBatch, sendBatch)
	if _, err := db.db.ExecContext(ctx, `PRAGMA synchronous = `+synchronous); err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	composer, err := notify.NewComposer("", "cchc@tinh.example", notify.Context{})
	if err != nil {
		b.Fatal(err)
	}
	pass := &scheduler.Pass{
		Store: db,
		Transport: &notify.SMTP{Host: host, Port: port, TLS: "none", Timeout: 5 * time.Second,
			Envelope: notify.Envelope{From: "Sở Nội vụ <cchc@tinh.example>", Location: loc}},
		SendTimeout: 5 * time.Second,
		Clock:       time.Now,
		Log:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	items, err := db.Items(ctx, hanchot.NewDate(2019, 3, 15), hanchot.NewDate(2019, 3, 15))
	if err != nil || len(items) != sendBatch {
		b.Fatalf("%d items, %v", len(items), err)
	}
	step := 0
	return func() time.Duration {
		// One digest per item, a new step each batch, so that nothing
		// is already recorded.
		b.StopTimer()
		step++
		var ds []hanchot.Digest
		for i, it := range items {
			a := hanchot.Agency{ID: it.Agency, Name: it.AgencyName, Emails: []string{fmt.Sprintf("a%03d@tinh.example", i)}}
			ds = append(ds, hanchot.Digest{Kind: hanchot.Reminder, Recipient: a, Today: hanchot.NewDate(2019, 3, 8), Expires: time.Now().Add(time.Hour),
				Notices: []hanchot.Notice{{Item: it, Kind: hanchot.Reminder, Step: step, Recipient: it.Agency, Days: 7}}})
		}
		if _, err := db.Enqueue(ctx, ds, composer.Compose); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := pass.Deliver(ctx)
		took := time.Since(start)
		if err != nil || res.Sent != sendBatch {
			b.Fatalf("sent %d of %d: %v %+v", res.Sent, sendBatch, err, res)
		}
		return took
	}
}

// newBareSender returns a function that sends sendBatch copies of one
// composed reminder with go-mail over one connection, each to another
// address, and returns how long that took.
func newBareSender(b *testing.B, host string, port int) func() time.Duration {
	composer, _ := notify.NewComposer("", "cchc@tinh.example", notify.Context{})
	d := hanchot.Digest{Kind: hanchot.Reminder, Recipient: hanchot.Agency{ID: "agency-000", Name: "Cơ quan", Emails: []string{"a@tinh.example"}},
		Today: hanchot.NewDate(2019, 3, 8), Notices: []hanchot.Notice{{Item: hanchot.Item{Occurrence: hanchot.Occurrence{
			Code: "1.1", Title: "Báo cáo", Period: "Cả năm", Year: 2019, Agency: "agency-000", AgencyName: "Cơ quan", Role: hanchot.Lead},
			Target: hanchot.NewDate(2019, 3, 15)}, Kind: hanchot.Reminder, Step: 7, Recipient: "agency-000", Days: 7}}}
	m, err := composer.Compose(d)
	if err != nil {
		b.Fatal(err)
	}
	client, err := mail.NewClient(host, mail.WithPort(port), mail.WithTLSPolicy(mail.NoTLS))
	if err != nil {
		b.Fatal(err)
	}
	if err := client.DialWithContext(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close() })
	return func() time.Duration {
		start := time.Now()
		for i := 0; i < sendBatch; i++ {
			msg := mail.NewMsg()
			msg.From("cchc@tinh.example")
			msg.To(fmt.Sprintf("a%03d@tinh.example", i))
			msg.Subject(m.Subject)
			msg.SetBodyString(mail.TypeTextPlain, m.Text)
			msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
			if err := client.Send(msg); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
}

// BenchmarkDurableCommit is the floor of the send path on this disk: the
// cheapest durable commit SQLite makes, one row changed in a database
// opened as the daemon opens it (WAL, synchronous=FULL). The send path
// needs one per message, so no message can go out faster than this;
// compare its time with the bare sender's time per message.
func BenchmarkDurableCommit(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "floor.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE floor (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO floor VALUES (1, 0)`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := db.withTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE floor SET n = n + 1 WHERE id = 1`)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
