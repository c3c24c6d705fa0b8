package hanchot

import (
	"fmt"
	"sort"
	"strings"
)

// AgencyError says why FindAgency found no one agency.
type AgencyError struct {
	Input string
	// Ambiguous lists the agencies that all answer to Input (two
	// agencies whose names differ only by diacritics); empty otherwise.
	Ambiguous []Agency
	// Suggestions lists, when no agency answers, the nearest ones, best
	// first (at most three).
	Suggestions []Agency
}

func (e *AgencyError) Error() string {
	if len(e.Ambiguous) > 0 {
		return fmt.Sprintf("%q names several agencies: %s; use the id", e.Input, agencyList(e.Ambiguous))
	}
	msg := fmt.Sprintf("%q is not an agency", e.Input)
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + agencyList(e.Suggestions) + "?"
	}
	return msg
}

func agencyList(as []Agency) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, fmt.Sprintf("%s (%s)", a.ID, a.Name))
	}
	return strings.Join(parts, ", ")
}

// FindAgency returns the agency that s names: its id, its exact name, or
// either written without diacritics, in any case and spacing ("so tai
// chinh", "Sở Tài chính", "SO-TAI-CHINH"). When none does, the error is an
// *AgencyError with the nearest agencies as suggestions.
func (c *Calendar) FindAgency(s string) (Agency, error) {
	if a, ok := c.Agency(s); ok {
		return a, nil
	}
	clean := strings.ToLower(Clean(s))
	for _, a := range c.Agencies {
		if strings.ToLower(a.ID) == clean || strings.ToLower(Clean(a.Name)) == clean {
			return a, nil
		}
	}
	key := Fold(s)
	var found []Agency
	for _, a := range c.Agencies {
		if key != "" && (Fold(a.ID) == key || Fold(a.Name) == key) {
			found = append(found, a)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return Agency{}, &AgencyError{Input: s, Ambiguous: found}
	}
	return Agency{}, &AgencyError{Input: s, Suggestions: c.nearAgencies(key)}
}

// nearAgencies returns up to three agencies whose id or name is a few
// edits from key, or whose name contains key or is contained in it as
// whole words (both folded).
func (c *Calendar) nearAgencies(key string) []Agency {
	if key == "" {
		return nil
	}
	type near struct {
		a    Agency
		dist int
		i    int
	}
	limit := 2 + len([]rune(key))/8
	var out []near
	for i, a := range c.Agencies {
		d := min(EditDistance(key, Fold(a.ID)), EditDistance(key, Fold(a.Name)))
		name := " " + Fold(a.Name) + " "
		if d > limit && (strings.Contains(name, " "+key+" ") || strings.Contains(" "+key+" ", name)) {
			d = limit // a part of the name, or the name and more
		}
		if d <= limit {
			out = append(out, near{a, d, i})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].dist != out[j].dist {
			return out[i].dist < out[j].dist
		}
		return out[i].i < out[j].i
	})
	var as []Agency
	for i := 0; i < len(out) && i < 3; i++ {
		as = append(as, out[i].a)
	}
	return as
}
