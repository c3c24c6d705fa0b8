package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_Good(t *testing.T) {
	for _, path := range []string{"../testdata/good-minimal.toml", "../testdata/laocai-2019.toml", "../config.example.toml"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			cfg, err := Load(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Location == nil || cfg.Calendar == nil {
				t.Fatal("derived fields not filled")
			}
		})
	}
}

func TestLoad_Defaults(t *testing.T) {
	cfg, err := Load("../testdata/good-minimal.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Location.String(), "Asia/Ho_Chi_Minh"; got != want {
		t.Errorf("timezone = %s, want %s", got, want)
	}
	if cfg.Mail.Transport != "dir" || cfg.Store.Path != "var/hanchot.db" || cfg.Schedule.SendAt != "0 8 * * MON-FRI" {
		t.Errorf("defaults not applied: %+v %+v %+v", cfg.Mail, cfg.Store, cfg.Schedule)
	}
}

// The example and the test calendar hold the same calendar.
func TestExampleMatchesLaoCai(t *testing.T) {
	ex, err := Load("../config.example.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	lc, err := Load("../testdata/laocai-2019.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Calendar.Reports) != len(lc.Calendar.Reports) || len(ex.Calendar.Agencies) != len(lc.Calendar.Agencies) {
		t.Fatalf("example has %d reports and %d agencies, laocai-2019 %d and %d",
			len(ex.Calendar.Reports), len(ex.Calendar.Agencies), len(lc.Calendar.Reports), len(lc.Calendar.Agencies))
	}
	for i, r := range lc.Calendar.Reports {
		e := ex.Calendar.Reports[i]
		if e.Code != r.Code || e.Title != r.Title || len(e.Deadlines) != len(r.Deadlines) {
			t.Errorf("report %d differs: %s %q vs %s %q", i, e.Code, e.Title, r.Code, r.Title)
		}
	}
}

// Each bad file must fail with every listed problem on its line.
func TestLoad_Bad(t *testing.T) {
	type problem struct {
		line int
		text string
	}
	tests := []struct {
		file string
		want []problem
	}{
		{"syntax.toml", []problem{{5, `thiếu dấu " đóng`}}},
		{"unknown-key.toml", []problem{{6, `khóa "hots" không có trong [mail]; có phải ý bạn là host?`}, {15, `khóa "titel" không có trong [[report]]`}}},
		{"wrong-type.toml", []problem{{6, "cổng (port) phải là một số nguyên"}}},
		{"duplicate-id.toml", []problem{{13, `mã "so-noi-vu" đã được dùng cho cơ quan ở dòng 8`}, {24, `mã báo cáo "1.2.1" đã được dùng ở dòng 18`}}},
		{"unknown-reference.toml", []problem{
			{15, `thành viên "so-tu-phap" không phải là cơ quan hay nhóm nào`},
			{20, `chủ trì (lead) "so-tu-phap" không phải là cơ quan nào`},
			{21, `phối hợp (support) "ubnd-cap-huyen" không phải là cơ quan hay nhóm nào`},
		}},
		{"group-cycle.toml", []problem{{15, "thành vòng: nhom-a → nhom-b → nhom-a"}}},
		{"impossible-date.toml", []problem{{8, `"2019-02-30" không phải là một ngày có thật`}, {21, "ngày 31/2 không có trong năm"}}},
		{"bad-email.toml", []problem{{10, `"snv at laocai.example" không phải là một địa chỉ email`}}},
		{"bad-cron.toml", []problem{{2, "không đúng dạng cron"}}},
		{"focal-not-agency.toml", []problem{{2, `đầu mối (focal_point) "cac-so" là một nhóm`}}},
		{"bad-rule.toml", []problem{{16, "ghi một năm cụ thể"}}},
		{"password-in-file.toml", []problem{{7, "HANCHOT_MAIL_PASSWORD"}}},
		{"many-errors.toml", []problem{
			{1, "múi giờ (timezone)"},
			{4, "không đúng dạng cron"},
			{5, "3 được viết hai lần"},
			{11, `(transport) "pigeon"`},
			{12, `(tls) "maybe"`},
			{13, "địa chỉ gửi (from)"},
			{16, "mã cơ quan"},
			{21, "mã báo cáo (code)"},
			{22, "chưa có tên (title)"},
			{24, "chưa có hạn nào"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "bad", tt.file)
			_, err := Load(path, nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want *config.Error", err)
			}
			for _, w := range tt.want {
				found := false
				for _, p := range ce.Problems {
					if p.Line == w.line && strings.Contains(p.Message, w.text) {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %d: %q in\n%s", w.line, w.text, ce.Error())
				}
			}
			if !strings.HasPrefix(ce.Error(), path+":") {
				t.Errorf("error does not start with FILE:LINE: %q", ce.Error())
			}
		})
	}
}

func TestEnvOverrides(t *testing.T) {
	env := []string{
		"HANCHOT_MAIL_HOST=127.0.0.1", "HANCHOT_MAIL_PORT=2525", "HANCHOT_MAIL_TLS=none",
		"HANCHOT_MAIL_TRANSPORT=smtp", "HANCHOT_MAIL_PASSWORD=s3cret", "HANCHOT_STORE_PATH=/tmp/x.db",
		"HANCHOT_MAIL_TIMEOUT=5s", "OTHER=1",
	}
	cfg, err := Load("../testdata/good-minimal.toml", env)
	if err != nil {
		t.Fatal(err)
	}
	m := cfg.Mail
	if m.Host != "127.0.0.1" || m.Port != 2525 || m.TLS != "none" || m.Transport != "smtp" || m.Password != "s3cret" || m.Timeout.Seconds() != 5 {
		t.Errorf("mail overrides not applied: %+v", m)
	}
	if cfg.Store.Path != "/tmp/x.db" {
		t.Errorf("store path = %s", cfg.Store.Path)
	}
	cfg, err = Load("../testdata/good-minimal.toml", []string{"HANCHOT_STORE_PATH=/tmp/x.db", "HANCHOT_DB=/tmp/y.db"})
	if err != nil || cfg.Store.Path != "/tmp/y.db" {
		t.Errorf("HANCHOT_DB: %v %v", cfg, err)
	}

	_, err = Load("../testdata/good-minimal.toml", []string{"HANCHOT_MAIL_PORT=abc", "HANCHOT_MAIL_TLS=sometimes"})
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "HANCHOT_MAIL_PORT") || !strings.Contains(err.Error(), `(tls) "sometimes"`) {
		t.Errorf("bad overrides: %v", err)
	}
}

