package scheduler

import (
	"strings"
	"testing"

	"hanchot"
)

func day(s string) hanchot.Date {
	d, err := hanchot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestHolidays2019(t *testing.T) {
	wd := NewWorkdays(DefaultWorkdayRules())
	var got []string
	for _, h := range wd.Holidays(2019) {
		got = append(got, h.Date.String())
	}
	want := []string{
		"2019-01-01",
		"2019-02-04", "2019-02-05", "2019-02-06", "2019-02-07", "2019-02-08", // 30 Tết to mùng 4
		"2019-04-14", "2019-04-15", // Giỗ Tổ on a Sunday, compensated on Monday
		"2019-04-30", "2019-05-01",
		"2019-09-02", // the day next to 2/9 only from 2021
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Holidays(2019)\n got %v\nwant %v", got, want)
	}
}

func TestHolidays_NationalDayPair(t *testing.T) {
	wd := NewWorkdays(DefaultWorkdayRules())
	tests := []struct {
		year int
		want string
	}{
		{2021, "2021-09-03"}, // 2/9 a Thursday: Friday 3/9
		{2022, "2022-09-01"}, // 2/9 a Friday: Thursday 1/9
		{2025, "2025-09-01"}, // 2/9 a Tuesday: Monday 1/9
	}
	for _, tt := range tests {
		if wd.IsWorkingDay(day(tt.want)) {
			t.Errorf("%s should be off in %d", tt.want, tt.year)
		}
	}
}

func TestWorkdays_Configured(t *testing.T) {
	r := DefaultWorkdayRules()
	r.DaysOff = map[hanchot.Date]string{day("2019-12-30"): "Nghỉ theo thông báo"}
	r.WorkingDays = map[hanchot.Date]string{day("2019-12-28"): "Làm bù"}
	wd := NewWorkdays(r)
	if wd.IsWorkingDay(day("2019-12-30")) {
		t.Error("a configured day off is a working day")
	}
	if !wd.IsWorkingDay(day("2019-12-28")) {
		t.Error("a configured make-up Saturday is not a working day")
	}
	r.Compensate = false
	if !NewWorkdays(r).IsWorkingDay(day("2019-04-15")) {
		t.Error("with compensate = false, 15/04/2019 should be a working day")
	}
}

func TestWorkdays_Moves(t *testing.T) {
	wd := NewWorkdays(DefaultWorkdayRules())
	tests := []struct {
		name string
		got  hanchot.Date
		want string
	}{
		// Civil Code art. 148: a Saturday due date moves to Monday.
		{"OnOrAfter Saturday", wd.OnOrAfter(day("2019-06-15")), "2019-06-17"},
		// Tết: Saturday 2/2/2019 moves past the break to Monday 11/2.
		{"OnOrAfter Tết", wd.OnOrAfter(day("2019-02-02")), "2019-02-11"},
		{"OnOrBefore Sunday", wd.OnOrBefore(day("2019-03-10")), "2019-03-08"},
		{"3 working days before Monday", wd.AddWorkingDays(day("2019-03-11"), -3), "2019-03-06"},
		{"2 working days before 2019-02-12", wd.AddWorkingDays(day("2019-02-12"), -2), "2019-02-01"},
		{"zero", wd.AddWorkingDays(day("2019-03-10"), 0), "2019-03-10"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}
