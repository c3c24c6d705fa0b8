package scheduler

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"hanchot"
)

// WorkdayRules are the settings that decide which days are off.
type WorkdayRules struct {
	TetBefore  int  // days off before lunar new year's day (1: the last day of the old year)
	TetAfter   int  // days off after it (3: mùng 2 to mùng 4)
	Compensate bool // a holiday on a weekend gives the next working day off (nghỉ bù)
	// DaysOff and WorkingDays are what the Government announces each year:
	// extra days off, and weekend days that become working days (làm bù).
	DaysOff     map[hanchot.Date]string
	WorkingDays map[hanchot.Date]string
}

// DefaultWorkdayRules is the 5-day Tết break from the last day of the old
// year to the 4th day of the new one, with compensatory days.
func DefaultWorkdayRules() WorkdayRules {
	return WorkdayRules{TetBefore: 1, TetAfter: 3, Compensate: true}
}

// Workdays answers whether a day is a working day: Monday to Friday, less
// public holidays, less the configured days off, plus the configured
// make-up working days. It caches each year's holidays; it is safe for
// concurrent use.
type Workdays struct {
	rules WorkdayRules
	mu    sync.Mutex
	years map[int]map[hanchot.Date]string
}

// NewWorkdays returns a calculator for the given rules.
func NewWorkdays(r WorkdayRules) *Workdays {
	return &Workdays{rules: r, years: map[int]map[hanchot.Date]string{}}
}

// statutory returns the public holidays of year y set by law (Labour Code
// 2019, art. 112), before compensation and announcements.
func (w *Workdays) statutory(y int) []hanchot.Holiday {
	var hs []hanchot.Holiday
	add := func(d hanchot.Date, name string) { hs = append(hs, hanchot.Holiday{Date: d, Name: name}) }
	add(hanchot.NewDate(y, 1, 1), "Tết Dương lịch")
	// Tết of the lunar year starting in y, and the tail of the break of the
	// lunar year starting in y+1 when it reaches back into December.
	for _, ly := range []int{y, y + 1} {
		tet := Tet(ly)
		for i := -w.rules.TetBefore; i <= w.rules.TetAfter; i++ {
			d := tet.AddDays(i)
			if d.Year() != y {
				continue
			}
			switch {
			case i < 0:
				add(d, fmt.Sprintf("Tết Nguyên Đán (%d ngày trước mùng 1)", -i))
			case i == 0:
				add(d, "Tết Nguyên Đán (mùng 1)")
			default:
				add(d, fmt.Sprintf("Tết Nguyên Đán (mùng %d)", i+1))
			}
		}
	}
	add(HungKings(y), "Giỗ Tổ Hùng Vương (10/3 âm lịch)")
	add(hanchot.NewDate(y, 4, 30), "Ngày Chiến thắng (30/4)")
	add(hanchot.NewDate(y, 5, 1), "Ngày Quốc tế Lao động (1/5)")
	add(hanchot.NewDate(y, 9, 2), "Quốc khánh (2/9)")
	if y >= 2021 {
		add(nationalDayNeighbour(y), "Quốc khánh (ngày liền kề)")
	}
	return hs
}

// nationalDayNeighbour picks the day next to 2/9 that the law leaves to the
// Government: the one that joins the holiday to a weekend (1/9 when 2/9 is a
// Tuesday, Friday or Saturday; 3/9 otherwise). A year's announcement can
// override it through DaysOff and WorkingDays.
func nationalDayNeighbour(y int) hanchot.Date {
	d := hanchot.NewDate(y, 9, 2)
	switch d.Weekday() {
	case time.Tuesday, time.Friday, time.Saturday:
		return d.AddDays(-1)
	}
	return d.AddDays(1)
}

// offDays returns the days off of year y (other than weekends) with names.
func (w *Workdays) offDays(y int) map[hanchot.Date]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if m, ok := w.years[y]; ok {
		return m
	}
	m := map[hanchot.Date]string{}
	hs := w.statutory(y)
	for _, h := range hs {
		m[h.Date] = h.Name
	}
	if w.rules.Compensate {
		// A holiday on a weekend moves to the next day that is neither a
		// weekend nor already off, in date order so that runs (Tết) stack.
		sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
		for _, h := range hs {
			if !h.Date.IsWeekend() {
				continue
			}
			d := h.Date.AddDays(1)
			for d.IsWeekend() || m[d] != "" {
				d = d.AddDays(1)
			}
			if d.Year() == y {
				m[d] = "Nghỉ bù " + h.Name
			}
		}
	}
	for d, name := range w.rules.DaysOff {
		if d.Year() == y {
			m[d] = name
		}
	}
	for d := range w.rules.WorkingDays {
		delete(m, d)
	}
	w.years[y] = m
	return m
}

