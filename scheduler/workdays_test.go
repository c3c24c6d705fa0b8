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

func TestQuiet(t *testing.T) {
	loc := vnLoc(t)
	wd := NewWorkdays(DefaultWorkdayRules())
	q := Quiet{From: 17*60 + 30, Until: 7 * 60, DaysOff: true}
	for _, tt := range []struct {
		at, until string // until "" = not quiet
	}{
		{"2019-03-08T08:00", ""},                 // Friday morning
		{"2019-03-08T17:29", ""},                 // just before the close
		{"2019-03-08T17:30", "2019-03-11T07:00"}, // Friday evening: Monday
		{"2019-03-11T00:30", "2019-03-11T07:00"}, // a start-up at night
		{"2019-03-09T10:00", "2019-03-11T07:00"}, // Saturday
		{"2019-02-04T09:00", "2019-02-11T07:00"}, // Tết 2019 (4–8/2), then a Monday
		{"2019-04-30T09:00", "2019-05-02T07:00"}, // 30/4 and 1/5
	} {
		quiet, until := q.At(at(t, tt.at), wd)
		if got := ""; quiet {
			got = until.In(loc).Format("2006-01-02T15:04")
			if got != tt.until {
				t.Errorf("%s: quiet until %s, want %q", tt.at, got, tt.until)
			}
		} else if tt.until != "" {
			t.Errorf("%s: not quiet, want until %s", tt.at, tt.until)
		}
	}
	if quiet, _ := (Quiet{}).At(at(t, "2019-03-09T03:00"), wd); quiet {
		t.Error("no quiet hours set, but quiet")
	}
	lunch := Quiet{From: 12 * 60, Until: 13 * 60}
	if quiet, until := lunch.At(at(t, "2019-03-08T12:15"), wd); !quiet || until.Format("15:04") != "13:00" {
		t.Errorf("lunch: %v %v", quiet, until)
	}
}
