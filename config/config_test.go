package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		{"syntax.toml", []problem{{5, "newlines"}}},
		{"unknown-key.toml", []problem{{6, `unknown key "mail.hots"`}, {15, `unknown key "report.titel"`}}},
		{"wrong-type.toml", []problem{{6, "mail.port: incompatible types"}}},
		{"duplicate-id.toml", []problem{{13, `id "so-noi-vu" is already used`}, {24, `report code "1.2.1" is used twice`}}},
		{"unknown-reference.toml", []problem{
			{15, `member "so-tu-phap" is neither`},
			{20, `lead "so-tu-phap" is not an agency`},
			{21, `support "ubnd-cap-huyen" is neither`},
		}},
		{"group-cycle.toml", []problem{{15, "groups form a cycle: nhom-a → nhom-b → nhom-a"}}},
		{"impossible-date.toml", []problem{{8, `"2019-02-30" is not a date`}, {21, "31/2 is not a day of the year"}}},
		{"bad-email.toml", []problem{{10, `"snv at laocai.example" is not an email address`}}},
		{"bad-cron.toml", []problem{{2, "not a cron expression"}}},
		{"focal-not-agency.toml", []problem{{2, `focal_point "cac-so" is not an agency`}}},
		{"bad-rule.toml", []problem{{16, "names a year"}}},
		{"password-in-file.toml", []problem{{7, "HANCHOT_MAIL_PASSWORD"}}},
		{"successor-loop.toml", []problem{
			{17, "successors form a loop: ubnd-a → ubnd-b → ubnd-a"},
			{31, `successor "ubnd-khong-co" is not an agency`},
		}},
		{"lifetimes.toml", []problem{
			{2, `schedule.start: "31/02/2025" is not a day of the year`},
			{15, "until 2025-06-30 is before from 2025-07-01"},
			{21, `names successor "so-noi-vu" but no until`},
			{26, `"2025-13-01" is not a date`},
			{26, `unknown key "since"`},
			{33, "until_year 2026 is before from_year 2027"},
			{36, `period "quý 1" is the same period as "Quý I"`},
			{38, `deadline id "Bao-cao-6-thang" is the same as "bao-cao-6-thang"`},
		}},
		{"many-errors.toml", []problem{
			{1, "not a known time zone"},
			{4, "not a cron expression"},
			{5, "lists 3 twice"},
			{11, `mail.transport "pigeon"`},
			{12, `mail.tls "maybe"`},
			{13, "mail.from"},
			{16, "agency id"},
			{21, "report code"},
			{22, "no title"},
			{24, "no deadlines"},
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
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "HANCHOT_MAIL_PORT") || !strings.Contains(err.Error(), `mail.tls "sometimes"`) {
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
