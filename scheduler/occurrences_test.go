package scheduler

import (
	"fmt"
	"testing"

	"hanchot"
)

func mustRule(s string) hanchot.Rule {
	r, err := hanchot.ParseRule(s)
	if err != nil {
		panic(err)
	}
	return r
}

// testCalendar is a slice of the Lào Cai calendar.
func testCalendar() *hanchot.Calendar {
	return &hanchot.Calendar{
		Agencies: []hanchot.Agency{
			{ID: "so-noi-vu", Name: "Sở Nội vụ", Emails: []string{"snv@laocai.example"}},
			{ID: "so-tu-phap", Name: "Sở Tư pháp", Emails: []string{"stp@laocai.example"}},
			{ID: "ubnd-bat-xat", Name: "UBND huyện Bát Xát", Emails: []string{"bx@laocai.example"}},
		},
		Groups: []hanchot.Group{
			{ID: "cac-so", Name: "Các Sở, ban, ngành", Members: []string{"so-noi-vu", "so-tu-phap"}},
			{ID: "huyen", Name: "UBND các huyện", Members: []string{"ubnd-bat-xat"}},
			{ID: "tat-ca", Name: "Tất cả", Members: []string{"cac-so", "huyen"}},
		},
		Reports: []hanchot.Report{
			{Code: "1.1", Lead: []string{"so-noi-vu"}, Support: []string{"tat-ca"},
				Deadlines: []hanchot.Deadline{{Period: "Cả năm", Rule: mustRule("quý IV năm trước")}}},
			{Code: "1.2.1", Lead: []string{"so-noi-vu"}, Support: []string{"cac-so", "huyen"},
				Deadlines: []hanchot.Deadline{
					{Period: "Quý I", Rule: mustRule("trước ngày 15/3")},
					{Period: "6 tháng", Rule: mustRule("trước ngày 15/6")},
					{Period: "Quý III", Rule: mustRule("trước ngày 15/9")},
					{Period: "Cả năm", Rule: mustRule("trước ngày 10/12")},
				}},
			{Code: "1.2.2", Lead: []string{"so-tu-phap"}, Support: []string{"huyen"},
				Deadlines: []hanchot.Deadline{{Period: "Cả năm", Rule: mustRule("28/02 năm sau")}}},
			{Code: "9.9", Lead: []string{"so-tu-phap"},
				Deadlines: []hanchot.Deadline{{Period: "Cả năm", Rule: mustRule("15/06"), Keep: true}}},
		},
	}
}

func TestOccurrences(t *testing.T) {
	wd := NewWorkdays(DefaultWorkdayRules())
	occs := Occurrences(testCalendar(), 2019, wd, DueOptions{SupportDays: 3})
	got := map[string]string{}
	for _, o := range occs {
		got[fmt.Sprintf("%s %s %s %s", o.Code, o.Period, o.Agency, o.Role)] = o.Due.String() + " " + o.EffectiveDue.String()
	}
	tests := []struct{ key, want string }{
		{"1.1 Cả năm so-noi-vu lead", "2018-12-31 2018-12-31"},
		{"1.2.1 Quý I so-noi-vu lead", "2019-03-15 2019-03-15"},
		// 15/06/2019 is a Saturday: the date that counts is Monday 17/06.
		{"1.2.1 6 tháng so-noi-vu lead", "2019-06-15 2019-06-17"},
		{"1.2.1 Quý III so-noi-vu lead", "2019-09-15 2019-09-16"},
		{"1.2.1 Cả năm so-noi-vu lead", "2019-12-10 2019-12-10"},
		// Supporting agencies' input: 3 working days before the lead's date.
		{"1.2.1 Quý I so-tu-phap support", "2019-03-15 2019-03-12"},
		{"1.2.1 6 tháng ubnd-bat-xat support", "2019-06-15 2019-06-12"},
		{"1.2.2 Cả năm so-tu-phap lead", "2020-02-28 2020-02-28"},
		// keep: the Saturday stays.
		{"9.9 Cả năm so-tu-phap lead", "2019-06-15 2019-06-15"},
	}
	for _, tt := range tests {
		if got[tt.key] != tt.want {
			t.Errorf("%s: got %q, want %q", tt.key, got[tt.key], tt.want)
		}
	}
	// The lead is not also a supporting agency of its own report, and a
	// group reached twice counts each agency once.
	if _, ok := got["1.2.1 Quý I so-noi-vu support"]; ok {
		t.Error("so-noi-vu leads 1.2.1 and should not also support it")
	}
	if n := len(occs); n != 3+4*3+2+1 {
		t.Errorf("got %d occurrences, want %d", n, 3+4*3+2+1)
	}
}

