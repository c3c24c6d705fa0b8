// Package hanchot holds the domain types shared by the scheduler, the store
// and the mailer: the calendar (agencies, groups, reports and their deadline
// rules) and the occurrences it produces for a reporting year.
package hanchot

import (
	"fmt"
	"time"
)

// Agency is an office that owes reports and receives mail.
type Agency struct {
	ID     string   // ASCII slug, e.g. "so-noi-vu"
	Name   string   // Vietnamese name
	Emails []string // at least one
	// Life is when the agency exists; zero bounds are open. After its
	// Until, what it would owe goes to Successor (an agency id) if any.
	Life      Span
	Successor string
}

// Group names a set of agencies ("Các Sở, ban, ngành"). Members may be
// agencies or other groups.
type Group struct {
	ID      string
	Name    string
	Members []string
	// Terms says when a member belongs to the group; a member not listed
	// belongs always.
	Terms map[string]Span
}

// Report is one criterion of the calendar with the deadlines it carries.
type Report struct {
	Code      string // "1.2.1"
	Title     string
	Lead      []string // agency ids
	Support   []string // agency or group ids
	Points    float64
	Evidence  string
	Deadlines []Deadline
	// FromYear and UntilYear bound the reporting years the report applies
	// to; 0 is open.
	FromYear, UntilYear int
}

// Applies reports whether the report applies to reporting year y.
func (r Report) Applies(y int) bool {
	return (r.FromYear == 0 || y >= r.FromYear) && (r.UntilYear == 0 || y <= r.UntilYear)
}

// Deadline is a period of a report and the rule that dates it.
type Deadline struct {
	Period string // "Quý I", "6 tháng", "Cả năm"
	ID     string // optional: an identity that survives relabelling the period
	Rule   Rule
	Keep   bool // keep the date even when it is a day off
	// Cutoff is the day the report's data runs to ("số liệu tính đến"),
	// when the configuration names one; NoCutoff turns the default off.
	Cutoff   *Rule
	NoCutoff bool
}

// CutoffDate returns the day the data of reporting year y runs to: the
// configured cutoff, or for the standard periods the one Decree
// 09/2019/NĐ-CP (art. 12) sets: the 14th of a quarter's last month, 14/06
// for six months, 14/09 for nine, 14/12 for the year. A default that would
// fall on or after the due date is not given.
func (d Deadline) CutoffDate(y int) (Date, bool) {
	if d.NoCutoff {
		return Date{}, false
	}
	if d.Cutoff != nil {
		return d.Cutoff.Due(y), true
	}
	month := map[string]time.Month{"quý i": 3, "quý ii": 6, "quý iii": 9, "quý iv": 12,
		"6 tháng": 6, "9 tháng": 9, "cả năm": 12}[PeriodKey(d.Period)]
	if month == 0 {
		return Date{}, false
	}
	c := NewDate(y, month, 14)
	if !c.Before(d.Rule.Due(y)) {
		return Date{}, false
	}
	return c, true
}

// RuleKind tells how a Rule dates a deadline.
type RuleKind int

const (
	// DayMonth is a day and month: "15/03", "28/02 năm sau".
	DayMonth RuleKind = iota + 1
	// QuarterEnd is the last day of a quarter: "quý III", "quý IV năm trước".
	// The end of the year is the end of quarter IV.
	QuarterEnd
)

// Rule dates a deadline relative to a reporting year.
type Rule struct {
	Kind       RuleKind
	Day        int        // DayMonth
	Month      time.Month // DayMonth
	Quarter    int        // QuarterEnd, 1..4
	YearOffset int        // -1 the year before, 0 the reporting year, +1 the year after
	Text       string     // as written in the configuration
}

// Due returns the date the rule gives for reporting year y. A 29/02 in a
// year without one falls on 28/02.
func (r Rule) Due(y int) Date {
	year := y + r.YearOffset
	switch r.Kind {
	case DayMonth:
		if !ValidDate(year, r.Month, r.Day) {
			return NewDate(year, r.Month+1, 0) // last day of the month
		}
		return NewDate(year, r.Month, r.Day)
	case QuarterEnd:
		return NewDate(year, time.Month(3*r.Quarter+1), 0)
	}
	panic(fmt.Sprintf("hanchot: rule %q has no kind", r.Text))
}

// Role is what an agency does for a report.
type Role string

const (
	Lead    Role = "lead"    // chủ trì
	Support Role = "support" // phối hợp
)

// Occurrence is one deadline of one report, for one reporting year and one
// agency. Due is the date as configured; EffectiveDue is the date that
// counts: moved off days off, and for a supporting agency set the
// configured number of working days before the lead's.
type Occurrence struct {
	Code         string
	Title        string
	Period       string
	Year         int
	Agency       string
	AgencyName   string
	Role         Role
	Due          Date
	EffectiveDue Date
}

