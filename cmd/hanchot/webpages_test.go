package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hanchot/config"
	"hanchot/internal/smtptest"
	"hanchot/store"
	"hanchot/token"
	"hanchot/web"
)

// pageFront is a web front on the test's database with a clock the test
// sets, on an address known before any mail is sent, so that the links
// in the mail lead to it.
type pageFront struct {
	t      *testing.T
	base   string // http://127.0.0.1:PORT
	env    []string
	db     string
	now    time.Time
	writer *store.DB
}

// newPageFront reserves an address for the web front and returns the
// environment that makes mail link to it.
func newPageFront(t *testing.T, db string, mailPort int) *pageFront {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // reopened by start; nothing else takes it meanwhile on a test machine
	base := "http://" + ln.Addr().String()
	p := &pageFront{t: t, base: base, db: db}
	p.env = append(smtpEnv(db, mailPort), "HANCHOT_WEB_SECRET="+webSecret, "HANCHOT_WEB_BASE_URL="+base,
		"HANCHOT_WEB_ADMINS_FILE="+writeAdminsFile(t, "dau-moi", adminPass))
	return p
}

const adminPass = "mat-khau-dau-moi-2019"

// writeAdminsFile writes an admins file as "htpasswd -B" would.
func writeAdminsFile(t *testing.T, user, password string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "admins")
	if err := os.WriteFile(path, []byte(user+":"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// start serves the web front on the reserved address, as "serve" wires
// it (a read-only handle for the pages, a writer for the forms), with the
// test's clock.
func (p *pageFront) start() {
	t := p.t
	t.Helper()
	cfg, err := config.Load(laocai, p.env)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := webKeys(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	reader, err := store.OpenReadOnly(ctx, p.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reader.Close() })
	if p.writer, err = store.OpenMode(ctx, p.db, store.Existing); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.writer.Close() })
	p.writer.Now = func() time.Time { return p.now }
	srv := web.New(web.Options{DB: reader, Writer: p.writer, Site: web.Site{Config: cfg, Keys: keys},
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return p.now }})
	ln, err := net.Listen("tcp", strings.TrimPrefix(p.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
}

// hash hashes the database file and its write-ahead log.
func (p *pageFront) hash() string {
	p.t.Helper()
	h := sha256.New()
	for _, f := range []string{p.db, p.db + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			p.t.Fatal(err)
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// client is a browser-like client: cookies, no redirects followed.
func (p *pageFront) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func call(t *testing.T, c *http.Client, method, u string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// postForm gets the page at u and posts its form with fields.
func postForm(t *testing.T, c *http.Client, u, action string, fields url.Values) (int, string) {
	t.Helper()
	code, page := call(t, c, "GET", u, nil)
	m := csrfField.FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d\n%s", u, code, page)
	}
	fields.Set("csrf", m[1])
	if action == "" {
		action = u
	}
	return call(t, c, "POST", action, fields)
}

// Every link of every email a pass sends, fetched with GET and with HEAD
// as a mail scanner does, leaves the database byte for byte as it was.
func TestWeb_EmailLinksChangeNothing(t *testing.T) {
	srv := smtptest.Start(t)
	db := filepath.Join(t.TempDir(), "h.db")
	p := newPageFront(t, db, srv.Port)
	if code, out, errs := run(t, p.env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-18T08:00"); code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	p.now = time.Date(2019, 3, 18, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	p.start()
	linkRe := regexp.MustCompile(regexp.QuoteMeta(p.base) + `/[^\s"<>]+`)
	links := map[string]bool{}
	for _, m := range decode(t, srv.Messages()) {
		for _, l := range linkRe.FindAllString(m.text, -1) {
			links[l] = true
		}
	}
	kinds := map[string]int{}
	for l := range links {
		kinds[strings.Split(strings.TrimPrefix(l, p.base+"/"), "/")[0]]++
	}
	if kinds["xac-nhan"] == 0 || kinds["gia-han"] == 0 || kinds["co-quan"] == 0 || kinds["lich"] == 0 {
		t.Fatalf("the mail lacks some kind of link: %v", kinds)
	}
	before := p.hash()
	c := p.client()
	for l := range links {
		for _, method := range []string{"GET", "HEAD"} {
			if code, _ := call(t, c, method, l, nil); code != http.StatusOK {
				t.Errorf("%s %s: %d", method, l, code)
			}
		}
	}
	if p.hash() != before {
		t.Error("fetching the links of the mail changed the database")
	}
	subs, _ := p.writer.Submissions(context.Background(), store.SubmissionFilter{})
	reqs, _ := p.writer.ExtensionRequests(context.Background(), store.RequestFilter{})
	if len(subs) != 0 || len(reqs) != 0 {
		t.Errorf("%d submissions, %d requests recorded by fetching links", len(subs), len(reqs))
	}
	t.Logf("fetched %d links (%v) with GET and HEAD: the database is unchanged", len(links), kinds)
}

// An agency asks for more time from its mail; the focal point approves
// one request and refuses another: the next pass tells the first agency
// its new date (and stops escalating the item), and the second that it
// was refused, once.
func TestWeb_ApprovedExtensionMovesReminders(t *testing.T) {
	srv := smtptest.Start(t)
	db := filepath.Join(t.TempDir(), "h.db")
	p := newPageFront(t, db, srv.Port)
	hc := func(at string) []received {
		t.Helper()
		srv.Reset()
		if code, out, errs := run(t, p.env, "--config", laocai, "run", "--once", "--send", "--now", at); code != 0 {
			t.Fatalf("run %s: %d %s %s", at, code, out, errs)
		}
		return decode(t, srv.Messages())
	}
	first := hc("2019-03-08T08:00")
	ict := time.FixedZone("ICT", 7*3600)
	p.now = time.Date(2019, 3, 8, 9, 0, 0, 0, ict)
	p.start()
	extendLink := func(to string) string {
		for _, m := range first {
			if m.to == to && m.kind == "reminder" {
				if l := regexp.MustCompile(regexp.QuoteMeta(p.base) + `/gia-han/[^\s"<>]+`).FindString(m.text); l != "" {
					return l
				}
			}
		}
		t.Fatalf("no extension link in the reminder to %s", to)
		return ""
	}
	// Sở Nội vụ leads 1.2.1 Quý I (due 15/03); Sở Tư pháp supports it (12/03).
	snv, stp := extendLink("cchc.snv@laocai.example"), extendLink("stp@laocai.example")
	agency := p.client()
	for link, due := range map[string]string{snv: "2019-03-29", stp: "2019-03-14"} {
		if code, body := postForm(t, agency, link, "", url.Values{"due": {due}, "reason": {"Chờ số liệu thống kê"}}); code != http.StatusSeeOther {
			t.Fatalf("request: %d\n%s", code, body)
		}
	}
	admin := p.client()
	if code, _ := postForm(t, admin, p.base+"/dang-nhap", "", url.Values{"name": {"dau-moi"}, "password": {adminPass}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	reqs, err := p.writer.ExtensionRequests(context.Background(), store.RequestFilter{Status: store.RequestPending})
	if err != nil || len(reqs) != 2 {
		t.Fatalf("requests: %v %v", reqs, err)
	}
	for _, x := range reqs {
		decision := url.Values{"decision": {"approve"}, "answer": {"Đồng ý theo Công văn 45/UBND-NC"}}
		if x.Item.Agency == "so-tu-phap" {
			decision = url.Values{"decision": {"refuse"}, "answer": {"Sở Nội vụ cần số liệu để tổng hợp đúng hạn"}}
		}
		action := p.base + "/quan-tri/gia-han/" + strconv.FormatInt(x.ID, 10)
		if code, body := postForm(t, admin, p.base+"/quan-tri/gia-han", action, decision); code != http.StatusSeeOther {
			t.Fatalf("decide %d: %d\n%s", x.ID, code, body)
		}
	}

	next := hc("2019-03-11T08:00")
	var toSNV, toSTP *received
	for i, m := range next {
		if m.kind == "correction" && m.to == "cchc.snv@laocai.example" {
			toSNV = &next[i]
		}
		if m.kind == "correction" && m.to == "stp@laocai.example" {
			toSTP = &next[i]
		}
	}
	if toSNV == nil || !strings.Contains(toSNV.text, "Hạn 15/03/2019 → 29/03/2019") || !strings.Contains(toSNV.text, "Chờ số liệu thống kê (theo đề nghị ngày 08/03/2019); Đồng ý") {
		t.Errorf("the approved agency's correction: %+v", toSNV)
	}
	if toSTP == nil || !strings.Contains(toSTP.subject, "[Gia hạn] Đề nghị gia hạn báo cáo 1.2.1") || !strings.Contains(toSTP.subject, "không được chấp thuận") ||
		!strings.Contains(toSTP.text, "Đề nghị gia hạn đến 14/03/2019; hạn vẫn là 12/03/2019") || !strings.Contains(toSTP.text, "Sở Nội vụ cần số liệu để tổng hợp đúng hạn") {
		t.Errorf("the refused agency's notice: %+v", toSTP)
	}
	// Each item's history tells the request and its answer, in either
	// language.
	hist := func(lang, agency string) string {
		t.Helper()
		env := append([]string{"HANCHOT_LANG=" + lang}, p.env...)
		code, out, errs := run(t, env, "--config", laocai, "submit", "--history", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", agency)
		if code != 0 {
			t.Fatalf("history %s: %d %s", agency, code, errs)
		}
		return out
	}
	for _, tt := range []struct{ lang, agency, want string }{
		{"en", "so-noi-vu", "requested  an extension to 2019-03-29: Chờ số liệu thống kê, on the web from 127.0.0.1"},
		{"en", "so-noi-vu", "extended   2019-03-15 → 2019-03-29: Chờ số liệu thống kê"},
		{"en", "so-tu-phap", "refused    the request for 2019-03-14: Sở Nội vụ cần số liệu để tổng hợp đúng hạn (dau-moi)"},
		{"vi", "so-noi-vu", "đề nghị    gia hạn đến 2019-03-29: Chờ số liệu thống kê, trên trang web từ 127.0.0.1"},
		{"vi", "so-tu-phap", "từ chối    đề nghị gia hạn đến 2019-03-14: Sở Nội vụ cần số liệu để tổng hợp đúng hạn (dau-moi)"},
	} {
		if out := hist(tt.lang, tt.agency); !strings.Contains(out, tt.want) {
			t.Errorf("%s history of %s: want %q in\n%s", tt.lang, tt.agency, tt.want, out)
		}
	}
	// Told once.
	for _, m := range hc("2019-03-11T09:00") {
		if m.kind == "correction" {
			t.Errorf("a second correction to %s: %s", m.to, m.subject)
		}
	}
	// On 18/03 the lead's 1.2.1 Quý I is not overdue: it is due 29/03.
	for _, m := range hc("2019-03-18T08:00") {
		if m.to == "cchc.snv@laocai.example" && strings.Contains(m.text, "1.2.1 Báo cáo định kỳ về CCHC — Quý I năm 2019 (Chủ trì); hạn") {
			t.Errorf("escalated after its extension:\n%s", m.text)
		}
	}
}

// "hanchot web" writes what agencies post through its own handle, with
// the real clock: a confirmation from a signed link is recorded as from
// the web.
func TestWebCommand_RecordsASubmission(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	env := append(webEnv(db), "HANCHOT_WEB_ADMINS_FILE="+writeAdminsFile(t, "dau-moi", adminPass))
	if code, _, errs := run(t, env, "--config", laocai, "sync"); code != 0 {
		t.Fatal(errs)
	}
	base := startWeb(t, env, "--config", laocai)
	reader, err := store.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	o, err := reader.Occurrence(context.Background(), store.OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-tu-phap"})
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := token.NewKeys([]byte(webSecret), nil)
	claims := web.ActionClaims(web.PurposeSubmit, o.Item, nil)
	claims.Expires = time.Now().Add(time.Hour) // the item is of 2019; its real link has expired
	link := base + "/xac-nhan/" + keys.Sign(claims)
	c := (&pageFront{}).client()
	if code, body := postForm(t, c, link, "", url.Values{"ref": {"12/BC-STP"}, "submitted_at": {"2019-03-11T15:00"}}); code != http.StatusSeeOther {
		t.Fatalf("POST: %d\n%s", code, body)
	}
	o, _ = reader.Occurrence(context.Background(), store.OccurrenceKey{ID: o.OccurrenceID})
	if o.Submission == nil || o.Submission.Source != "web" || o.Submission.Ref != "12/BC-STP" {
		t.Fatalf("recorded: %+v", o.Submission)
	}
	if code, out, _ := run(t, env, "--config", laocai, "submit", "--history", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap"); code != 0 ||
		!strings.Contains(out, "ref '12/BC-STP'") || !strings.Contains(out, "on the web from 127.0.0.1") {
		t.Errorf("history: %d\n%s", code, out)
	}
	if code, out, _ := runVI(t, env, "--config", laocai, "submit", "--history", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap"); code != 0 ||
		!strings.Contains(out, "số '12/BC-STP', trên trang web từ 127.0.0.1") {
		t.Errorf("history in Vietnamese: %d\n%s", code, out)
	}
	// The admins log in there too.
	if code, _ := postForm(t, c, base+"/dang-nhap", "", url.Values{"name": {"dau-moi"}, "password": {adminPass}}); code != http.StatusSeeOther {
		t.Errorf("login: %d", code)
	}
	if code, page := call(t, c, "GET", base+"/quan-tri/da-gui", nil); code != http.StatusOK || !strings.Contains(page, "12/BC-STP") {
		t.Errorf("submissions page: %d", code)
	}
}
