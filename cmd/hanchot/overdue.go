package main

import (
	"context"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/record"
	"hanchot/store"
)

// OverdueCommand shows the overdue log.
type OverdueCommand struct{ *Main }

// overdueRow is one line of the overdue log. The narrow table shows the
// report's title and the agency's name cut short, and not the agency's
// id, the first day overdue or when it was escalated; --wide, CSV, JSON
// and xlsx show every field in full.
type overdueRow struct {
	Code        string       `json:"code"`
	Title       string       `json:"title" table:"max=30"`
	Period      string       `json:"period"`
	Year        int          `json:"year"`
	Agency      string       `json:"agency" table:"wide"`
	AgencyName  string       `json:"agency_name" table:"max=22"`
	Role        hanchot.Role `json:"role" table:"word"`
	Due         hanchot.Date `json:"due"`
	Since       hanchot.Date `json:"since" table:"wide"`
	DaysOverdue int          `json:"days_overdue"`
	Level       int          `json:"level"`
	EscalatedAt *time.Time   `json:"escalated_at" table:"wide"`
	SubmittedAt *time.Time   `json:"submitted_at" table:"wide"`      // in the narrow table too with --all
	Retired     string       `json:"retired,omitempty" table:"word"` // "removed", "until 2025-06-30", "report removed": history
}

// Run runs the command.
func (c *OverdueCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("overdue")
	atFlag := fs.String("at", "", c.T("flag.at"))
	agencyFlag := fs.String("agency", "", c.T("flag.agency"))
	all := fs.Bool("all", false, c.T("flag.overdue.all"))
	format := c.formatFlag(fs)
	wide := c.wideFlag(fs)
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
	at, err := c.timeFlag("--at", *atFlag, cfg)
	if err != nil {
		return err
	}
	agency, err := c.agencyFlag(cfg, *agencyFlag)
	if err != nil {
		return err
	}
	db, err := openReadOnly(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	today := hanchot.DateOf(at, cfg.Location)
	recs, err := db.Records(ctx, store.RecordFilter{Before: today, Agency: agency, OpenOn: today, Late: *all})
	if err != nil {
		return err
	}
	return c.writeRecords(listing{format: *format, wide: *wide, sheet: "sheet.overdue", also: map[string]bool{"submitted_at": *all}}, overdueRows(recs, at, *all, cfg))
}

// overdueRows lists the records overdue as of at (see record.OverdueAt).
func overdueRows(recs []store.Record, at time.Time, all bool, cfg *config.Config) []overdueRow {
	today := hanchot.DateOf(at, cfg.Location)
	rows := []overdueRow{}
	for _, r := range record.OverdueAt(recs, at, all, cfg.Location) {
		row := overdueRow{Code: r.Code, Title: r.Title, Period: r.Period, Year: r.Year, Agency: r.Agency, AgencyName: r.AgencyName, Role: r.Role, Due: r.Target,
			Since: r.Since, DaysOverdue: r.DaysOverdue, Level: r.Level,
			Retired: record.RetiredLabel(cfg.Calendar, r.Agency, r.AgencyRetired, today)}
		if r.ReportRetired {
			row.Retired = strings.TrimPrefix(row.Retired+", report removed", ", ")
		}
		if !r.EscalatedAt.IsZero() {
			t := r.EscalatedAt.In(cfg.Location)
			row.EscalatedAt = &t
		}
		if r.Submitted {
			t := r.SubmittedAt.In(cfg.Location)
			row.SubmittedAt = &t
		}
		rows = append(rows, row)
	}
	return rows
}
