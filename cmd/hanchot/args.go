package main

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/record"
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
	if err != nil {
		return a, errors.New(l.recordMessage(cfg, err))
	}
	return a, nil
}

// recordMessage says in l why the shared rules (package record) refused
// something: a *record.Refusal, or a *hanchot.AgencyError from finding an
// agency. Any other error is said as it is.
func (l Lang) recordMessage(cfg *config.Config, err error) string {
	var ae *hanchot.AgencyError
	if errors.As(err, &ae) {
		var names []string
		for _, a := range append(ae.Ambiguous, ae.Suggestions...) {
			names = append(names, l.T("agency.named", a.ID, a.Name))
		}
		switch {
		case len(ae.Ambiguous) > 0:
			return l.T("err.agencyAmbiguous", ae.Input, strings.Join(names, ", "))
		case len(names) > 0:
			return l.T("err.agencyUnknownMean", ae.Input, cfg.File, l.orList(names))
		}
		return l.T("err.agencyUnknown", ae.Input, cfg.File)
	}
	var r *record.Refusal
	if !errors.As(err, &r) {
		return err.Error()
	}
	switch r.Kind {
	case record.ErrNoReport:
		return l.T("err.noReport", r.Code, cfg.File)
	case record.ErrPeriodRequired:
		return l.T("err.periodRequired", r.Code, strings.Join(r.Periods, ", "))
	case record.ErrNoPeriod:
		return l.T("err.noPeriod", r.Code, r.Period, strings.Join(r.Periods, ", "))
	case record.ErrYearRequired:
		return l.T("err.yearRequired")
	case record.ErrYearNotTracked:
		return l.T("err.yearNotTracked", r.Year, r.FirstYear, r.LastYear)
	case record.ErrAgencyRequired:
		return l.T("err.agencyRequired")
	case record.ErrNotInvolved:
		return l.T("err.notInvolved", r.Agency, r.Code)
	case record.ErrFuture:
		return l.T("err.inFuture", r.At.Format("2006-01-02 15:04"))
	case record.ErrOutsideWindow:
		return l.T("err.outsideWindow", r.Day, r.Year, r.Year-1, r.Year+1)
	case record.ErrNotLater:
		return l.T("err.notLater", r.Day, r.Target)
	case record.ErrNoReason:
		return l.T("err.reasonRequired")
	}
	return err.Error()
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
