package scheduler

import (
	"fmt"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/robfig/cron/v3"

	"hanchot"
)

func vnLoc(t testing.TB) *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func settings(t testing.TB) PlanSettings {
	ticks, err := cron.ParseStandard("0 8 * * MON-FRI")
	if err != nil {
		t.Fatal(err)
	}
	return PlanSettings{
		RemindDays: []int{14, 7, 3, 1, 0},
		AfterDays:  []int{1, 7, 15},
		FocalPoint: "so-noi-vu",
		Also:       map[int][]string{15: {"van-phong-ubnd-tinh"}},
		Ticks:      ticks,
		Location:   vnLoc(t),
	}
}

func item(agency, target string) hanchot.Item {
	return hanchot.Item{OccurrenceID: 7, Occurrence: hanchot.Occurrence{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: agency, Role: hanchot.Lead},
		Target: day(target)}
}

func at(t testing.TB, s string) time.Time {
	v, err := hanchot.ParseTime(s, vnLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func describe(ns []hanchot.Notice) string {
	s := ""
	for _, n := range ns {
		s += fmt.Sprintf("%s/%d/%s/%d ", n.Kind, n.Step, n.Recipient, n.Days)
	}
	return s
}

func TestPlan(t *testing.T) {
	s := settings(t)
	wd := NewWorkdays(DefaultWorkdayRules())
	tests := []struct {
		name   string
		target string
		now    string
		want   string
	}{
		// 1.2.1 Quý I is due Friday 15/03/2019.
		{"14 days before", "2019-03-15", "2019-03-01T08:00", "reminder/14/so-tu-phap/14 "},
		{"nothing between steps", "2019-03-15", "2019-03-04T08:00", "reminder/14/so-tu-phap/11 "},
		{"7 days before", "2019-03-15", "2019-03-08T08:00", "reminder/7/so-tu-phap/7 "},
		// Before the day's pass time the day's step is not due yet.
		{"before send_at", "2019-03-15", "2019-03-08T07:59", "reminder/14/so-tu-phap/7 "},
		// After downtime only the latest step: 1, not 14, 7 or 3.
		{"after downtime", "2019-03-15", "2019-03-14T08:00", "reminder/1/so-tu-phap/1 "},
		{"due today", "2019-03-15", "2019-03-15T08:00", "reminder/0/so-tu-phap/0 "},
		// Too early for any step.
		{"too early", "2019-03-15", "2019-02-28T08:00", ""},
		// Due Monday 17/06: 1 day before is Sunday, moved to Friday 14/06,
		// the same day as the 3-day step; the later step (1) wins.
		{"weekend moves back", "2019-06-17", "2019-06-14T08:00", "reminder/1/so-tu-phap/3 "},
		// Overdue: the day after, level 1 to the agency and the focal point.
		{"overdue level 1", "2019-03-15", "2019-03-18T08:00", "overdue/1/so-tu-phap/3 escalation/1/so-noi-vu/3 "},
		{"overdue level 7", "2019-03-15", "2019-03-22T08:00", "overdue/7/so-tu-phap/7 escalation/7/so-noi-vu/7 "},
		// Level 15 adds the extra recipient.
		{"overdue level 15", "2019-03-15", "2019-04-01T08:00",
			"overdue/15/so-tu-phap/17 escalation/15/so-noi-vu/17 escalation/15/van-phong-ubnd-tinh/17 "},
		// Level 15 fell on Saturday 30/03: sent at Monday's pass.
		{"level on a weekend", "2019-03-15", "2019-03-30T12:00", "overdue/7/so-tu-phap/15 escalation/7/so-noi-vu/15 "},
		// Long past the last level plus the catch-up window: nothing.
		{"beyond catch-up", "2019-03-15", "2019-05-15T08:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(Plan([]hanchot.Item{item("so-tu-phap", tt.target)}, at(t, tt.now), wd, s))
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// The focal point late on its own report is told once, in its
// escalation: no overdue notice telling it that it was told.
func TestPlan_FocalPointLate(t *testing.T) {
	s := settings(t)
	s.Also = map[int][]string{1: {"so-noi-vu"}}
	got := describe(Plan([]hanchot.Item{item("so-noi-vu", "2019-03-15")}, at(t, "2019-03-18T08:00"), NewWorkdays(DefaultWorkdayRules()), s))
	if got != "escalation/1/so-noi-vu/3 " {
		t.Errorf("got %q", got)
	}
}

// A calendar of one report led by so-tai-chinh with so-tu-phap's input.
func supportCalendar() *hanchot.Calendar {
	return &hanchot.Calendar{
		Agencies: []hanchot.Agency{{ID: "so-noi-vu", Name: "Sở Nội vụ"}, {ID: "so-tai-chinh", Name: "Sở Tài chính", Emails: []string{"stc@laocai.example"}},
			{ID: "so-tu-phap", Name: "Sở Tư pháp"}},
		Reports: []hanchot.Report{{Code: "1.2.1", Lead: []string{"so-tai-chinh"}, Support: []string{"so-tu-phap"}}},
	}
}

// A supporting agency's late input goes to the lead, which waits for it;
// the focal point hears of it only from the second level.
func TestPlan_SupportInputGoesToTheLead(t *testing.T) {
	s := settings(t)
	s.Calendar = supportCalendar()
	wd := NewWorkdays(DefaultWorkdayRules())
	input := item("so-tu-phap", "2019-03-12")
	input.Role = hanchot.Support
	lead := item("so-tai-chinh", "2019-03-15")
	for _, tt := range []struct{ now, want string }{
		{"2019-03-13T08:00", "overdue/1/so-tu-phap/1 overdue/1/so-tai-chinh/1 reminder/3/so-tai-chinh/2 "},
		{"2019-03-19T08:00", "overdue/7/so-tu-phap/7 overdue/7/so-tai-chinh/7 escalation/7/so-noi-vu/7 overdue/1/so-tai-chinh/4 escalation/1/so-noi-vu/4 "},
	} {
		ns := Plan([]hanchot.Item{input, lead}, at(t, tt.now), wd, s)
		if got := describe(ns); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.now, got, tt.want)
		}
		for _, n := range ns {
			switch {
			case n.Role == hanchot.Support && (len(n.Leads) != 1 || n.Leads[0].Name != "Sở Tài chính"):
				t.Errorf("%s: a supporting agency's notice does not name its lead: %+v", tt.now, n.Leads)
			case n.Role == hanchot.Lead && (len(n.Missing) != 1 || n.Missing[0].Agency != "so-tu-phap" || n.Missing[0].Due.String() != "2019-03-12"):
				t.Errorf("%s: the lead's notice does not list the missing input: %+v", tt.now, n.Missing)
			}
		}
	}
	// [escalation] support_after_days moves the level up.
	s.SupportFrom = 15
	if got := describe(Plan([]hanchot.Item{input}, at(t, "2019-03-19T08:00"), wd, s)); got != "overdue/7/so-tu-phap/7 overdue/7/so-tai-chinh/7 " {
		t.Errorf("support_after_days 15, at level 7: got %q", got)
	}
	s.SupportFrom = 0
	// When the focal point leads, it waits for the input itself: it hears
	// at the first level, in its escalation.
	s.Calendar.Reports[0].Lead = []string{"so-noi-vu"}
	got := describe(Plan([]hanchot.Item{input}, at(t, "2019-03-13T08:00"), wd, s))
	if got != "overdue/1/so-tu-phap/1 escalation/1/so-noi-vu/1 " {
		t.Errorf("focal point leads: got %q", got)
	}
}

// A date that changed after the agency was told goes out as a correction:
// at once, even before a step of the new date has come.
func TestPlan_Corrections(t *testing.T) {
	s := settings(t)
	wd := NewWorkdays(DefaultWorkdayRules())
	extended := item("so-tu-phap", "2019-03-29")
	extended.Announced = day("2019-03-15")
	ns := Plan([]hanchot.Item{extended}, at(t, "2019-03-14T08:00"), wd, s)
	if got := describe(ns); got != "reminder/-1/so-tu-phap/15 " || ns[0].OldTarget.String() != "2019-03-15" || ns[0].DigestKind() != hanchot.Correction {
		t.Errorf("extension: got %q %+v", got, ns)
	}
	// Told of the new date, the reminders go on as usual.
	extended.Announced = day("2019-03-29")
	if got := describe(Plan([]hanchot.Item{extended}, at(t, "2019-03-14T08:00"), wd, s)); got != "" {
		t.Errorf("after the correction: %q", got)
	}
	removed := item("so-tu-phap", "2019-03-15")
	removed.Removed, removed.Announced = true, day("2019-03-15")
	ns = Plan([]hanchot.Item{removed}, at(t, "2019-03-11T08:00"), wd, s)
	if got := describe(ns); got != "removal/0/so-tu-phap/4 " || ns[0].DigestKind() != hanchot.Correction {
		t.Errorf("removal: got %q", got)
	}
	if got := describe(Plan([]hanchot.Item{removed}, at(t, "2019-03-18T08:00"), wd, s)); got != "" {
		t.Errorf("removal after its date: %q", got)
	}
}

// A refused request for a later date is told to its agency in a
// correction, whatever the item's date, and that mail is tried for
// KeepTrying even when the item is overdue; the item itself is planned
// as usual, and a refused copy adds no missing input.
func TestPlan_Refusal(t *testing.T) {
	s := settings(t)
	s.KeepTrying = 7 * 24 * time.Hour
	wd := NewWorkdays(DefaultWorkdayRules())
	it := item("so-tu-phap", "2019-03-15")
	refused := it
	refused.Refused = &hanchot.RefusedRequest{Request: 7, Due: day("2019-03-29"), Answer: "không"}
	now := at(t, "2019-03-18T08:00")
	ns := Plan([]hanchot.Item{it, refused}, now, wd, s)
	if got := describe(ns); !strings.Contains(got, "refusal/7/so-tu-phap/-3 ") || !strings.Contains(got, "overdue/") {
		t.Fatalf("got %q", got)
	}
	for _, n := range ns {
		if n.Kind == hanchot.Refusal {
			d := hanchot.Digest{Kind: n.DigestKind(), Notices: []hanchot.Notice{n}}
			if d.Kind != hanchot.Correction || !s.Expiry(d, now).Equal(now.Add(s.KeepTrying)) {
				t.Errorf("the refusal goes out in a %s until %s", d.Kind, s.Expiry(d, now))
			}
		}
	}
}

func TestWindow(t *testing.T) {
	from, to := settings(t).Window(day("2019-03-18"))
	if from.String() != "2019-02-01" || to.String() != "2019-04-17" {
		t.Errorf("window = %s..%s", from, to)
	}
}

func TestDigests(t *testing.T) {
	cal := testCalendar()
	mk := func(kind hanchot.Kind, recipient, agency, target, code string) hanchot.Notice {
		it := item(agency, target)
		it.Code = code
		return hanchot.Notice{Item: it, Kind: kind, Recipient: recipient}
	}
	ds := Digests([]hanchot.Notice{
		mk(hanchot.Escalation, "so-noi-vu", "so-tu-phap", "2019-03-15", "1.2.1"),
		mk(hanchot.Reminder, "so-tu-phap", "so-tu-phap", "2019-03-20", "1.2.2"),
		mk(hanchot.Reminder, "so-tu-phap", "so-tu-phap", "2019-03-15", "1.2.5"),
		mk(hanchot.Reminder, "so-noi-vu", "so-noi-vu", "2019-03-15", "1.2.1"),
		mk(hanchot.Reminder, "so-tu-phap", "so-tu-phap", "2019-03-15", "1.2.1"),
	}, cal, day("2019-03-08"))
	got := ""
	for _, d := range ds {
		got += string(d.Kind) + ":" + d.Recipient.ID + "["
		for _, n := range d.Notices {
			got += n.Code + " "
		}
		got += "] "
	}
	want := "reminder:so-noi-vu[1.2.1 ] reminder:so-tu-phap[1.2.1 1.2.5 1.2.2 ] escalation:so-noi-vu[1.2.1 ] "
	if got != want {
		t.Errorf("digests\n got %s\nwant %s", got, want)
	}
	if ds[1].Recipient.Emails[0] != "stp@laocai.example" {
		t.Errorf("recipient not resolved: %+v", ds[1].Recipient)
	}
}

func TestBackoff(t *testing.T) {
	got := []time.Duration{Backoff(1), Backoff(2), Backoff(3), Backoff(7), Backoff(20)}
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, time.Hour, time.Hour}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Backoff = %v, want %v", got, want)
	}
}

// A later step that already went out (planned ahead in quiet time) is
// never followed by an earlier, staler one.
func TestPlan_NoStaleStepAfterALaterOne(t *testing.T) {
	s := settings(t)
	wd := NewWorkdays(DefaultWorkdayRules())
	it := item("so-tu-phap", "2019-03-15")
	if got := describe(Plan([]hanchot.Item{it}, at(t, "2019-03-14T09:00"), wd, s)); got != "reminder/1/so-tu-phap/1 " {
		t.Fatalf("plain: %q", got)
	}
	it.Reminded, it.RemindedStep = true, 0 // the 15/03 step went out on the night of the 14th
	if got := describe(Plan([]hanchot.Item{it}, at(t, "2019-03-14T09:00"), wd, s)); got != "" {
		t.Errorf("after the later step: %q", got)
	}
}
