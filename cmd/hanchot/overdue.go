package main

import (
	"context"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
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

// overdueRows picks the records overdue as of at: open ones (not submitted
// by then), and with all those submitted after their date too.
func overdueRows(recs []store.Record, at time.Time, all bool, cfg *config.Config) []overdueRow {
	today := hanchot.DateOf(at, cfg.Location)
	rows := []overdueRow{}
	for _, r := range recs {
		submitted := !r.SubmittedAt.IsZero() && !r.SubmittedAt.After(at)
		days := today.Sub(r.Target)
		if submitted {
			days = hanchot.DateOf(r.SubmittedAt, cfg.Location).Sub(r.Target)
			if days <= 0 || !all {
				continue
			}
		}
		since := r.Since
		if since.IsZero() {
			since = r.Target.AddDays(1)
		}
		row := overdueRow{Code: r.Code, Title: r.Title, Period: r.Period, Year: r.Year, Agency: r.Agency, AgencyName: r.AgencyName, Role: r.Role, Due: r.Target,
			Since: since, DaysOverdue: days, Level: r.Level, Retired: retiredLabel(cfg, r.Agency, r.AgencyRetired, today)}
		if r.ReportRetired {
			row.Retired = strings.TrimPrefix(row.Retired+", report removed", ", ")
		}
		if !r.EscalatedAt.IsZero() {
			t := r.EscalatedAt.In(cfg.Location)
			row.EscalatedAt = &t
		}
		if submitted {
			t := r.SubmittedAt.In(cfg.Location)
			row.SubmittedAt = &t
		}
		rows = append(rows, row)
	}
	return rows
}
