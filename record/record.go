// Package record holds the rules for what agencies report, which the
// command line and the web front share so that they never disagree:
// naming an occurrence, when a submission may be dated, whether it was on
// time, what an extension may be, and, reading the record back, what is
// overdue and each agency's share on time.
//
// The functions are pure: the current time comes in as an argument, and
// the time zone is the configured one, passed in too. A refusal is a
// *Refusal: its kind (errors.Is finds it) and the values a message names,
// so that each front end says it in its own words (the command line in
// Vietnamese or English from its catalogue, the web pages in Vietnamese).
// Its Error is a plain English sentence, for logs and tests.
package record

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/store"
)

// The kinds of refusal, for errors.Is.
var (
	// ErrNoReport: the code names no report of the calendar.
	ErrNoReport = errors.New("not a report code")
	// ErrPeriodRequired: no period was given.
	ErrPeriodRequired = errors.New("a period is required")
	// ErrNoPeriod: the report has no such period.
	ErrNoPeriod = errors.New("no such period")
	// ErrYearRequired: no reporting year was given.
	ErrYearRequired = errors.New("a year is required")
	// ErrYearNotTracked: the reporting year is outside the tracked years.
	ErrYearNotTracked = errors.New("the year is not tracked")
	// ErrAgencyRequired: no agency was given.
	ErrAgencyRequired = errors.New("an agency is required")
	// ErrNotInvolved: the agency neither leads nor supports the report.
	ErrNotInvolved = errors.New("the agency has no part in the report")
	// ErrFuture: a submission dated after now.
	ErrFuture = errors.New("in the future")
	// ErrOutsideWindow: a submission dated outside its reporting year's
	// window (from the start of the year before to the end of the year
	// after).
	ErrOutsideWindow = errors.New("outside the reporting year's window")
	// ErrNotLater: an extension to a date that is not after the date
	// that counts now.
	ErrNotLater = errors.New("not after the date that counts")
	// ErrNoReason: an extension, a request for one or an undoing without
	// a reason.
	ErrNoReason = errors.New("a reason is required")
)

// Refusal is a rule's refusal. Kind is one of the Err values above; the
// other fields are what a message about that kind names, set as the
// kind's line says.
type Refusal struct {
	Kind error

	// ErrNoReport: Code as given. ErrPeriodRequired: Code and Periods of
	// the report. ErrNoPeriod: Code and Periods of the report, Period as
	// given. ErrNotInvolved: Code of the report, Agency (its id).
	Code, Period string
	Periods      []string
	Agency       string
	// ErrYearNotTracked: Year as given, and the configured FirstYear and
	// LastYear (0 when not set). ErrOutsideWindow: Year is the reporting
	// year, Day the day of the submission.
	Year, FirstYear, LastYear int
	// ErrFuture: At, the submission time, in the zone.
	At time.Time
	// ErrNotLater: Day, the date asked for, and Target, the date that
	// counts now.
	Day, Target hanchot.Date
}

func (r *Refusal) Error() string {
	switch r.Kind {
	case ErrNoReport:
		return fmt.Sprintf("%q is not a report code", r.Code)
	case ErrPeriodRequired:
		return fmt.Sprintf("a period is required; report %s has %s", r.Code, strings.Join(r.Periods, ", "))
	case ErrNoPeriod:
		return fmt.Sprintf("report %s has no period %q; its periods: %s", r.Code, r.Period, strings.Join(r.Periods, ", "))
	case ErrYearNotTracked:
		return fmt.Sprintf("year %d is not tracked (schedule.first_year %d, last_year %d)", r.Year, r.FirstYear, r.LastYear)
	case ErrNotInvolved:
		return fmt.Sprintf("%s neither leads nor supports report %s", r.Agency, r.Code)
	case ErrFuture:
		return fmt.Sprintf("%s is in the future", r.At.Format("2006-01-02 15:04"))
	case ErrOutsideWindow:
		return fmt.Sprintf("%s is outside reporting year %d's window (%d-01-01 to %d-12-31)", r.Day, r.Year, r.Year-1, r.Year+1)
	case ErrNotLater:
		return fmt.Sprintf("the new date %s is not after %s, the date that counts now", r.Day, r.Target)
	case nil:
		return "refused"
	}
	return r.Kind.Error()
}

func (r *Refusal) Unwrap() error { return r.Kind }

