package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// laocaiEnv returns the environment of a test on its own database and
// outbox, with the Lào Cai calendar synced as of 2019-01-01.
func laocaiEnv(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	env := []string{"HANCHOT_DB=" + filepath.Join(dir, "h.db"), "HANCHOT_MAIL_DIR=" + filepath.Join(dir, "outbox"), "HANCHOT_MAIL_TRANSPORT=dir"}
	if code, _, errs := run(t, env, "--config", laocai, "sync", "--now", "2019-01-01"); code != 0 {
		t.Fatalf("sync: %s", errs)
	}
	return env
}

// Each command's -h prints its help once, on stdout, and exits 0; "hanchot
// help COMMAND" prints the same.
func TestHelp(t *testing.T) {
	for _, cmd := range commands {
		for _, lang := range []string{"vi", "en"} {
			env := []string{"HANCHOT_LANG=" + lang}
			code, out, errs := run(t, env, cmd, "-h")
			usage := map[string]string{"vi": "Cách dùng:", "en": "Usage:"}[lang]
			if code != 0 || errs != "" || strings.Count(out, usage) != 1 || strings.Count(out, "hanchot "+cmd) < 1 {
				t.Errorf("%s -h (%s): exit %d, stderr %q, %d times %q:\n%s", cmd, lang, code, errs, strings.Count(out, usage), usage, out)
			}
			if strings.Contains(out, "catalogue") || strings.Contains(out, "examples."+cmd) || strings.Contains(out, "flag.") {
				t.Errorf("%s -h (%s) shows a message id:\n%s", cmd, lang, out)
			}
			for _, arg := range []string{"--help", "-help"} {
				if _, again, _ := run(t, env, cmd, arg); again != out {
					t.Errorf("%s %s differs from %s -h", cmd, arg, cmd)
				}
			}
			if code, again, _ := run(t, env, "help", cmd); code != 0 || again != out {
				t.Errorf("help %s (%s): exit %d, differs from %s -h:\n%s", cmd, lang, code, cmd, again)
			}
		}
	}
	// The command's own flags, in the language asked for.
	_, out, _ := runVI(t, nil, "help", "submit")
	if !strings.Contains(out, "ghi nhận báo cáo đã nộp") || !strings.Contains(out, "--agency CƠ-QUAN") || !strings.Contains(out, "Ví dụ:") {
		t.Errorf("help submit:\n%s", out)
	}
	_, out, _ = run(t, nil, "--lang", "en", "help", "submit")
	if !strings.Contains(out, "record a submission") || !strings.Contains(out, "--agency AGENCY") || !strings.Contains(out, "--csv FILE") {
		t.Errorf("help submit in English:\n%s", out)
	}
	// The general help, on stdout with help, on stderr without a command.
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"help", "help"}} {
		code, out, _ := runVI(t, nil, args...)
		if code != 0 || !strings.Contains(out, "Các lệnh:") || !strings.Contains(out, "--lang vi|en") || !strings.Contains(out, "overdue     sổ theo dõi việc quá hạn") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	if code, out, errs := runVI(t, nil); code != 2 || out != "" || !strings.Contains(errs, "Các lệnh:") {
		t.Errorf("no command: exit %d %q %q", code, out, errs)
	}
	// A mistyped command or help topic.
	for _, args := range [][]string{{"help", "sumbit"}, {"sumbit"}} {
		code, _, errs := run(t, nil, args...)
		if code != 2 || !strings.Contains(errs, `unknown command "sumbit"; did you mean "submit"?`) {
			t.Errorf("%v: exit %d %q", args, code, errs)
		}
	}
	if code, _, errs := runVI(t, nil, "halp"); code != 2 || !strings.Contains(errs, `không có lệnh "halp"; có phải ý bạn là "help"?`) {
		t.Errorf("halp: exit %d %q", code, errs)
	}
	// A bad flag says so, in the language, and points at the help
	// without printing it.
	code, out, errs := runVI(t, nil, "--config", laocai, "calendar", "--yeer", "2019")
	if code != 2 || out != "" || !strings.Contains(errs, "Lỗi: calendar: không có tùy chọn --yeer") || !strings.Contains(errs, "Thử: hanchot help calendar") {
		t.Errorf("bad flag: exit %d %q %q", code, out, errs)
	}
	code, _, errs = runVI(t, nil, "--config", laocai, "calendar", "--year", "abc")
	if code != 2 || !strings.Contains(errs, `giá trị "abc" của --year không hợp lệ`) {
		t.Errorf("bad value: exit %d %q", code, errs)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, nil, "--version")
	if code != 0 || !strings.HasPrefix(out, "hanchot ") || strings.Count(out, "\n") != 1 {
		t.Errorf("--version: exit %d %q", code, out)
	}
	tests := []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{nil, false, "(devel)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true, "v1.2.0"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "(devel)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "5f90919a1b2c3d4e5f60718293a4b5c6d7e8f901"},
			{Key: "vcs.time", Value: "2026-11-30T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		}}, true, "5f90919a1b2c+dirty (2026-11-30T10:00:00Z)"},
		{&debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}}}, true, "abc123"},
	}
	for _, tt := range tests {
		if got := version(tt.bi, tt.ok); got != tt.want {
			t.Errorf("version(%+v) = %q, want %q", tt.bi, got, tt.want)
		}
	}
}

