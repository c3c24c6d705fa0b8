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
	tallier := record.NewTallier(at, cfg.Calendar, cfg.Location)
	err = db.EachRecord(ctx, store.RecordFilter{Year: *year, Counts: true}, func(r store.Record) error {
		if *role == "" || string(r.Role) == *role {
			tallier.Add(r)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.writeRecords(listing{format: *format, sheet: "sheet.stats"}, statsRows(tallier.Tallies(), at, cfg))
}

// statsRows are the rows of the tallies as of at.
func statsRows(tallies []record.Tally, at time.Time, cfg *config.Config) []statsRow {
	today := hanchot.DateOf(at, cfg.Location)
	rows := []statsRow{}
	for _, t := range tallies {
		rows = append(rows, statsRow{Agency: t.Agency, AgencyName: t.AgencyName, OnTime: t.OnTime, Late: t.Late,
			Missing: t.Missing, NotDue: t.NotDue, ShareOnTime: t.ShareOnTime(),
			Retired: record.RetiredLabel(cfg.Calendar, t.Agency, t.Retired, today)})
	}
	return rows
}
