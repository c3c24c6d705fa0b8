package main

import (
	"context"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
)

// PreviewCommand shows what passes in a window would send, sending and
// writing nothing.
type PreviewCommand struct{ *Main }

type previewRow struct {
	At     time.Time    `json:"at"`
	Kind   hanchot.Kind `json:"kind" table:"word"`
	Step   int          `json:"step"`
	To     string       `json:"to"`
	Code   string       `json:"code"`
	Period string       `json:"period"`
	Year   int          `json:"year"`
	Agency string       `json:"agency"`
	Due    hanchot.Date `json:"due"`
}

// Run runs the command.
func (c *PreviewCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("preview")
	fromFlag := fs.String("from", "", c.T("flag.preview.from"))
	toFlag := fs.String("to", "", c.T("flag.preview.to"))
	agencyFlag := fs.String("agency", "", c.T("flag.preview.agency"))
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
	from, err := c.dayFlag("--from", *fromFlag, cfg)
	if err != nil {
		return err
	}
	to := from
	if *toFlag != "" {
		if to, err = c.dayFlag("--to", *toFlag, cfg); err != nil {
			return err
		}
	}
	if to.Before(from) {
		return c.usageError("err.toBeforeFrom", to, from)
	}
	if to.Sub(from) > 366 {
		return c.usageError("err.windowTooLong", from, to)
	}
	agency, err := c.agencyFlag(cfg, *agencyFlag)
	if err != nil {
		return err
	}
	rows, err := previewWindow(ctx, c.Lang, cfg, from, to)
	if err != nil {
		return err
	}
	out := []previewRow{}
	for _, r := range rows {
		if agency == "" || strings.Contains(","+r.recipient+",", ","+agency+",") {
			out = append(out, r.previewRow)
		}
	}
	return c.writeRecords(listing{format: *format, sheet: "sheet.preview"}, out)
}

type previewLine struct {
	previewRow
	recipient string
}

// previewWindow simulates the passes of every scheduled time in [from, to]
// and returns the notices each would send for the first time. It reads the
// database (submissions, extensions, what was sent), read-only; the years
// it does not hold yet come from the configuration.
func previewWindow(ctx context.Context, l Lang, cfg *config.Config, from, to hanchot.Date) ([]previewLine, error) {
	settings, err := planSettings(cfg)
	if err != nil {
		return nil, err
	}
	wd := scheduler.NewWorkdays(cfg.WorkRules)
	lo, _ := settings.Window(from)
	_, hi := settings.Window(to)
	db, err := openReadOnly(ctx, l, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// Occurrences are picked by their dates, whatever their reporting
	// year: from the database for the years it holds, from the
	// configuration for the others, tracked from the recorded start.
	synced, err := db.SyncedYears(ctx)
	if err != nil {
		return nil, err
	}
	// The window's items, and what was recorded for them.
	items, recorded, err := db.Window(ctx, lo, hi)
	if err != nil {
		return nil, err
	}
	tracked := cfg.Schedule.Start.Date
	if s, ok, err := db.Start(ctx); err != nil {
		return nil, err
	} else if ok {
		tracked = s
	}
	if tracked.IsZero() {
		tracked = hanchot.DateOf(time.Now(), cfg.Location)
	}
	fake := int64(0)
	for _, y := range scheduler.YearsTouching(lo, hi, cfg.Schedule.FirstYear, cfg.Schedule.LastYear) {
		if synced[y] {
			continue
		}
		for _, o := range yearOccurrences(cfg, y) {
			if !o.EffectiveDue.Before(lo) && !o.EffectiveDue.After(hi) && !o.EffectiveDue.Before(tracked) {
				fake--
				items = append(items, hanchot.Item{OccurrenceID: fake, Occurrence: o, Target: o.EffectiveDue})
			}
		}
	}

	addresses := map[string]string{} // by agency
	for _, a := range cfg.Calendar.Agencies {
		addresses[a.ID] = strings.Join(a.Emails, ",")
	}
	// In the order of the passes, as Simulate gives them; about one for
	// each item.
	out := make([]previewLine, 0, len(items))
	start, end := from.At(0, 0, cfg.Location), to.AddDays(1).At(0, 0, cfg.Location)
	scheduler.Simulate(items, start, end, wd, settings, func(at time.Time, n hanchot.Notice) {
		if recorded[n.Key()] && n.OldTarget.IsZero() { // a correction is new even when its key was used before
			return
		}
		out = append(out, previewLine{previewRow{At: at, Kind: n.Kind, Step: n.Step, To: addresses[n.Recipient],
			Code: n.Code, Period: n.Period, Year: n.Year, Agency: n.Agency, Due: n.Target}, n.Recipient})
	})
	return out, nil
}
