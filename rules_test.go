package hanchot

import (
	"strings"
	"testing"
	"time"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		text string
		year int    // reporting year
		want string // due date
	}{
		// A day and month of the reporting year, as the seed writes it.
		{"Trước ngày 15/3", 2019, "2019-03-15"},
		{"15/03", 2019, "2019-03-15"},
		{"ngày 05/12", 2019, "2019-12-05"},
		// Extra spaces, capitals.
		{"  TRƯỚC   NGÀY 10 / 6 ", 2019, "2019-06-10"},
		// A day and month of the following year.
		{"Trước ngày 28/02 của năm sau", 2019, "2020-02-28"},
		{"31/01 năm sau", 2019, "2020-01-31"},
		// 29/02 exists only in leap years: it falls on 28/02 otherwise.
		{"29/02 năm sau", 2019, "2020-02-29"},
		{"29/02 năm sau", 2020, "2021-02-28"},
		// The end of a quarter, in Roman or Arabic numerals.
		{"Quý III", 2019, "2019-09-30"},
		{"quý 1", 2019, "2019-03-31"},
		{"hết quý II", 2019, "2019-06-30"},
		// The end of the year.
		{"Trong năm", 2019, "2019-12-31"},
		{"cuối năm", 2020, "2020-12-31"},
		// The end of a quarter of the previous year.
		{"Trong quý IV năm trước", 2019, "2018-12-31"},
		{"quý iv của năm trước", 2019, "2018-12-31"},
		{"trong năm sau", 2019, "2020-12-31"},
	}
	for _, tt := range tests {
		r, err := ParseRule(tt.text)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", tt.text, err)
			continue
		}
		if got := r.Due(tt.year).String(); got != tt.want {
			t.Errorf("ParseRule(%q).Due(%d) = %s, want %s", tt.text, tt.year, got, tt.want)
		}
	}
}

func TestParseRule_Errors(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"", "empty due date"},
		{"31/02", "not a day of the year"},
		{"15/13", "not a day of the year"},
		{"0/5", "not a day of the year"},
		{"quý V", "not a due date"},
		{"trong năm 2019", "names a year"},
		{"15/03 năm kia", `cannot read "năm kia"`},
		{"sớm nhất có thể", "not a due date"},
	}
	for _, tt := range tests {
		_, err := ParseRule(tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRule(%q) = %v, want an error containing %q", tt.text, err, tt.want)
		}
	}
}

func TestParseDateAndTime(t *testing.T) {
	if _, err := ParseDate("2019-02-31"); err == nil {
		t.Error("ParseDate(2019-02-31) accepted a day that does not exist")
	}
	if d, err := ParseDate("2020-02-29"); err != nil || d.String() != "2020-02-29" {
		t.Errorf("ParseDate(2020-02-29) = %v, %v", d, err)
	}
	loc := mustLoc(t)
	for _, s := range []string{"2019-03-08T08:00", "2019-03-08 08:00", "2019-03-08T08:00:00+07:00", "2019-03-08T01:00:00Z"} {
		got, err := ParseTime(s, loc)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", s, err)
			continue
		}
		if want := "2019-03-08T08:00:00+07:00"; got.Format("2006-01-02T15:04:05Z07:00") != want {
			t.Errorf("ParseTime(%q) = %s, want %s", s, got.Format("2006-01-02T15:04:05Z07:00"), want)
		}
	}
	// Day/month/year is the Vietnamese order, never month/day.
	if got, err := ParseTime("08/03/2019 08:00", loc); err != nil || got.Format(time.RFC3339) != "2019-03-08T08:00:00+07:00" {
		t.Errorf("ParseTime(08/03/2019 08:00) = %v, %v", got, err)
	}
	if _, err := ParseTime("03/13/2019", loc); err == nil {
		t.Error("ParseTime accepted month 13")
	}
}

func TestCutoffDate(t *testing.T) {
	rule := func(s string) Rule {
		r, err := ParseRule(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tt := range []struct {
		period, due, want string
	}{
		{"Quý I", "15/03", "2019-03-14"},
		{"Quý 3", "quý III", "2019-09-14"},
		{"6 tháng", "15/06", "2019-06-14"},
		{"Cả năm", "28/02 năm sau", "2019-12-14"},
		{"Cả năm", "trước ngày 10/12", ""}, // the Decree's 14/12 is after the date
		{"Đợt 1", "15/03", ""},             // not a standard period
	} {
		d := Deadline{Period: tt.period, Rule: rule(tt.due)}
		got, ok := d.CutoffDate(2019)
		if (tt.want == "" && ok) || (tt.want != "" && got.String() != tt.want) {
			t.Errorf("%s %s: cutoff %v %v, want %q", tt.period, tt.due, got, ok, tt.want)
		}
	}
	c := rule("20/03")
	if got, _ := (Deadline{Period: "Quý I", Rule: rule("25/03"), Cutoff: &c}).CutoffDate(2026); got.String() != "2026-03-20" {
		t.Errorf("configured cutoff = %v", got)
	}
	if _, ok := (Deadline{Period: "Quý I", Rule: rule("15/03"), NoCutoff: true}).CutoffDate(2026); ok {
		t.Error("a cutoff turned off still given")
	}
}
