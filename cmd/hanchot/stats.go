package main

import (
	"context"
	"math"
	"sort"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/store"
)

// StatsCommand counts on-time, late and missing submissions per agency.
type StatsCommand struct{ *Main }

type statsRow struct {
	Agency      string  `json:"agency"`
	AgencyName  string  `json:"agency_name"`
	OnTime      int     `json:"on_time"`
	Late        int     `json:"late"`
	Missing     int     `json:"missing"`
	NotDue      int     `json:"not_due"`
	ShareOnTime float64 `json:"share_on_time" table:"percent"`  // on_time / (on_time + late + missing), 0–1
	Retired     string  `json:"retired,omitempty" table:"word"` // "removed", "until 2025-06-30": the agency's rows are history
}

// Run runs the command.
func (c *StatsCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("stats")
	year := fs.Int("year", 0, c.T("flag.year"))
	atFlag := fs.String("at", "", c.T("flag.at"))
	role := fs.String("role", "", c.T("flag.role"))
	format := c.formatFlag(fs)
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.Lang.checkYear(*year); err != nil {
		return err
	}
	if err := c.checkFormat(*format); err != nil {
		return err
	}
	if err := c.oneOf("--role", *role, "", "lead", "support"); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	at, err := c.timeFlag("--at", *atFlag, cfg)
	if err != nil {
		return err
	}
	db, err := openReadOnly(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	recs, err := db.Records(ctx, store.RecordFilter{Year: *year})
	if err != nil {
		return err
	}
	if *role != "" {
		kept := recs[:0]
		for _, r := range recs {
			if string(r.Role) == *role {
				kept = append(kept, r)
			}
		}
		recs = kept
	}
	return c.writeRecords(listing{format: *format, sheet: "sheet.stats"}, tally(recs, at, cfg))
}

// tally counts, per agency in calendar order, the occurrences submitted on
// or before their date, after it, not submitted though due, and not due
// yet, as of at.
func tally(recs []store.Record, at time.Time, cfg *config.Config) []statsRow {
	today := hanchot.DateOf(at, cfg.Location)
	by := map[string]*statsRow{}
	for _, r := range recs {
		s, ok := by[r.Agency]
		if !ok {
			s = &statsRow{Agency: r.Agency, AgencyName: r.AgencyName, Retired: retiredLabel(cfg, r.Agency, r.AgencyRetired, today)}
			by[r.Agency] = s
		}
		submitted := !r.SubmittedAt.IsZero() && !r.SubmittedAt.After(at)
		switch {
		case submitted && !hanchot.DateOf(r.SubmittedAt, cfg.Location).After(r.Target):
			s.OnTime++
		case submitted:
			s.Late++
		case today.After(r.Target):
			s.Missing++
		default:
			s.NotDue++
		}
	}
	rows := []statsRow{}
	for _, a := range cfg.Calendar.Agencies {
		if s, ok := by[a.ID]; ok {
			if n := s.OnTime + s.Late + s.Missing; n > 0 {
				s.ShareOnTime = math.Round(float64(s.OnTime)/float64(n)*1000) / 1000
			}
			rows = append(rows, *s)
			delete(by, a.ID)
		}
	}
	var retired []statsRow // agencies since retired from the calendar
	for _, s := range by {
		retired = append(retired, *s)
	}
	sort.Slice(retired, func(i, j int) bool { return retired[i].Agency < retired[j].Agency })
	return append(rows, retired...)
}

// retiredLabel says why an agency's rows are history as of today: it left
// the configuration ("removed"), or its lifetime ended ("until D"). It is
// empty for an agency that still exists.
func retiredLabel(cfg *config.Config, agency string, removed bool, today hanchot.Date) string {
	a, ok := cfg.Calendar.Agency(agency)
	switch {
	case removed || !ok:
		return "removed"
	case !a.Life.Until.IsZero() && today.After(a.Life.Until):
		return "until " + a.Life.Until.String()
	}
	return ""
}
