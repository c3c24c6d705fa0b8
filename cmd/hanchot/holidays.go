package main

import (
	"context"

	"hanchot"
	"hanchot/scheduler"
)

// HolidaysCommand lists the days off of a year.
type HolidaysCommand struct{ *Main }

type holidayRow struct {
	Date hanchot.Date `json:"date"`
	Name string       `json:"name"`
}

// Run runs the command.
func (c *HolidaysCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("holidays", "holidays --year Y [--format table|csv|json]",
		"  hanchot holidays --year 2025\n")
	year := fs.Int("year", 0, "year (required)")
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
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	rows := []holidayRow{}
	for _, h := range scheduler.NewWorkdays(cfg.WorkRules).Holidays(*year) {
		rows = append(rows, holidayRow(h))
	}
	return writeRecords(c.Stdout, *format, rows)
}
