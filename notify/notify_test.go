package notify

import (
	"context"
	"crypto/tls"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/emersion/go-smtp"

	"hanchot"
	"hanchot/internal/smtptest"
)

var testContext = Context{
	FocalPoint:  hanchot.Agency{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"cchc.snv@laocai.example"}},
	Org:         Org{Name: "UBND tỉnh Lào Cai", Plan: "Kế hoạch số 221/KH-UBND", Contact: "Nguyễn Văn A", Phone: "0214 3840 000"},
	SupportDays: 3,
}

func loc(t testing.TB) *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func date(s string) hanchot.Date { d, _ := hanchot.ParseDate(s); return d }

func notice(code, title, period string, kind hanchot.Kind, target string, days int) hanchot.Notice {
	return hanchot.Notice{
		Item: hanchot.Item{OccurrenceID: 1, Occurrence: hanchot.Occurrence{Code: code, Title: title, Period: period, Year: 2019,
			Agency: "so-tu-phap", AgencyName: "Sở Tư pháp", Role: hanchot.Lead}, Target: date(target)},
		Kind: kind, Step: 7, Recipient: "so-tu-phap", Days: days,
	}
}

var recipient = hanchot.Agency{ID: "so-tu-phap", Name: "Sở Tư pháp", Emails: []string{"stp@laocai.example", "vanthu.stp@laocai.example"}}

