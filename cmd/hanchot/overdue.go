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

type overdueRow struct {
	Code        string       `json:"code"`
	Period      string       `json:"period"`
	Year        int          `json:"year"`
	Agency      string       `json:"agency"`
	Role        hanchot.Role `json:"role"`
	Due         hanchot.Date `json:"due"`
	Since       hanchot.Date `json:"since"`
	DaysOverdue int          `json:"days_overdue"`
	Level       int          `json:"level"`
	EscalatedAt *time.Time   `json:"escalated_at"`
	SubmittedAt *time.Time   `json:"submitted_at"`
	Retired     string       `json:"retired,omitempty"` // "removed", "until 2025-06-30", "report removed": history
}

// Run runs the command.
func (c *OverdueCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("overdue", "overdue [--at T] [--agency A] [--all] [--format table|csv|json]",
		"  hanchot overdue\n  hanchot overdue --at 2019-03-18 --agency so-tu-phap\n  hanchot overdue --all --format csv > qua-han.csv\n")
	atFlag := fs.String("at", "", "as of this day or time (default: now)")
	agency := fs.String("agency", "", "only this agency")
	all := fs.Bool("all", false, "also items submitted late, not only open ones")
	format := formatFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
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
	if err := checkAgency(cfg, *agency); err != nil {
		return err
	}
	db, err := openReadOnly(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	today := hanchot.DateOf(at, cfg.Location)
	recs, err := db.Records(ctx, store.RecordFilter{Before: today, Agency: *agency, OpenOn: today, Late: *all})
	if err != nil {
		return err
	}
	return writeRecords(c.Stdout, *format, overdueRows(recs, at, *all, cfg))
}

// overdueRows lists the records overdue as of at (see record.OverdueAt).
func overdueRows(recs []store.Record, at time.Time, all bool, cfg *config.Config) []overdueRow {
	today := hanchot.DateOf(at, cfg.Location)
	rows := []overdueRow{}
	for _, r := range record.OverdueAt(recs, at, all, cfg.Location) {
		row := overdueRow{Code: r.Code, Period: r.Period, Year: r.Year, Agency: r.Agency, Role: r.Role, Due: r.Target,
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
