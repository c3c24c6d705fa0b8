package main

import (
	"context"
	"time"

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
	fs := c.newFlagSet("holidays")
	year := fs.Int("year", 0, c.T("flag.holidays.year"))
	format := c.formatFlag(fs)
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.checkFormat(*format); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if *year == 0 {
		*year = time.Now().In(cfg.Location).Year()
	}
	if err := c.Lang.checkYear(*year); err != nil {
		return err
	}
	rows := []holidayRow{}
	for _, h := range scheduler.NewWorkdays(cfg.WorkRules).Holidays(*year) {
		rows = append(rows, holidayRow(h))
	}
	return c.writeRecords(listing{format: *format, sheet: "sheet.holidays"}, rows)
}