// The language: Vietnamese by default and with LANG=vi… or C; English
// with --lang en, HANCHOT_LANG=en or LANG=en…; --lang before
// HANCHOT_LANG before the locale.
func TestLanguage(t *testing.T) {
	tests := []struct {
		env  []string
		args []string
		want Lang
	}{
		{nil, nil, Vietnamese},
		{[]string{"LANG=C"}, nil, Vietnamese},
		{[]string{"LANG=vi_VN.UTF-8"}, nil, Vietnamese},
		{[]string{"LANG=en_US.UTF-8"}, nil, English},
		{[]string{"LANG=en_US.UTF-8", "LC_ALL=C.UTF-8"}, nil, Vietnamese},
		{[]string{"LANG=vi_VN.UTF-8", "LC_MESSAGES=en_GB.UTF-8"}, nil, English},
		{[]string{"HANCHOT_LANG=en", "LANG=vi_VN.UTF-8"}, nil, English},
		{[]string{"HANCHOT_LANG=vi", "LANG=en_US.UTF-8"}, nil, Vietnamese},
		{[]string{"HANCHOT_LANG=en"}, []string{"--lang", "vi"}, Vietnamese},
		{nil, []string{"--lang=en"}, English},
		{nil, []string{"--lang", "EN"}, English},
	}
	for _, tt := range tests {
		m := &Main{Env: tt.env, Stdout: new(bytes.Buffer), Stderr: new(bytes.Buffer)}
		if _, err := m.globalFlags(tt.args); err != nil || m.Lang != tt.want {
			t.Errorf("env %v, args %v: %q, %v; want %q", tt.env, tt.args, m.Lang, err, tt.want)
		}
	}
	for _, args := range [][]string{{"--lang", "fr", "check"}, {"check", "--lang"}} {
		if code, _, errs := runVI(t, nil, args...); code != 2 || !strings.Contains(errs, "vi") || !strings.Contains(errs, "en") {
			t.Errorf("%v: exit %d %q", args, code, errs)
		}
	}
	if code, _, errs := runVI(t, []string{"HANCHOT_LANG=de"}, "check"); code != 2 || !strings.Contains(errs, `HANCHOT_LANG "de"`) {
		t.Errorf("HANCHOT_LANG=de: exit %d %q", code, errs)
	}

	// Vietnamese by default: check, sync, a listing, an error.
	_, out, _ := runVI(t, nil, "--config", laocai, "check")
	if !strings.Contains(out, "hợp lệ: 31 cơ quan, 3 nhóm, 81 báo cáo") || !strings.Contains(out, "đầu mối so-noi-vu") {
		t.Errorf("check: %q", out)
	}
	_, out, _ = run(t, []string{"LANG=en_US.UTF-8", "HANCHOT_LANG="}, "--config", laocai, "check")
	if !strings.Contains(out, "ok: 31 agencies, 3 groups, 81 reports") {
		t.Errorf("check with LANG=en: %q", out)
	}
	env := laocaiEnv(t)
	_, out, _ = runVI(t, env, "--config", laocai, "sync", "--now", "2019-01-01")
	if !strings.Contains(out, "đã khớp với tệp, không có gì thay đổi (các năm [2019 2020])") {
		t.Errorf("sync: %q", out)
	}
	_, out, _ = runVI(t, env, "calendar", "--year", "2019", "--agency", "so-tu-phap", "--config", laocai)
	if first, _, _ := strings.Cut(out, "\n"); strings.Join(strings.Fields(first), " ") != "mã tên báo cáo kỳ năm mã cơ quan cơ quan vai trò hạn hạn tính" {
		t.Errorf("calendar header: %q", first)
	}
	if !strings.Contains(out, "phối hợp") || strings.Contains(out, "support") {
		t.Errorf("calendar roles are not in Vietnamese:\n%.400s", out)
	}
	code, _, errs := runVI(t, env, "--config", laocai, "overdue", "--db", filepath.Join(t.TempDir(), "none.db"))
	if code != 1 || !strings.Contains(errs, "Lỗi: ") || !strings.Contains(errs, "chưa có cơ sở dữ liệu; hãy chạy \"hanchot sync\" trước") {
		t.Errorf("missing database: %d %q", code, errs)
	}
	code, _, errs = runVI(t, nil, "--config", laocai, "calendar")
	if code != 2 || errs != fmt.Sprintf("Lỗi: cần --year\nThử: --year %d\n", time.Now().Year()) {
		t.Errorf("calendar without --year: %d %q", code, errs)
	}

	// JSON and CSV are the same whatever the language.
	for _, format := range []string{"json", "csv"} {
		for _, args := range [][]string{
			{"calendar", "--year", "2019", "--agency", "so-tu-phap"},
			{"stats", "--year", "2019", "--at", "2019-06-30"},
			{"overdue", "--at", "2019-03-20"},
			{"holidays", "--year", "2019"},
		} {
			args = append(append([]string{"--config", laocai}, args...), "--format", format)
			_, vi, _ := runVI(t, env, args...)
			_, en, _ := run(t, env, args...)
			if vi != en || vi == "" {
				t.Errorf("%v differs between the languages:\n%.300s\n%.300s", args, vi, en)
			}
		}
	}
}