// Holiday is a day off with its name.
type Holiday struct {
	Date Date
	Name string
}

// Calendar is the whole configured calendar.
type Calendar struct {
	Agencies []Agency
	Groups   []Group
	Reports  []Report
}

// Agency returns the agency with the given id.
func (c *Calendar) Agency(id string) (Agency, bool) {
	for _, a := range c.Agencies {
		if a.ID == id {
			return a, true
		}
	}
	return Agency{}, false
}

// Report returns the report with the given code.
func (c *Calendar) Report(code string) (Report, bool) {
	for _, r := range c.Reports {
		if r.Code == code {
			return r, true
		}
	}
	return Report{}, false
}

// Span is a stretch of days, both ends included; a zero bound is open.
type Span struct{ From, Until Date }

// Contains reports whether day d lies in the span.
func (s Span) Contains(d Date) bool {
	return (s.From.IsZero() || !d.Before(s.From)) && (s.Until.IsZero() || !d.After(s.Until))
}

// Resolve returns the agency that answers for agency id on day d: the
// agency itself while it exists, after its end its successor (followed
// along the chain), and nothing before its start or when the chain ends.
func (c *Calendar) Resolve(id string, d Date) (string, bool) {
	return c.Index().Resolve(id, d)
}

// MembersOn resolves agency and group ids to the agencies that answer for
// them on day d: group members whose term covers d, each agency resolved
// through its lifetime and successors, each once, in the order first met.
func (c *Calendar) MembersOn(ids []string, d Date) []string {
	return c.Index().MembersOn(ids, d)
}

// Index is a calendar's agencies and groups by id, for the callers that
// resolve many ids: build it once with Calendar.Index, then ask it. It is
// a snapshot: it does not see later changes to the calendar.
type Index struct {
	agencies map[string]Agency
	groups   map[string]Group
}

// Index returns the calendar's index.
func (c *Calendar) Index() *Index {
	x := &Index{agencies: make(map[string]Agency, len(c.Agencies)), groups: make(map[string]Group, len(c.Groups))}
	for _, a := range c.Agencies {
		x.agencies[a.ID] = a
	}
	for _, g := range c.Groups {
		x.groups[g.ID] = g
	}
	return x
}

// Agency returns the agency with the given id.
func (x *Index) Agency(id string) (Agency, bool) {
	a, ok := x.agencies[id]
	return a, ok
}

// Resolve is Calendar.Resolve.
func (x *Index) Resolve(id string, d Date) (string, bool) {
	seen := map[string]bool{}
	for !seen[id] {
		seen[id] = true
		a, ok := x.agencies[id]
		if !ok {
			return "", false
		}
		switch {
		case a.Life.Contains(d):
			return id, true
		case !a.Life.Until.IsZero() && d.After(a.Life.Until) && a.Successor != "":
			id = a.Successor
		default:
			return "", false
		}
	}
	return "", false // a loop; the configuration check refuses those
}

// MembersOn is Calendar.MembersOn.
func (x *Index) MembersOn(ids []string, d Date) []string {
	var out []string
	seen := map[string]bool{}
	added := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if g, ok := x.groups[id]; ok {
			for _, m := range g.Members {
				if t, ok := g.Terms[m]; !ok || t.Contains(d) {
					walk(m)
				}
			}
			return
		}
		if a, ok := x.Resolve(id, d); ok && !added[a] {
			added[a] = true
			out = append(out, a)
		}
	}
	for _, id := range ids {
		walk(id)
	}
	return out
}

// Involved reports whether agency id leads or supports report r at any
// time: as a member, or as the successor of one.
func (c *Calendar) Involved(r Report, id string) bool {
	for _, m := range c.Members(append(append([]string{}, r.Lead...), r.Support...)) {
		for seen := map[string]bool{}; m != "" && !seen[m]; {
			if m == id {
				return true
			}
			seen[m] = true
			a, _ := c.Agency(m)
			m = a.Successor
		}
	}
	return false
}

// Members resolves agency and group ids to agency ids, groups expanded
// recursively, each agency once, in the order first met. Unknown ids and
// cycles are the configuration check's business; here they are skipped.
func (c *Calendar) Members(ids []string) []string {
	groups := make(map[string]Group, len(c.Groups))
	for _, g := range c.Groups {
		groups[g.ID] = g
	}
	var out []string
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if g, ok := groups[id]; ok {
			for _, m := range g.Members {
				walk(m)
			}
			return
		}
		out = append(out, id)
	}
	for _, id := range ids {
		walk(id)
	}
	return out
}
