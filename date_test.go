package hanchot

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata"
)

func mustLoc(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDateOf(t *testing.T) {
	loc := mustLoc(t)
	// 2019-03-14 20:00 UTC is already the 15th in Vietnam.
	instant := time.Date(2019, 3, 14, 20, 0, 0, 0, time.UTC)
	if got := DateOf(instant, loc).String(); got != "2019-03-15" {
		t.Errorf("DateOf = %s, want 2019-03-15", got)
	}
	d := NewDate(2019, 3, 15)
	if got := d.AddDays(17).Sub(d); got != 17 {
		t.Errorf("Sub = %d, want 17", got)
	}
	if NewDate(2019, 6, 15).Weekday() != time.Saturday {
		t.Error("15/06/2019 should be a Saturday")
	}
}

// Every date and time flag reads the same forms: ISO days, Vietnamese
// day/month/year with or without a time, and RFC 3339.
func TestParseTimeForms(t *testing.T) {
	loc := mustLoc(t)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-06-12", at(2026, 6, 12, 0, 0)},
		{"12/06/2026", at(2026, 6, 12, 0, 0)},
		{"12/6/2026", at(2026, 6, 12, 0, 0)},
		{"12/06/2026 09:30", at(2026, 6, 12, 9, 30)},
		{" 12/06/2026   9:30 ", at(2026, 6, 12, 9, 30)},
		{"12/06/2026 09:30:15", at(2026, 6, 12, 9, 30).Add(15 * time.Second)},
		{"2026-06-12T09:30", at(2026, 6, 12, 9, 30)},
		{"2026-06-12 09:30", at(2026, 6, 12, 9, 30)},
		{"2026-06-12T09:30:00+07:00", at(2026, 6, 12, 9, 30)},
		{"2026-06-12T02:30:00Z", at(2026, 6, 12, 9, 30)},
		{"2026-06-12T09:30+07:00", at(2026, 6, 12, 9, 30)},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, loc)
		if err != nil || !got.Equal(tt.want) || got.Location() != loc {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "30/02/2026", "2026-02-30", "12/13/2026", "2026/06/12", "12-06-2026", "12/06/26", "12/06/2026 25:00"} {
		if got, err := ParseTime(bad, loc); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
		}
	}
}

func TestParseDay(t *testing.T) {
	loc := mustLoc(t)
	for _, in := range []string{"2026-06-12", "12/06/2026", "12/06/2026 23:59", "2026-06-12T09:30", "2026-06-11T20:00:00Z"} {
		if got, err := ParseDay(in, loc); err != nil || got != NewDate(2026, 6, 12) {
			t.Errorf("ParseDay(%q) = %v, %v; want 2026-06-12", in, got, err)
		}
	}
	if _, err := ParseDay("31/04/2026", loc); err == nil {
		t.Error("ParseDay accepted 31/04")
	}
}

func TestParseDate_FastPathAgrees(t *testing.T) {
	for _, s := range []string{"2019-03-15", "2020-02-29", "2019-02-29", "2019-13-01", "2019-00-10", "2019-04-31", "20a9-01-01", " 2019-03-15", "2019-3-15"} {
		got, err := ParseDate(s)
		want, werr := time.Parse("2006-01-02", strings.TrimSpace(s))
		if (err == nil) != (werr == nil) || (err == nil && got.String() != want.Format("2006-01-02")) {
			t.Errorf("%q: %v %v, want %v %v", s, got, err, want, werr)
		}
	}
}