// Holidays lists the days off of year y that fall on weekdays or are named
// holidays, in date order: the public holidays, compensatory days and the
// configured days off. Weekends are not listed unless a holiday falls on
// one.
func (w *Workdays) Holidays(y int) []hanchot.Holiday {
	var hs []hanchot.Holiday
	for d, name := range w.offDays(y) {
		hs = append(hs, hanchot.Holiday{Date: d, Name: name})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// IsWorkingDay reports whether d is a working day.
func (w *Workdays) IsWorkingDay(d hanchot.Date) bool {
	if _, ok := w.rules.WorkingDays[d]; ok {
		return true
	}
	if d.IsWeekend() {
		return false
	}
	_, off := w.offDays(d.Year())[d]
	return !off
}

// OnOrAfter returns d if it is a working day, else the next working day.
func (w *Workdays) OnOrAfter(d hanchot.Date) hanchot.Date {
	for !w.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// OnOrBefore returns d if it is a working day, else the previous one.
func (w *Workdays) OnOrBefore(d hanchot.Date) hanchot.Date {
	for !w.IsWorkingDay(d) {
		d = d.AddDays(-1)
	}
	return d
}

// AddWorkingDays moves n working days from d (backwards when n < 0). With
// n = 0 it returns d unchanged.
func (w *Workdays) AddWorkingDays(d hanchot.Date, n int) hanchot.Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if w.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// Quiet is when no mail is sent: outside office hours, and on days off.
// A pass in quiet time queues what is due and sends it when the window
// opens ("defer, don't drop").
type Quiet struct {
	// From and Until are minutes after midnight: quiet from From until
	// Until, across midnight when From is after Until (17:30–07:00).
	// Equal: no quiet hours.
	From, Until int
	DaysOff     bool // days off are quiet all day
}

// At reports whether t is in quiet time and, if so, when sending may
// start again. wd tells days off; t's zone is the configured one.
func (q Quiet) At(t time.Time, wd *Workdays) (bool, time.Time) {
	if !q.quiet(t, wd) {
		return false, time.Time{}
	}
	loc := t.Location()
	for i := 0; i < 60 && q.quiet(t, wd); i++ {
		day := hanchot.DateOf(t, loc)
		switch minute := t.Hour()*60 + t.Minute(); {
		case q.DaysOff && !wd.IsWorkingDay(day):
			t = day.AddDays(1).At(0, 0, loc)
		case q.From > q.Until && minute >= q.From:
			t = day.AddDays(1).At(q.Until/60, q.Until%60, loc)
		default:
			t = day.At(q.Until/60, q.Until%60, loc)
		}
	}
	return true, t
}

func (q Quiet) quiet(t time.Time, wd *Workdays) bool {
	if q.DaysOff && !wd.IsWorkingDay(hanchot.DateOf(t, t.Location())) {
		return true
	}
	minute := t.Hour()*60 + t.Minute()
	switch {
	case q.From < q.Until:
		return minute >= q.From && minute < q.Until
	case q.From > q.Until:
		return minute >= q.From || minute < q.Until
	}
	return false
}

// ParseQuiet reads quiet hours written "17:30-07:00" (from, until; across
// midnight when from is later); "" means none.
func ParseQuiet(s string, daysOff bool) (Quiet, error) {
	q := Quiet{DaysOff: daysOff}
	s = strings.TrimSpace(s)
	if s == "" {
		return q, nil
	}
	from, until, ok := strings.Cut(s, "-")
	if !ok {
		return q, fmt.Errorf("%q: write the quiet hours as from-until, e.g. \"17:30-07:00\"", s)
	}
	var err error
	if q.From, err = clockMinutes(from); err == nil {
		q.Until, err = clockMinutes(until)
	}
	if err != nil {
		return q, fmt.Errorf("%q: %v", s, err)
	}
	if q.From == q.Until {
		return q, fmt.Errorf("%q: from and until are the same time; write \"\" for no quiet hours", s)
	}
	return q, nil
}

func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day (write 07:00)", strings.TrimSpace(s))
	}
	return t.Hour()*60 + t.Minute(), nil
}
