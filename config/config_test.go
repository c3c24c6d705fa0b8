package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hanchot/scheduler"
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

// The example and the test calendar hold the same calendar: the same
// reports, and every agency of the test calendar in the example, which
// adds the 2025 reorganisation (lifetimes, a successor agency). Their
// occurrences of 2019, computed, are the same.
func TestExampleMatchesLaoCai(t *testing.T) {
	ex, err := Load("../config.example.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	lc, err := Load("../testdata/laocai-2019.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Calendar.Reports) != len(lc.Calendar.Reports) {
		t.Fatalf("example has %d reports, laocai-2019 %d", len(ex.Calendar.Reports), len(lc.Calendar.Reports))
	}
	for i, r := range lc.Calendar.Reports {
		e := ex.Calendar.Reports[i]
		if e.Code != r.Code || e.Title != r.Title || len(e.Deadlines) != len(r.Deadlines) {
			t.Errorf("report %d differs: %s %q vs %s %q", i, e.Code, e.Title, r.Code, r.Title)
		}
	}
	for _, a := range lc.Calendar.Agencies {
		if e, ok := ex.Calendar.Agency(a.ID); !ok || e.Name != a.Name {
			t.Errorf("agency %s (%s) is not in the example", a.ID, a.Name)
		}
	}
	occurrences := func(cfg *Config) map[string]string {
		wd := scheduler.NewWorkdays(cfg.WorkRules)
		out := map[string]string{}
		for _, o := range scheduler.Occurrences(cfg.Calendar, 2019, wd, scheduler.DueOptions{SupportDays: cfg.Schedule.SupportDays}) {
			out[o.Code+" "+o.Period+" "+o.Agency+" "+string(o.Role)] = o.EffectiveDue.String()
		}
		return out
	}
	a, b := occurrences(ex), occurrences(lc)
	if len(a) != len(b) {
		t.Errorf("2019: the example has %d occurrences, laocai-2019 %d", len(a), len(b))
	}
	for k, v := range b {
		if a[k] != v {
			t.Errorf("2019 %s: example %q, laocai-2019 %q", k, a[k], v)
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
		{"successor-loop.toml", []problem{
			{17, "cơ quan kế nhiệm (successor) nối thành vòng: ubnd-a → ubnd-b → ubnd-a"},
			{31, `cơ quan kế nhiệm (successor) "ubnd-khong-co" không phải là cơ quan nào`},
		}},
		{"lifetimes.toml", []problem{
			{2, `ngày bắt đầu theo dõi (start): "31/02/2025" không phải là một ngày có thật`},
			{15, "ngày kết thúc (until) 30/06/2025 đứng trước ngày bắt đầu (from) 01/07/2025"},
			{21, `có cơ quan kế nhiệm (successor) "so-noi-vu" nhưng chưa có ngày kết thúc (until)`},
			{26, `"2025-13-01" không phải là một ngày có thật`},
			{26, `khóa "since" không có`},
			{33, "năm cuối áp dụng (until_year) 2026 đứng trước năm đầu áp dụng (from_year) 2027"},
			{36, `kỳ "quý 1" là cùng một kỳ với "Quý I"`},
			{38, `mã hạn (id) "Bao-cao-6-thang" trùng với "bao-cao-6-thang"`},
		}},
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

// Lifetimes, member terms, report years and deadline ids reach the
// calendar; TOML dates and quoted dates both read.
func TestLifetimes(t *testing.T) {
	src := `
[schedule]
start = 2026-01-01
[escalation]
focal_point = "so-noi-vu"
[mail]
from = "x@laocai.example"
[[agency]]
id = "so-noi-vu"
name = "Sở Nội vụ"
email = "snv@laocai.example"
[[agency]]
id = "ubnd-a"
name = "UBND huyện A"
email = "a@laocai.example"
until = 2025-06-30
successor = "xa"
[[agency]]
id = "xa"
name = "UBND cấp xã"
email = "xa@laocai.example"
from = "01/07/2025"
[[group]]
id = "cap-xa"
name = "UBND cấp xã"
members = [{ id = "xa", from = 2025-07-01 }, "ubnd-a"]
[[report]]
code = "1.2.1"
title = "Báo cáo"
lead = "so-noi-vu"
support = "cap-xa"
from_year = 2025
deadlines = [{ period = "Quy\u0301 I", due = "15/03", id = "q1" }]
`
	cfg, err := Parse("inline.toml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	cal := cfg.Calendar
	a, _ := cal.Agency("ubnd-a")
	x, _ := cal.Agency("xa")
	if a.Life.Until.String() != "2025-06-30" || a.Successor != "xa" || x.Life.From.String() != "2025-07-01" {
		t.Errorf("lifetimes: %+v %+v", a, x)
	}
	if term := cal.Groups[0].Terms["xa"]; term.From.String() != "2025-07-01" || len(cal.Groups[0].Terms) != 1 {
		t.Errorf("terms: %+v", cal.Groups[0].Terms)
	}
	r := cal.Reports[0]
	if r.FromYear != 2025 || r.Deadlines[0].ID != "q1" || r.Deadlines[0].Period != "Quý I" {
		t.Errorf("report: %+v", r)
	}
	if cfg.Schedule.Start.Date.String() != "2026-01-01" {
		t.Errorf("start = %v", cfg.Schedule.Start)
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

// A group's members may be one id, a list of ids and { id, from, until }
// tables, or [[group.members]] tables; each problem inside an entry is
// reported once, on its line, and the entry is not counted twice.
func TestMemberForms(t *testing.T) {
	head := `[escalation]
focal_point = "so-noi-vu"
[mail]
from = "x@laocai.example"
[[agency]]
id = "so-noi-vu"
name = "Sở Nội vụ"
email = "snv@laocai.example"
[[agency]]
id = "xa"
name = "UBND cấp xã"
email = "xa@laocai.example"
[[report]]
code = "1.2.1"
title = "Báo cáo"
lead = "so-noi-vu"
support = "nhom"
deadlines = [{ period = "Quý I", due = "15/03" }]
`
	for _, tt := range []struct {
		members string
		ids     []string
	}{
		{"[[group]]\nid = \"nhom\"\nname = \"Nhóm\"\nmembers = \"xa\"\n", []string{"xa"}},
		{"[[group]]\nid = \"nhom\"\nname = \"Nhóm\"\nmembers = [\"so-noi-vu\", { id = \"xa\", until = \"30/06/2025\" }]\n", []string{"so-noi-vu", "xa"}},
		{"[[group]]\nid = \"nhom\"\nname = \"Nhóm\"\n[[group.members]]\nid = \"xa\"\nfrom = 2025-07-01\n", []string{"xa"}},
	} {
		cfg, err := Parse("m.toml", []byte(head+tt.members), nil)
		if err != nil {
			t.Errorf("%s: %v", tt.members, err)
			continue
		}
		if got := cfg.Calendar.Groups[0].Members; strings.Join(got, ",") != strings.Join(tt.ids, ",") {
			t.Errorf("%s: members %v, want %v", tt.members, got, tt.ids)
		}
	}

	bad := head + `[[group]]
id = "nhom"
name = "Nhóm"
members = [
  { id = "xa", since = 2025-07-01, from = "2025-13-01" },
  { id = "xa" },
  { from = 2025-07-01 },
  7,
]
`
	_, err := Parse("m.toml", []byte(bad), nil)
	want := `m.toml:23: ngày vào nhóm (from): "2025-13-01" không phải là một ngày có thật
m.toml:23: khóa "since" không có trong thành viên { id, from, until } của nhóm; có phải ý bạn là from?
m.toml:25: thành viên viết trong { } thiếu khóa id, ví dụ { id = "so-noi-vu", from = 2025-07-01 }
m.toml:26: mỗi thành viên (members) là một mã trong ngoặc kép, ví dụ "so-noi-vu", hoặc { id = "so-noi-vu", from = 2025-07-01, until = 2026-06-30 }`
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

// last_year is refused when nothing up to it can be tracked: before the
// year before the current one without a start, or when every date up to
// it is before start. With an early start, an old last_year is fine.
func TestLastYearAndStart(t *testing.T) {
	defer fixClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))()
	src := func(schedule string) []byte {
		return []byte("[schedule]\n" + schedule + `
[escalation]
focal_point = "so-noi-vu"
[mail]
from = "x@laocai.example"
[[agency]]
id = "so-noi-vu"
name = "Sở Nội vụ"
email = "snv@laocai.example"
[[report]]
code = "1.2.1"
title = "Báo cáo"
lead = "so-noi-vu"
deadlines = [{ period = "Quý I", due = "15/03" }]
`)
	}
	for _, tt := range []struct {
		schedule, want string
	}{
		{"last_year = 2020", "s.toml:2: năm cuối (last_year) 2020 đứng trước năm 2025"},
		{"last_year = 2020\nstart = 2019-01-01", ""},
		{"last_year = 2020\nfirst_year = 2019\nstart = \"01/01/2019\"", ""},
		{"last_year = 2024\nstart = 2026-01-01", "s.toml:2: năm cuối (last_year) 2024: các hạn của năm 2024 trở về trước đều trước ngày bắt đầu theo dõi (start) 01/01/2026"},
		{"last_year = 2025\nstart = 2026-01-01", ""},
		// first_year does not make tracking start earlier: start does.
		{"first_year = 2019\nlast_year = 2019", "s.toml:3: năm cuối (last_year) 2019 đứng trước năm 2025"},
		{"first_year = 2019\nlast_year = 2025", ""},
	} {
		_, err := Parse("s.toml", src(tt.schedule), nil)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: %v", tt.schedule, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%q: %v, want %s…", tt.schedule, err, tt.want)
		}
	}
}

// A syntax mistake does not hide the other problems of the file: in the
// test calendar, an unclosed quote on one line and a wrong value on
// another are both reported, and nothing else (the agency whose name line
// is set aside is not reported nameless).
func TestSyntaxAndValues(t *testing.T) {
	defer fixClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))()
	src, err := os.ReadFile("../testdata/laocai-2019.toml")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(edits map[int]string) []byte {
		lines := strings.Split(string(src), "\n")
		for n, l := range edits {
			if !strings.HasPrefix(lines[n-1], strings.Fields(l)[0]+" ") {
				t.Fatalf("line %d is %q", n, lines[n-1])
			}
			lines[n-1] = l
		}
		return []byte(strings.Join(lines, "\n"))
	}
	for _, tt := range []struct {
		edits map[int]string
		want  string
	}{
		{map[int]string{37: `name = "Sở Nội vụ`, 267: `points = "abc"`},
			"l.toml:37: thiếu dấu \" đóng ở cuối giá trị; mở và đóng ngoặc kép trên cùng một dòng, ví dụ name = \"Sở Nội vụ\"\n" +
				"l.toml:267: điểm (points) phải là một số, ví dụ 0.25"},
		{map[int]string{243: `points = 0,25`, 267: `points = "0,25"`},
			"l.toml:243: điểm (points) phải là một số, ví dụ 0.25 (dùng dấu chấm, không dùng dấu phẩy)\n" +
				"l.toml:267: điểm (points) phải là một số, ví dụ 0.25 (dùng dấu chấm, không dùng dấu phẩy)"},
		// The id line of the focal point, set aside: the agency is still
		// known by the id that can be read on it.
		{map[int]string{36: `id = "so-noi-vu`},
			"l.toml:36: thiếu dấu \" đóng ở cuối giá trị; mở và đóng ngoặc kép trên cùng một dòng, ví dụ id = \"so-noi-vu\""},
		// An unreadable start: last_year is not judged without it.
		{map[int]string{8: `first_year = 2019`, 11: `start = 01/01/2019`, 13: `quiet = ""` + "\nlast_year = 2019"},
			"l.toml:11: ngày bắt đầu theo dõi (start): ngày phải đặt trong ngoặc kép, ví dụ \"01/01/2019\", hoặc viết theo dạng 2019-04-15"},
	} {
		_, err := Parse("l.toml", edit(tt.edits), nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%v:\ngot  %v\nwant %s", tt.edits, err, tt.want)
		}
	}
}