// Every message id the code uses is in the catalogue, in both languages,
// with the same formatting verbs; so is every column of every listing.
func TestCatalogue(t *testing.T) {
	verbs := func(s string) string {
		var v []string
		for i := 0; i < len(s); i++ {
			if s[i] != '%' {
				continue
			}
			if i+1 < len(s) && s[i+1] == '%' {
				i++
				continue
			}
			j := i + 1
			for j < len(s) && strings.ContainsRune("+-# 0123456789.[]", rune(s[j])) {
				j++
			}
			if j < len(s) {
				v = append(v, s[i:j+1])
			}
			i = j
		}
		return strings.Join(v, " ")
	}
	for id, tx := range catalogue {
		if tx.vi == "" && tx.en == "" {
			t.Errorf("%s is empty", id)
			continue
		}
		if (tx.vi == "") != (tx.en == "") {
			t.Errorf("%s is missing a language: %q %q", id, tx.vi, tx.en)
		}
		if verbs(tx.vi) != verbs(tx.en) || (tx.en1 != "" && verbs(tx.en1) != verbs(tx.en)) {
			t.Errorf("%s: the languages take different arguments: %q, %q, %q", id, tx.vi, tx.en, tx.en1)
		}
	}
	files, _ := filepath.Glob("*.go")
	used := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "text.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range []string{`T("`, `usageError("`} {
			rest := string(src)
			for {
				i := strings.Index(rest, call)
				if i < 0 {
					break
				}
				rest = rest[i+len(call):]
				id, _, _ := strings.Cut(rest, `"`)
				used++
				if _, ok := catalogue[id]; !ok && !strings.HasSuffix(id, ".") {
					t.Errorf("%s: %s%s\") is not in the catalogue", f, call, id)
				}
			}
		}
	}
	if used < 150 {
		t.Errorf("only %d message ids found in the code", used)
	}
	for _, fe := range flagErrors {
		if _, ok := catalogue[fe.id]; !ok {
			t.Errorf("%s is not in the catalogue", fe.id)
		}
	}
	for _, cmd := range commands {
		for _, p := range []string{"summary.", "synopsis.", "examples."} {
			if _, ok := catalogue[p+cmd]; !ok {
				t.Errorf("%s%s is not in the catalogue", p, cmd)
			}
		}
	}
	for _, row := range []any{calendarRow{}, holidayRow{}, previewRow{}, overdueRow{}, logRow{}, statsRow{}, linkRow{}} {
		for _, c := range columns(reflect.TypeOf(row)) {
			if _, ok := catalogue["col."+c.name]; !ok {
				t.Errorf("col.%s is not in the catalogue", c.name)
			}
		}
	}
}

