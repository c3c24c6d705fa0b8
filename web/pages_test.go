package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
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

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
	"hanchot/token"
)

const adminPassword = "mật-khẩu-của-thư-ký"

// march18 is 18 March 2019, 10:00 in Hà Nội: 1.2.1 Quý I (due 15/03) is
// overdue, 1.2.1 6 tháng is ahead.
var march18 = time.Date(2019, 3, 18, 3, 0, 0, 0, time.UTC)

// writeAdmins writes an admins file with one user, as htpasswd -B does
// (at the lowest cost, for speed).
func writeAdmins(t *testing.T, user, password string) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "admins")
	if err := os.WriteFile(path, []byte("# quản trị\n"+user+":"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// browser is a client with its own cookies that does not follow
// redirects, so that a test sees them.
type browser struct {
	f      *fixture
	client *http.Client
	header http.Header // sent with every request
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, header: http.Header{}, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (*http.Response, string) {
	b.f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.f.ts.URL+path, body)
	if err != nil {
		b.f.t.Fatal(err)
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do("GET", path, nil) }

// submitForm gets the page at path and posts its form with the given
// fields and the page's CSRF token.
func (b *browser) submitForm(path string, fields url.Values) (*http.Response, string) {
	b.f.t.Helper()
	resp, page := b.get(path)
	if resp.StatusCode != http.StatusOK {
		b.f.t.Fatalf("GET %s: %s\n%s", path, resp.Status, page)
	}
	form := url.Values{csrfField: {csrfOf(b.f.t, page)}}
	for k, v := range fields {
		form[k] = v
	}
	return b.do("POST", path, form)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

// login logs the browser in as the fixture's admin.
func (b *browser) login() {
	b.f.t.Helper()
	resp, _ := b.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {adminPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		b.f.t.Fatalf("login: %s", resp.Status)
	}
}

// occurrence reads an occurrence of the fixture's calendar.
func (f *fixture) occurrence(code, period string, year int, agency string) store.Occurrence {
	f.t.Helper()
	o, err := f.db.Occurrence(context.Background(), store.OccurrenceKey{Code: code, Period: period, Year: year, Agency: agency})
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

// dbHash hashes the database file and its write-ahead log.
func (f *fixture) dbHash() string {
	f.t.Helper()
	h := sha256.New()
	for _, p := range []string{f.file, f.file + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			f.t.Fatal(err)
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// count counts rows of a table (the writer's view).
func (f *fixture) count(table string) int {
	f.t.Helper()
	subs, err := f.db.Submissions(context.Background(), store.SubmissionFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	switch table {
	case "submission":
		return len(subs)
	case "extension_request":
		reqs, err := f.db.ExtensionRequests(context.Background(), store.RequestFilter{})
		if err != nil {
			f.t.Fatal(err)
		}
		return len(reqs)
	}
	f.t.Fatalf("count %s", table)
	return 0
}

// GET and HEAD of every signed link (an agency's page, its feed, an
// item's confirmation and extension pages) and of the login page change
// nothing in the database, byte for byte.
func TestSignedLinks_GetAndHeadChangeNothing(t *testing.T) {
	f := newFixture(t, march18)
	o := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap")
	links := f.srv.current().Links()
	before := f.dbHash()
	b := f.browser()
	for _, link := range []string{links.Submit(o.Item), links.Extend(o.Item), links.AgencyPage("so-tu-phap"), links.AgencyFeed("so-tu-phap")} {
		for _, method := range []string{"GET", "HEAD"} {
			resp, _ := b.do(method, f.path(link), nil)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s %s: %s", method, f.path(link), resp.Status)
			}
		}
	}
	for _, p := range []string{"/dang-nhap", "/quan-tri/qua-han"} {
		b.get(p)
	}
	if after := f.dbHash(); after != before {
		t.Error("fetching the links changed the database")
	}
	if n := f.count("submission"); n != 0 {
		t.Errorf("%d submissions recorded by GET and HEAD", n)
	}
}

// The confirmation page shows the item and a form; the POST records it
// as "hanchot submit" does, with the source, address and browser; the
// same POST again records nothing more.
func TestConfirm_PostRecordsOnce(t *testing.T) {
	f := newFixture(t, march18)
	o := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap")
	path := f.path(f.srv.current().Links().Submit(o.Item))
	b := f.browser()
	b.header.Set("User-Agent", "Trình duyệt thử")
	resp, page := b.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %s", resp.Status)
	}
	for _, want := range []string{"Sở Tư pháp", "1.2.1", "Báo cáo định kỳ về CCHC", "Quý I năm 2019", "Phối hợp", "12/03/2019",
		"quá hạn", `name="ref"`, `name="by"`, `name="note"`, `name="submitted_at"`, `value="18/03/2019 10:00"`, `<label for="ref">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	form := url.Values{csrfField: {csrfOf(t, page)}, "ref": {"45/BC-STP"}, "by": {"Nguyễn Văn A"}, "note": {"gửi qua trục văn bản"},
		"submitted_at": {"2019-03-14T16:30"}}
	for i := 0; i < 2; i++ {
		resp, body := b.do("POST", path, form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"?da-ghi=1" {
			t.Fatalf("POST %d: %s %s\n%s", i+1, resp.Status, resp.Header.Get("Location"), body)
		}
	}
	subs, err := f.db.Submissions(context.Background(), store.SubmissionFilter{Occurrence: o.OccurrenceID})
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions: %+v, %v", subs, err)
	}
	s := subs[0]
	if s.Source != "web" || s.ClientIP != "127.0.0.1" || s.UserAgent != "Trình duyệt thử" || s.Ref != "45/BC-STP" || s.By != "Nguyễn Văn A" ||
		s.Note != "gửi qua trục văn bản" || !s.At.Equal(time.Date(2019, 3, 14, 16, 30, 0, 0, f.cfg.Location)) || !s.RecordedAt.Equal(march18) {
		t.Errorf("recorded %+v", s)
	}
	// The same as "hanchot submit": on time for a date of 12/03? No: late by 2 days.
	if o := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap"); o.Submission == nil {
		t.Error("the occurrence is not submitted")
	}
	_, page = b.get(path + "?da-ghi=1")
	for _, want := range []string{"Đã ghi nhận", "đã gửi", "gửi muộn 2 ngày", "45/BC-STP"} {
		if !strings.Contains(page, want) {
			t.Errorf("after the POST the page lacks %q", want)
		}
	}
	if strings.Contains(page, `name="ref"`) {
		t.Error("the form is still offered after the submission")
	}
	// Another POST with other values (a second tab) records nothing and says so.
	form.Set("ref", "46/BC-STP")
	resp, body := b.do("POST", path, form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "đã được ghi nhận trước đó") {
		t.Errorf("a different second POST: %s\n%s", resp.Status, body)
	}
	if n := f.count("submission"); n != 1 {
		t.Errorf("%d submissions", n)
	}
	// The history says where it came from.
	h, _ := f.db.History(context.Background(), store.OccurrenceKey{ID: o.OccurrenceID})
	if len(h) != 1 || !strings.Contains(h[0].Detail, "on the web from 127.0.0.1") {
		t.Errorf("history = %+v", h)
	}
}

// Bad input is refused with a message on the field, and records nothing.
func TestConfirm_Validation(t *testing.T) {
	f := newFixture(t, march18)
	o := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap")
	path := f.path(f.srv.current().Links().Submit(o.Item))
	for _, tt := range []struct {
		name, ref, at, want string
	}{
		{"ErrRefRequired", " ", "2019-03-14T10:00", "Xin ghi số, ký hiệu"},
		{"ErrFuture", "1/BC", "2019-03-19T10:00", "chưa đến"},
		{"ErrOutsideWindow", "1/BC", "2017-12-31T10:00", "01/01/2018 đến 31/12/2020"},
		{"ErrUnreadable", "1/BC", "hôm qua", "không đọc được"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.browser().submitForm(path, url.Values{"ref": {tt.ref}, "submitted_at": {tt.at}})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%s\n%s", resp.Status, body)
			}
		})
	}
	if n := f.count("submission"); n != 0 {
		t.Errorf("%d submissions recorded from bad input", n)
	}
}

// A POST without the page's token, with another link's token, without
// the cookie, or from another site is refused and changes nothing.
func TestCSRF_Refused(t *testing.T) {
	f := newFixture(t, march18)
	links := f.srv.current().Links()
	path := f.path(links.Submit(f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap").Item))
	other := f.path(links.Submit(f.occurrence("1.2.1", "6 tháng", 2019, "so-tu-phap").Item))
	fields := url.Values{"ref": {"1/BC"}, "submitted_at": {"2019-03-14T10:00"}}
	before := f.dbHash()

	b := f.browser()
	_, page := b.get(path)
	token := csrfOf(t, page)
	_, otherPage := b.get(other)
	otherToken := csrfOf(t, otherPage)
	with := func(tok string) url.Values {
		v := url.Values{csrfField: {tok}}
		for k, x := range fields {
			v[k] = x
		}
		return v
	}
	for _, tt := range []struct {
		name string
		b    *browser
		form url.Values
	}{
		{"NoToken", b, with("")},
		{"AnotherLinksToken", b, with(otherToken)},
		{"ForgedToken", b, with(token[:len(token)-2] + "xx")},
		{"NoCookie", f.browser(), with(token)}, // a page made for another browser
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tt.b.do("POST", path, tt.form)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "chưa ghi nhận gì") {
				t.Errorf("%s\n%s", resp.Status, body)
			}
		})
	}
	t.Run("CrossSite", func(t *testing.T) {
		b.header.Set("Sec-Fetch-Site", "cross-site")
		defer b.header.Del("Sec-Fetch-Site")
		if resp, body := b.do("POST", path, with(token)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s\n%s", resp.Status, body)
		}
	})
	if f.dbHash() != before || f.count("submission") != 0 {
		t.Error("a refused POST changed the database")
	}
	// The right token from the same browser works.
	if resp, _ := b.do("POST", path, with(token)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the right token: %s", resp.Status)
	}
}

// Links that do not verify get a clear Vietnamese page and change
// nothing: forged, altered, made for the other action, expired, or signed
// with a key no longer accepted. A key being rotated out still works.
func TestActionLinks_BadTokens(t *testing.T) {
	f := newFixture(t, march18)
	o := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap")
	links := f.srv.current().Links()
	submit := f.path(links.Submit(o.Item))
	tok := strings.TrimPrefix(submit, "/xac-nhan/")
	flip := func(s string, i int) string {
		b := []byte(s)
		b[i] ^= 1
		return string(b)
	}
	forged, _ := token.NewKeys(keyB, nil)
	otherAgency := ActionClaims(PurposeSubmit, o.Item, f.cfg.Location)
	otherAgency.Subject = strings.Replace(otherAgency.Subject, "so-tu-phap", "so-noi-vu", 1)
	before := f.dbHash()
	for _, tt := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"Forged", "/xac-nhan/" + forged.Sign(ActionClaims(PurposeSubmit, o.Item, f.cfg.Location)), 404, "Liên kết không hợp lệ"},
		{"AlteredPayload", "/xac-nhan/" + flip(tok, 3), 404, "Liên kết không hợp lệ"},
		{"AlteredSignature", "/xac-nhan/" + flip(tok, len(tok)-3), 404, "Liên kết không hợp lệ"},
		{"Truncated", "/xac-nhan/" + tok[:len(tok)-10], 404, "bị cắt"},
		{"WrongAction", "/gia-han/" + tok, 404, "Liên kết không hợp lệ"},
		{"AgencyPageToken", "/xac-nhan/" + strings.TrimPrefix(f.path(links.AgencyPage("so-tu-phap")), "/co-quan/"), 404, "Liên kết không hợp lệ"},
		{"OccurrenceOfAnotherAgency", "/xac-nhan/" + f.keys.Sign(otherAgency), 410, "không còn được theo dõi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.browser().get(tt.path)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) || !strings.Contains(body, `lang="vi"`) {
				t.Errorf("%s\n%s", resp.Status, body)
			}
			if strings.Contains(body, `name="ref"`) {
				t.Error("the page offers the form")
			}
		})
	}
	t.Run("Expired", func(t *testing.T) {
		// Valid to the end of the 60th day after 12/03/2019: 11/05/2019.
		f.now = time.Date(2019, 5, 11, 16, 59, 0, 0, time.UTC) // 23:59 in Hà Nội
		if resp, _ := f.browser().get(submit); resp.StatusCode != http.StatusOK {
			t.Errorf("on its last day: %s", resp.Status)
		}
		f.now = time.Date(2019, 5, 11, 17, 0, 0, 0, time.UTC)
		resp, body := f.browser().get(submit)
		if resp.StatusCode != http.StatusGone || !strings.Contains(body, "Liên kết đã hết hạn") || !strings.Contains(body, "11/05/2019") {
			t.Errorf("the day after: %s\n%s", resp.Status, body)
		}
		// A form opened in time and sent too late records nothing.
		f.now = time.Date(2019, 5, 11, 16, 0, 0, 0, time.UTC)
		b := f.browser()
		_, page := b.get(submit)
		f.now = time.Date(2019, 5, 11, 17, 0, 0, 0, time.UTC)
		resp, body = b.do("POST", submit, url.Values{csrfField: {csrfOf(t, page)}, "ref": {"1/BC"}, "submitted_at": {"2019-03-14T10:00"}})
		if resp.StatusCode != http.StatusGone {
			t.Errorf("POST to an expired link: %s\n%s", resp.Status, body)
		}
		f.now = march18
	})
	t.Run("Rotation", func(t *testing.T) {
		rotated, _ := token.NewKeys(keyB, keyA)
		f.srv.SetSite(Site{Config: f.cfg, Keys: rotated})
		if resp, _ := f.browser().get(submit); resp.StatusCode != http.StatusOK {
			t.Errorf("a link signed with the previous key: %s", resp.Status)
		}
		newOnly, _ := token.NewKeys(keyB, nil)
		f.srv.SetSite(Site{Config: f.cfg, Keys: newOnly})
		if resp, body := f.browser().get(submit); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "thu hồi") {
			t.Errorf("once the old key is gone: %s", resp.Status)
		}
		f.srv.SetSite(Site{Config: f.cfg, Keys: f.keys})
	})
	if f.dbHash() != before {
		t.Error("bad links changed the database")
	}
	if strings.Contains(f.logs.String(), tok) {
		t.Error("a token was logged")
	}
}

// Every page sets a strict Content-Security-Policy, is not cached, and
// sets its cookies HttpOnly and SameSite=Strict; Secure only over https,
// which a proxy can say only if it is trusted.
func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, march18)
	b := f.browser()
	resp, page := b.get("/dang-nhap")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "style=") {
		t.Error("the page has a script or an inline style")
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") || strings.Contains(cookie, "Secure") {
		t.Errorf("cookie over http: %s", cookie)
	}
	proxied := func(trusted []string) string {
		cfg := *f.cfg
		cfg.Web.TrustedProxies = trusted
		f.srv.SetSite(Site{Config: &cfg, Keys: f.keys})
		defer f.srv.SetSite(Site{Config: f.cfg, Keys: f.keys})
		b := f.browser()
		b.header.Set("X-Forwarded-Proto", "https")
		resp, _ := b.get("/dang-nhap")
		return resp.Header.Get("Set-Cookie")
	}
	if c := proxied(nil); strings.Contains(c, "Secure") {
		t.Errorf("X-Forwarded-Proto believed from an untrusted address: %s", c)
	}
	if c := proxied([]string{"127.0.0.1"}); !strings.Contains(c, "Secure") {
		t.Errorf("X-Forwarded-Proto not believed from a trusted proxy: %s", c)
	}
}

// The client's address comes from X-Forwarded-For only through trusted
// proxies.
func TestClientOf(t *testing.T) {
	f := newFixture(t, march18)
	for _, tt := range []struct {
		name    string
		trusted []string
		remote  string
		xff     string
		want    string
	}{
		{"Direct", nil, "203.0.113.7:5000", "", "203.0.113.7"},
		{"UntrustedForwarder", nil, "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"TrustedProxy", []string{"10.0.0.0/8"}, "10.0.0.2:5000", "198.51.100.1", "198.51.100.1"},
		{"SpoofedHopBeforeTheProxy", []string{"10.0.0.2"}, "10.0.0.2:5000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"ChainOfProxies", []string{"10.0.0.0/8"}, "10.0.0.2:5000", "198.51.100.1, 10.0.0.9", "198.51.100.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := *f.cfg
			cfg.Web.TrustedProxies = tt.trusted
			f.srv.SetSite(Site{Config: &cfg, Keys: f.keys})
			r, _ := http.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := f.srv.clientOf(r).IP; got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	f.srv.SetSite(Site{Config: f.cfg, Keys: f.keys})
}

// The admins' pages ask for a login; a wrong password is refused, and
// after loginFailures failures even the right one waits.
func TestAdmin_Login(t *testing.T) {
	f := newFixture(t, march18)
	b := f.browser()
	for _, p := range []string{"/quan-tri/", "/quan-tri/qua-han", "/quan-tri/thong-ke", "/quan-tri/thu", "/quan-tri/gia-han", "/quan-tri/da-gui", "/quan-tri/viec/1"} {
		resp, _ := b.get(p)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/dang-nhap?tiep=") {
			t.Errorf("GET %s without a login: %s %s", p, resp.Status, resp.Header.Get("Location"))
		}
	}
	// A POST with a valid form token but no session is refused.
	_, page := b.get("/dang-nhap")
	for _, p := range []string{"/quan-tri/gia-han/1", "/quan-tri/viec/1/huy"} {
		resp, _ := b.do("POST", p, url.Values{csrfField: {csrfOf(t, page)}, "decision": {"approve"}, "reason": {"x"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without a login: %s", p, resp.Status)
		}
	}
	resp, body := b.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {"sai"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "không đúng") {
		t.Errorf("a wrong password: %s", resp.Status)
	}
	resp, _ = b.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {adminPassword}, "tiep": {"/quan-tri/thong-ke"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/quan-tri/thong-ke" {
		t.Fatalf("the right password: %s %s", resp.Status, resp.Header.Get("Location"))
	}
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, sessionCookie) || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Errorf("session cookie %s", cookie)
	}
	if resp, _ := b.get("/quan-tri/thong-ke"); resp.StatusCode != http.StatusOK {
		t.Errorf("after the login: %s", resp.Status)
	}
	// Never anywhere else after the login.
	if resp, _ := b.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {adminPassword}, "tiep": {"//evil.example/"}}); resp.Header.Get("Location") != "/quan-tri/qua-han" {
		t.Errorf("login sent to %s", resp.Header.Get("Location"))
	}
	// A session ends when the admin's password changes.
	os.WriteFile(f.cfg.Web.AdminsFile, []byte(""), 0o600)
	if resp, _ := b.get("/quan-tri/thong-ke"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the admin was removed: %s", resp.Status)
	}
	f.cfg.Web.AdminsFile = writeAdmins(t, "thu-ky", adminPassword)

	// Rate limit: after loginFailures failures, the right password waits too.
	attacker := f.browser()
	for i := 0; i < loginFailures; i++ {
		attacker.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {"doan-" + string(rune('a'+i))}})
	}
	resp, body = attacker.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {adminPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "thử lại sau") {
		t.Errorf("after %d failures: %s", loginFailures, resp.Status)
	}
	f.now = f.now.Add(loginWindow + time.Second)
	if resp, _ := attacker.submitForm("/dang-nhap", url.Values{"name": {"thu-ky"}, "password": {adminPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: %s", resp.Status)
	}
	if strings.Contains(f.logs.String(), adminPassword) {
		t.Error("a password was logged")
	}
}

// An agency asks for a later date on the web; the focal point approves
// it: the date moves, and the next pass reminds by the new date instead
// of escalating. A refused request is told to the agency by the next
// pass, once.
func TestExtension_RequestApproveRefuse(t *testing.T) {
	f := newFixture(t, march18)
	ctx := context.Background()
	lead := f.occurrence("1.2.1", "Quý I", 2019, "so-noi-vu") // due 15/03, overdue on 18/03
	links := f.srv.current().Links()
	agency := f.browser()
	req := f.path(links.Extend(lead.Item))
	// Bad requests first.
	for _, tt := range []struct{ due, reason, want string }{
		{"", "x", "Xin chọn ngày"},
		{"2019-03-10", "x", "phải sau hạn hiện nay (15/03/2019)"},
		{"2019-03-29", " ", "Xin ghi lý do"},
	} {
		if resp, body := agency.submitForm(req, url.Values{"due": {tt.due}, "reason": {tt.reason}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) {
			t.Errorf("due %q reason %q: %s", tt.due, tt.reason, resp.Status)
		}
	}
	_, page := agency.get(req)
	form := url.Values{csrfField: {csrfOf(t, page)}, "due": {"29/03/2019"}, "reason": {"Chờ số liệu của Cục Thống kê"}, "by": {"Trần Thị B"}}
	for i := 0; i < 2; i++ { // sent twice: recorded once
		if resp, body := agency.do("POST", req, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %d: %s\n%s", i+1, resp.Status, body)
		}
	}
	if n := f.count("extension_request"); n != 1 {
		t.Fatalf("%d requests", n)
	}
	if _, page := agency.get(req + "?da-ghi=1"); !strings.Contains(page, "Đã gửi đề nghị gia hạn đến 29/03/2019") {
		t.Errorf("after the request:\n%s", page)
	}
	// Still due 15/03 until approved.
	if o := f.occurrence("1.2.1", "Quý I", 2019, "so-noi-vu"); o.Extended || o.Pending == nil {
		t.Fatalf("before the decision: %+v", o)
	}

	admin := f.browser()
	admin.login()
	resp, page := admin.get("/quan-tri/gia-han")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Chờ số liệu của Cục Thống kê") || !strings.Contains(page, "Sở Nội vụ") {
		t.Fatalf("requests page: %s\n%s", resp.Status, page)
	}
	x, _ := f.db.ExtensionRequests(ctx, store.RequestFilter{Status: store.RequestPending})
	decide := "/quan-tri/gia-han/" + strconv.FormatInt(x[0].ID, 10)
	resp, _ = admin.do("POST", decide, url.Values{csrfField: {csrfOf(t, page)}, "decision": {"approve"}, "answer": {"Đồng ý"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %s", resp.Status)
	}
	o := f.occurrence("1.2.1", "Quý I", 2019, "so-noi-vu")
	if !o.Extended || o.Target.String() != "2019-03-29" || o.Pending != nil {
		t.Fatalf("after approval: %+v", o)
	}
	// Deciding again is refused.
	if resp, _ := admin.do("POST", decide, url.Values{csrfField: {csrfOf(t, page)}, "decision": {"refuse"}, "answer": {"x"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("deciding twice: %s", resp.Status)
	}
	// The next pass plans by the new date: no overdue notice for it, but a
	// reminder as the date comes (a correction, since it was told before,
	// would need a notice recorded; here none was sent).
	settings := f.planSettings()
	wd := scheduler.NewWorkdays(f.cfg.WorkRules)
	for _, at := range []time.Time{march18, time.Date(2019, 3, 22, 1, 0, 0, 0, time.UTC)} {
		from, to := settings.Window(hanchot.DateOf(at, f.cfg.Location))
		items, err := f.db.Items(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range scheduler.Plan(items, at, wd, settings) {
			if n.OccurrenceID != o.OccurrenceID {
				continue
			}
			if n.Kind != hanchot.Reminder || !n.Target.Equal(o.Target) {
				t.Errorf("as of %s: %s for %s", at, n.Kind, n.Target)
			}
		}
	}

	// A refusal.
	other := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap")
	if resp, body := agency.submitForm(f.path(links.Extend(other.Item)), url.Values{"due": {"2019-03-25"}, "reason": {"Thiếu người"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second request: %s\n%s", resp.Status, body)
	}
	_, page = admin.get("/quan-tri/gia-han")
	x, _ = f.db.ExtensionRequests(ctx, store.RequestFilter{Status: store.RequestPending})
	decide = "/quan-tri/gia-han/" + strconv.FormatInt(x[0].ID, 10)
	if resp, body := admin.do("POST", decide, url.Values{csrfField: {csrfOf(t, page)}, "decision": {"refuse"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a refusal without a reason: %s\n%s", resp.Status, body)
	}
	if resp, _ := admin.do("POST", decide, url.Values{csrfField: {csrfOf(t, page)}, "decision": {"refuse"}, "answer": {"Hạn đã được UBND tỉnh ấn định"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %s", resp.Status)
	}
	if o := f.occurrence("1.2.1", "Quý I", 2019, "so-tu-phap"); o.Extended {
		t.Error("a refusal extended the item")
	}
	refused, err := f.db.Refusals(ctx, march18)
	if err != nil || len(refused) != 1 || refused[0].Refused.Answer != "Hạn đã được UBND tỉnh ấn định" {
		t.Fatalf("refusals: %+v, %v", refused, err)
	}
	ns := scheduler.Plan(refused, march18, wd, settings)
	if len(ns) != 1 || ns[0].Kind != hanchot.Refusal || ns[0].DigestKind() != hanchot.Correction || ns[0].Recipient != "so-tu-phap" {
		t.Errorf("the refusal's notices: %+v", ns)
	}
	// The item's page shows both.
	_, page = admin.get("/quan-tri/viec/" + strconv.FormatInt(other.OccurrenceID, 10))
	if !strings.Contains(page, "đã từ chối") || !strings.Contains(page, "Hạn đã được UBND tỉnh ấn định") {
		t.Errorf("item page:\n%s", page)
	}
}

// planSettings are the plan settings of the fixture's configuration.
func (f *fixture) planSettings() scheduler.PlanSettings {
	f.t.Helper()
	c := f.cfg
	ticks, err := config.CronParser.Parse(c.Schedule.SendAt)
	if err != nil {
		f.t.Fatal(err)
	}
	return scheduler.PlanSettings{RemindDays: c.Schedule.RemindDays, AfterDays: c.Escalation.AfterDays, FocalPoint: c.Escalation.FocalPoint,
		Ticks: ticks, Location: c.Location, Calendar: c.Calendar}
}

// The admins see the overdue log (filtered, sorted, as CSV), the
// statistics with a bar per agency, the ledger, and each item's history,
// where a submission is undone with a reason.
func TestAdmin_Pages(t *testing.T) {
	f := newFixture(t, march18)
	ctx := context.Background()
	at := time.Date(2019, 3, 14, 10, 0, 0, 0, f.cfg.Location)
	key := store.OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-tai-chinh"}
	if _, err := f.db.Submit(ctx, []store.NewSubmission{{Key: key, At: at, Ref: "9/BC-STC"}}, false); err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	b.login()

	resp, page := b.get("/quan-tri/qua-han")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Sở Tư pháp") || !strings.Contains(page, "<table id=\"qua-han\">") {
		t.Errorf("overdue log: %s", resp.Status)
	}
	_, page = b.get("/quan-tri/qua-han?agency=so-tu-phap&sort=qua-han")
	if strings.Contains(page, "Sở Nội vụ</td>") || !strings.Contains(page, "Sở Tư pháp</td>") {
		t.Error("the agency filter does not filter")
	}
	_, page = b.get("/quan-tri/qua-han?year=abc&level=x&agency=khong-co")
	if !strings.Contains(page, "không đúng; bỏ qua") || !strings.Contains(page, "Không có cơ quan") {
		t.Error("bad filters are not named")
	}
	resp, csvBody := b.get("/quan-tri/qua-han?agency=so-tu-phap&format=csv")
	if !strings.HasPrefix(csvBody, "\ufeffcode,period,year,agency,agency_name,role,due,since,days_overdue,level,escalated_at,submitted_at\n") ||
		!strings.Contains(csvBody, "1.2.1,Quý I,2019,so-tu-phap,Sở Tư pháp,support,2019-03-12,2019-03-13,6,0,,") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("CSV:\n%s", csvBody)
	}
	// Submitted late: only with late=1.
	if _, csvBody = b.get("/quan-tri/qua-han?agency=so-tai-chinh&format=csv"); strings.Contains(csvBody, "1.2.1,Quý I,") {
		t.Errorf("a submitted item is listed as open:\n%s", csvBody)
	}
	_, csvBody = b.get("/quan-tri/qua-han?agency=so-tai-chinh&late=1&format=csv")
	if !strings.Contains(csvBody, "1.2.1,Quý I,2019,so-tai-chinh,Sở Tài chính,support,2019-03-12,2019-03-13,2,0,,2019-03-14T10:00:00+07:00") {
		t.Errorf("late submissions are not listed with late=1:\n%s", csvBody)
	}

	resp, page = b.get("/quan-tri/thong-ke?year=2019")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<svg class=\"bar\"") || !strings.Contains(page, "Sở Tài chính") {
		t.Errorf("stats: %s", resp.Status)
	}
	if resp, _ := b.get("/quan-tri/thu?status=failed&q=stp"); resp.StatusCode != http.StatusOK {
		t.Errorf("ledger: %s", resp.Status)
	}
	resp, page = b.get("/quan-tri/da-gui")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "9/BC-STC") {
		t.Errorf("submissions: %s", resp.Status)
	}

	o := f.occurrence("1.2.1", "Quý I", 2019, "so-tai-chinh")
	item := "/quan-tri/viec/" + strconv.FormatInt(o.OccurrenceID, 10)
	_, page = b.get(item)
	if !strings.Contains(page, "Hủy lần ghi nhận") {
		t.Fatalf("no undo button:\n%s", page)
	}
	if resp, body := b.do("POST", item+"/huy", url.Values{csrfField: {csrfOf(t, page)}, "reason": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "xin ghi lý do") {
		t.Errorf("undo without a reason: %s", resp.Status)
	}
	if resp, _ := b.do("POST", item+"/huy", url.Values{csrfField: {csrfOf(t, page)}, "reason": {"nhập nhầm cơ quan"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %s", resp.Status)
	}
	if o := f.occurrence("1.2.1", "Quý I", 2019, "so-tai-chinh"); o.Submission != nil {
		t.Error("the submission stands after the undo")
	}
	_, page = b.get(item + "?ok=huy")
	if !strings.Contains(page, "nhập nhầm cơ quan (thu-ky)") || !strings.Contains(page, "Đã hủy") {
		t.Errorf("the history lacks the undo:\n%s", page)
	}
}

// An agency's page lists its open items by date with their state and
// links, what it sent, and its calendar feed; a bad token gets the bad
// link page.
func TestAgencyPage(t *testing.T) {
	f := newFixture(t, march18)
	ctx := context.Background()
	key := store.OccurrenceKey{Code: "1.2.2", Period: "Cả năm", Year: 2019, Agency: "so-tu-phap"}
	if _, err := f.db.Submit(ctx, []store.NewSubmission{{Key: key, At: march18, Ref: "7/BC-STP", Source: "web", ClientIP: "192.0.2.4"}}, false); err != nil {
		t.Fatal(err)
	}
	links := f.srv.current().Links()
	resp, page := f.browser().get(f.path(links.AgencyPage("so-tu-phap")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s", resp.Status)
	}
	overdue := strings.Index(page, "state-qua-han")
	soon := strings.Index(page, "state-sap-den-han")
	later := strings.Index(page, "state-chua-den-han")
	if overdue < 0 || later < 0 || overdue > later || (soon >= 0 && !(overdue < soon && soon < later)) {
		t.Errorf("states out of order: overdue %d, soon %d, later %d", overdue, soon, later)
	}
	for _, want := range []string{"Sở Tư pháp", "/xac-nhan/", "/gia-han/", "7/BC-STP", "qua trang web", links.AgencyFeed("so-tu-phap"),
		"1 báo cáo của các năm này đã được ghi nhận", "xem tất cả"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// ?tat-ca=1 lists every item of the years, not only the next months.
	_, all := f.browser().get(f.path(links.AgencyPage("so-tu-phap")) + "?tat-ca=1")
	if strings.Count(all, "/xac-nhan/") <= strings.Count(page, "/xac-nhan/") || strings.Contains(all, "xem tất cả") {
		t.Errorf("?tat-ca=1 lists %d items, the page %d", strings.Count(all, "/xac-nhan/"), strings.Count(page, "/xac-nhan/"))
	}
	if resp, body := f.browser().get("/co-quan/abc.def"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Liên kết không hợp lệ") {
		t.Errorf("bad token: %s", resp.Status)
	}
}