// Resolve checks that code, period, year and agency name an occurrence of
// the calendar and returns its key with the calendar's spelling. A period
// may be written as any spelling of the same period ("Quý 1" is "Quý I")
// or as the deadline's id; the agency as its id or its name, with or
// without diacritics (hanchot.Calendar.FindAgency). An agency that none
// answers to is a *hanchot.AgencyError, with suggestions; every other
// refusal a *Refusal.
func Resolve(cfg *config.Config, code, period string, year int, agency string) (store.OccurrenceKey, error) {
	r, ok := cfg.Calendar.Report(strings.TrimSpace(code))
	if !ok {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrNoReport, Code: code}
	}
	var periods []string
	canon, ident := "", ""
	for _, d := range r.Deadlines {
		periods = append(periods, d.Period)
		if hanchot.PeriodKey(d.Period) == hanchot.PeriodKey(period) || (d.ID != "" && hanchot.IDKey(d.ID) == hanchot.IDKey(period)) {
			canon, ident = d.Period, d.ID
		}
	}
	if period == "" {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrPeriodRequired, Code: r.Code, Periods: periods}
	}
	if canon == "" {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrNoPeriod, Code: r.Code, Period: period, Periods: periods}
	}
	if year == 0 {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrYearRequired}
	}
	s := cfg.Schedule
	if (s.FirstYear != 0 && year < s.FirstYear) || (s.LastYear != 0 && year > s.LastYear) || year < 1901 || year > 2099 {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrYearNotTracked, Year: year, FirstYear: s.FirstYear, LastYear: s.LastYear}
	}
	if strings.TrimSpace(agency) == "" {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrAgencyRequired}
	}
	a, err := cfg.Calendar.FindAgency(agency)
	if err != nil {
		return store.OccurrenceKey{}, err
	}
	if !cfg.Calendar.Involved(r, a.ID) {
		return store.OccurrenceKey{}, &Refusal{Kind: ErrNotInvolved, Code: r.Code, Agency: a.ID}
	}
	return store.OccurrenceKey{Code: r.Code, Period: canon, Year: year, Agency: a.ID, Ident: ident}, nil
}

// Slack is how far ahead of now a submission time may be, for clocks that
// differ a little.
const Slack = 5 * time.Minute

// CheckSubmissionTime refuses a submission time t after now (ErrFuture)
// or outside the window of reporting year y (ErrOutsideWindow): from the
// start of the year before, when plans are due, to the end of the year
// after, when annual reports are due.
func CheckSubmissionTime(t time.Time, y int, loc *time.Location, now time.Time) error {
	if t.After(now.Add(Slack)) {
		return &Refusal{Kind: ErrFuture, At: t.In(loc)}
	}
	d := hanchot.DateOf(t, loc)
	if d.Year() < y-1 || d.Year() > y+1 {
		return &Refusal{Kind: ErrOutsideWindow, Day: d, Year: y}
	}
	return nil
}

// DaysLate returns how many days after the date that counts a submission
// at t came, in zone loc; 0 or less is on time.
func DaysLate(t time.Time, target hanchot.Date, loc *time.Location) int {
	return hanchot.DateOf(t, loc).Sub(target)
}

// OnTime reports whether a submission at t met the date that counts: it
// was made on that day or before, in zone loc.
func OnTime(t time.Time, target hanchot.Date, loc *time.Location) bool {
	return DaysLate(t, target, loc) <= 0
}

// CheckReason refuses an empty reason (ErrNoReason): an extension, a
// request for one and an undone submission each say why.
func CheckReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return &Refusal{Kind: ErrNoReason}
	}
	return nil
}

// CheckExtension checks an extension, or a request for one: the new date
// must come after the date that counts now (ErrNotLater), and a reason
// must be given (ErrNoReason).
func CheckExtension(due, target hanchot.Date, reason string) error {
	if err := CheckReason(reason); err != nil {
		return err
	}
	if !due.After(target) {
		return &Refusal{Kind: ErrNotLater, Day: due, Target: target}
	}
	return nil
}

// Overdue is an occurrence overdue as of a time: still open, or with all,
// submitted after its date.
type Overdue struct {
	store.Record
	Since       hanchot.Date // the first day overdue
	DaysOverdue int          // as of the time asked, or when it was submitted late
	Submitted   bool         // submitted (late) by the time asked
}

// OverdueAt picks from recs those overdue as of at (see OverdueOf).
func OverdueAt(recs []store.Record, at time.Time, all bool, loc *time.Location) []Overdue {
	var out []Overdue
	for _, r := range recs {
		if o, ok := OverdueOf(r, at, all, loc); ok {
			out = append(out, o)
		}
	}
	return out
}

