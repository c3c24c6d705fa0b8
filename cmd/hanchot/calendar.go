package main

import (
	"context"
	"errors"
	"sort"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
)

// CalendarCommand lists the occurrences of a reporting year.
type CalendarCommand struct{ *Main }

type calendarRow struct {
	Code         string       `json:"code"`
	Title        string       `json:"title"`
	Period       string       `json:"period"`
	Year         int          `json:"year"`
	Agency       string       `json:"agency"`
	AgencyName   string       `json:"agency_name"`
	Role         hanchot.Role `json:"role" table:"word"`
	Due          hanchot.Date `json:"due"`
	EffectiveDue hanchot.Date `json:"effective_due"`
}

// Run runs the command.
func (c *CalendarCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("calendar")
	year := fs.Int("year", 0, c.T("flag.year"))
	agencyFlag := fs.String("agency", "", c.T("flag.agency"))
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
	agency, err := c.agencyFlag(cfg, *agencyFlag)
	if err != nil {
		return err
	}
	occs, err := c.frozen(ctx, cfg, *year, yearOccurrences(cfg, *year))
	if err != nil {
		return err
	}
	rows := []calendarRow{}
	for _, o := range occs {
		if (agency != "" && o.Agency != agency) || (*role != "" && string(o.Role) != *role) {
			continue
		}
		rows = append(rows, calendarRow(o))
	}
	return c.writeRecords(listing{format: *format, sheet: "sheet.calendar"}, rows)
}

// frozen gives the occurrences the dates the database holds, where it
// holds them: a sync never changes what has passed, so those dates, not
// the file's, are the ones reminders, escalations and statistics went by.
// Without a database (or before the first sync) the file's dates stand.
func (c *CalendarCommand) frozen(ctx context.Context, cfg *config.Config, y int, occs []hanchot.Occurrence) ([]hanchot.Occurrence, error) {
	db, err := store.OpenReadOnly(ctx, cfg.Store.Path)
	if errors.Is(err, store.ErrNoDatabase) {
		return occs, nil
	}
	if err != nil {
		return nil, dbError(c.Lang, cfg.Store.Path, err)
	}
	defer db.Close()
	held, err := db.YearOccurrences(ctx, y)
	if err != nil {
		return nil, err
	}
	type key struct {
		code, period, agency string
		role                 hanchot.Role
	}
	dates := map[key]store.Dated{}
	for _, o := range held {
		dates[key{o.Code, hanchot.PeriodKey(o.Period), o.Agency, o.Role}] = o
	}
	for i, o := range occs {
		if d, ok := dates[key{o.Code, hanchot.PeriodKey(o.Period), o.Agency, o.Role}]; ok {
			occs[i].Due, occs[i].EffectiveDue = d.Due, d.EffectiveDue
		}
	}
	sortOccurrences(occs)
	return occs, nil
}

// yearOccurrences computes the occurrences of reporting year y from the
// configuration, sorted by the date that counts.
func yearOccurrences(cfg *config.Config, y int) []hanchot.Occurrence {
	wd := scheduler.NewWorkdays(cfg.WorkRules)
	occs := scheduler.Occurrences(cfg.Calendar, y, wd, dueOptions(cfg))
	sortOccurrences(occs)
	return occs
}

// sortOccurrences orders occurrences by the date that counts, leads first.
func sortOccurrences(occs []hanchot.Occurrence) {
	sort.SliceStable(occs, func(i, j int) bool {
		a, b := occs[i], occs[j]
		if c := a.EffectiveDue.Compare(b.EffectiveDue); c != 0 {
			return c < 0
		}
		if a.Role != b.Role {
			return a.Role == hanchot.Lead
		}
		return false
	})
}

func dueOptions(cfg *config.Config) scheduler.DueOptions {
	return scheduler.DueOptions{SupportDays: cfg.Schedule.SupportDays, KeepDayOff: cfg.Schedule.OnDayOff == "keep"}
}