func TestLoad_Missing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.toml"), nil)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Load(missing) = %v, want ErrNotFound", err)
	}
}

func TestWorkdaysEntries(t *testing.T) {
	src := `
[escalation]
focal_point = "a"
[mail]
from = "x@laocai.example"
[workdays]
days_off = ["2025-05-02", { date = "03/09/2025", name = "Nghỉ theo thông báo" }]
working_days = ["26/04/2025"]
[[agency]]
id = "a"
name = "A"
email = "a@laocai.example"
`
	cfg, err := Parse("inline.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.WorkRules.DaysOff) != 2 || len(cfg.WorkRules.WorkingDays) != 1 {
		t.Errorf("work rules = %+v", cfg.WorkRules)
	}
	if _, err := os.Stat("../testdata"); err != nil {
		t.Fatal(err)
	}
}

// The line scan finds every place where it is written: keys after a comma
// inside a quoted value, elements of multi-line arrays, arrays of tables
// under the latest [[report]], keys after a multi-line string.
func TestLineIndex(t *testing.T) {
	src := `title = """two
lines"""
[mail] # comment with [brackets]
from = "a, b = c"
[[report]]
deadlines = [{ period = "Quý I, II", due = "15/03" },
  { period = "Cả năm",
    due = "31/12" }]
[[report]]
"quoted key" = 1
[[report.deadlines]]
due = "15/06"
[[report.deadlines]]
period = 'x'
`
	ix := indexLines(src)
	for place, want := range map[string]int{
		"title": 1, "mail": 3, "mail.from": 4, "report[0]": 5,
		"report[0].deadlines[0].period": 6, "report[0].deadlines[0].due": 6,
		"report[0].deadlines[1]": 7, "report[0].deadlines[1].due": 8,
		"report[1].quoted key": 10, "report[1].deadlines[0].due": 12, "report[1].deadlines[1].period": 14,
	} {
		if got := ix.line(place); got != want {
			t.Errorf("line(%s) = %d, want %d", place, got, want)
		}
	}
}

// Text is normalised to NFC: a period typed with combining accents is the
// same period as one typed precomposed.
func TestNFC(t *testing.T) {
	src := `[escalation]
focal_point = "so-noi-vu"
[mail]
from = "cchc@laocai.example"
[[agency]]
id = "so-noi-vu"
name = "So\u031b\u0309 No\u0323\u0302i vu\u0323"
email = "snv@laocai.example"
[[report]]
code = "1.1"
title = "Kế hoạch"
lead = "so-noi-vu"
deadlines = [{ period = "Quy\u0301 I", due = "15/03" }, { period = "Quý I", due = "15/04" }]
`
	_, err := Parse("nfd.toml", []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), `nfd.toml:13: báo cáo 1.1: kỳ "Quý I" được viết hai lần`) {
		t.Errorf("err = %v, want the period listed twice", err)
	}
	src = strings.Replace(src, `, { period = "Quý I", due = "15/04" }`, "", 1)
	cfg, err := Parse("nfd.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Agencies[0].Name != "Sở Nội vụ" || cfg.Reports[0].Deadlines[0].Period != "Quý I" {
		t.Errorf("not NFC: %q %q", cfg.Agencies[0].Name, cfg.Reports[0].Deadlines[0].Period)
	}
}
