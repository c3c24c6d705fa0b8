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
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return Date{t}, nil
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

// ParseTime reads an instant written RFC 3339, YYYY-MM-DDTHH:MM,
// YYYY-MM-DD HH:MM or YYYY-MM-DD (midnight); forms without an offset are in
// loc.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time (want RFC 3339, YYYY-MM-DDTHH:MM or YYYY-MM-DD)", s)
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
