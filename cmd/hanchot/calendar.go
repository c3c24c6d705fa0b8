package main

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"

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
	Role         hanchot.Role `json:"role"`
	Due          hanchot.Date `json:"due"`
	EffectiveDue hanchot.Date `json:"effective_due"`
}

// Run runs the command.
func (c *CalendarCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("calendar", "calendar --year Y [--agency A] [--role lead|support] [--format table|csv|json]",
		"  hanchot calendar --year 2019\n  hanchot calendar --year 2019 --role lead --format csv > lich-2019.csv\n")
	year := fs.Int("year", 0, "reporting year (required)")
	agency := fs.String("agency", "", "only this agency")
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
	if *role != "" && *role != "lead" && *role != "support" {
		return usageErrorf("--role %q: use lead or support", *role)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if err := checkAgency(cfg, *agency); err != nil {
		return err
	}
	occs, err := c.frozen(ctx, cfg, *year, yearOccurrences(cfg, *year))
	if err != nil {
		return err
	}
	rows := []calendarRow{}
	for _, o := range occs {
		if (*agency != "" && o.Agency != *agency) || (*role != "" && string(o.Role) != *role) {
			continue
		}
		rows = append(rows, calendarRow(o))
	}
	return writeRecords(c.Stdout, *format, rows)
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
		return nil, dbError(err)
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

func checkYear(y int) error {
	if y == 0 {
		return usageErrorf("--year is required").hint("--year 2019")
	}
	if y < 1901 || y > 2099 {
		return usageErrorf("--year %s is outside 1901–2099", strconv.Itoa(y))
	}
	return nil
}

// checkAgency refuses an --agency that is not in the calendar ("" passes).
func checkAgency(cfg *config.Config, id string) error {
	if _, ok := cfg.Calendar.Agency(id); id != "" && !ok {
		return usageErrorf("--agency %q is not an agency of %s", id, cfg.File)
	}
	return nil
}

// findAgency returns the agency --agency names: by its id, or by its name
// written exactly (case and spacing aside).
func findAgency(cfg *config.Config, s string) (hanchot.Agency, error) {
	if a, ok := cfg.Calendar.Agency(s); ok {
		return a, nil
	}
	var found []hanchot.Agency
	for _, a := range cfg.Calendar.Agencies {
		if strings.EqualFold(hanchot.Clean(a.Name), hanchot.Clean(s)) {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return hanchot.Agency{}, usageErrorf("--agency %q is not the id or the name of an agency of %s", s, cfg.File).
			hint("hanchot calendar --year 2026 --format csv lists the agencies; e.g. --agency so-tu-phap")
	}
	ids := make([]string, len(found))
	for i, a := range found {
		ids[i] = a.ID
	}
	return hanchot.Agency{}, usageErrorf("--agency %q is the name of %d agencies (%s): give the id", s, len(found), strings.Join(ids, ", "))
}
