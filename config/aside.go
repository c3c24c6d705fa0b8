package config

import "strings"

// After a syntax mistake the faulty lines are set aside and the rest of the
// file is still decoded and checked, so that every problem is reported at
// once. A line set aside takes its key with it, and the checks must not
// report what only that causes. The rule:
//
//   - a problem with a value written on a line that was read is reported;
//   - a problem with a key that is not written (missing, or reported on its
//     table's line) is not, when the line set aside may have held that key
//     (the key's own line, or a line of its table that cannot be told);
//   - a check that compares a value with other keys (a reference to an id,
//     last_year with start, a successor's dates, …) is not reported when a
//     line set aside may have held one of those keys (see dependsOn).
//
// An id line set aside whose id can still be read ("so-noi-vu without its
// closing quote) keeps that id known, so that the references to it are
// checked as usual.
type aside struct {
	lines  map[int]bool      // the lines set aside
	under  map[string]bool   // places that may have been written on such a line, with what is under them
	shapes []string          // the same places without indices ("agency.id", "schedule"); "" for anything
	ids    map[string]string // ids read from id lines set aside -> "agency" or "group"
}

// newAside works out what the lines set aside in r may have held; ix is
// the index of r's text.
func newAside(ix *lineIndex, r *recovered) *aside {
	a := &aside{lines: r.aside, under: map[string]bool{}, ids: map[string]string{}}
	for n := range r.aside {
		t := strings.TrimSpace(stripComment(r.orig[n-1]))
		if strings.HasPrefix(t, "[") && !strings.Contains(t, "=") {
			// A table header: its table is missing, whole.
			keys, ok := splitKey(strings.Trim(t, "[] \t"))
			name := strings.Join(keys, ".")
			switch {
			case !ok:
				a.lose("")
			case strings.HasPrefix(t, "[[") || isArrayOfTables(name):
				// An element is missing from the array: what refers
				// to it cannot be checked.
				a.shapes = append(a.shapes, name)
			default:
				a.lose(name)
			}
			continue
		}
		table := ix.tableAt(n)
		k, v, hasEq := strings.Cut(t, "=")
		if !hasEq {
			k = strings.Fields(k + " x")[0] // `timezone "Asia/Ho_Chi_Minh"`
		}
		keys, ok := splitKey(k)
		if !ok {
			a.lose(table)
			continue
		}
		place := table
		for _, key := range keys {
			place = joinPlace(place, key)
		}
		if s := shape(place); s == "agency.id" || s == "group.id" {
			if id := strings.Trim(strings.TrimSpace(v), `"' `); slugRe.MatchString(id) {
				a.ids[id] = strings.TrimSuffix(s, ".id")
				a.under[place] = true
				continue
			}
		}
		a.lose(place)
	}
	return a
}

// lose records that place, and what is under it, may have been on a line
// set aside.
func (a *aside) lose(place string) {
	a.under[place] = true
	a.shapes = append(a.shapes, shape(place))
}

// splitKey splits a dotted key as written ("mail.from", `"a b".c`) into
// its keys; ok is false when it is not a key.
func splitKey(k string) ([]string, bool) {
	var keys []string
	for _, part := range strings.Split(k, ".") {
		part = strings.TrimSpace(part)
		if len(part) >= 2 && (part[0] == '"' || part[0] == '\'') && part[len(part)-1] == part[0] {
			part = part[1 : len(part)-1]
		} else if part == "" || strings.IndexFunc(part, func(r rune) bool { return r > 0x7f || !isBareKeyByte(byte(r)) }) >= 0 {
			return nil, false
		}
		keys = append(keys, part)
	}
	return keys, true
}

// dependsOn lists, for the checks that compare a value with other keys,
// those keys (as shapes).
var dependsOn = func() map[msg][]string {
	ids := []string{"agency.id", "group.id"}
	m := map[msg][]string{
		"lastBeforeFirst":     {"schedule.first_year"},
		"lastBeforeStart":     {"schedule.first_year", "schedule.start"},
		"lastBeforeStartDate": {"schedule.start"},
		"untilBeforeFrom":     {"agency.from", "agency.until", "group.members"},
		"successorNoUntil":    {"agency.until"},
		"successorGap":        {"agency.from", "agency.until"},
		"successorMissing":    {"agency.id", "agency.successor", "group.members"},
		"untilYearBeforeFrom": {"report.from_year", "report.until_year"},
		"alsoLevel":           {"escalation.after_days"},
		"supportLevel":        {"escalation.after_days"},
		"metricsSame":         {"web.listen"},
		"previousAlone":       {"web.secret_file"},
	}
	for _, k := range []msg{"notMember", "leadUnknown", "leadIsGroup", "supportUnknown", "focalUnknown",
		"focalIsGroup", "alsoUnknown", "successorUnknown", "successorIsGroup"} {
		m[k] = ids
	}
	return m
}()

// hides reports whether the problem m with place may come only from a line
// set aside.
func (a *aside) hides(ix *lineIndex, place string, m msg) bool {
	if a == nil {
		return false
	}
	if a.lines[ix.line(place)] {
		return true
	}
	if !ix.has(place) {
		for p := place; ; {
			if a.under[p] {
				return true
			}
			i := strings.LastIndexAny(p, ".[")
			if p == "" {
				break
			}
			p = p[:max(i, 0)]
		}
	}
	for _, d := range dependsOn[m] {
		for _, s := range a.shapes {
			if s == "" || s == d || strings.HasPrefix(d, s+".") {
				return true
			}
		}
	}
	return false
}