// Every date and time flag takes the ISO form, day/month/year with or
// without a time, and RFC 3339; each gives the same answer, and a bad one
// is a usage error naming the flag.
func TestDateFlags(t *testing.T) {
	env := laocaiEnv(t)
	hc := func(args ...string) (int, string, string) {
		return run(t, env, append([]string{"--config", laocai}, args...)...)
	}
	same := func(what string, forms []string, args func(string) []string) {
		t.Helper()
		_, want, errs := hc(args(forms[0])...)
		if want == "" || want == "[]\n" {
			t.Fatalf("%s %s: nothing to compare (%s)", what, forms[0], errs)
		}
		for _, f := range forms[1:] {
			if code, got, errs := hc(args(f)...); code != 0 || got != want {
				t.Errorf("%s %q: exit %d %s; differs from %q", what, f, code, errs, forms[0])
			}
		}
	}
	times := []string{"2019-03-20T09:30", "20/03/2019 09:30", "20/3/2019 9:30", "2019-03-20 09:30", "2019-03-20T09:30:00+07:00", "2019-03-20T02:30:00Z"}
	days := []string{"2019-03-20", "20/03/2019", "20/3/2019", "20/03/2019 09:30", "2019-03-20T09:30:00+07:00"}
	same("overdue --at", times, func(s string) []string { return []string{"overdue", "--at", s, "--format", "json"} })
	same("overdue --at (days)", days[:3], func(s string) []string { return []string{"overdue", "--at", s, "--format", "json"} })
	same("stats --at", times, func(s string) []string { return []string{"stats", "--year", "2019", "--at", s, "--format", "json"} })
	same("preview --from --to", days, func(s string) []string { return []string{"preview", "--from", s, "--to", s, "--format", "json"} })

	// Writing commands: each form records the same.
	code, out, errs := hc("sync", "--now", "01/01/2019 08:00", "--dry-run")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("sync --now dd/mm/yyyy hh:mm: %d %s %s", code, out, errs)
	}
	for i, at := range []string{"14/03/2019 10:00", "14/03/2019", "2019-03-14T10:00:00+07:00"} {
		agency := []string{"so-noi-vu", "so-tu-phap", "so-tai-chinh"}[i]
		code, out, errs := hc("submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", agency, "--at", at)
		if code != 0 || !strings.Contains(out, "submitted 2019-03-14") {
			t.Errorf("submit --at %q: %d %s %s", at, code, out, errs)
		}
	}
	for i, due := range []string{"29/03/2019", "2019-03-29", "29/03/2019 17:00"} {
		agency := []string{"so-thong-tin-truyen-thong", "so-khoa-hoc-cong-nghe", "so-ke-hoach-dau-tu"}[i]
		code, out, errs := hc("extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", agency, "--due", due, "--reason", "x")
		if code != 0 || !strings.Contains(out, "now 2019-03-29") {
			t.Errorf("extend --due %q: %d %s %s", due, code, out, errs)
		}
	}
	code, out, errs = hc("run", "--once", "--now", "08/03/2019 08:00")
	if code != 0 || !strings.Contains(out, "pass as of 2019-03-08 08:00 +07:00") {
		t.Errorf("run --now dd/mm/yyyy hh:mm: %d %s %s", code, out, errs)
	}

	// Bad values, in both languages.
	for _, tt := range []struct{ args []string }{
		{[]string{"overdue", "--at", "32/03/2019"}},
		{[]string{"stats", "--year", "2019", "--at", "03/20/2019"}},
		{[]string{"preview", "--from", "2019-02-30"}},
		{[]string{"preview", "--from", "2019-03-01", "--to", "hôm nay"}},
		{[]string{"sync", "--now", "tomorrow"}},
		{[]string{"run", "--once", "--now", "08/03/2019 8h"}},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "14.03.2019"}},
		{[]string{"extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--due", "31/04/2019", "--reason", "x"}},
	} {
		flag := tt.args[len(tt.args)-2]
		if tt.args[0] == "extend" {
			flag = "--due"
		}
		code, _, errs := hc(tt.args...)
		if code != 2 || !strings.Contains(errs, flag+": ") || !strings.Contains(errs, "12/06/2026") {
			t.Errorf("%v: exit %d %q", tt.args, code, errs)
		}
		code, _, errs = runVI(t, env, append([]string{"--config", laocai}, tt.args...)...)
		if code != 2 || !strings.Contains(errs, flag+": ") || !strings.Contains(errs, "không phải là một") {
			t.Errorf("%v (vi): exit %d %q", tt.args, code, errs)
		}
	}
}

