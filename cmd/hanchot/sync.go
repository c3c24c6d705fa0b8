package main

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
)

// SyncCommand writes the calendar into the database.
type SyncCommand struct{ *Main }

// syncMode is how a sync treats the past and what it may retire.
type syncMode struct {
	DryRun, RewritePast, AllowRetire bool
	Reason                           string
}

// Run runs the command.
func (c *SyncCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("sync")
	nowFlag := fs.String("now", "", c.T("flag.sync.now"))
	dryRun := fs.Bool("dry-run", false, c.T("flag.sync.dryRun"))
	allowRetire := fs.Bool("allow-retire", false, c.T("flag.sync.allowRetire"))
	rewritePast := fs.Bool("rewrite-past", false, c.T("flag.sync.rewritePast"))
	reason := fs.String("reason", "", c.T("flag.sync.reason"))
	init := fs.Bool("init", false, c.T("flag.sync.init"))
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if *rewritePast && strings.TrimSpace(*reason) == "" {
		return c.usageError("err.rewriteNeedsReason").hint(`hanchot sync --rewrite-past --reason "Quyết định 12/QĐ-UBND"`)
	}
	if !*rewritePast && *reason != "" {
		return c.usageError("err.reasonWithRewrite")
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	now, err := c.timeFlag("--now", *nowFlag, cfg)
	if err != nil {
		return err
	}
	var db *store.DB
	upgrades := 0
	if *dryRun {
		// Output piped into head or less may close before the dry run
		// ends: the writes then fail instead of killing the process, so
		// that the copy below is still removed.
		signal.Ignore(syscall.SIGPIPE)
		var cleanup func()
		if db, upgrades, cleanup, err = openDryRun(ctx, c.Lang, cfg); err != nil {
			return err
		}
		defer cleanup()
	} else if db, err = openWrite(ctx, c.Lang, cfg, *init); err != nil {
		return err
	}
	defer db.Close()
	mode := syncMode{DryRun: *dryRun, RewritePast: *rewritePast, AllowRetire: *allowRetire, Reason: *reason}
	res, err := syncCalendarWith(ctx, db, cfg, now, mode)
	if err != nil {
		return c.syncError(err)
	}
	if upgrades > 0 {
		fmt.Fprintln(c.Stdout, c.T("sync.dryRunUpgrade", upgrades, cfg.Store.Path))
	}
	c.printSync(cfg, res, mode)
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
	extended, err := db.ExtendedYears(ctx, today)
	if err != nil {
		return store.SyncResult{}, err
	}
	ys := scheduler.OpenYears(today, scheduler.NewWorkdays(cfg.WorkRules), s.FirstYear, s.LastYear, extended)
	if !started || mode.RewritePast {
		ys = scheduler.SyncYears(today, s.Start.Date, s.FirstYear, s.LastYear)
	}
	years := map[int][]hanchot.Occurrence{}
	for _, y := range ys {
		years[y] = yearOccurrences(cfg, y)
	}
	return db.Sync(ctx, cfg.Calendar, years, store.SyncOptions{
		Today: today, Start: s.Start.Date,
		RewritePast: mode.RewritePast, Reason: mode.Reason,
		AllowRetire: mode.AllowRetire, DryRun: mode.DryRun,
	})
}

// maxNotes is how many occurrences a refused sync names.
const maxNotes = 20

func (c *SyncCommand) printSync(cfg *config.Config, res store.SyncResult, mode syncMode) {
	w, path := c.Stdout, cfg.Store.Path
	if mode.DryRun {
		fmt.Fprintln(w, c.T("sync.dryRun"))
	}
	counts := map[string]int{}
	for _, ch := range res.Changes {
		fmt.Fprintf(w, "%s %s %s\n", pad(c.T("sync.what."+ch.What), 8), pad(c.T("sync.kind."+ch.Kind), 8), ch.Key)
		counts[ch.What]++
	}
	o := res.Occurrences
	if res.Empty() {
		fmt.Fprintln(w, c.T("sync.upToDate", path, res.Years))
	} else {
		fmt.Fprintln(w, c.T("sync.summary", path, counts["added"], counts["changed"]+counts["relabelled"], counts["retired"], counts["restored"],
			res.Years, o.Added, o.Changed, o.Retired, o.Restored, o.Moved))
	}
	if res.First {
		fmt.Fprintln(w, c.T("sync.trackingStarts", res.Start))
	} else if o.Added > 0 {
		fmt.Fprintln(w, c.T("sync.trackedFrom", res.TrackedFrom))
	}
	moved := pad(c.T("sync.what.moved"), 8)
	for _, n := range res.Moves {
		fmt.Fprintf(w, "%s %s\n", moved, c.note(n))
	}
	if o.Moved > len(res.Moves) {
		fmt.Fprintf(w, "%s %s\n", moved, c.T("sync.andMore", o.Moved-len(res.Moves)))
	}
	if o.PastLeft > 0 {
		fmt.Fprintln(w, c.T("sync.pastLeft", o.PastLeft))
		for _, n := range res.Past {
			fmt.Fprintf(w, "  %s\n", c.note(n))
		}
		if o.PastLeft > len(res.Past) {
			fmt.Fprintf(w, "  %s\n", c.T("sync.andMore", o.PastLeft-len(res.Past)))
		}
	}
	if mode.RewritePast {
		r := res.Rewritten
		fmt.Fprintln(w, c.T("sync.rewritten", mode.Reason, r.Changed, r.Retired, r.Added))
	}
	if res.StartDiffers {
		fmt.Fprintln(w, c.T("sync.startDiffers", cfg.Schedule.Start.Date, res.Start))
	}
}

// syncError says why a sync was refused: it would retire occurrences
// that were submitted or mailed about (exit 2).
func (m *Main) syncError(err error) error {
	var re *store.RetireError
	if !errors.As(err, &re) {
		return err
	}
	var lines []string
	for i, n := range re.Occurrences {
		if i == maxNotes {
			lines = append(lines, m.T("sync.andMore", len(re.Occurrences)-maxNotes))
			break
		}
		lines = append(lines, m.note(n))
	}
	return m.usageError("err.wouldRetire", len(re.Occurrences), strings.Join(lines, "\n  ")).hint(m.T("hint.allowRetire"))
}

// note describes an occurrence a sync left, moved or would retire.
func (m *Main) note(n store.Note) string {
	occ := fmt.Sprintf("%s %d %s (%s)", n.Label, n.Year, n.Agency, m.Lang.word(n.Role))
	switch n.What {
	case store.Changed:
		return m.T("note.changed", occ, n.Due, n.Other)
	case store.IntoPast:
		return m.T("note.intoPast", occ, n.Due, n.Other)
	case store.Removed:
		return m.T("note.removed", occ, n.Due)
	case store.Moved:
		return occ + " → " + n.Other
	case store.Submitted:
		return m.T("note.submitted", occ, n.Due)
	case store.Mailed:
		return m.T("note.mailed", occ, n.Due)
	}
	return m.T("note.submittedMailed", occ, n.Due)
}

// pad pads s with spaces to n characters.
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}
