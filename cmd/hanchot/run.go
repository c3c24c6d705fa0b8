package main

import (
	"context"
	"fmt"
	"strings"
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
	db, err := openWrite(ctx, cfg, false)
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
	fmt.Fprintf(c.Stdout, "pass as of %s: %d notices, %d new digests (%d deliveries); %d sent, %d to retry, %d failed, %d expired\n",
		now.Format("2006-01-02 15:04 -07:00"), r.Notices, r.Queued, r.Deliveries, r.Sent, r.Retrying, r.Failed, r.Expired)
	pending, sending, err := db.Outstanding(ctx)
	if err != nil {
		return err
	}
	var problems []string
	if r.Outage != "" {
		fmt.Fprintf(c.Stdout, "mail server unavailable: %s\n%d deliveries wait, no attempt used; they go out on the next run once it answers\n", r.Outage, pending)
		problems = append(problems, "the mail server is unavailable")
	}
	if sending > 0 {
		fmt.Fprintf(c.Stdout, "%d deliveries are in flight in another process, or were left so by an interrupted run; they are retried once their claim runs out\n", sending)
		problems = append(problems, fmt.Sprintf("%d still in flight", sending))
	}
	if r.Uncomposed > 0 {
		problems = append(problems, fmt.Sprintf("%d digests could not be composed (see \"hanchot check\")", r.Uncomposed))
	}
	if r.Retrying > 0 || r.Failed > 0 || r.Expired > 0 {
		problems = append(problems, fmt.Sprintf("%d to retry, %d failed, %d expired", r.Retrying, r.Failed, r.Expired))
	}
	if len(problems) > 0 {
		return fmt.Errorf("not all mail was delivered: %s; see \"hanchot log --status pending\", \"--status failed\" and \"--status expired\"", strings.Join(problems, "; "))
	}
	return nil
}