func TestYears(t *testing.T) {
	d := func(s string) hanchot.Date { v, _ := hanchot.ParseDate(s); return v }
	today := d("2026-12-01")
	wd := NewWorkdays(DefaultWorkdayRules())
	if got := fmt.Sprint(OpenYears(today, wd, 2019, 0, nil)); got != "[2025 2026 2027]" {
		t.Errorf("OpenYears = %s", got)
	}
	// 2024's dates end at the latest on 31/12/2025, a Wednesday: 2024 is
	// open until that day.
	if got := fmt.Sprint(OpenYears(d("2025-12-31"), wd, 2019, 0, nil)); got != "[2024 2025 2026]" {
		t.Errorf("OpenYears on the last day of 2024's dates = %s", got)
	}
	if got := fmt.Sprint(OpenYears(d("2026-01-01"), wd, 2019, 0, nil)); got != "[2025 2026 2027]" {
		t.Errorf("OpenYears the day after = %s", got)
	}
	// 31/12/2028 is a Sunday and 1/1/2029 the New Year holiday: a date of
	// 2027 can be moved to Tuesday 2/1/2029.
	if got := fmt.Sprint(OpenYears(d("2029-01-02"), wd, 2019, 0, nil)); got != "[2027 2028 2029 2030]" {
		t.Errorf("OpenYears after the New Year holiday = %s", got)
	}
	if got := fmt.Sprint(OpenYears(d("2029-01-03"), wd, 2019, 0, nil)); got != "[2028 2029 2030]" {
		t.Errorf("OpenYears once it has passed = %s", got)
	}
	if got := fmt.Sprint(OpenYears(d("2019-03-01"), wd, 2019, 2019, nil)); got != "[2019]" {
		t.Errorf("OpenYears bounded = %s", got)
	}
	// An item extended past its year's last possible date keeps its year
	// open; a year before the first tracked is not brought back.
	if got := fmt.Sprint(OpenYears(d("2029-01-03"), wd, 2019, 0, []int{2024, 2018, 2027, 2024, 2029})); got != "[2024 2027 2028 2029 2030]" {
		t.Errorf("OpenYears with extended items = %s", got)
	}
	if got := fmt.Sprint(SyncYears(d("2021-05-01"), hanchot.Date{}, 2019, 0)); got != "[2019 2020 2021 2022]" {
		t.Errorf("SyncYears = %s", got)
	}
	if got := fmt.Sprint(SyncYears(d("2021-05-01"), hanchot.Date{}, 0, 0)); got != "[2020 2021 2022]" {
		t.Errorf("SyncYears unbounded = %s", got)
	}
	if got := fmt.Sprint(SyncYears(d("2021-05-01"), d("2018-01-01"), 0, 0)); got != "[2018 2019 2020 2021 2022]" {
		t.Errorf("SyncYears from start = %s", got)
	}
	if got := fmt.Sprint(YearsTouching(d("2021-01-15"), d("2021-03-01"), 2019, 0)); got != "[2019 2020 2021 2022]" {
		t.Errorf("YearsTouching = %s", got)
	}
}

