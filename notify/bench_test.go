package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"hanchot"
	"hanchot/internal/smtptest"
)

// benchDigest is a reminder digest of 5 items, the size most agencies get.
func benchDigest() hanchot.Digest {
	d := hanchot.Digest{Kind: hanchot.Reminder, Recipient: recipient, Today: date("2019-03-08")}
	for i := 0; i < 5; i++ {
		d.Notices = append(d.Notices, notice(fmt.Sprintf("1.2.%d", i+1), "Báo cáo định kỳ về cải cách hành chính", "Quý I", hanchot.Reminder, "2019-03-15", 7))
	}
	return d
}

// Compose and send digests over one connection, as a pass does.
func BenchmarkSMTP_Digests(b *testing.B) {
	srv := smtptest.Start(b)
	c, err := NewComposer("", "cchc@laocai.example", testContext)
	if err != nil {
		b.Fatal(err)
	}
	tr := &SMTP{Host: srv.Host, Port: srv.Port, TLS: "none", Timeout: 5 * time.Second, Envelope: Envelope{From: "Sở Nội vụ <cchc@laocai.example>", Location: loc(b)}}
	conn, err := tr.Open(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	d := benchDigest()
	start := time.Now()
	for b.Loop() {
		m, err := c.Compose(d)
		if err != nil {
			b.Fatal(err)
		}
		m.CreatedAt = time.Now()
		if r := conn.Send(context.Background(), hanchot.Delivery{Message: m, Address: m.To[0]}, nil); !r.OK {
			b.Fatal(r.Reply)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// The limit: go-mail alone sending the same messages over one connection.
func BenchmarkSMTP_BareGoMail(b *testing.B) {
	srv := smtptest.Start(b)
	c, _ := NewComposer("", "cchc@laocai.example", testContext)
	m, _ := c.Compose(benchDigest())
	client, err := mail.NewClient(srv.Host, mail.WithPort(srv.Port), mail.WithTLSPolicy(mail.NoTLS))
	if err != nil {
		b.Fatal(err)
	}
	if err := client.DialWithContext(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	start := time.Now()
	for b.Loop() {
		msg := mail.NewMsg()
		msg.From("cchc@laocai.example")
		msg.To(m.To...)
		msg.Subject(m.Subject)
		msg.SetBodyString(mail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
		if err := client.Send(msg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}
