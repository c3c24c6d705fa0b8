package main

import (
	"context"
	"errors"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
)

// HolidaysCommand lists the days off of a year.
type HolidaysCommand struct{ *Main }

type holidayRow struct {
	Date hanchot.Date `json:"date"`
	Name string       `json:"name"`
}

// Run runs the command. Without a configuration file (and none named) it
// uses the default rules.
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
	rules := scheduler.DefaultWorkdayRules()
	cfg, err := c.loadConfig()
	switch {
	case err == nil:
		rules = cfg.WorkRules
	case errors.Is(err, config.ErrNotFound) && !c.ConfigGiven:
	default:
		return err
	}
	rows := []holidayRow{}
	for _, h := range scheduler.NewWorkdays(rules).Holidays(*year) {
		rows = append(rows, holidayRow(h))
	}
	return writeRecords(c.Stdout, *format, rows)
}
