package main

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
)

// The values the commands' flags share: times, days, years and agencies.
// Each mistake is a usage error (exit 2) that says what to write.

// timeFlag reads a time flag (--now, --at) in the configured zone; empty
// means the clock.
func (m *Main) timeFlag(flag, s string, cfg *config.Config) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Now().In(cfg.Location), nil
	}
	t, err := hanchot.ParseTime(s, cfg.Location)
	if err != nil {
		return t, m.usageError("err.badTime", flag, s)
	}
	return t, nil
}

// dayFlag reads a day flag (--from, --to, --due): any form timeFlag
// reads, the time of day dropped. Empty means today.
func (m *Main) dayFlag(flag, s string, cfg *config.Config) (hanchot.Date, error) {
	if strings.TrimSpace(s) == "" {
		return hanchot.DateOf(time.Now(), cfg.Location), nil
	}
	d, err := hanchot.ParseDay(s, cfg.Location)
	if err != nil {
		return d, m.usageError("err.badDay", flag, s)
	}
	return d, nil
}

// checkYear refuses a missing or impossible --year.
func (l Lang) checkYear(y int) error {
	if y == 0 {
		return l.usageError("err.yearRequired").hint("--year " + strconv.Itoa(time.Now().Year()))
	}
	if y < 1901 || y > 2099 {
		return l.usageError("err.yearRange", y)
	}
	return nil
}

// agencyFlag resolves an --agency to an agency id: "" stays "" (every
// agency); otherwise the value may be an id or a name, with or without
// diacritics, in any case.
func (m *Main) agencyFlag(cfg *config.Config, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	a, err := m.Lang.findAgency(cfg, s)
	if err != nil {
		return "", usageErrorf("--agency: %s", err.Error())
	}
	return a.ID, nil
}

// findAgency finds the agency s names in the calendar, or says why not in
// l, with the nearest agencies when none matches.
func (l Lang) findAgency(cfg *config.Config, s string) (hanchot.Agency, error) {
	a, err := cfg.Calendar.FindAgency(s)
	var ae *hanchot.AgencyError
	if errors.As(err, &ae) {
		var names []string
		for _, a := range append(ae.Ambiguous, ae.Suggestions...) {
			names = append(names, l.T("agency.named", a.ID, a.Name))
		}
		switch {
		case len(ae.Ambiguous) > 0:
			return a, errors.New(l.T("err.agencyAmbiguous", s, strings.Join(names, ", ")))
		case len(names) > 0:
			return a, errors.New(l.T("err.agencyUnknownMean", s, cfg.File, l.orList(names)))
		}
		return a, errors.New(l.T("err.agencyUnknown", s, cfg.File))
	}
	return a, err
}

// oneOf refuses a flag value that is not one of allowed ("" first when
// the flag may be left out).
func (m *Main) oneOf(flag, v string, allowed ...string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	if allowed[0] == "" {
		allowed = allowed[1:]
	}
	return m.usageError("err.oneOf", flag, v, strings.Join(allowed, ", "))
}

// orList joins choices as "a, b or c".
func (l Lang) orList(choices []string) string {
	if len(choices) < 2 {
		return strings.Join(choices, "")
	}
	return strings.Join(choices[:len(choices)-1], ", ") + l.T("word.or") + choices[len(choices)-1]
}
