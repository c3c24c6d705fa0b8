package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wneessen/go-mail"

	"hanchot"
	mailpitsrv "hanchot/internal/mailpit"
	"hanchot/internal/smtptest"
	"hanchot/notify"
)

// sendProvince writes a configuration of n agencies, each the lead of one
// report due on Monday 16 March 2026 and reminded 7 days before: a pass
// at 08:00 on 9 March 2026 sends n reminders, one per agency.
func sendProvince(tb testing.TB, dir string, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`timezone = "Asia/Ho_Chi_Minh"

[store]
path = "h.db"

[schedule]
first_year = 2026
start = 2026-01-01
remind_days = [7]
quiet = ""

[escalation]
focal_point = "agency-0000"
after_days = [1]

[mail]
from = "Sở Nội vụ <cchc@tinh.example>"
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[agency]]\nid = \"agency-%04d\"\nname = \"Cơ quan số %d\"\nemail = \"a%04d@tinh.example\"\n", i, i, i)
		fmt.Fprintf(&b, "\n[[report]]\ncode = \"%d.%d\"\ntitle = \"Báo cáo số %d về cải cách hành chính\"\nlead = \"agency-%04d\"\n"+
			"deadlines = [{ period = \"Cả năm\", due = \"16/03\" }]\n", i/100+1, i%100+1, i, i)
	}
	path := filepath.Join(dir, "hanchot.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

const sendDigests = 2000

// The whole process: `hanchot run --once --send` planning, queuing and
// delivering 2,000 reminders over SMTP, from start to exit, against a
// process that only sends as many messages of the same size with go-mail
// over one connection. Each is run against three sinks: an SMTP server in
// this process, the same kind of server in a process of its own, and
// Mailpit.
func BenchmarkSendProcess(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary and Mailpit")
	}
	bin := buildHanchot(b)
	dir := b.TempDir()
	cfg := sendProvince(b, dir, sendDigests)
	db := filepath.Join(dir, "h.db")
	if out, err := exec.Command(bin, "--config", cfg, "sync", "--now", "2026-03-01").CombinedOutput(); err != nil {
		b.Fatalf("sync: %v %s", err, out)
	}
	if err := copyFile(db, db+".orig"); err != nil {
		b.Fatal(err)
	}
	inProcess := smtptest.Start(b)
	sinks := []struct {
		name  string
		port  func(*testing.B) int
		count func() int
	}{
		{"in-process", func(*testing.B) int { return inProcess.Port }, func() int { return len(inProcess.Messages()) }},
		{"process", func(b *testing.B) int { return smtptest.StartProcess(b).Port }, nil},
		{"mailpit", func(b *testing.B) int { return mailpitsrv.Start(b).Port }, nil},
	}
	for _, sink := range sinks {
		b.Run("sink="+sink.name, func(b *testing.B) {
			port := sink.port(b)
			b.Run("hanchot", func(b *testing.B) {
				took := time.Duration(0)
				for b.Loop() {
					b.StopTimer()
					os.Remove(db + "-wal")
					os.Remove(db + "-shm")
					if err := copyFile(db+".orig", db); err != nil {
						b.Fatal(err)
					}
					before := 0
					if sink.count != nil {
						before = sink.count()
					}
					b.StartTimer()
					start := time.Now()
					cmd := exec.Command(bin, "--config", cfg, "run", "--once", "--send", "--now", "2026-03-09T08:00")
					cmd.Env = append(os.Environ(), smtpEnv(db, port)...)
					out, err := cmd.CombinedOutput()
					took += time.Since(start)
					if err != nil {
						b.Fatalf("run: %v %s", err, out)
					}
					if sink.count != nil && sink.count()-before != sendDigests {
						b.Fatalf("the sink received %d messages, want %d\n%s", sink.count()-before, sendDigests, out)
					}
				}
				b.ReportMetric(float64(sendDigests*b.N)/took.Seconds(), "msgs/s")
			})
			b.Run("bare-go-mail", func(b *testing.B) {
				took := time.Duration(0)
				for b.Loop() {
					start := time.Now()
					cmd := exec.Command(os.Args[0], "-test.run=^TestBareSendProcess$")
					cmd.Env = append(os.Environ(), "HANCHOT_BARE_SEND_PORT="+strconv.Itoa(port))
					out, err := cmd.CombinedOutput()
					took += time.Since(start)
					if err != nil || !bytes.Contains(out, []byte("sent")) {
						b.Fatalf("bare sender: %v %s", err, out)
					}
				}
				b.ReportMetric(float64(sendDigests*b.N)/took.Seconds(), "msgs/s")
			})
		})
	}
}

// TestBareSendProcess is the reference of BenchmarkSendProcess, run in a
// process of its own when HANCHOT_BARE_SEND_PORT names the sink's port:
// it composes one agency's reminder and sends 2,000 copies of it with
// go-mail over one connection, each to another address.
func TestBareSendProcess(t *testing.T) {
	port, err := strconv.Atoi(os.Getenv("HANCHOT_BARE_SEND_PORT"))
	if err != nil {
		t.Skip("the reference process of BenchmarkSendProcess")
	}
	composer, err := notify.NewComposer("", "cchc@tinh.example", notify.Context{})
	if err != nil {
		t.Fatal(err)
	}
	it := hanchot.Item{Occurrence: hanchot.Occurrence{Code: "1.1", Title: "Báo cáo số 0 về cải cách hành chính", Period: "Cả năm",
		Year: 2026, Agency: "agency-0001", AgencyName: "Cơ quan số 1", Role: hanchot.Lead}, Target: hanchot.NewDate(2026, 3, 16)}
	m, err := composer.Compose(hanchot.Digest{Kind: hanchot.Reminder, Today: hanchot.NewDate(2026, 3, 9),
		Recipient: hanchot.Agency{ID: "agency-0001", Name: "Cơ quan số 1", Emails: []string{"a0001@tinh.example"}},
		Notices:   []hanchot.Notice{{Item: it, Kind: hanchot.Reminder, Step: 7, Recipient: "agency-0001", Days: 7}}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := mail.NewClient("127.0.0.1", mail.WithPort(port), mail.WithTLSPolicy(mail.NoTLS))
	if err != nil {
		t.Fatal(err)
	}
	if err := client.DialWithContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for i := 0; i < sendDigests; i++ {
		msg := mail.NewMsg()
		msg.From("Sở Nội vụ <cchc@tinh.example>")
		msg.AddToFormat("Cơ quan số 1", fmt.Sprintf("a%04d@tinh.example", i))
		msg.Subject(m.Subject)
		msg.SetBodyString(mail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
		if err := client.Send(msg); err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("sent", sendDigests)
}
