package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hanchot/config"
	"hanchot/scheduler"
)

// province writes a generated province's configuration into dir and
// returns its path: 200 agencies, 100 reports with 400 deadlines of every
// form the grammar has, each supported by one of 12 groups of 10 to 25
// agencies; 4,400 to 10,400 occurrences a reporting year. first is the
// first reporting year tracked; the database is dir/h.db and mail goes to
// dir/outbox as .eml files.
func province(tb testing.TB, dir string, first int) string {
	tb.Helper()
	r := rand.New(rand.NewPCG(2026, 12))
	var b strings.Builder
	fmt.Fprintf(&b, `timezone = "Asia/Ho_Chi_Minh"

[store]
path = "h.db"

[schedule]
first_year = %d
start = %d-01-01
quiet = ""

[escalation]
focal_point = "agency-000"
after_days = [1, 7, 15]

[mail]
transport = "dir"
dir = "outbox"
from = "Sở Nội vụ <cchc@tinh.example>"
`, first, first)
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "\n[[agency]]\nid = \"agency-%03d\"\nname = \"Cơ quan số %d\"\nemail = \"a%03d@tinh.example\"\n", i, i, i)
	}
	for g := 0; g < 12; g++ {
		n := 10 + r.IntN(16)
		var members []string
		for _, m := range r.Perm(199)[:n] {
			members = append(members, fmt.Sprintf("%q", fmt.Sprintf("agency-%03d", m+1)))
		}
		fmt.Fprintf(&b, "\n[[group]]\nid = \"group-%02d\"\nname = \"Nhóm %d\"\nmembers = [%s]\n", g, g, strings.Join(members, ", "))
	}
	forms := []func(q int) string{
		func(q int) string { return fmt.Sprintf("trước ngày %02d/%02d", 5+r.IntN(20), 3*q) },
		func(q int) string { return []string{"quý I", "quý II", "quý III", "quý IV"}[q-1] },
		func(q int) string { return fmt.Sprintf("%02d/%02d", 1+r.IntN(27), 3*q-1) },
		func(q int) string { return fmt.Sprintf("trước ngày %02d/02 năm sau", 1+r.IntN(27)) },
		func(q int) string { return "trong năm" },
		func(q int) string { return "quý IV năm trước" },
	}
	periods := []string{"Quý I", "6 tháng", "Quý III", "Cả năm"}
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "\n[[report]]\ncode = \"%d.%d\"\ntitle = \"Báo cáo số %d\"\nlead = \"agency-%03d\"\nsupport = \"group-%02d\"\ndeadlines = [\n",
			i/10+1, i%10+1, i, 1+r.IntN(199), r.IntN(12))
		for q := 1; q <= 4; q++ {
			form := r.IntN(len(forms))
			if q < 4 && form >= 3 {
				form = r.IntN(3) // the year-end forms only on "Cả năm"
			}
			fmt.Fprintf(&b, "  { period = %q, due = %q },\n", periods[q-1], forms[form](q))
		}
		b.WriteString("]\n")
	}
	path := filepath.Join(dir, "hanchot.toml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// remFile writes the reminders a pass over the years around year loads
// as a remind(1) file: one REM per occurrence, with the longest reminder
// lead, the reference a year's preview is measured against.
func remFile(tb testing.TB, cfgPath string, years ...int) (string, int) {
	tb.Helper()
	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		tb.Fatal(err)
	}
	wd := scheduler.NewWorkdays(cfg.WorkRules)
	var b strings.Builder
	n := 0
	for _, y := range years {
		for _, o := range scheduler.Occurrences(cfg.Calendar, y, wd, scheduler.DueOptions{SupportDays: cfg.Schedule.SupportDays}) {
			d := o.EffectiveDue
			fmt.Fprintf(&b, "REM %d %s %d +14 MSG %s %s %d %s %s\n", d.Day(), time.Month(d.Month()).String()[:3], d.Year(),
				o.Code, o.Period, o.Year, o.Agency, o.Role)
			n++
		}
	}
	path := filepath.Join(filepath.Dir(cfgPath), "province.rem")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path, n
}

// The generated province is a valid calendar of the promised size.
func TestProvince(t *testing.T) {
	path := province(t, t.TempDir(), 2026)
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	wd := scheduler.NewWorkdays(cfg.WorkRules)
	n := len(scheduler.Occurrences(cfg.Calendar, 2026, wd, scheduler.DueOptions{SupportDays: 3}))
	if n < 4400 || n > 10400 {
		t.Errorf("%d occurrences in 2026", n)
	}
}