// --agency takes an id, a name, or a name without diacritics in any case;
// nothing that matches gets the nearest agencies as suggestions.
func TestAgencyByName(t *testing.T) {
	env := laocaiEnv(t)
	_, want, _ := run(t, env, "--config", laocai, "calendar", "--year", "2019", "--agency", "so-tai-chinh", "--format", "json")
	for _, name := range []string{"Sở Tài chính", "so tai chinh", "SỞ TÀI CHÍNH", "So Tai Chinh", "SO-TAI-CHINH"} {
		if code, got, errs := run(t, env, "--config", laocai, "calendar", "--year", "2019", "--agency", name, "--format", "json"); code != 0 || got != want {
			t.Errorf("calendar --agency %q: exit %d %s", name, code, errs)
		}
	}
	for _, args := range [][]string{
		{"overdue", "--at", "2019-03-20"}, {"preview", "--from", "2019-03-01", "--to", "2019-03-31"}, {"log"},
	} {
		_, byID, _ := run(t, env, append(append([]string{"--config", laocai}, args...), "--agency", "so-tai-chinh", "--format", "json")...)
		code, byName, errs := run(t, env, append(append([]string{"--config", laocai}, args...), "--agency", "sở tài chính", "--format", "json")...)
		if code != 0 || byName != byID {
			t.Errorf("%v --agency by name: exit %d %s", args, code, errs)
		}
	}
	code, _, errs := run(t, env, "--config", laocai, "retry", "--status", "failed", "--agency", "so tai chinh")
	if code != 0 {
		t.Errorf("retry --agency by name: exit %d %s", code, errs)
	}
	// submit and extend record under the id.
	code, out, errs := run(t, env, "--config", laocai, "submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "Sở Tài chính", "--at", "2019-03-11")
	if code != 0 || !strings.Contains(out, "1.2.1 Quý I 2019 for so-tai-chinh: submitted 2019-03-11 00:00") {
		t.Errorf("submit --agency by name: %d %s %s", code, out, errs)
	}
	code, out, errs = run(t, env, "--config", laocai, "extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so tu phap", "--due", "2019-03-29", "--reason", "x")
	if code != 0 || !strings.Contains(out, "for so-tu-phap") {
		t.Errorf("extend --agency by name: %d %s %s", code, out, errs)
	}
	// Suggestions.
	for _, tt := range []struct{ agency, en, vi string }{
		{"tai chinh", `"tai chinh" is not an agency of ` + laocai + `; did you mean so-tai-chinh (Sở Tài chính)?`,
			`"tai chinh" không phải là cơ quan nào trong ` + laocai + `; có phải ý bạn là so-tai-chinh (Sở Tài chính)?`},
		{"So Tu Phapp", "did you mean so-tu-phap (Sở Tư pháp)?", "có phải ý bạn là so-tu-phap (Sở Tư pháp)?"},
		{"Bộ Ngoại giao", `"Bộ Ngoại giao" is not an agency of ` + laocai + "\n", `"Bộ Ngoại giao" không phải là cơ quan nào trong ` + laocai + "\n"},
	} {
		for _, cmd := range [][]string{
			{"calendar", "--year", "2019"}, {"overdue"}, {"log"},
			{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--at", "2019-03-11"},
		} {
			args := append(append([]string{"--config", laocai}, cmd...), "--agency", tt.agency)
			if code, _, errs := run(t, env, args...); code != 2 || !strings.Contains(errs, tt.en) {
				t.Errorf("%v: exit %d %q; want %q", args, code, errs, tt.en)
			}
			if code, _, errs := runVI(t, env, args...); code != 2 || !strings.Contains(errs, tt.vi) {
				t.Errorf("%v (vi): exit %d %q; want %q", args, code, errs, tt.vi)
			}
		}
	}
	// The agency column of submit --csv too.
	dir := t.TempDir()
	good := filepath.Join(dir, "nop.csv")
	os.WriteFile(good, []byte("mã;kỳ;năm;cơ quan;ngày gửi;số văn bản\n"+
		"1.2.1;Quý I;2019;Sở Nội vụ;14/03/2019 09:00;12/BC-SNV\n"+
		"1.2.1;Quý I;2019;so thong tin truyen thong;10/03/2019;5/BC\n"), 0o644)
	code, out, errs = run(t, env, "--config", laocai, "submit", "--csv", good)
	if code != 0 || !strings.Contains(out, "2 recorded") || !strings.Contains(out, "for so-noi-vu") || !strings.Contains(out, "for so-thong-tin-truyen-thong") {
		t.Errorf("submit --csv with names: %d %s %s", code, out, errs)
	}
	bad := filepath.Join(dir, "sai.csv")
	os.WriteFile(bad, []byte("code,period,year,agency,submitted_at\n1.2.1,Quý I,2019,Sở Tài chánh,10/03/2019\n"), 0o644)
	code, _, errs = runVI(t, env, "--config", laocai, "submit", "--csv", bad)
	if code != 2 || !strings.Contains(errs, "sai.csv:2: \"Sở Tài chánh\" không phải là cơ quan nào") || !strings.Contains(errs, "có phải ý bạn là so-tai-chinh (Sở Tài chính)?") {
		t.Errorf("submit --csv with a misspelt name: %d %q", code, errs)
	}
}

// overdue shows the report's title and the agency's name; JSON keeps its
// fields and adds title and agency_name.
func TestOverdueNamesAndTitles(t *testing.T) {
	env := laocaiEnv(t)
	_, out, _ := runVI(t, env, "--config", laocai, "overdue", "--at", "2019-03-20", "--agency", "so-noi-vu")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || strings.Join(strings.Fields(lines[0]), " ") != "mã tên báo cáo kỳ năm cơ quan vai trò hạn số ngày mức lưu trữ" {
		t.Fatalf("overdue header:\n%s", out)
	}
	if !strings.Contains(out, "1.2.1  Báo cáo định kỳ về CCHC") || !strings.Contains(out, "Sở Nội vụ") || !strings.Contains(out, "chủ trì") {
		t.Errorf("overdue lacks the title, the name or the role:\n%s", out)
	}
	_, out, _ = run(t, env, "--config", laocai, "overdue", "--at", "2019-03-20", "--agency", "so-noi-vu", "--format", "json")
	rows := jsonRows(t, out)
	r := find(rows, map[string]any{"code": "1.2.1"})
	for k, v := range map[string]any{"title": "Báo cáo định kỳ về CCHC", "agency": "so-noi-vu", "agency_name": "Sở Nội vụ", "period": "Quý I",
		"year": 2019.0, "due": "2019-03-15", "days_overdue": 5.0, "level": 0.0, "escalated_at": nil, "submitted_at": nil} {
		if got, ok := r[k]; !ok || got != v {
			t.Errorf("overdue JSON %s = %v, want %v (%v)", k, got, v, r)
		}
	}
	// --wide adds the agency's id and the first day overdue; --all the
	// submission time.
	_, out, _ = run(t, env, "--config", laocai, "overdue", "--at", "2019-03-20", "--agency", "so-noi-vu", "--wide")
	if !strings.Contains(out, "so-noi-vu") || !strings.Contains(out, "since") || !strings.Contains(out, "escalated at") {
		t.Errorf("overdue --wide:\n%s", out)
	}
	_, out, _ = run(t, env, "--config", laocai, "overdue", "--at", "2019-03-20", "--all")
	if first, _, _ := strings.Cut(out, "\n"); !strings.Contains(first, "submitted at") || strings.Contains(first, "escalated at") {
		t.Errorf("overdue --all header: %q", first)
	}
}

// After a pass on the Lào Cai calendar the ledger's table fits in 120
// columns, in both languages; --wide shows it all.
func TestLogWidth(t *testing.T) {
	env := laocaiEnv(t)
	for _, now := range []string{"2019-03-08T08:00", "2019-03-18T08:00"} {
		if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", now); code != 0 {
			t.Fatalf("run: %s %s", out, errs)
		}
	}
	width := func(out string) int {
		w := 0
		for _, line := range strings.Split(out, "\n") {
			w = max(w, utf8.RuneCountInString(line))
		}
		return w
	}
	_, js, _ := run(t, env, "--config", laocai, "log", "--format", "json")
	rows := jsonRows(t, js)
	if len(rows) < 50 {
		t.Fatalf("only %d deliveries", len(rows))
	}
	for _, lang := range []string{"vi", "en"} {
		_, out, _ := run(t, append([]string{"HANCHOT_LANG=" + lang}, env...), "--config", laocai, "log")
		if n := strings.Count(out, "\n"); n != len(rows)+1 {
			t.Errorf("%s: %d lines for %d deliveries", lang, n, len(rows))
		}
		if w := width(out); w > 120 {
			t.Errorf("log (%s) is %d columns wide:\n%s", lang, w, out)
		}
		if strings.Contains(out, "@laocai.example>") || !strings.Contains(out, "…") {
			t.Errorf("log (%s) shows Message-IDs or cuts nothing:\n%.500s", lang, out)
		}
		if strings.HasSuffix(strings.Split(out, "\n")[1], " ") {
			t.Errorf("log (%s) ends lines with spaces", lang)
		}
		_, wide, _ := run(t, append([]string{"HANCHOT_LANG=" + lang}, env...), "--config", laocai, "log", "--wide")
		if width(wide) <= 120 || !strings.Contains(wide, rows[0]["message_id"].(string)) || !strings.Contains(wide, rows[0]["subject"].(string)) {
			t.Errorf("log --wide (%s) is not whole:\n%.500s", lang, wide)
		}
	}
	_, out, _ := runVI(t, env, "--config", laocai, "log", "--limit", "1")
	if !strings.Contains(out, "đôn đốc") || !strings.Contains(out, "đã gửi") {
		t.Errorf("log values are not in Vietnamese:\n%s", out)
	}
}

// stats shows shares as percentages in the table; JSON keeps the number.
func TestStatsPercent(t *testing.T) {
	env := laocaiEnv(t)
	// Sở Nội vụ owes two items by 2019-03-18; one is submitted on time.
	if code, _, errs := run(t, env, "--config", laocai, "submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14"); code != 0 {
		t.Fatal(errs)
	}
	_, js, _ := run(t, env, "--config", laocai, "stats", "--year", "2019", "--at", "2019-03-18", "--format", "json")
	if r := find(jsonRows(t, js), map[string]any{"agency": "so-noi-vu"}); r["share_on_time"] != 0.5 || r["on_time"] != 1.0 || r["missing"] != 1.0 {
		t.Fatalf("stats JSON: %v", r)
	}
	for lang, want := range map[string]string{"vi": "50%", "en": "50%"} {
		_, out, _ := run(t, []string{"HANCHOT_LANG=" + lang, env[0]}, "--config", laocai, "stats", "--year", "2019", "--at", "2019-03-18")
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "so-noi-vu ") {
				line = l
			}
		}
		if f := strings.Fields(line); len(f) < 2 || f[len(f)-1] != want {
			t.Errorf("stats (%s): %q, want the share %s", lang, line, want)
		}
	}
	_, out, _ := run(t, env, "--config", laocai, "stats", "--year", "2019", "--at", "2019-03-18", "--format", "csv")
	if !strings.Contains(out, "so-noi-vu,Sở Nội vụ,1,0,1,81,0.5,\r\n") {
		t.Errorf("stats CSV:\n%.300s", out)
	}
	for _, tt := range []struct {
		x      float64
		vi, en string
	}{{0, "0%", "0%"}, {1, "100%", "100%"}, {0.5, "50%", "50%"}, {0.667, "66,7%", "66.7%"}, {0.125, "12,5%", "12.5%"}} {
		if got := Vietnamese.percent(tt.x); got != tt.vi {
			t.Errorf("percent(%v) = %q, want %q", tt.x, got, tt.vi)
		}
		if got := English.percent(tt.x); got != tt.en {
			t.Errorf("percent(%v) in English = %q, want %q", tt.x, got, tt.en)
		}
	}
}

