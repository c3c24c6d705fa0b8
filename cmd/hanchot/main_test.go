package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const laocai = "../../testdata/laocai-2019.toml"

// run runs hanchot with args and returns the exit code, stdout and
// stderr. The output is in English (HANCHOT_LANG=en), which most tests
// assert, unless env sets HANCHOT_LANG itself; runVI runs it as a user
// gets it by default, in Vietnamese.
func run(t testing.TB, env []string, args ...string) (int, string, string) {
	t.Helper()
	for _, kv := range env {
		if strings.HasPrefix(kv, "HANCHOT_LANG=") {
			return runEnv(env, args...)
		}
	}
	return runEnv(append([]string{"HANCHOT_LANG=en"}, env...), args...)
}

// runVI runs hanchot with the default language, Vietnamese.
func runVI(t testing.TB, env []string, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(env, args...)
}

func runEnv(env []string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Env: env}
	code := m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func TestCheck(t *testing.T) {
	code, out, _ := run(t, nil, "--config", laocai, "check")
	if code != 0 || !strings.Contains(out, "ok: 31 agencies, 3 groups, 81 reports") {
		t.Errorf("check laocai: %d %q", code, out)
	}
	code, _, errs := run(t, nil, "check", "--config=../../testdata/bad/many-errors.toml")
	if code != 2 || strings.Count(errs, "many-errors.toml:") < 10 {
		t.Errorf("check many-errors: %d\n%s", code, errs)
	}
	code, _, errs = run(t, []string{"HANCHOT_CONFIG=" + filepath.Join(t.TempDir(), "none.toml")}, "check")
	if code != 2 || !strings.Contains(errs, "not found") {
		t.Errorf("missing config: %d %q", code, errs)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"--config", laocai, "calendar"}, "--year is required"},
		{[]string{"--config", laocai, "calendar", "--year", "2019", "--format", "xml"}, `--format "xml"`},
		{[]string{"--config", laocai, "calendar", "--year", "abc"}, "invalid value"},
		{[]string{"--config", laocai, "calendar", "--year", "2019", "--agency", "so-khong-co"}, `"so-khong-co" is not an agency`},
		{[]string{"--config", laocai, "holidays", "--year", "3000"}, "outside"},
		{[]string{"--config"}, "needs a file name"},
	}
	for _, tt := range tests {
		code, _, errs := run(t, nil, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}

func TestCalendarJSON(t *testing.T) {
	code, out, errs := run(t, nil, "calendar", "--year", "2019", "--format", "json", "--config", laocai)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	want := []string{"code", "title", "period", "year", "agency", "agency_name", "role", "due", "effective_due"}
	for _, k := range want {
		if _, ok := rows[0][k]; !ok {
			t.Errorf("field %q missing from %v", k, rows[0])
		}
	}
	got := map[string]string{}
	for _, r := range rows {
		if r["role"] == "lead" {
			got[r["code"].(string)+" "+r["period"].(string)] = r["due"].(string) + " " + r["effective_due"].(string)
		}
	}
	for key, want := range map[string]string{
		"1.2.1 Quý I":   "2019-03-15 2019-03-15",
		"1.2.1 6 tháng": "2019-06-15 2019-06-17", // a Saturday moves to Monday
		"1.2.1 Quý III": "2019-09-15 2019-09-16",
		"1.2.1 Cả năm":  "2019-12-10 2019-12-10",
		"1.2.2 Cả năm":  "2020-02-28 2020-02-28",
		"1.1 Cả năm":    "2018-12-31 2018-12-31",
		"1.3.1 Cả năm":  "2019-09-30 2019-09-30",
		"5.6 Cả năm":    "2020-01-31 2020-01-31",
		"2.2 Cả năm":    "2019-12-31 2019-12-31",
	} {
		if got[key] != want {
			t.Errorf("%s: got %q, want %q", key, got[key], want)
		}
	}
	// Every report of the calendar has its lead occurrences.
	codes := map[string]bool{}
	for _, r := range rows {
		codes[r["code"].(string)] = true
	}
	if len(codes) != 81 {
		t.Errorf("%d report codes in the calendar, want 81", len(codes))
	}
}

func TestCalendarCSV(t *testing.T) {
	code, out, _ := run(t, nil, "--config", laocai, "calendar", "--year", "2019", "--agency", "so-tu-phap", "--role", "lead", "--format", "csv")
	if code != 0 {
		t.Fatal(code)
	}
	if !strings.HasPrefix(out, "\ufeffcode,title,period,year,agency,agency_name,role,due,effective_due\r\n") {
		t.Errorf("CSV header: %q", out[:80])
	}
	if !strings.Contains(out, "1.2.2,Báo cáo năm về kiểm tra,") && !strings.Contains(out, `1.2.2,"Báo cáo năm về kiểm tra, rà soát VBQPPL",Cả năm,2019,so-tu-phap,Sở Tư pháp,lead,2020-02-28,2020-02-28`) {
		t.Errorf("CSV lacks 1.2.2:\n%s", out)
	}
}

func TestHolidays(t *testing.T) {
	dir := t.TempDir()
	// With no configuration file the default rules apply.
	code, out, errs := run(t, []string{"HANCHOT_CONFIG="}, "--config", filepath.Join(dir, "hanchot.toml"), "holidays", "--year", "2019", "--format", "json")
	if code != 2 {
		t.Errorf("a named missing config should fail: %d %s", code, errs)
	}
	m := &Main{Stdout: new(bytes.Buffer), Stderr: new(bytes.Buffer)}
	code = m.Run(context.Background(), []string{"holidays", "--year", "2026", "--format", "json"})
	out = m.Stdout.(*bytes.Buffer).String()
	if code != 0 || !strings.Contains(out, `"date": "2026-02-17"`) || !strings.Contains(out, `"date": "2026-04-26"`) {
		t.Errorf("holidays 2026: %d %s %s", code, out, m.Stderr)
	}
	code, out, _ = run(t, nil, "--config", laocai, "holidays", "--year", "2019")
	if code != 0 || !strings.Contains(out, "2019-02-05  Tết Nguyên Đán (mùng 1)") {
		t.Errorf("holidays table: %s", out)
	}
}

func TestSyncCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	// 4760 occurrences less the 29 of 1.1's 2019 plan, due 2018-12-31:
	// before tracking starts (schedule.start = 2019-01-01), so not written.
	code, out, errs := run(t, nil, "--config", laocai, "--db", db, "sync", "--now", "2019-03-01T08:00")
	if code != 0 || !strings.Contains(out, "added    report   1.2.1") || !strings.Contains(out, "occurrences of years [2019 2020]: 4731 added") {
		t.Fatalf("first sync: %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = run(t, []string{"HANCHOT_DB=" + db}, "--config", laocai, "sync", "--now", "2019-03-01T08:00")
	if code != 0 || !strings.Contains(out, "up to date, nothing changed") {
		t.Errorf("second sync: %d %s", code, out)
	}
	code, _, errs = run(t, nil, "--config", laocai, "--db", db, "sync", "--now", "yesterday")
	if code != 2 || !strings.Contains(errs, "--now") {
		t.Errorf("bad --now: %d %s", code, errs)
	}
}

// Every bad configuration under testdata/bad fails check with exit 2 and
// only FILE:LINE: lines.
func TestCheck_BadFiles(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/bad/*.toml")
	if len(files) < 10 {
		t.Fatalf("only %d bad files", len(files))
	}
	for _, f := range files {
		code, out, errs := run(t, nil, "--config", f, "check")
		if code != 2 || out != "" {
			t.Errorf("%s: exit %d, stdout %q", f, code, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(errs), "\n") {
			rest, ok := strings.CutPrefix(line, f+":")
			n, _, _ := strings.Cut(rest, ":")
			if !ok || n == "" || n == "0" || strings.Trim(n, "0123456789") != "" {
				t.Errorf("%s: %q is not FILE:LINE: message", f, line)
			}
		}
	}
}

// preview sends nothing and writes nothing: it needs a synced database,
// and leaves it as it was.
func TestPreviewWritesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	run(t, []string{"HANCHOT_DB=" + db}, "--config", laocai, "sync", "--now", "2019-03-01")
	before, _ := os.ReadFile(db)
	code, out, errs := run(t, []string{"HANCHOT_DB=" + db}, "--config", laocai, "preview", "--from", "2019-03-08", "--to", "2019-03-08", "--format", "json")
	if code != 0 || !strings.Contains(out, `"code": "1.2.1"`) {
		t.Fatalf("preview: %d %s", code, errs)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("preview changed the database file")
	}
	_, log, _ := run(t, []string{"HANCHOT_DB=" + db}, "--config", laocai, "log", "--format", "json")
	if strings.TrimSpace(log) != "[]" {
		t.Errorf("preview queued mail: %s", log)
	}
}

// The read-only commands never create a database: a mistyped --db is an
// error, not an empty "nothing overdue".
func TestReadOnlyCommands_MissingDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "sub", "typo.db")
	for _, args := range [][]string{
		{"overdue"}, {"overdue", "--all"}, {"stats", "--year", "2019"}, {"log"}, {"log", "--status", "failed"},
		{"preview", "--from", "2019-03-08", "--to", "2019-03-08"},
		{"ics", "--agency", "so-tu-phap"}, {"ics", "--all", "--year", "2019"},
	} {
		code, out, errs := run(t, nil, append([]string{"--config", laocai, "--db", db}, args...)...)
		if code != 1 || out != "" || !strings.Contains(errs, "no database") || !strings.Contains(errs, `run "hanchot sync" first`) {
			t.Errorf("%v on a missing database: exit %d, %q, %q", args, code, out, errs)
		}
	}
	// links, with a key to sign them.
	if code, out, errs := run(t, []string{"HANCHOT_WEB_SECRET=" + webSecret}, "--config", laocai, "--db", db, "links"); code != 1 || out != "" || !strings.Contains(errs, "no database") {
		t.Errorf("links on a missing database: exit %d, %q, %q", code, out, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("read-only commands created %v", entries)
	}
	// Writing commands other than sync, run and serve need one too.
	for _, args := range [][]string{
		{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14"},
		{"extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--due", "2019-03-29", "--reason", "x"},
		{"retry", "--status", "failed"},
	} {
		if code, _, errs := run(t, nil, append([]string{"--config", laocai, "--db", db}, args...)...); code != 1 || !strings.Contains(errs, "no database") {
			t.Errorf("%v on a missing database: exit %d, %q", args, code, errs)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("commands created %v", entries)
	}
}

// A 0-byte database (a failed copy, a truncated restore) is refused: made
// anew, it would send again everything already sent. sync --init says to
// start afresh.
func TestEmptyDatabaseIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	os.WriteFile(db, nil, 0o644)
	env := []string{"HANCHOT_DB=" + db}
	for _, args := range [][]string{
		{"run", "--once", "--send", "--now", "2019-03-08T08:00"}, {"sync"}, {"overdue"}, {"log"},
		{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14"},
	} {
		code, _, errs := run(t, env, append([]string{"--config", laocai}, args...)...)
		if code != 1 || !strings.Contains(errs, "empty file") || !strings.Contains(errs, "sync --init") {
			t.Errorf("%v on a 0-byte database: exit %d, %q", args, code, errs)
		}
	}
	if st, _ := os.Stat(db); st.Size() != 0 {
		t.Fatalf("the refused file was written: %d bytes", st.Size())
	}
	if code, out, errs := run(t, env, "--config", laocai, "sync", "--init", "--now", "2019-01-01"); code != 0 {
		t.Fatalf("sync --init: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, env, "--config", laocai, "overdue", "--at", "2019-03-20"); code != 0 {
		t.Errorf("after sync --init: %d %s", code, errs)
	}
}

// A relative [store] path is relative to the configuration file's folder,
// whatever the working directory.
func TestStorePathRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(laocai)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "etc", "hanchot.toml")
	os.MkdirAll(filepath.Dir(cfgPath), 0o755)
	if strings.Contains(string(src), "[store]") {
		t.Fatal("the test expects no [store] in " + laocai)
	}
	text := string(src) + "\n[store]\npath = \"data/h.db\"\n"
	os.WriteFile(cfgPath, []byte(text), 0o644)
	if code, out, errs := run(t, nil, "--config", cfgPath, "sync", "--now", "2019-01-01"); code != 0 {
		t.Fatalf("sync: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "etc", "data", "h.db")); err != nil {
		t.Errorf("the database is not beside the configuration: %v", err)
	}
	if _, err := os.Stat("data"); err == nil {
		t.Error("a data folder was made in the working directory")
	}
}

// A calendar with no report yet checks, its templates rendered on a
// sample item.
func TestCheck_NoReportYet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hanchot.toml")
	os.WriteFile(path, []byte("[escalation]\nfocal_point = \"so-noi-vu\"\n[mail]\nfrom = \"Sở Nội vụ <cchc@laocai.example>\"\n"+
		"[[agency]]\nid = \"so-noi-vu\"\nname = \"Sở Nội vụ\"\nemail = \"snv@laocai.example\"\n"), 0o644)
	if code, out, errs := run(t, nil, "--config", path, "check"); code != 0 {
		t.Errorf("check: %d %s %s", code, out, errs)
	}
}