// Lifetimes: a report applies from its first year; an agency past its end
// is replaced by its successor; a group member outside its term is left out.
func TestOccurrences_Lifetimes(t *testing.T) {
	d := func(s string) hanchot.Date { v, _ := hanchot.ParseDate(s); return v }
	cal := testCalendar()
	cal.Agencies[2].Life = hanchot.Span{Until: d("2025-06-30")}
	cal.Agencies[2].Successor = "xa"
	cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: "xa", Name: "UBND cấp xã", Life: hanchot.Span{From: d("2025-07-01")}},
		hanchot.Agency{ID: "so-moi", Name: "Sở mới"})
	cal.Groups[0].Members = append(cal.Groups[0].Members, "so-moi")
	cal.Groups[0].Terms = map[string]hanchot.Span{"so-moi": {From: d("2025-04-01")}}
	cal.Reports[3].FromYear = 2026 // 9.9
	wd := NewWorkdays(DefaultWorkdayRules())
	who := func(y int, code, period string) map[string]hanchot.Role {
		out := map[string]hanchot.Role{}
		for _, o := range Occurrences(cal, y, wd, DueOptions{SupportDays: 3}) {
			if o.Code == code && o.Period == period {
				out[o.Agency] = o.Role
			}
		}
		return out
	}
	if got := who(2025, "1.2.1", "Quý I"); got["ubnd-bat-xat"] != hanchot.Support || got["xa"] != "" || got["so-moi"] != "" {
		t.Errorf("2025 Quý I: %v", got)
	}
	if got := who(2025, "1.2.1", "6 tháng"); got["ubnd-bat-xat"] != hanchot.Support || got["so-moi"] != hanchot.Support {
		t.Errorf("2025 6 tháng: %v", got)
	}
	if got := who(2025, "1.2.1", "Quý III"); got["ubnd-bat-xat"] != "" || got["xa"] != hanchot.Support {
		t.Errorf("2025 Quý III: %v", got)
	}
	if got := who(2025, "9.9", "Cả năm"); len(got) != 0 {
		t.Errorf("9.9 applies from 2026, 2025 has %v", got)
	}
	if got := who(2026, "9.9", "Cả năm"); got["so-tu-phap"] != hanchot.Lead {
		t.Errorf("9.9 in 2026: %v", got)
	}
}

// provinceCalendar generates a calendar the size of a province: 200
// agencies in 4 groups, 100 reports with one to four deadlines each.
func provinceCalendar(agencies, reports int) *hanchot.Calendar {
	cal := &hanchot.Calendar{}
	groups := make([][]string, 4)
	for i := 0; i < agencies; i++ {
		id := fmt.Sprintf("agency-%03d", i)
		cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: id, Name: "Cơ quan " + id, Emails: []string{id + "@tinh.example"}})
		groups[i%4] = append(groups[i%4], id)
	}
	for g, m := range groups {
		cal.Groups = append(cal.Groups, hanchot.Group{ID: fmt.Sprintf("group-%d", g), Name: "Nhóm", Members: m})
	}
	forms := [][]string{
		{"trong năm"},
		{"15/03", "15/06", "15/09", "10/12"},
		{"28/02 năm sau"},
		{"quý III", "quý IV năm trước"},
	}
	for i := 0; i < reports; i++ {
		r := hanchot.Report{
			Code:    fmt.Sprintf("%d.%d", i/10+1, i%10+1),
			Lead:    []string{cal.Agencies[i%agencies].ID},
			Support: []string{fmt.Sprintf("group-%d", i%4), fmt.Sprintf("group-%d", (i+1)%4)},
		}
		for j, f := range forms[i%len(forms)] {
			r.Deadlines = append(r.Deadlines, hanchot.Deadline{Period: fmt.Sprintf("Kỳ %d", j+1), Rule: mustRule(f)})
		}
		cal.Reports = append(cal.Reports, r)
	}
	return cal
}

func BenchmarkOccurrences_Province(b *testing.B) {
	cal := provinceCalendar(200, 100)
	wd := NewWorkdays(DefaultWorkdayRules())
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n = len(Occurrences(cal, 2019, wd, DueOptions{SupportDays: 3}))
	}
	b.ReportMetric(float64(n), "occurrences")
}
