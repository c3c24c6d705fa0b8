package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"hanchot"
	"hanchot/internal/mailpit"
	"hanchot/internal/smtptest"
	"hanchot/notify"
	"hanchot/scheduler"
)

// The send path as a pass runs it: each delivery claimed, sent over one
// SMTP connection and recorded, one commit per message, with
// synchronous=FULL (what the daemon runs) and NORMAL (for the cost of
// FULL). Beside it, the limit: go-mail alone sending the same messages
// over one connection. Two sinks: an SMTP server in this process that
// keeps messages in memory, and Mailpit, a mail server that stores them.
func BenchmarkSend(b *testing.B) {
	inProcess := smtptest.Start(b)
	sinks := []struct {
		name string
		addr func(b *testing.B) (string, int)
	}{
		{"in-process", func(*testing.B) (string, int) { return inProcess.Host, inProcess.Port }},
		{"mailpit", func(b *testing.B) (string, int) { s := mailpit.Start(b); return s.Host, s.Port }},
	}
	for _, sink := range sinks {
		b.Run("sink="+sink.name, func(b *testing.B) {
			host, port := sink.addr(b)
			for _, sync := range []string{"FULL", "NORMAL"} {
				b.Run("outbox-synchronous="+sync, func(b *testing.B) { benchSend(b, sync, host, port) })
			}
			b.Run("bare-go-mail", func(b *testing.B) { benchBareGoMail(b, host, port) })
		})
	}
}

const sendBatch = 200

func benchSend(b *testing.B, synchronous, host string, port int) {
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
	sent, step := 0, 0
	var took time.Duration
	for b.Loop() {
		// Queue one digest per item (a new step each round, so that
		// nothing is already recorded), outside the timing.
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
		took += time.Since(start)
		if err != nil || res.Sent != sendBatch {
			b.Fatalf("sent %d of %d: %v %+v", res.Sent, sendBatch, err, res)
		}
		sent += res.Sent
	}
	b.ReportMetric(float64(sent)/took.Seconds(), "msgs/s")
}

func benchBareGoMail(b *testing.B, host string, port int) {
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
	defer client.Close()
	sent := 0
	start := time.Now()
	for b.Loop() {
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
			sent++
		}
	}
	b.ReportMetric(float64(sent)/time.Since(start).Seconds(), "msgs/s")
}
