package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
)

// SyncCommand writes the calendar into the database.
type SyncCommand struct{ *Main }

const syncExamples = `  hanchot sync
  hanchot sync --dry-run
  hanchot --db /var/lib/hanchot/hanchot.db sync
  hanchot sync --allow-retire
  hanchot sync --rewrite-past --reason "Quyết định 12/QĐ-UBND sửa hạn báo cáo năm 2025"

A sync changes what is not yet due. An occurrence whose date that counts
has passed is left as it is, with its submissions, mail and statistics;
only --rewrite-past changes it, and that is logged with its reason.
`

// syncMode is how a sync treats the past and what it may retire.
type syncMode struct {
	DryRun, RewritePast, AllowRetire bool
	Reason                           string
}

// Run runs the command.
func (c *SyncCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("sync", "sync [--now T] [--dry-run] [--allow-retire] [--rewrite-past --reason R] [--init]", syncExamples)
	nowFlag := fs.String("now", "", "sync as of this time (default: now): what is due before it is past")
	dryRun := fs.Bool("dry-run", false, "show what the sync would do and write nothing")
	allowRetire := fs.Bool("allow-retire", false, "retire occurrences that were submitted or mailed about, when the file no longer has them")
	rewritePast := fs.Bool("rewrite-past", false, "also change occurrences whose date has passed (needs --reason; logged)")
	reason := fs.String("reason", "", "why the past is rewritten, with --rewrite-past")
	init := fs.Bool("init", false, "start afresh in an existing file that is empty or holds no hanchot tables")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rewritePast && strings.TrimSpace(*reason) == "" {
		return usageErrorf("--rewrite-past needs --reason").hint(`hanchot sync --rewrite-past --reason "Quyết định 12/QĐ-UBND"`)
	}
	if !*rewritePast && *reason != "" {
		return usageErrorf("--reason goes with --rewrite-past")
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	now, err := parseNow("--now", *nowFlag, cfg)
	if err != nil {
		return err
	}
	var db *store.DB
	if _, err := os.Stat(cfg.Store.Path); *dryRun && errors.Is(err, os.ErrNotExist) {
		// A dry run creates no database: it works on a throwaway one.
		dir, err := os.MkdirTemp("", "hanchot-dry-run-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		db, err = store.Open(ctx, filepath.Join(dir, "dry-run.db"))
		if err != nil {
			return err
		}
	} else if db, err = openWrite(ctx, cfg, *init && !*dryRun); err != nil {
		return err
	}
	defer db.Close()
	mode := syncMode{DryRun: *dryRun, RewritePast: *rewritePast, AllowRetire: *allowRetire, Reason: *reason}
	res, err := syncCalendarWith(ctx, db, cfg, now, mode)
	if err != nil {
		return err
	}
	printSync(c.Stdout, cfg.Store.Path, res, mode)
	return nil
}

// syncCalendar writes the calendar as of now the way every command but
// sync does: the past left as it is, nothing with a record retired.
func syncCalendar(ctx context.Context, db *store.DB, cfg *config.Config, now time.Time) (store.SyncResult, error) {
	return syncCalendarWith(ctx, db, cfg, now, syncMode{})
}

// syncCalendarWith writes the calendar and the occurrences of the years
// that can still change as of now; the first sync, and one that rewrites
// the past, write every tracked year.
func syncCalendarWith(ctx context.Context, db *store.DB, cfg *config.Config, now time.Time, mode syncMode) (store.SyncResult, error) {
	today := hanchot.DateOf(now, cfg.Location)
	_, started, err := db.Start(ctx)
	if err != nil {
		return store.SyncResult{}, err
	}
	s := cfg.Schedule
	ys := scheduler.OpenYears(today, s.FirstYear, s.LastYear)
	if !started || mode.RewritePast {
		ys = scheduler.SyncYears(today, s.Start.Date, s.FirstYear, s.LastYear)
	}
	years := map[int][]hanchot.Occurrence{}
	for _, y := range ys {
		years[y] = yearOccurrences(cfg, y)
	}
	res, err := db.Sync(ctx, cfg.Calendar, years, store.SyncOptions{
		Today: today, Start: s.Start.Date,
		RewritePast: mode.RewritePast, Reason: mode.Reason,
		AllowRetire: mode.AllowRetire, DryRun: mode.DryRun,
	})
	var re *store.RetireError
	if errors.As(err, &re) {
		return res, usageErrorf("%v\nNothing was written.", re).hint("hanchot sync --allow-retire, if they are meant to go (they stay in the database, retired)")
	}
	return res, err
}

func printSync(w io.Writer, path string, res store.SyncResult, mode syncMode) {
	if mode.DryRun {
		fmt.Fprintln(w, "dry run: nothing is written")
	}
	counts := map[string]int{}
	for _, ch := range res.Changes {
		fmt.Fprintf(w, "%-8s %-8s %s\n", ch.What, ch.Kind, ch.Key)
		counts[ch.What]++
	}
	o := res.Occurrences
	if res.Empty() {
		fmt.Fprintf(w, "%s: up to date, nothing changed (years %v)\n", path, res.Years)
	} else {
		fmt.Fprintf(w, "%s: %d added, %d changed, %d retired, %d restored; occurrences of years %v: %d added, %d changed, %d retired, %d restored, %d moved to a successor\n",
			path, counts["added"], counts["changed"]+counts["relabelled"], counts["retired"], counts["restored"], res.Years, o.Added, o.Changed, o.Retired, o.Restored, o.Moved)
	}
	if res.First {
		fmt.Fprintf(w, "tracking starts %s: what is due before it is never reminded, escalated or counted\n", res.Start)
	} else if o.Added > 0 {
		fmt.Fprintf(w, "what this sync added is tracked from %s, never before\n", res.TrackedFrom)
	}
	for _, m := range res.Moves {
		fmt.Fprintf(w, "moved    %s\n", m)
	}
	if o.Moved > len(res.Moves) {
		fmt.Fprintf(w, "moved    ... and %d more\n", o.Moved-len(res.Moves))
	}
	if o.PastLeft > 0 {
		fmt.Fprintf(w, "left as they were because their date has passed: %d occurrences (sync --rewrite-past --reason R changes them)\n", o.PastLeft)
		for _, p := range res.Past {
			fmt.Fprintf(w, "  %s\n", p)
		}
		if o.PastLeft > len(res.Past) {
			fmt.Fprintf(w, "  ... and %d more\n", o.PastLeft-len(res.Past))
		}
	}
	if mode.RewritePast {
		r := res.Rewritten
		fmt.Fprintf(w, "past rewritten (%s): %d changed, %d retired, %d added; logged\n", mode.Reason, r.Changed, r.Retired, r.Added)
	}
	if res.StartNote != "" {
		fmt.Fprintf(w, "note: %s\n", res.StartNote)
	}
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
