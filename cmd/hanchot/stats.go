package main

import (
	"context"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/record"
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
	ShareOnTime float64 `json:"share_on_time"`     // on_time / (on_time + late + missing), 0–1
	Retired     string  `json:"retired,omitempty"` // "removed", "until 2025-06-30": the agency's rows are history
}

// Run runs the command.
func (c *StatsCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("stats", "stats --year Y [--at T] [--role lead|support] [--format table|csv|json]",
		"  hanchot stats --year 2019\n  hanchot stats --year 2019 --role lead --format csv > dung-han-2019.csv\n")
	year := fs.Int("year", 0, "reporting year (required)")
	atFlag := fs.String("at", "", "as of this day or time (default: now)")
	role := fs.String("role", "", "only lead or support occurrences")
	format := formatFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkYear(*year); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if err := oneOf("--role", *role, "", "lead", "support"); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	at, err := parseNow("--at", *atFlag, cfg)
	if err != nil {
		return err
	}
	db, err := openReadOnly(ctx, cfg)
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
	return writeRecords(c.Stdout, *format, tally(recs, at, cfg))
}

// tally counts, per agency, what was on time, late, missing and not due
// as of at (see record.TallyAt).
func tally(recs []store.Record, at time.Time, cfg *config.Config) []statsRow {
	today := hanchot.DateOf(at, cfg.Location)
	rows := []statsRow{}
	for _, t := range record.TallyAt(recs, at, cfg.Calendar, cfg.Location) {
		rows = append(rows, statsRow{Agency: t.Agency, AgencyName: t.AgencyName, OnTime: t.OnTime, Late: t.Late,
			Missing: t.Missing, NotDue: t.NotDue, ShareOnTime: t.ShareOnTime(),
			Retired: record.RetiredLabel(cfg.Calendar, t.Agency, t.Retired, today)})
	}
	return rows
}
