package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"hanchot"
)

// ConfigDate is a day in the configuration: a TOML date (2025-07-01) or a
// string ("2025-07-01", "01/07/2025"). A value that cannot be read is
// reported when the file is decoded; it stays written, with no Date.
type ConfigDate struct {
	Date    hanchot.Date // zero when not written or not a day
	Written bool         // the key is in the file
}

// readTOML reads a ConfigDate.
func (d *ConfigDate) readTOML(c *checker, place string, v any) {
	*d = ConfigDate{Written: true}
	if day, ok := c.date(place, v); ok {
		d.Date = day
	}
}

// IsZero reports whether no date was given.
func (d ConfigDate) IsZero() bool { return !d.Written }

// Valid reports whether a date was given and is a day.
func (d ConfigDate) Valid() bool { return d.Written && !d.Date.IsZero() }

// Member is an entry of a group's members: an agency or group id, and
// optionally the days it belongs to the group.
type Member struct {
	ID    string     `toml:"id"`
	From  ConfigDate `toml:"from"`
	Until ConfigDate `toml:"until"`
	bad   bool       // the entry could not be read as written; reported when decoded
}

// MemberList is a group's members: one id, or a list whose entries are
// "id" or { id = "...", from = 2025-07-01, until = 2026-06-30 }.
type MemberList []Member

// IDs returns the members' ids in order.
func (l MemberList) IDs() []string {
	ids := make([]string, len(l))
	for i, m := range l {
		ids[i] = m.ID
	}
	return ids
}

// readTOML reads a group's members. Every entry is kept, readable or not,
// so that the checks after decoding name each by its place in the file.
func (l *MemberList) readTOML(c *checker, place string, v any) {
	switch v := v.(type) {
	case string:
		var m Member
		m.readTOML(c, place, v)
		*l = MemberList{m}
	case []any:
		out := make(MemberList, len(v))
		for i, e := range v {
			out[i].readTOML(c, elemPlace(place, i), e)
		}
		*l = out
	case []map[string]any: // written as [[group.members]] tables
		out := make(MemberList, len(v))
		for i, e := range v {
			out[i].readTOML(c, elemPlace(place, i), e)
		}
		*l = out
	default:
		c.bad(place, "wantMembers", label(place), keyOf(place))
	}
}

// readTOML reads one entry of a group's members.
func (m *Member) readTOML(c *checker, place string, v any) {
	*m = Member{}
	n := len(c.err.Problems)
	switch v := v.(type) {
	case string:
		if s, ok := c.text(place, v); ok {
			m.ID = s
		}
	case map[string]any:
		c.table(place, v, reflect.ValueOf(m).Elem())
		if _, ok := v["id"]; !ok {
			c.add(place, "memberNoID")
		}
	default:
		c.bad(place, "wantMember", label(place))
	}
	m.bad = len(c.err.Problems) > n || c.failed[place]
}

// checkLifetimes checks the calendar's history settings (agency lifetimes
// and successors, group member terms, report years, deadline ids) and
// writes them into cal, whose agencies, groups and reports are in the
// configuration's order. Dates that cannot be read were reported when the
// file was decoded.
func (c *checker) checkLifetimes(cfg *Config, cal *hanchot.Calendar, known *ids) {
	cleanTexts(cal)
	span := func(place, what string, from, until ConfigDate) hanchot.Span {
		if from.Valid() && until.Valid() && until.Date.Before(from.Date) {
			c.add(place+".until", "untilBeforeFrom", what, until.Date.VN(), from.Date.VN())
		}
		return hanchot.Span{From: from.Date, Until: until.Date}
	}

	agencies := map[string]int{}
	for i, a := range cfg.Agencies {
		if _, dup := agencies[a.ID]; !dup {
			agencies[a.ID] = i
		}
	}
	for i, a := range cfg.Agencies {
		place := elemPlace("agency", i)
		life := span(place, text("whatAgency", a.ID), a.From, a.Until)
		if i < len(cal.Agencies) {
			cal.Agencies[i].Life, cal.Agencies[i].Successor = life, a.Successor
		}
		if a.Successor == "" {
			continue
		}
		j, ok := agencies[a.Successor]
		switch {
		case known.kind[a.Successor] == "group":
			c.add(place+".successor", "successorIsGroup", a.ID, a.Successor)
			continue
		case !ok && known.kind[a.Successor] == "":
			c.add(place+".successor", "successorUnknown", a.ID, a.Successor, known.suggest(a.Successor, "agency"))
			continue
		case !ok:
			continue // an agency known by an id with a mistake, reported there
		case a.Until.IsZero():
			c.add(place+".successor", "successorNoUntil", a.ID, a.Successor)
		}
		if next := cfg.Agencies[j].From; a.Until.Valid() && next.Valid() && next.Date.After(a.Until.Date.AddDays(1)) {
			c.add(place+".successor", "successorGap", a.ID, a.Until.Date.VN(), a.Successor, next.Date.VN(),
				a.Successor, a.Until.Date.AddDays(1).VN())
		}
	}
	c.checkSuccessorLoops(cfg.Agencies, agencies)
	c.checkChainEnds(cfg)

	for i, g := range cfg.Groups {
		terms := map[string]hanchot.Span{}
		seen := map[string]bool{}
		for j, m := range g.Members {
			if m.bad {
				continue
			}
			place := elemPlace(elemPlace("group", i)+".members", j)
			if seen[m.ID] {
				c.add(place, "memberTwice", g.ID, m.ID)
			}
			seen[m.ID] = true
			if !m.From.IsZero() || !m.Until.IsZero() {
				terms[m.ID] = span(place, text("whatMember", g.ID, m.ID), m.From, m.Until)
			}
		}
		if i < len(cal.Groups) && len(terms) > 0 {
			cal.Groups[i].Terms = terms
		}
	}

	for i, r := range cfg.Reports {
		place := elemPlace("report", i)
		for _, y := range []struct {
			key string
			v   int
		}{{"from_year", r.FromYear}, {"until_year", r.UntilYear}} {
			if y.v != 0 && (y.v < 1901 || y.v > 2099) {
				c.add(place+"."+y.key, "reportYear", r.Code, label(place+"."+y.key), y.v)
			}
		}
		if r.FromYear != 0 && r.UntilYear != 0 && r.UntilYear < r.FromYear {
			c.add(place+".until_year", "untilYearBeforeFrom", r.Code, r.UntilYear, r.FromYear)
		}
		if i < len(cal.Reports) {
			cal.Reports[i].FromYear, cal.Reports[i].UntilYear = r.FromYear, r.UntilYear
		}
		ids := map[string]string{}
		for j, d := range r.Deadlines {
			if d.ID == "" {
				continue
			}
			dplace := fmt.Sprintf("%s.deadlines[%d].id", place, j)
			key := hanchot.IDKey(d.ID)
			if key == "" {
				c.add(dplace, "deadlineIDBlank", r.Code)
			} else if prev, dup := ids[key]; dup {
				c.add(dplace, "deadlineIDTwice", r.Code, d.ID, prev)
			} else {
				ids[key] = d.ID
			}
		}
	}
}

