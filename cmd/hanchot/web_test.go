package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/emersion/go-smtp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"hanchot/internal/smtptest"
	"hanchot/token"
	"hanchot/web"
)

const webSecret = "k3y-0f-the-test-that-is-long-enough-for-hmac-sha256"

// webEnv is the environment of a web front on any free port, with a
// signing key and a public address.
func webEnv(db string) []string {
	return []string{
		"HANCHOT_DB=" + db,
		"HANCHOT_MAIL_DIR=" + filepath.Join(filepath.Dir(db), "outbox"),
		"HANCHOT_WEB_LISTEN=127.0.0.1:0",
		"HANCHOT_WEB_SECRET=" + webSecret,
		"HANCHOT_WEB_BASE_URL=https://hanchot.laocai.example/",
	}
}

var listenRe = regexp.MustCompile(`msg="web front listening" component=web addr=(\S+)`)

// startWeb runs "hanchot web" until the test ends and returns its address.
func startWeb(t *testing.T, env []string, args ...string) string {
	t.Helper()
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	m := &Main{Stdout: &logs, Stderr: &logs, Env: env}
	go func() { done <- m.Run(ctx, append(args, "web")) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("web exited %d:\n%s", code, logs.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("web did not stop")
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := listenRe.FindStringSubmatch(logs.String()); m != nil {
			return "http://" + m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("web exited %d:\n%s", code, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("web never listened:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fetch GETs a URL and returns its status and body.
func fetch(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// scrape parses a /metrics page.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := fetch(t, url+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// series returns a family's values by the value of one label ("" for a
// family without labels).
func series(fams map[string]*dto.MetricFamily, name, label string) map[string]float64 {
	out := map[string]float64{}
	for _, m := range fams[name].GetMetric() {
		key := ""
		for _, l := range m.GetLabel() {
			if l.GetName() == label {
				key = l.GetValue()
			}
		}
		switch {
		case m.Gauge != nil:
			out[key] = m.GetGauge().GetValue()
		case m.Counter != nil:
			out[key] = m.GetCounter().GetValue()
		case m.Histogram != nil:
			out[key] = float64(m.GetHistogram().GetSampleCount())
		}
	}
	return out
}

// links prints an agency's addresses; the tokens in them verify with the
// key for what they are, and "ics" writes the very feed the web front
// serves at the address.
func TestLinksAndIcs(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	env := webEnv(db)
	if code, _, errs := run(t, env, "--config", laocai, "sync"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, env, "--config", laocai, "links", "--agency", "Sở Nội vụ", "--format", "json")
	if code != 0 {
		t.Fatalf("links: %d %s", code, errs)
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("links output: %v\n%s", err, out)
	}
	row := rows[0]
	keys, _ := token.NewKeys([]byte(webSecret), nil)
	for field, want := range map[string]string{"page": web.PurposeAgency, "feed": web.PurposeFeed, "province_feed": web.PurposeProvinceFeed} {
		u := row[field]
		tok := u[strings.LastIndex(u, "/")+1:]
		tok = strings.TrimSuffix(tok, ".ics")
		if c, err := keys.Verify(tok, want, time.Now()); err != nil || c.Subject != "so-noi-vu" || !strings.HasPrefix(u, "https://hanchot.laocai.example/") {
			t.Errorf("%s %q: %+v %v", field, u, c, err)
		}
	}
	if row["agency"] != "so-noi-vu" || row["agency_name"] != "Sở Nội vụ" {
		t.Errorf("links row: %v", row)
	}
	// Every agency, as CSV for a mail merge.
	if code, out, _ := run(t, env, "--config", laocai, "links", "--format", "csv"); code != 0 || strings.Count(out, "\r\n") != 32 {
		t.Errorf("links --format csv: %d, %d lines", code, strings.Count(out, "\r\n"))
	}

	// In Vietnamese, by default: the table's headers, and a workbook with
	// the same addresses.
	if code, out, errs := runVI(t, env, "--config", laocai, "links", "--agency", "so tu phap"); code != 0 ||
		!strings.HasPrefix(out, "mã cơ quan") || !strings.Contains(out, "lịch đăng ký") || !strings.Contains(out, "so-tu-phap  Sở Tư pháp  https://hanchot.laocai.example/co-quan/") {
		t.Errorf("links in Vietnamese: %d\n%s%s", code, out, errs)
	}
	_, out, _ = runVI(t, env, "--config", laocai, "links", "--agency", "so-noi-vu", "--format", "xlsx")
	f, sheet := openXLSX(t, out)
	if cells, _ := f.GetRows(sheet); sheet != "Liên kết" || len(cells) != 2 || strings.Join(cells[0], "|") != "mã cơ quan|cơ quan|trang|lịch đăng ký|lịch toàn tỉnh" ||
		strings.Join(cells[1], "|") != strings.Join([]string{row["agency"], row["agency_name"], row["page"], row["feed"], row["province_feed"]}, "|") {
		t.Errorf("links --format xlsx: sheet %q, %q", sheet, cells)
	}

	// The web front serves the feed at that address; ics writes the same.
	base := startWeb(t, env, "--config", laocai)
	feed := strings.Replace(row["feed"], "https://hanchot.laocai.example", base, 1)
	status, served := fetch(t, feed)
	if status != http.StatusOK {
		t.Fatalf("feed: %d %s", status, served)
	}
	code, written, errs := run(t, env, "--config", laocai, "ics", "--agency", "so-noi-vu")
	if code != 0 || written != string(served) {
		t.Errorf("ics and the served feed differ (exit %d, %s)", code, errs)
	}
	// One reporting year, as of a day.
	code, written, errs = run(t, env, "--config", laocai, "ics", "--agency", "so-tu-phap", "--year", "2019", "--at", "2019-03-20")
	if code != 0 {
		t.Fatalf("ics --year: %d %s", code, errs)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(written))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	overdue := 0
	for _, e := range events {
		uid := e.Id()
		if !strings.HasPrefix(uid, "2019-") || !strings.HasSuffix(uid, "@hanchot") || !strings.Contains(uid, "-so-tu-phap-") {
			t.Errorf("UID %q", uid)
		}
		if strings.HasPrefix(e.GetProperty(ics.ComponentPropertySummary).Value, "[Quá hạn] ") {
			overdue++
		}
	}
	if len(events) < 20 || overdue == 0 {
		t.Errorf("ics --year 2019 --at 2019-03-20: %d events, %d overdue", len(events), overdue)
	}

	// Mistakes.
	for _, tt := range []struct {
		env  []string
		args []string
		code int
		want string
	}{
		{env, []string{"links", "--agency", "so-khong-co"}, 2, `--agency: "so-khong-co" is not an agency of ../../testdata/laocai-2019.toml`},
		{[]string{"HANCHOT_DB=" + db}, []string{"links"}, 2, "no key to sign the links: set HANCHOT_WEB_SECRET or [web] secret_file"},
		{append(env, "HANCHOT_WEB_BASE_URL=", "HANCHOT_WEB_LISTEN="), []string{"links"}, 2, "[web] base_url and listen are empty"},
		{env, []string{"ics"}, 2, "name one agency with --agency, or --all"},
		{env, []string{"ics", "--agency", "so-tu-phap", "--all"}, 2, "name one agency with --agency, or --all"},
		{env, []string{"ics", "--agency", "so tai chinh x"}, 2, `--agency: "so tai chinh x" is not an agency of ../../testdata/laocai-2019.toml; did you mean so-tai-chinh (Sở Tài chính)?`},
		{env, []string{"ics", "--all", "--year", "20x"}, 2, "invalid value"},
		{append(env, "HANCHOT_WEB_LISTEN="), []string{"web"}, 2, "[web] listen is empty: there is nothing to serve"},
	} {
		code, _, errs := run(t, tt.env, append([]string{"--config", laocai}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, errs, tt.code, tt.want)
		}
		if strings.Contains(errs, webSecret) {
			t.Errorf("%v: the key is in the output", tt.args)
		}
	}
}

// After a pass, /metrics on the web front shows the outbox as the ledger
// has it, and /readyz is ready.
func TestWeb_MetricsAfterAPass(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRcpt(func(addr string) error {
		switch addr {
		case "kstt.vpubnd@laocai.example":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case "stp@laocai.example":
			return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "mailbox busy"}
		}
		return nil
	})
	db := filepath.Join(t.TempDir(), "h.db")
	env := append(smtpEnv(db, srv.Port), "HANCHOT_WEB_SECRET="+webSecret, "HANCHOT_WEB_BASE_URL=https://hanchot.laocai.example")
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 1 || !strings.Contains(out, "2 to retry, 2 failed") {
		t.Fatalf("run: %d\n%s\n%s", code, out, errs)
	}
	// Each email's footer gives its recipient's calendar feed.
	keys, _ := token.NewKeys([]byte(webSecret), nil)
	links := web.Links{Base: "https://hanchot.laocai.example", Keys: keys}
	toFocal := 0
	for _, r := range decode(t, srv.Messages()) {
		if r.to != "cchc.snv@laocai.example" {
			continue
		}
		toFocal++
		if !strings.Contains(r.text, "Google Calendar: "+links.AgencyFeed("so-noi-vu")) {
			t.Errorf("the focal point's %s lacks its feed:\n%s", r.kind, r.text)
		}
	}
	if toFocal == 0 {
		t.Error("no mail to the focal point")
	}
	_, out, _ := run(t, env, "--config", laocai, "log", "--format", "json")
	ledger := map[string]float64{"pending": 0, "sending": 0, "sent": 0, "failed": 0, "expired": 0}
	for _, r := range jsonRows(t, out) {
		ledger[r["status"].(string)]++
	}
	base := startWeb(t, env, "--config", laocai)
	fams := scrape(t, base)
	if got := series(fams, "hanchot_messages", "status"); fmt.Sprint(got) != fmt.Sprint(ledger) {
		t.Errorf("hanchot_messages = %v, the ledger has %v", got, ledger)
	}
	attempts := series(fams, "hanchot_delivery_attempts_total", "result")
	if attempts["sent"] != ledger["sent"] || attempts["temporary"] != 2 || attempts["permanent"] != 2 {
		t.Errorf("hanchot_delivery_attempts_total = %v; sent in the ledger %v", attempts, ledger["sent"])
	}
	notices := series(fams, "hanchot_notices_total", "kind")
	if notices["reminder"] == 0 || notices["overdue"] == 0 {
		t.Errorf("hanchot_notices_total = %v", notices)
	}
	last := series(fams, "hanchot_pass_last_success_timestamp_seconds", "")[""]
	if since := time.Since(time.Unix(int64(last), 0)); since < 0 || since > time.Minute {
		t.Errorf("last success %v ago", since)
	}
	for _, name := range []string{"hanchot_overdue_items", "hanchot_build_info", "hanchot_config_reload_success", "hanchot_config_last_reload_success_timestamp_seconds", "hanchot_pass_duration_seconds"} {
		if _, ok := fams[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	if code, body := fetch(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(string(body), `"ready": true`) {
		t.Errorf("readyz after run --once: %d %s", code, body)
	}
	if code, body := fetch(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("healthz: %d %s", code, body)
	}
}

// "serve" runs the web front beside the daemon: healthy, ready after its
// start-up pass, its pass and reloads in the metrics; it stops with the
// daemon.
func TestServe_WebFront(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "hanchot.toml")
	src, _ := os.ReadFile(laocai)
	os.WriteFile(cfgPath, src, 0o644)
	var logs syncBuffer
	m := &Main{Stdout: &logs, Stderr: &logs, Env: webEnv(filepath.Join(dir, "h.db")), ConfigPath: cfgPath, ConfigGiven: true}
	cfg, err := m.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ServeOptions{Config: cfg, Reload: m.loadConfig, Reloads: hup, RetryEvery: time.Hour, Log: newLogger(&logs, cfg)})
	}()
	waitFor(t, &logs, "msg=pass")
	match := listenRe.FindStringSubmatch(logs.String())
	if match == nil {
		t.Fatalf("no address in the log:\n%s", logs.String())
	}
	base := "http://" + match[1]
	waitForPassRecorded := time.Now().Add(5 * time.Second)
	for {
		code, body := fetch(t, base+"/readyz")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(waitForPassRecorded) {
			t.Fatalf("readyz after the start-up pass: %d %s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	fams := scrape(t, base)
	if n := series(fams, "hanchot_pass_duration_seconds", "")[""]; n != 1 {
		t.Errorf("%v passes observed, want the start-up pass", n)
	}
	if ok := series(fams, "hanchot_config_reload_success", "")[""]; ok != 1 {
		t.Errorf("reload success at start = %v", ok)
	}
	os.WriteFile(cfgPath, append(src, []byte("\n[mail]\nport = \"x\"\n")...), 0o644)
	hup <- syscall.SIGHUP
	waitFor(t, &logs, "reload failed")
	if ok := series(scrape(t, base), "hanchot_config_reload_success", "")[""]; ok != 0 {
		t.Errorf("reload success after a refused reload = %v", ok)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the web front still answers after serve stopped")
	}
}
