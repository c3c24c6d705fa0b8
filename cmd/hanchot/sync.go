package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
)

// SyncCommand writes the calendar into the database.
type SyncCommand struct{ *Main }

// Run runs the command.
func (c *SyncCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("sync", "sync [--now T]",
		"  hanchot sync\n  hanchot --db /var/lib/hanchot/hanchot.db sync\n")
	nowFlag := fs.String("now", "", "sync as of this time (default: now); decides which reporting years are written")
	init := fs.Bool("init", false, "start afresh in an existing file that is empty or holds no hanchot tables")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	now, err := parseNow("--now", *nowFlag, cfg)
	if err != nil {
		return err
	}
	db, err := openWrite(ctx, cfg, *init)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := syncCalendar(ctx, db, cfg, now)
	if err != nil {
		return err
	}
	printSync(c.Stdout, db.Path(), res)
	return nil
}

// syncCalendar writes the calendar and the occurrences of the years to
// keep as of now.
func syncCalendar(ctx context.Context, db *store.DB, cfg *config.Config, now time.Time) (store.SyncResult, error) {
	years := map[int][]hanchot.Occurrence{}
	today := hanchot.DateOf(now, cfg.Location)
	for _, y := range scheduler.SyncYears(today.Year(), cfg.Schedule.FirstYear, cfg.Schedule.LastYear) {
		years[y] = yearOccurrences(cfg, y)
	}
	return db.Sync(ctx, cfg.Calendar, years)
}

func printSync(w io.Writer, path string, res store.SyncResult) {
	if res.Empty() {
		fmt.Fprintf(w, "%s: up to date, nothing changed (years %v)\n", path, res.Years)
		return
	}
	counts := map[string]int{}
	for _, ch := range res.Changes {
		fmt.Fprintf(w, "%-8s %-8s %s\n", ch.What, ch.Kind, ch.Key)
		counts[ch.What]++
	}
	o := res.Occurrences
	fmt.Fprintf(w, "%s: %d added, %d changed, %d retired, %d restored; occurrences of years %v: %d added, %d changed, %d retired, %d restored\n",
		path, counts["added"], counts["changed"], counts["retired"], counts["restored"], res.Years, o.Added, o.Changed, o.Retired, o.Restored)
}

// parseNow reads a time flag (--now, --at) in the configured zone; empty
// means the clock.
func parseNow(flag, s string, cfg *config.Config) (time.Time, error) {
	if s == "" {
		return time.Now().In(cfg.Location), nil
	}
	t, err := hanchot.ParseTime(s, cfg.Location)
	if err != nil {
		return t, usageErrorf("%s: %v", flag, err)
	}
	return t, nil
}