func TestCompose_Reminder(t *testing.T) {
	c, err := NewComposer("", "Sở Nội vụ <cchc@laocai.example>", testContext)
	if err != nil {
		t.Fatal(err)
	}
	d := hanchot.Digest{Kind: hanchot.Reminder, Recipient: recipient, Today: date("2019-03-08"), Notices: []hanchot.Notice{
		notice("1.2.1", "Báo cáo định kỳ về CCHC", "Quý I", hanchot.Reminder, "2019-03-15", 7),
		notice("1.2.2", "Báo cáo <năm> & rà soát", "Cả năm", hanchot.Reminder, "2019-03-15", 7),
		notice("1.2.5", "Báo cáo CNTT", "Quý I", hanchot.Reminder, "2019-03-18", 10),
	}}
	m, err := c.Compose(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[Nhắc hạn] 3 báo cáo sắp đến hạn — gần nhất 15/03/2019 (còn 7 ngày)"; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	// Grouped by due date: two items under 15/03, one under 18/03.
	if i, j := strings.Index(m.Text, "Hạn 15/03/2019 (còn 7 ngày)"), strings.Index(m.Text, "Hạn 18/03/2019 (còn 10 ngày)"); i < 0 || j < i {
		t.Errorf("text not grouped by date:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, "Báo cáo &lt;năm&gt; &amp; rà soát") {
		t.Errorf("HTML does not escape titles:\n%s", m.HTML)
	}
	if !strings.HasSuffix(m.MessageID, "@laocai.example") || strings.ContainsAny(m.MessageID, "<> ") {
		t.Errorf("Message-ID = %q", m.MessageID)
	}
	// The Message-ID comes from the digest's key: the same digest, composed
	// again (a resend, a restored backup), has the same one; another
	// digest has another.
	if m2, _ := c.Compose(d); m2.MessageID != m.MessageID {
		t.Errorf("the same digest got Message-IDs %q and %q", m.MessageID, m2.MessageID)
	}
	d2 := d
	d2.Notices = d.Notices[:2]
	if m3, _ := c.Compose(d2); m3.MessageID == m.MessageID {
		t.Error("two digests with different items got the same Message-ID")
	}
	if len(m.To) != 2 {
		t.Errorf("To = %v", m.To)
	}
}

func TestCompose_OneItemAndEscalation(t *testing.T) {
	c, _ := NewComposer("", "cchc@laocai.example", testContext)
	m, err := c.Compose(hanchot.Digest{Kind: hanchot.Reminder, Recipient: recipient, Today: date("2019-03-15"),
		Notices: []hanchot.Notice{notice("1.2.1", "Báo cáo định kỳ về CCHC", "Quý I", hanchot.Reminder, "2019-03-15", 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[Nhắc hạn] Báo cáo 1.2.1 đến hạn 15/03/2019 (hạn chót là hôm nay)"; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	esc := notice("1.2.1", "Báo cáo định kỳ về CCHC", "Quý I", hanchot.Escalation, "2019-03-15", 3)
	other := esc
	other.Agency, other.AgencyName = "ubnd-bat-xat", "UBND huyện Bát Xát"
	m, err = c.Compose(hanchot.Digest{Kind: hanchot.Escalation, Recipient: hanchot.Agency{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"snv@laocai.example"}},
		Today: date("2019-03-18"), Notices: []hanchot.Notice{esc, other},
		Failures: []hanchot.Delivery{{Message: hanchot.Message{Subject: "[Nhắc hạn] ..."}, Address: "x@laocai.example", Status: hanchot.Failed, Reply: "550 5.1.1 no such user"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[Đôn đốc] 2 việc quá hạn của 2 cơ quan, 1 báo cáo"; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	// One table per report, a row per late agency.
	for _, s := range []string{"1.2.1 Báo cáo định kỳ về CCHC — Quý I năm 2019\n", "  Sở Tư pháp                               Chủ trì   15/03/2019   3 ngày",
		"  UBND huyện Bát Xát                       Chủ trì   15/03/2019   3 ngày", "550 5.1.1 no such user", "Đầu mối: Nguyễn Văn A, ĐT 0214 3840 000"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("escalation text lacks %q:\n%s", s, m.Text)
		}
	}
}

func TestCompose_TemplatesFromFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "reminder.subject"), []byte("Nhắc {{.Recipient.Name}}: {{.Count}} mục"), 0o644)
	c, err := NewComposer(dir, "cchc@laocai.example", testContext)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := c.Compose(hanchot.Digest{Kind: hanchot.Reminder, Recipient: recipient, Today: date("2019-03-08"),
		Notices: []hanchot.Notice{notice("1.2.1", "X", "Quý I", hanchot.Reminder, "2019-03-15", 7)}})
	if m.Subject != "Nhắc Sở Tư pháp: 1 mục" {
		t.Errorf("subject = %q", m.Subject)
	}
	os.WriteFile(filepath.Join(dir, "overdue.txt"), []byte("{{.Nope"), 0o644)
	if _, err := NewComposer(dir, "cchc@laocai.example", testContext); err == nil || !strings.Contains(err.Error(), "overdue.txt") {
		t.Errorf("a broken template: %v", err)
	}
}

// testMessage is a delivery of a digest to the recipient's first address.
func testMessage(id int64) hanchot.Delivery {
	return hanchot.Delivery{ID: id, Address: recipient.Emails[0], Status: hanchot.Pending, Message: hanchot.Message{
		ID: id, Kind: hanchot.Reminder, Agency: "so-tu-phap", To: recipient.Emails, ToName: recipient.Name,
		Subject: "[Nhắc hạn] Báo cáo 1.2.1 đến hạn 15/03/2019 (còn 7 ngày)", Text: "Kính gửi: Sở Tư pháp", HTML: "<p>Kính gửi</p>",
		MessageID: "hanchot.test." + string(rune('a'+id)) + "@laocai.example", CreatedAt: time.Date(2019, 3, 8, 1, 0, 0, 0, time.UTC)}}
}

func TestSMTP_Delivers(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RequireAuth(map[string]string{"cchc": "mat-khau"})
	tr := &SMTP{Host: srv.Host, Port: srv.Port, TLS: "none", Auth: "plain", Username: "cchc", Password: "mat-khau", Timeout: 5 * time.Second,
		Envelope: Envelope{From: "Sở Nội vụ <cchc@laocai.example>", ReplyTo: "cchc@laocai.example", Location: loc(t)}}
	conn, err := tr.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := int64(1); i <= 3; i++ {
		if r := conn.Send(context.Background(), testMessage(i), nil); !r.OK {
			t.Fatalf("send %d: %+v", i, r)
		}
	}
	got := srv.Messages()
	if len(got) != 3 || srv.Logins() != 1 {
		t.Fatalf("received %d messages over %d logins, want 3 over 1", len(got), srv.Logins())
	}
	h := got[0].Header()
	subj, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subj != "[Nhắc hạn] Báo cáo 1.2.1 đến hạn 15/03/2019 (còn 7 ngày)" {
		t.Errorf("subject = %q, %v", subj, err)
	}
	if id := h.Get("Message-Id"); id != "<hanchot.test.b@laocai.example>" {
		t.Errorf("Message-ID = %q", id)
	}
	if d := h.Get("Date"); !strings.HasSuffix(d, "+0700") {
		t.Errorf("Date = %q, want +0700", d)
	}
	// One address per delivery, named in the header.
	if len(got[0].To) != 1 || got[0].To[0] != recipient.Emails[0] {
		t.Errorf("RCPT TO = %v, want only %s", got[0].To, recipient.Emails[0])
	}
	if to, err := new(mime.WordDecoder).DecodeHeader(h.Get("To")); err != nil || !strings.Contains(to, recipient.Name) || !strings.Contains(to, recipient.Emails[0]) {
		t.Errorf("To = %q, want the agency's name and address", to)
	}
}

func TestSMTP_Failures(t *testing.T) {
	srv := smtptest.Start(t)
	tr := &SMTP{Host: srv.Host, Port: srv.Port, TLS: "none", Timeout: 5 * time.Second,
		Envelope: Envelope{From: "cchc@laocai.example", Location: loc(t)}}
	send := func() hanchot.SendResult {
		conn, err := tr.Open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		return conn.Send(context.Background(), testMessage(1), nil)
	}
	tests := []struct {
		name      string
		setup     func()
		temporary bool
		reply     string
	}{
		{"450", func() {
			srv.RejectWith(func([]string) error {
				return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "mailbox busy"}
			})
		}, true, "450"},
		{"550", func() {
			srv.RejectWith(func([]string) error {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
			})
		}, false, "550"},
		{"dropped", func() { srv.RejectWith(nil); srv.Drop(true) }, true, ""},
		{"421", func() {
			srv.Drop(false)
			srv.RejectWith(func([]string) error {
				return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "closing"}
			})
		}, true, "421"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			r := send()
			if r.OK || r.Temporary != tt.temporary || !strings.Contains(r.Reply, tt.reply) {
				t.Errorf("result = %+v, want temporary=%v and reply with %q", r, tt.temporary, tt.reply)
			}
			// A lost connection or a 421 means: reconnect for the next one.
			if broken := tt.name == "dropped" || tt.name == "421"; r.Broken != broken {
				t.Errorf("broken = %v, want %v", r.Broken, broken)
			}
		})
	}
	srv.Close()
	if _, err := tr.Open(context.Background()); err == nil {
		t.Error("Open on a closed server succeeded")
	}
}

// Refusals of one message leave the session fit for the next: a refused
// RCPT is followed by RSET (a server refuses MAIL inside an open
// transaction), and a message refused at its final dot ends its
// transaction. All on one connection.
func TestSMTP_RefusalsKeepTheSession(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRcpt(func(addr string) error {
		if addr == "khong-co@laocai.example" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	srv.RejectWith(func(to []string) error {
		if to[0] == "day@laocai.example" {
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "content refused"}
		}
		return nil
	})
	tr := &SMTP{Host: srv.Host, Port: srv.Port, TLS: "none", Timeout: 5 * time.Second,
		Envelope: Envelope{From: "cchc@laocai.example", Location: loc(t)}}
	conn, err := tr.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i, tt := range []struct {
		addr  string
		ok    bool
		reply string
	}{
		{"khong-co@laocai.example", false, "RCPT TO: 550"},
		{"day@laocai.example", false, "end of data: 554"},
		{"so-tu-phap@laocai.example", true, "250"},
		{"khong-co@laocai.example", false, "RCPT TO: 550"},
		{"so-tu-phap@laocai.example", true, "250"},
	} {
		d := testMessage(int64(i + 1))
		d.Address = tt.addr
		r := conn.Send(context.Background(), d, nil)
		if r.OK != tt.ok || r.Temporary || r.Broken || r.Outage || !strings.HasPrefix(r.Reply, tt.reply) {
			t.Errorf("message %d to %s: %+v, want ok=%v, final, reply %q...", i+1, tt.addr, r, tt.ok, tt.reply)
		}
	}
	if n := len(srv.Messages()); n != 2 || srv.Sessions() != 1 {
		t.Errorf("%d messages over %d sessions, want 2 over 1", n, srv.Sessions())
	}
}

func TestSMTP_Timeout(t *testing.T) {
	srv := smtptest.Start(t)
	srv.Delay(2 * time.Second)
	tr := &SMTP{Host: srv.Host, Port: srv.Port, TLS: "none", Timeout: 5 * time.Second, Envelope: Envelope{From: "cchc@laocai.example", Location: loc(t)}}
	conn, err := tr.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if r := conn.Send(ctx, testMessage(1), nil); r.OK || !r.Temporary || !strings.Contains(r.Reply, "timeout") {
		t.Errorf("result = %+v, want a temporary timeout", r)
	}
}

func TestDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	tr := &Dir{Path: dir, Envelope: Envelope{From: "Sở Nội vụ <cchc@laocai.example>", Location: loc(t)}}
	conn, err := tr.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := conn.Send(context.Background(), testMessage(1), nil)
	if !r.OK {
		t.Fatal(r)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 || !strings.Contains(files[0], "20190308-080000-000001-reminder-so-tu-phap.eml") {
		t.Fatalf("files = %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "Message-ID:") || !strings.Contains(string(b), "multipart/alternative") {
		t.Errorf(".eml lacks headers:\n%s", b)
	}
}

func TestSMTP_TLSPolicies(t *testing.T) {
	tests := []struct {
		policy   string
		implicit bool
	}{
		{"starttls", false},
		{"opportunistic", false},
		{"tls", true},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			srv, pool := smtptest.StartTLS(t, tt.implicit)
			srv.RequireAuth(map[string]string{"cchc": "mat-khau"})
			tr := &SMTP{Host: srv.Host, Port: srv.Port, TLS: tt.policy, Username: "cchc", Password: "mat-khau", Timeout: 5 * time.Second,
				Envelope: Envelope{From: "cchc@laocai.example", Location: loc(t)}, TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
			conn, err := tr.Open(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if r := conn.Send(context.Background(), testMessage(1), nil); !r.OK {
				t.Fatal(r.Reply)
			}
			if srv.TLSMessages() != 1 || srv.Logins() != 1 {
				t.Errorf("%d messages over TLS, %d logins; want 1 and 1", srv.TLSMessages(), srv.Logins())
			}
		})
	}
	// starttls against a server without TLS refuses rather than sending in clear.
	plain := smtptest.Start(t)
	tr := &SMTP{Host: plain.Host, Port: plain.Port, TLS: "starttls", Timeout: 5 * time.Second, Envelope: Envelope{From: "cchc@laocai.example", Location: loc(t)}}
	if _, err := tr.Open(context.Background()); err == nil {
		t.Error("starttls connected to a server that offers no TLS")
	}
}

// testLinks gives addresses that say what they are for.
type testLinks struct{}

func (testLinks) AgencyPage(agency string) string {
	return "https://hanchot.laocai.example/co-quan/TOKEN-" + agency
}
func (testLinks) AgencyFeed(agency string) string {
	return "https://hanchot.laocai.example/lich/TOKEN-" + agency + ".ics"
}
func (testLinks) Submit(it hanchot.Item) string {
	return "https://hanchot.laocai.example/xac-nhan/TOKEN-" + it.Code + "-" + it.Agency
}
func (testLinks) Extend(it hanchot.Item) string {
	return "https://hanchot.laocai.example/gia-han/TOKEN-" + it.Code + "-" + it.Agency
}

// With links, the footer gives the recipient its page and calendar feed,
// and each of its items the addresses to confirm it and to ask for more
// time.
func TestCompose_FeedLink(t *testing.T) {
	ctx := testContext
	ctx.Links = testLinks{}
	c, err := NewComposer("", "Sở Nội vụ <cchc@laocai.example>", ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Compose(hanchot.Digest{Kind: hanchot.Reminder, Recipient: recipient, Today: date("2019-03-08"), Notices: []hanchot.Notice{
		notice("1.2.1", "Báo cáo định kỳ về CCHC", "Quý I", hanchot.Reminder, "2019-03-15", 7)}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "Lịch hạn báo cáo của cơ quan, để thêm vào Outlook hoặc Google Calendar: https://hanchot.laocai.example/lich/TOKEN-so-tu-phap.ics") {
		t.Errorf("text footer:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, `<a href="https://hanchot.laocai.example/lich/TOKEN-so-tu-phap.ics"`) {
		t.Errorf("HTML footer lacks the feed link")
	}
	for _, want := range []string{
		"Trang của cơ quan (các hạn, việc đã gửi, xác nhận, gia hạn): https://hanchot.laocai.example/co-quan/TOKEN-so-tu-phap",
		"Xác nhận đã gửi báo cáo: https://hanchot.laocai.example/xac-nhan/TOKEN-1.2.1-so-tu-phap",
		"Đề nghị gia hạn: https://hanchot.laocai.example/gia-han/TOKEN-1.2.1-so-tu-phap",
		`bấm "Xác nhận đã gửi báo cáo"`,
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `<a href="https://hanchot.laocai.example/xac-nhan/TOKEN-1.2.1-so-tu-phap"`) ||
		!strings.Contains(m.HTML, `<a href="https://hanchot.laocai.example/co-quan/TOKEN-so-tu-phap"`) {
		t.Errorf("HTML lacks the item's or the page's link:\n%s", m.HTML)
	}
	// A refused request: its own correction, saying the date stands.
	n := notice("1.2.1", "Báo cáo định kỳ về CCHC", "Quý I", hanchot.Refusal, "2019-03-15", 0)
	n.Days = -3
	n.Refused = &hanchot.RefusedRequest{Request: 4, Due: date("2019-03-29"), Answer: "Hạn do UBND tỉnh ấn định"}
	m, err = c.Compose(hanchot.Digest{Kind: hanchot.Correction, Recipient: recipient, Today: date("2019-03-18"), Notices: []hanchot.Notice{n}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "[Gia hạn] Đề nghị gia hạn báo cáo 1.2.1 (hạn 15/03/2019) không được chấp thuận" ||
		!strings.Contains(m.Text, "Đề nghị gia hạn đến 29/03/2019; hạn vẫn là 15/03/2019 (quá 3 ngày)") ||
		!strings.Contains(m.Text, "Ý kiến: Hạn do UBND tỉnh ấn định") || strings.Contains(m.Text, "thay cho thư nhắc trước") {
		t.Errorf("refusal:\n%s\n%s", m.Subject, m.Text)
	}
	// Without links, nothing is said.
	c, _ = NewComposer("", "Sở Nội vụ <cchc@laocai.example>", testContext)
	m, _ = c.Compose(hanchot.Digest{Kind: hanchot.Reminder, Recipient: recipient, Today: date("2019-03-08"), Notices: []hanchot.Notice{
		notice("1.2.1", "Báo cáo định kỳ về CCHC", "Quý I", hanchot.Reminder, "2019-03-15", 7)}})
	if strings.Contains(m.Text, "Lịch hạn") || strings.Contains(m.HTML, "Lịch hạn") {
		t.Error("a footer without a feed address mentions it")
	}
}
