package main

import (
	"context"
	"fmt"

	"hanchot/store"
)

// RunCommand makes one pass.
type RunCommand struct{ *Main }

// Run runs the command.
func (c *RunCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("run", "run --once [--now T]",
		"  hanchot run --once\n  hanchot run --once --now 2019-03-08T08:00\n")
	once := fs.Bool("once", false, "make one pass and exit (required; the daemon is \"serve\")")
	nowFlag := fs.String("now", "", "make the pass as of this time: RFC 3339 or YYYY-MM-DD[THH:MM] (default: now)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if !*once {
		return usageErrorf("run needs --once").hint(`hanchot run --once, or "hanchot serve" for the daemon`)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	now, err := parseNow("--now", *nowFlag, cfg)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.Store.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(c.Stderr, cfg)
	// The configuration is the truth: bring the database in line first.
	res, err := syncCalendar(ctx, db, cfg, now)
	if err != nil {
		return err
	}
	if !res.Empty() {
		log.Info("calendar synced", "changes", len(res.Changes), "occurrences_added", res.Occurrences.Added,
			"occurrences_changed", res.Occurrences.Changed, "occurrences_retired", res.Occurrences.Retired)
	}
	pass, err := newPass(cfg, db, log)
	if err != nil {
		return err
	}
	r, err := pass.Run(ctx, now, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "pass as of %s: %d notices, %d new digests; %d sent, %d to retry, %d failed\n",
		now.Format("2006-01-02 15:04 -07:00"), r.Notices, r.Queued, r.Sent, r.Retrying, r.Failed)
	if r.Retrying > 0 || r.Failed > 0 {
		return fmt.Errorf("%d messages not delivered; see \"hanchot log --status pending\" and \"--status failed\"", r.Retrying+r.Failed)
	}
	return nil
}
