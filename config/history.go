package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"hanchot"
)

// ConfigDate is a day in the configuration: a TOML date (2025-07-01) or a
// string ("2025-07-01", "01/07/2025"). A value that cannot be read is kept
// in Err for the checks to report with its line.
type ConfigDate struct {
	Date hanchot.Date
	Raw  string
	Err  error
}

// UnmarshalTOML reads a ConfigDate.
func (c *ConfigDate) UnmarshalTOML(v any) error {
	*c = readConfigDate(v)
	return nil
}

func readConfigDate(v any) ConfigDate {
	switch v := v.(type) {
	case time.Time:
		return ConfigDate{Date: hanchot.NewDate(v.Year(), v.Month(), v.Day()), Raw: v.Format("2006-01-02")}
	case string:
		d, err := parseConfigDate(v)
		return ConfigDate{Date: d, Raw: v, Err: err}
	}
	return ConfigDate{Raw: fmt.Sprint(v), Err: fmt.Errorf("%v is not a date (write 2025-07-01 or \"01/07/2025\")", v)}
}

// IsZero reports whether no date was given.
func (c ConfigDate) IsZero() bool { return c.Raw == "" && c.Err == nil }

// Member is an entry of a group's members: an agency or group id, and
// optionally the days it belongs to the group.
type Member struct {
	ID          string
	From, Until ConfigDate
	Err         error // an entry that cannot be read; reported by the checks
}

// MemberList is a group's members: a list whose entries are "id" or
// { id = "...", from = 2025-07-01, until = 2026-06-30 }.
type MemberList []Member

// IDs returns the members' ids in order.
func (l MemberList) IDs() []string {
	ids := make([]string, len(l))
	for i, m := range l {
		ids[i] = m.ID
	}
	return ids
}

// UnmarshalTOML reads one entry of a group's members.
func (m *Member) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*m = Member{ID: v}
	case map[string]any:
		*m = Member{}
		m.ID, _ = v["id"].(string)
		for k, val := range v {
			switch k {
			case "id":
			case "from":
				m.From = readConfigDate(val)
			case "until":
				m.Until = readConfigDate(val)
			default:
				m.Err = fmt.Errorf("unknown key %q (a member takes id, from and until)", k)
			}
		}
		if m.ID == "" && m.Err == nil {
			m.Err = fmt.Errorf("a member written as a table needs an id")
		}
	default:
		return fmt.Errorf("want an id or { id = ..., from = ..., until = ... }, found %T", v)
	}
	return nil
}

