// Package record holds the rules for what agencies report, which the
// command line and the web front share so that they never disagree:
// naming an occurrence, when a submission may be dated, whether it was on
// time, what an extension may be, and, reading the record back, what is
// overdue and each agency's share on time.
//
// The functions are pure: the current time comes in as an argument, and
// the time zone is the configured one, passed in too. Errors are plain
// English sentences for the command line; the web front tells their kinds
// apart with errors.Is and says them in Vietnamese.
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

// Refusals of a submission time or an extension, for errors.Is.
var (
	// ErrFuture: a submission dated after now.
	ErrFuture = errors.New("in the future")
	// ErrOutsideWindow: a submission dated outside its reporting year's
	// window (from the start of the year before to the end of the year
	// after).
	ErrOutsideWindow = errors.New("outside the reporting year's window")
	// ErrNotLater: an extension to a date that is not after the date
	// that counts now.
	ErrNotLater = errors.New("not after the date that counts")
	// ErrNoReason: an extension or a request for one without a reason.
	ErrNoReason = errors.New("a reason is required")
)

// Resolve checks that code, period, year and agency name an occurrence of
// the calendar and returns its key with the calendar's spelling. A period
// may be written as any spelling of the same period ("Quý 1" is "Quý I")
// or as the deadline's id.
func Resolve(cfg *config.Config, code, period string, year int, agency string) (store.OccurrenceKey, error) {
	r, ok := cfg.Calendar.Report(strings.TrimSpace(code))
	if !ok {
		return store.OccurrenceKey{}, fmt.Errorf("%q is not a report code of %s", code, cfg.File)
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
		return store.OccurrenceKey{}, fmt.Errorf("--period is required; report %s has %s", r.Code, strings.Join(periods, ", "))
	}
	if canon == "" {
		return store.OccurrenceKey{}, fmt.Errorf("report %s has no period %q; its periods: %s", r.Code, period, strings.Join(periods, ", "))
	}
	if year == 0 {
		return store.OccurrenceKey{}, errors.New("--year is required")
	}
	s := cfg.Schedule
	if (s.FirstYear != 0 && year < s.FirstYear) || (s.LastYear != 0 && year > s.LastYear) || year < 1901 || year > 2099 {
		return store.OccurrenceKey{}, fmt.Errorf("year %d is not tracked (schedule.first_year %d, last_year %d)", year, s.FirstYear, s.LastYear)
	}
	if _, ok := cfg.Calendar.Agency(agency); !ok {
		return store.OccurrenceKey{}, fmt.Errorf("%q is not an agency of %s", agency, cfg.File)
	}
	if !cfg.Calendar.Involved(r, agency) {
		return store.OccurrenceKey{}, fmt.Errorf("%s neither leads nor supports report %s", agency, r.Code)
	}
	return store.OccurrenceKey{Code: r.Code, Period: canon, Year: year, Agency: agency, Ident: ident}, nil
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
		return refusal{ErrFuture, fmt.Sprintf("%s is in the future", t.In(loc).Format("2006-01-02 15:04"))}
	}
	d := hanchot.DateOf(t, loc)
	if d.Year() < y-1 || d.Year() > y+1 {
		return refusal{ErrOutsideWindow, fmt.Sprintf("%s is outside reporting year %d's window (%d-01-01 to %d-12-31)", d, y, y-1, y+1)}
	}
	return nil
}

// refusal is an error of one of the kinds above, said in full.
type refusal struct {
	kind error
	msg  string
}

func (r refusal) Error() string { return r.msg }
func (r refusal) Unwrap() error { return r.kind }

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
		return ErrNoReason
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
		return refusal{ErrNotLater, fmt.Sprintf("the new date %s is not after %s, the date that counts now", due, target)}
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

// OverdueAt picks from recs those overdue as of at: open ones (not
// submitted by then) dated before that day, and with all also those
// submitted after their date.
func OverdueAt(recs []store.Record, at time.Time, all bool, loc *time.Location) []Overdue {
	today := hanchot.DateOf(at, loc)
	var out []Overdue
	for _, r := range recs {
		if !today.After(r.Target) {
			continue
		}
		submitted := !r.SubmittedAt.IsZero() && !r.SubmittedAt.After(at)
		days := today.Sub(r.Target)
		if submitted {
			days = DaysLate(r.SubmittedAt, r.Target, loc)
			if days <= 0 || !all {
				continue
			}
		}
		since := r.Since
		if since.IsZero() {
			since = r.Target.AddDays(1)
		}
		out = append(out, Overdue{Record: r, Since: since, DaysOverdue: days, Submitted: submitted})
	}
	return out
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
	today := hanchot.DateOf(at, loc)
	by := map[string]*Tally{}
	var removed []string
	for _, r := range recs {
		s, ok := by[r.Agency]
		if !ok {
			s = &Tally{Agency: r.Agency, AgencyName: r.AgencyName, Retired: r.AgencyRetired}
			by[r.Agency] = s
			if _, known := cal.Agency(r.Agency); !known {
				removed = append(removed, r.Agency)
			}
		}
		submitted := !r.SubmittedAt.IsZero() && !r.SubmittedAt.After(at)
		switch {
		case submitted && OnTime(r.SubmittedAt, r.Target, loc):
			s.OnTime++
		case submitted:
			s.Late++
		case today.After(r.Target):
			s.Missing++
		default:
			s.NotDue++
		}
	}
	var out []Tally
	for _, a := range cal.Agencies {
		if s, ok := by[a.ID]; ok {
			out = append(out, *s)
		}
	}
	sort.Strings(removed)
	for _, id := range removed {
		out = append(out, *by[id])
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
