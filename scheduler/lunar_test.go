package scheduler

import (
	"testing"
	"time"

	"hanchot"
)

// Tết (mùng 1 tháng Giêng) and Giỗ Tổ Hùng Vương (10/3 âm lịch) as Vietnam's
// official holiday announcements give them.
var officialLunarDates = []struct {
	year      int
	tet, hung string
}{
	{2019, "2019-02-05", "2019-04-14"},
	{2020, "2020-01-25", "2020-04-02"},
	{2021, "2021-02-12", "2021-04-21"},
	{2022, "2022-02-01", "2022-04-10"},
	{2023, "2023-01-22", "2023-04-29"},
	{2024, "2024-02-10", "2024-04-18"},
	{2025, "2025-01-29", "2025-04-07"},
	{2026, "2026-02-17", "2026-04-26"},
	{2027, "2027-02-06", "2027-04-16"},
	{2028, "2028-01-26", "2028-04-04"},
	{2029, "2029-02-13", "2029-04-23"},
	// The new moon of 2030-02-02 falls at about 23:07 in Vietnam and
	// 00:07 on the 3rd in China: Vietnam's Tết is a day earlier.
	{2030, "2030-02-02", "2030-04-12"},
}

func TestTetAndHungKings(t *testing.T) {
	for _, tt := range officialLunarDates {
		if got := Tet(tt.year).String(); got != tt.tet {
			t.Errorf("Tet(%d) = %s, want %s", tt.year, got, tt.tet)
		}
		if got := HungKings(tt.year).String(); got != tt.hung {
			t.Errorf("HungKings(%d) = %s, want %s", tt.year, got, tt.hung)
		}
	}
}

// In these years the new moon falls between 23:00 and midnight in
// Vietnam, so Vietnam's new year begins a day (1985: a month) apart from
// China's, which the UTC+8 computation gives.
func TestTet_VietnamDiffersFromChina(t *testing.T) {
	tests := []struct {
		year           int
		vietnam, china string
	}{
		{1985, "1985-01-21", "1985-02-20"},
		{2007, "2007-02-17", "2007-02-18"},
		{2030, "2030-02-02", "2030-02-03"},
	}
	for _, tt := range tests {
		if got := LunarToSolar(1, 1, tt.year, VietnamOffset).String(); got != tt.vietnam {
			t.Errorf("Vietnam's Tết %d = %s, want %s", tt.year, got, tt.vietnam)
		}
		if got := LunarToSolar(1, 1, tt.year, 8).String(); got != tt.china {
			t.Errorf("China's new year %d = %s, want %s", tt.year, got, tt.china)
		}
	}
}

// Over the whole supported range Tết falls between 21 January and 20
// February, and Hùng Kings' day 69 to 99 days after it (two lunar months
// and nine days, plus a leap month when one comes between).
func TestTet_Range(t *testing.T) {
	for y := 1900; y <= 2100; y++ {
		tet := Tet(y)
		lo, hi := hanchot.NewDate(y, time.January, 21), hanchot.NewDate(y, time.February, 20)
		if tet.Before(lo) || tet.After(hi) {
			t.Errorf("Tet(%d) = %s, outside 21/01–20/02", y, tet)
		}
		if gap := HungKings(y).Sub(tet); gap < 66 || gap > 99 {
			t.Errorf("HungKings(%d) is %d days after Tết", y, gap)
		}
	}
}