// checkLifetimes checks the calendar's history settings (tracking start,
// agency lifetimes and successors, group member terms, report years,
// deadline ids) and writes them into cal, whose agencies, groups and
// reports are in the configuration's order.
func (c *checker) checkLifetimes(cfg *Config, cal *hanchot.Calendar) {
	cleanTexts(cal)
	if s := cfg.Schedule.Start; s.Err != nil {
		c.add("schedule.start", "schedule.start: %v", s.Err)
	}
	span := func(path, what string, from, until ConfigDate) hanchot.Span {
		for _, d := range []struct {
			key string
			v   ConfigDate
		}{{"from", from}, {"until", until}} {
			if d.v.Err != nil {
				c.add(path+"."+d.key, "%s: %s: %v", what, d.key, d.v.Err)
			}
		}
		if !from.IsZero() && !until.IsZero() && until.Date.Before(from.Date) {
			c.add(path+".until", "%s: until %s is before from %s", what, until.Date, from.Date)
		}
		return hanchot.Span{From: from.Date, Until: until.Date}
	}

	agencies := map[string]int{}
	for i, a := range cfg.Agencies {
		agencies[a.ID] = i
	}
	groups := map[string]bool{}
	for _, g := range cfg.Groups {
		groups[g.ID] = true
	}
	for i, a := range cfg.Agencies {
		path := fmt.Sprintf("agency[%d]", i)
		life := span(path, fmt.Sprintf("agency %q", a.ID), a.From, a.Until)
		if i < len(cal.Agencies) {
			cal.Agencies[i].Life, cal.Agencies[i].Successor = life, a.Successor
		}
		if a.Successor == "" {
			continue
		}
		j, ok := agencies[a.Successor]
		switch {
		case groups[a.Successor]:
			c.add(path+".successor", "agency %q: successor %q is a group; name the one agency that takes over", a.ID, a.Successor)
			continue
		case !ok:
			c.add(path+".successor", "agency %q: successor %q is not an agency", a.ID, a.Successor)
			continue
		case a.Until.IsZero():
			c.add(path+".successor", "agency %q names successor %q but no until: say the last day it exists", a.ID, a.Successor)
		}
		if next := cfg.Agencies[j].From; !a.Until.IsZero() && !next.IsZero() && a.Until.Err == nil && next.Err == nil &&
			next.Date.After(a.Until.Date.AddDays(1)) {
			c.add(path+".successor", "agency %q ends %s but its successor %q starts only %s: nobody answers in between",
				a.ID, a.Until.Date, a.Successor, next.Date)
		}
	}
	c.checkSuccessorLoops(cfg.Agencies, agencies)

	for i, g := range cfg.Groups {
		path := fmt.Sprintf("group[%d].members", i)
		terms := map[string]hanchot.Span{}
		seen := map[string]bool{}
		for _, m := range g.Members {
			if m.Err != nil {
				c.add(path, "group %q: %v", g.ID, m.Err)
				continue
			}
			if seen[m.ID] {
				c.add(path, "group %q lists %q twice", g.ID, m.ID)
			}
			seen[m.ID] = true
			if !m.From.IsZero() || !m.Until.IsZero() {
				terms[m.ID] = span(path, fmt.Sprintf("group %q, member %q", g.ID, m.ID), m.From, m.Until)
			}
		}
		if i < len(cal.Groups) && len(terms) > 0 {
			cal.Groups[i].Terms = terms
		}
	}

	for i, r := range cfg.Reports {
		path := fmt.Sprintf("report[%d]", i)
		for _, y := range []struct {
			key string
			v   int
		}{{"from_year", r.FromYear}, {"until_year", r.UntilYear}} {
			if y.v != 0 && (y.v < 1901 || y.v > 2099) {
				c.add(path+"."+y.key, "report %s: %s %d is not between 1901 and 2099", r.Code, y.key, y.v)
			}
		}
		if r.FromYear != 0 && r.UntilYear != 0 && r.UntilYear < r.FromYear {
			c.add(path+".until_year", "report %s: until_year %d is before from_year %d", r.Code, r.UntilYear, r.FromYear)
		}
		if i < len(cal.Reports) {
			cal.Reports[i].FromYear, cal.Reports[i].UntilYear = r.FromYear, r.UntilYear
		}
		ids := map[string]string{}
		for j, d := range r.Deadlines {
			if d.ID == "" {
				continue
			}
			dpath := fmt.Sprintf("%s.deadlines[%d].id", path, j)
			key := hanchot.IDKey(d.ID)
			if key == "" {
				c.add(dpath, "report %s: a deadline id is blank", r.Code)
			} else if prev, dup := ids[key]; dup {
				c.add(dpath, "report %s: deadline id %q is the same as %q", r.Code, d.ID, prev)
			}
			ids[key] = d.ID
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
// an agency already on it.
func (c *checker) checkSuccessorLoops(agencies []Agency, index map[string]int) {
	reported := map[string]bool{}
	for i, a := range agencies {
		trail := []string{a.ID}
		for id := a.Successor; id != ""; {
			j, ok := index[id]
			if !ok {
				break // reported as a missing successor
			}
			if at := slices.Index(trail, id); at >= 0 {
				loop := append(slices.Clone(trail[at:]), id)
				key := strings.Join(slices.Sorted(slices.Values(trail[at:])), ",")
				if !reported[key] {
					reported[key] = true
					c.add(fmt.Sprintf("agency[%d].successor", i), "successors form a loop: %s", strings.Join(loop, " → "))
				}
				break
			}
			trail = append(trail, id)
			id = agencies[j].Successor
		}
	}
}