// cleanTexts writes the calendar's names, titles and rules in Unicode NFC
// with single spaces, so that a file re-saved in another Unicode form (it
// looks the same) syncs as unchanged.
func cleanTexts(cal *hanchot.Calendar) {
	for i := range cal.Agencies {
		cal.Agencies[i].Name = hanchot.Clean(cal.Agencies[i].Name)
	}
	for i := range cal.Groups {
		cal.Groups[i].Name = hanchot.Clean(cal.Groups[i].Name)
	}
	for i := range cal.Reports {
		r := &cal.Reports[i]
		r.Title, r.Evidence = hanchot.Clean(r.Title), hanchot.Clean(r.Evidence)
		for j := range r.Deadlines {
			r.Deadlines[j].Rule.Text = hanchot.Clean(r.Deadlines[j].Rule.Text)
		}
	}
}

// checkSuccessorLoops reports each chain of successors that comes back to
// an agency already on it, once, on the successor line of the agency the
// loop is entered by.
func (c *checker) checkSuccessorLoops(agencies []Agency, index map[string]int) {
	walked := map[string]bool{} // agencies whose chain has been followed to its end
	for _, a := range agencies {
		if walked[a.ID] {
			continue
		}
		trail := []string{a.ID}
		on := map[string]int{a.ID: 0}
		for id := a.Successor; id != "" && !walked[id]; {
			j, ok := index[id]
			if !ok {
				break // reported as a missing successor
			}
			if at, loop := on[id]; loop {
				chain := append(slices.Clone(trail[at:]), id)
				c.add(elemPlace("agency", index[id])+".successor", "successorLoop", strings.Join(chain, " → "))
				break
			}
			on[id] = len(trail)
			trail = append(trail, id)
			id = agencies[j].Successor
		}
		for _, id := range trail {
			walked[id] = true
		}
	}
}

// checkChainEnds refuses an agency that ends (until) with nobody to take
// over (no successor) while work still comes to it after its end: it is
// named as a report's lead or support, is a member of a group with no end
// to its membership by then, or succeeds an agency that is. Its items
// after the end would go to nobody.
func (c *checker) checkChainEnds(cfg *Config) {
	work := map[string][]string{} // agency -> where its work comes from
	for _, r := range cfg.Reports {
		for _, id := range append(append([]string{}, r.Lead...), r.Support...) {
			work[id] = append(work[id], text("inReport", r.Code))
		}
	}
	byID := map[string]Agency{}
	for _, a := range cfg.Agencies {
		byID[a.ID] = a
	}
	for _, g := range cfg.Groups {
		for _, m := range g.Members {
			a, ok := byID[m.ID]
			if ok && (!m.Until.Valid() || !a.Until.Valid() || m.Until.Date.After(a.Until.Date)) {
				work[m.ID] = append(work[m.ID], text("inGroup", g.ID))
			}
		}
	}
	// Work passes down the successor chains (loops are reported apart).
	for changed, rounds := true, 0; changed && rounds < len(cfg.Agencies); rounds++ {
		changed = false
		for _, a := range cfg.Agencies {
			if len(work[a.ID]) > 0 && a.Successor != "" && len(work[a.Successor]) == 0 {
				work[a.Successor] = []string{text("inSuccession", a.ID)}
				changed = true
			}
		}
	}
	for i, a := range cfg.Agencies {
		if where := work[a.ID]; a.Until.Valid() && a.Successor == "" && len(where) > 0 {
			if len(where) > 3 {
				where = append(where[:3:3], "…")
			}
			c.add(elemPlace("agency", i)+".until", "successorMissing", a.ID, a.Until.Date.VN(), strings.Join(where, ", "))
		}
	}
}
