package record

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/store"
)

var ict = time.FixedZone("ICT", 7*3600)

func date(s string) hanchot.Date {
	d, err := hanchot.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestCheckSubmissionTime(t *testing.T) {
	now := time.Date(2019, 3, 18, 10, 0, 0, 0, ict)
	for _, tt := range []struct {
		name string
		at   time.Time
		want error
	}{
		{"OK", time.Date(2019, 3, 14, 10, 0, 0, 0, ict), nil},
		{"OKClockAhead", now.Add(Slack), nil},                         // a clock a little ahead
		{"ErrFuture", now.Add(Slack + time.Second), ErrFuture},        // just beyond
		{"OKYearBefore", time.Date(2018, 1, 1, 0, 0, 0, 0, ict), nil}, // a plan due before the year
		{"ErrOutsideWindow", time.Date(2017, 12, 31, 23, 59, 0, 0, ict), ErrOutsideWindow},
		// 31/12/2017 17:30 UTC is already 2018 in Hà Nội: the zone decides.
		{"ZoneDecides", time.Date(2017, 12, 31, 17, 30, 0, 0, time.UTC), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSubmissionTime(tt.at, 2019, ict, now)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	// Error says it in English, for logs.
	if err := CheckSubmissionTime(time.Date(2021, 3, 1, 0, 0, 0, 0, ict), 2019, ict, time.Date(2022, 1, 1, 0, 0, 0, 0, ict)); err == nil ||
		err.Error() != "2021-03-01 is outside reporting year 2019's window (2018-01-01 to 2020-12-31)" {
		t.Errorf("message: %v", err)
	}
}

func TestOnTime(t *testing.T) {
	target := date("2019-03-15")
	for _, tt := range []struct {
		at   time.Time
		late int
	}{
		{time.Date(2019, 3, 15, 23, 59, 0, 0, ict), 0},     // the last minute of the day, in Hà Nội
		{time.Date(2019, 3, 15, 17, 0, 0, 0, time.UTC), 1}, // 00:00 on 16/03 in Hà Nội
		{time.Date(2019, 3, 10, 9, 0, 0, 0, ict), -5},
	} {
		if got := DaysLate(tt.at, target, ict); got != tt.late || OnTime(tt.at, target, ict) != (tt.late <= 0) {
			t.Errorf("%s: %d days late, want %d", tt.at, got, tt.late)
		}
	}
}

func TestCheckExtension(t *testing.T) {
	target := date("2019-03-15")
	for _, tt := range []struct {
		name   string
		due    hanchot.Date
		reason string
		want   error
	}{
		{"OK", date("2019-03-29"), "Công văn 45", nil},
		{"ErrNoReason", date("2019-03-29"), "  ", ErrNoReason},
		{"ErrNotLater", date("2019-03-15"), "x", ErrNotLater},
		{"ErrNotLaterEarlier", date("2019-03-01"), "x", ErrNotLater},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckExtension(tt.due, target, tt.reason); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	cfg, err := config.Load("../testdata/laocai-2019.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := Resolve(cfg, " 1.2.1 ", "quý 1", 2019, "so-tu-phap")
	if err != nil || k.Code != "1.2.1" || k.Period != "Quý I" || k.Agency != "so-tu-phap" {
		t.Fatalf("Resolve = %+v, %v", k, err)
	}
	// An agency by its name, with or without diacritics, gives its id.
	for _, name := range []string{"Sở Tư pháp", "so tu phap"} {
		if k, err := Resolve(cfg, "1.2.1", "Quý I", 2019, name); err != nil || k.Agency != "so-tu-phap" {
			t.Errorf("%q: %+v, %v", name, k, err)
		}
	}
	// Each refusal has its kind and what a message names.
	for _, tt := range []struct {
		code, period string
		year         int
		agency       string
		kind         error
		check        func(*Refusal) bool
	}{
		{"9.9", "Quý I", 2019, "so-tu-phap", ErrNoReport, func(r *Refusal) bool { return r.Code == "9.9" }},
		{"1.2.1", "", 2019, "so-tu-phap", ErrPeriodRequired, func(r *Refusal) bool { return r.Code == "1.2.1" && len(r.Periods) > 1 }},
		{"1.2.1", "Quý V", 2019, "so-tu-phap", ErrNoPeriod, func(r *Refusal) bool { return r.Period == "Quý V" && r.Periods[0] == "Quý I" }},
		{"1.2.1", "Quý I", 0, "so-tu-phap", ErrYearRequired, nil},
		{"1.2.1", "Quý I", 1900, "so-tu-phap", ErrYearNotTracked, func(r *Refusal) bool { return r.Year == 1900 }},
		{"1.2.1", "Quý I", 2019, " ", ErrAgencyRequired, nil},
	} {
		_, err := Resolve(cfg, tt.code, tt.period, tt.year, tt.agency)
		var r *Refusal
		if !errors.Is(err, tt.kind) || !errors.As(err, &r) || (tt.check != nil && !tt.check(r)) {
			t.Errorf("%+v: %#v, want %v", tt, err, tt.kind)
		}
	}
	// An agency nobody answers to is the calendar's own error, with
	// suggestions.
	_, err = Resolve(cfg, "1.2.1", "Quý I", 2019, "so tu phapp")
	var ae *hanchot.AgencyError
	if !errors.As(err, &ae) || len(ae.Suggestions) == 0 || ae.Suggestions[0].ID != "so-tu-phap" {
		t.Errorf("unknown agency: %#v", err)
	}
	if err := (&Refusal{Kind: ErrNoPeriod, Code: "1.2.1", Period: "Quý V", Periods: []string{"Quý I", "Cả năm"}}).Error(); !strings.Contains(err, `report 1.2.1 has no period "Quý V"; its periods: Quý I, Cả năm`) {
		t.Errorf("message: %s", err)
	}
}

// rec is a record of agency a, dated target, submitted at sub (zero: not).
func rec(a string, target string, sub time.Time) store.Record {
	r := store.Record{SubmittedAt: sub}
	r.Agency, r.AgencyName, r.Code, r.Target = a, a, "1.2.1", date(target)
	return r
}

func TestOverdueAt(t *testing.T) {
	at := time.Date(2019, 3, 18, 10, 0, 0, 0, ict)
	recs := []store.Record{
		rec("a", "2019-03-15", time.Time{}),                              // open: 3 days overdue
		rec("b", "2019-03-15", time.Date(2019, 3, 14, 9, 0, 0, 0, ict)),  // on time
		rec("c", "2019-03-15", time.Date(2019, 3, 16, 9, 0, 0, 0, ict)),  // late by 1
		rec("d", "2019-03-15", time.Date(2019, 3, 18, 15, 0, 0, 0, ict)), // submitted later today: still open at 10:00
		rec("e", "2019-03-18", time.Time{}),                              // due today: not overdue
	}
	got := func(all bool) string {
		var s []string
		for _, o := range OverdueAt(recs, at, all, ict) {
			s = append(s, fmt.Sprintf("%s:%d", o.Agency, o.DaysOverdue))
		}
		return strings.Join(s, " ")
	}
	if g := got(false); g != "a:3 d:3" {
		t.Errorf("open: %s", g)
	}
	if g := got(true); g != "a:3 c:1 d:3" {
		t.Errorf("with late ones: %s", g)
	}
}

func TestTallyAt(t *testing.T) {
	cal := &hanchot.Calendar{Agencies: []hanchot.Agency{{ID: "b"}, {ID: "a"}}}
	at := time.Date(2019, 3, 18, 10, 0, 0, 0, ict)
	recs := []store.Record{
		rec("a", "2019-03-15", time.Date(2019, 3, 14, 9, 0, 0, 0, ict)),  // on time
		rec("a", "2019-03-15", time.Date(2019, 3, 16, 9, 0, 0, 0, ict)),  // late
		rec("a", "2019-03-15", time.Time{}),                              // missing
		rec("a", "2019-06-15", time.Time{}),                              // not due
		rec("b", "2019-03-15", time.Date(2019, 3, 15, 23, 0, 0, 0, ict)), // on time, late evening
		rec("gone", "2019-03-15", time.Time{}),                           // an agency since removed
	}
	got := TallyAt(recs, at, cal, ict)
	if len(got) != 3 || got[0].Agency != "b" || got[1].Agency != "a" || got[2].Agency != "gone" {
		t.Fatalf("order: %+v", got)
	}
	a := got[1]
	if a.OnTime != 1 || a.Late != 1 || a.Missing != 1 || a.NotDue != 1 || a.Counted() != 3 || a.ShareOnTime() != 0.333 {
		t.Errorf("a: %+v share %v", a, a.ShareOnTime())
	}
	if got[0].ShareOnTime() != 1 || (Tally{}).ShareOnTime() != 0 {
		t.Errorf("shares: %v %v", got[0].ShareOnTime(), (Tally{}).ShareOnTime())
	}
}
