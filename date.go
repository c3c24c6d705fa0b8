package hanchot

import (
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day with no time of day and no zone. It is stored as
// midnight UTC so that day arithmetic never meets a zone offset; the zone
// only matters when a Date is turned into an instant (At) or read from one
// (DateOf).
type Date struct{ t time.Time }

// NewDate returns the date y-m-d. It normalises like time.Date does, so
// callers that need strictness use ParseDate or ValidDate.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ValidDate reports whether y-m-d names a real day (31/02 does not).
func ValidDate(y int, m time.Month, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	n := NewDate(y, m, d)
	return n.Day() == d && n.Month() == m
}

// ParseDate reads a date written YYYY-MM-DD and rejects days that do not
// exist.
func ParseDate(s string) (Date, error) {
	// The database stores every date this way: read it without the
	// general layout parser, which costs several times more.
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, okY := digits(s[0:4])
		m, okM := digits(s[5:7])
		d, okD := digits(s[8:10])
		if okY && okM && okD && ValidDate(y, time.Month(m), d) {
			return NewDate(y, time.Month(m), d), nil
		}
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

// digits reads a run of ASCII digits as a number.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns the day on which instant t falls in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Year, Month, Day and Weekday give the parts of d.
func (d Date) Year() int             { return d.t.Year() }
func (d Date) Month() time.Month     { return d.t.Month() }
func (d Date) Day() int              { return d.t.Day() }
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }
func (d Date) AddDays(n int) Date    { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Before(o Date) bool    { return d.t.Before(o.t) }
func (d Date) After(o Date) bool     { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool     { return d.t.Equal(o.t) }
func (d Date) Compare(o Date) int    { return d.t.Compare(o.t) }
func (d Date) Sub(o Date) int        { return int(d.t.Sub(o.t).Hours() / 24) }
func (d Date) IsWeekend() bool       { w := d.Weekday(); return w == time.Saturday || w == time.Sunday }
func (d Date) String() string        { return d.t.Format("2006-01-02") }
func (d Date) VN() string            { return d.t.Format("02/01/2006") }
func (d Date) At(hour, min int, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, min, 0, 0, loc)
}

// timeLayouts are the ways of writing an instant that ParseTime reads,
// besides RFC 3339: ISO dates with or without a time of day, and the
// Vietnamese day/month/year, with or without a time. Day and month may
// have one or two digits in the latter.
var timeLayouts = []string{
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02T15:04:05",
	"2006-01-02 15:04", "2006-01-02 15:04:05",
	"2/1/2006 15:04", "2/1/2006 15:04:05",
}

// dateLayouts are the ways of writing a day alone.
var dateLayouts = []string{"2006-01-02", "2/1/2006"}

// ParseTime reads an instant written RFC 3339 (2026-06-12T09:30:00+07:00),
// 2026-06-12T09:30, 2026-06-12 09:30, 2026-06-12 (midnight), 12/06/2026
// 09:30 or 12/06/2026 (midnight). Forms without an offset are in loc.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.In(loc), nil
		}
	}
	if d, ok := parseDay(s); ok {
		return d.At(0, 0, loc), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date or time (write 2026-06-12, 12/06/2026, 12/06/2026 09:30 or 2026-06-12T09:30:00+07:00)", s)
}

// ParseDay reads a day written in any form ParseTime reads; a time of day,
// if given, is dropped after placing the instant in loc.
func ParseDay(s string, loc *time.Location) (Date, error) {
	if d, ok := parseDay(strings.Join(strings.Fields(s), " ")); ok {
		return d, nil
	}
	t, err := ParseTime(s, loc)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t, loc), nil
}

func parseDay(s string) (Date, bool) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t}, true
		}
	}
	return Date{}, false
}

// MarshalText writes d as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
