package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
)

// RunCommand makes one pass.
type RunCommand struct{ *Main }

// Run runs the command.
func (c *RunCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("run", "run --once [--now T] [--send]",
		"  hanchot run --once\n  hanchot run --once --now 2019-03-08T08:00 --send\n\n"+
			"With SMTP, a pass as of another day (--now) only says what it would send,\n"+
			"unless --send. Outside office hours ([schedule] quiet) a pass queues and\n"+
			"sends nothing; --send sends all the same.\n")
	once := fs.Bool("once", false, "make one pass and exit (required; the daemon is \"serve\")")
	nowFlag := fs.String("now", "", "make the pass as of this time: RFC 3339 or YYYY-MM-DD[THH:MM] (default: now)")
	send := fs.Bool("send", false, "deliver by SMTP even when --now is not today, and during quiet hours")
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
	if today := hanchot.DateOf(time.Now(), cfg.Location); cfg.Mail.Transport == "smtp" && !*send && !hanchot.DateOf(now, cfg.Location).Equal(today) {
		return c.refuse(ctx, cfg, now)
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
	if *send {
		pass.Quiet = nil
	}
	// Kept for /readyz and the metrics: a timer running "run --once"
	// beside "hanchot web" is judged like the daemon.
	pass.Observe = func(r scheduler.Report) { recordPass(db, r, log) }
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
	if !r.QuietUntil.IsZero() {
		fmt.Fprintf(c.Stdout, "quiet hours ([schedule] quiet): %d deliveries queued, sent from %s (or now with --send)\n",
			pending, r.QuietUntil.In(cfg.Location).Format("2006-01-02 15:04"))
	}
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

// refuse says what a pass as of another day would send by SMTP, and sends
// nothing: mail as of a day that is not today is a test or a mistake,
// unless --send says otherwise.
func (c *RunCommand) refuse(ctx context.Context, cfg *config.Config, now time.Time) error {
	msg := fmt.Sprintf("--now %s is not today: nothing was queued or sent by SMTP; add --send to deliver as of that time",
		now.Format("2006-01-02 15:04"))
	db, err := openReadOnly(ctx, cfg)
	if err != nil {
		return usageErrorf("%s (%v)", msg, err)
	}
	defer db.Close()
	pass, err := newPass(cfg, db, newLogger(io.Discard, cfg))
	if err != nil {
		return err
	}
	digests, err := pass.Preview(ctx, now)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "would send as of %s (from the database as last synced):\n", now.Format("2006-01-02 15:04"))
	for _, d := range digests {
		m, err := pass.Compose(d)
		subject := m.Subject
		if err != nil {
			subject = "(could not be composed: " + err.Error() + ")"
		}
		fmt.Fprintf(c.Stdout, "  %-10s to %s <%s>: %s\n", d.Kind, d.Recipient.ID, strings.Join(d.Recipient.Emails, ", "), subject)
	}
	fmt.Fprintf(c.Stdout, "%d digests\n", len(digests))
	return usageErrorf("%s", msg)
}
