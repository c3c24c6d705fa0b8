package hanchot

import (
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
