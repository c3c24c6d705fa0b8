package main

import (
	"context"
	"reflect"
	"strings"
	"time"

	"hanchot"
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
	// The rows go out as they are read: the log of a long history is
	// never held in memory.
	rw := c.newRecordWriter(listing{format: *format, wide: *wide, sheet: "sheet.overdue", also: map[string]bool{"submitted_at": *all}}, reflect.TypeFor[overdueRow]())
	labels := retiredLabels{cal: cfg.Calendar, today: today}
	err = db.EachRecord(ctx, store.RecordFilter{Before: today, Agency: agency, OpenOn: today, Late: *all}, func(r store.Record) error {
		o, ok := record.OverdueOf(r, at, *all, cfg.Location)
		if !ok {
			return nil
		}
		return rw.write(reflect.ValueOf(newOverdueRow(o, &labels, cfg.Location)))
	})
	if err != nil {
		return err
	}
	return rw.close()
}

// newOverdueRow is the log's line for o.
func newOverdueRow(o record.Overdue, labels *retiredLabels, loc *time.Location) overdueRow {
	row := overdueRow{Code: o.Code, Title: o.Title, Period: o.Period, Year: o.Year, Agency: o.Agency, AgencyName: o.AgencyName, Role: o.Role, Due: o.Target,
		Since: o.Since, DaysOverdue: o.DaysOverdue, Level: o.Level,
		Retired: labels.label(o.Agency, o.AgencyRetired)}
	if o.ReportRetired {
		row.Retired = strings.TrimPrefix(row.Retired+", report removed", ", ")
	}
	if !o.EscalatedAt.IsZero() {
		t := o.EscalatedAt.In(loc)
		row.EscalatedAt = &t
	}
	if o.Submitted {
		t := o.SubmittedAt.In(loc)
		row.SubmittedAt = &t
	}
	return row
}

// retiredLabels says, as record.RetiredLabel, why an agency's rows are
// history, looking each agency up once.
type retiredLabels struct {
	cal   *hanchot.Calendar
	today hanchot.Date
	known map[retiredKey]string
}

type retiredKey struct {
	agency  string
	removed bool
}

func (l *retiredLabels) label(agency string, removed bool) string {
	k := retiredKey{agency, removed}
	s, ok := l.known[k]
	if !ok {
		if l.known == nil {
			l.known = map[retiredKey]string{}
		}
		s = record.RetiredLabel(l.cal, agency, removed, l.today)
		l.known[k] = s
	}
	return s
}