// OverdueOf tells whether r is overdue as of at: open (not submitted by
// then) and dated before that day, or with all, submitted after its date.
func OverdueOf(r store.Record, at time.Time, all bool, loc *time.Location) (Overdue, bool) {
	today := hanchot.DateOf(at, loc)
	if !today.After(r.Target) {
		return Overdue{}, false
	}
	submitted := !r.SubmittedAt.IsZero() && !r.SubmittedAt.After(at)
	days := today.Sub(r.Target)
	if submitted {
		days = DaysLate(r.SubmittedAt, r.Target, loc)
		if days <= 0 || !all {
			return Overdue{}, false
		}
	}
	since := r.Since
	if since.IsZero() {
		since = r.Target.AddDays(1)
	}
	return Overdue{Record: r, Since: since, DaysOverdue: days, Submitted: submitted}, true
}

// Tally is one agency's record for a reporting year as of a time.
type Tally struct {
	Agency, AgencyName string
	// OnTime: submitted on or before the date; Late: after it; Missing:
	// not submitted though due; NotDue: not due yet.
	OnTime, Late, Missing, NotDue int
	// Retired is set when the agency's rows are history: it left the
	// configuration, or its lifetime ended.
	Retired bool
}

// Counted is the number of occurrences whose date has come.
func (t Tally) Counted() int { return t.OnTime + t.Late + t.Missing }

// ShareOnTime is the share of the counted occurrences submitted on time,
// 0 to 1, rounded to three decimals; 0 when none is counted.
func (t Tally) ShareOnTime() float64 {
	n := t.Counted()
	if n == 0 {
		return 0
	}
	return math.Round(float64(t.OnTime)/float64(n)*1000) / 1000
}

// TallyAt counts, per agency in calendar order (then the agencies since
// removed, by id), the occurrences of recs submitted on or before their
// date, after it, not submitted though due, and not due yet, as of at.
func TallyAt(recs []store.Record, at time.Time, cal *hanchot.Calendar, loc *time.Location) []Tally {
	t := NewTallier(at, cal, loc)
	for _, r := range recs {
		t.Add(r)
	}
	return t.Tallies()
}

// Tallier counts records one at a time, as TallyAt does.
type Tallier struct {
	at      time.Time
	today   hanchot.Date
	cal     *hanchot.Calendar
	loc     *time.Location
	by      map[string]*Tally
	removed []string // agencies no longer in cal
}

// NewTallier starts counting as of at.
func NewTallier(at time.Time, cal *hanchot.Calendar, loc *time.Location) *Tallier {
	return &Tallier{at: at, today: hanchot.DateOf(at, loc), cal: cal, loc: loc, by: map[string]*Tally{}}
}

// Add counts r.
func (t *Tallier) Add(r store.Record) {
	s, ok := t.by[r.Agency]
	if !ok {
		s = &Tally{Agency: r.Agency, AgencyName: r.AgencyName, Retired: r.AgencyRetired}
		t.by[r.Agency] = s
		if _, known := t.cal.Agency(r.Agency); !known {
			t.removed = append(t.removed, r.Agency)
		}
	}
	submitted := !r.SubmittedAt.IsZero() && !r.SubmittedAt.After(t.at)
	switch {
	case submitted && OnTime(r.SubmittedAt, r.Target, t.loc):
		s.OnTime++
	case submitted:
		s.Late++
	case t.today.After(r.Target):
		s.Missing++
	default:
		s.NotDue++
	}
}

// Tallies returns the counts per agency in calendar order, then the
// agencies since removed, by id.
func (t *Tallier) Tallies() []Tally {
	var out []Tally
	for _, a := range t.cal.Agencies {
		if s, ok := t.by[a.ID]; ok {
			out = append(out, *s)
		}
	}
	sort.Strings(t.removed)
	for _, id := range t.removed {
		out = append(out, *t.by[id])
	}
	return out
}

// RetiredLabel says why an agency's rows are history as of today: it left
// the configuration ("removed"), or its lifetime ended ("until D"). It is
// empty for an agency that still exists.
func RetiredLabel(cal *hanchot.Calendar, agency string, removed bool, today hanchot.Date) string {
	a, ok := cal.Agency(agency)
	switch {
	case removed || !ok:
		return "removed"
	case !a.Life.Until.IsZero() && today.After(a.Life.Until):
		return "until " + a.Life.Until.String()
	}
	return ""
}