// English counts agree with their numbers; Vietnamese has no plural.
func TestPlurals(t *testing.T) {
	for _, tt := range []struct {
		id   string
		n    int
		l    Lang
		want string
	}{
		{"submit.lateBy", 1, English, "late by 1 day"},
		{"submit.lateBy", 2, English, "late by 2 days"},
		{"submit.lateBy", 1, Vietnamese, "trễ 1 ngày"},
		{"n.newDigests", 1, English, "1 new digest"},
		{"n.newDigests", 0, English, "0 new digests"},
		{"n.agencies", 1, English, "1 agency"},
		{"n.attempts", 1, English, "1 attempt"},
	} {
		if got := tt.l.T(tt.id, tt.n); got != tt.want {
			t.Errorf("%s %d (%s) = %q, want %q", tt.id, tt.n, tt.l, got, tt.want)
		}
	}
}

// holidays without --year lists this year's days off.
func TestHolidaysThisYear(t *testing.T) {
	code, out, errs := run(t, nil, "--config", laocai, "holidays", "--format", "json")
	y := time.Now().Year()
	if code != 0 || !strings.Contains(out, fmt.Sprintf(`"date": "%d-01-01"`, y)) {
		t.Errorf("holidays: %d %s %s", code, errs, out)
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !strings.HasPrefix(r["date"], fmt.Sprint(y)) && !strings.HasPrefix(r["date"], fmt.Sprint(y+1)) && !strings.HasPrefix(r["date"], fmt.Sprint(y-1)) {
			t.Errorf("holidays of %d lists %s", y, r["date"])
		}
	}
}
