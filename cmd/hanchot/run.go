package main

import (
	"context"
	"errors"
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
	fs := c.newFlagSet("run")
	once := fs.Bool("once", false, c.T("flag.run.once"))
	nowFlag := fs.String("now", "", c.T("flag.run.now"))
	send := fs.Bool("send", false, c.T("flag.run.send"))
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if !*once {
		return c.usageError("err.runNeedsOnce").hint(c.T("hint.runOnce"))
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	now, err := c.timeFlag("--now", *nowFlag, cfg)
	if err != nil {
		return err
	}
	if today := hanchot.DateOf(time.Now(), cfg.Location); cfg.Mail.Transport == "smtp" && !*send && !hanchot.DateOf(now, cfg.Location).Equal(today) {
		return c.refuse(ctx, cfg, now)
	}
	db, err := openWrite(ctx, c.Lang, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(c.Stderr, cfg)
	// The configuration is the truth: bring the database in line first.
	res, err := syncCalendar(ctx, db, cfg, now)
	if err != nil {
		return c.syncError(err)
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
	fmt.Fprintln(c.Stdout, c.T("run.summary", now.Format("2006-01-02 15:04 -07:00"), c.T("n.notices", r.Notices), c.T("n.newDigests", r.Queued),
		c.T("n.deliveries", r.Deliveries), r.Sent, r.Retrying, r.Failed, r.Expired))
	pending, sending, err := db.Outstanding(ctx)
	if err != nil {
		return err
	}
	var problems []string
	if !r.QuietUntil.IsZero() {
		fmt.Fprintln(c.Stdout, c.T("run.quiet", c.T("n.deliveries", pending), r.QuietUntil.In(cfg.Location).Format("2006-01-02 15:04")))
	}
	if r.Outage != "" {
		fmt.Fprintln(c.Stdout, c.T("run.outage", r.Outage, c.T("n.deliveriesWait", pending)))
		problems = append(problems, c.T("run.problem.outage"))
	}
	if sending > 0 {
		fmt.Fprintln(c.Stdout, c.T("run.inFlight", sending))
		problems = append(problems, c.T("run.problem.inFlight", sending))
	}
	if r.Uncomposed > 0 {
		problems = append(problems, c.T("run.problem.uncomposed", r.Uncomposed))
	}
	if r.Retrying > 0 || r.Failed > 0 || r.Expired > 0 {
		problems = append(problems, c.T("run.problem.undelivered", r.Retrying, r.Failed, r.Expired))
	}
	if len(problems) > 0 {
		return errors.New(c.T("run.notDelivered", strings.Join(problems, "; ")))
	}
	return nil
}

// refuse says what a pass as of another day would send by SMTP, and sends
// nothing: mail as of a day that is not today is a test or a mistake,
// unless --send says otherwise.
func (c *RunCommand) refuse(ctx context.Context, cfg *config.Config, now time.Time) error {
	msg := c.T("run.notToday", now.Format("2006-01-02 15:04"))
	db, err := openReadOnly(ctx, c.Lang, cfg)
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
	fmt.Fprintln(c.Stdout, c.T("run.wouldSend", now.Format("2006-01-02 15:04")))
	for _, d := range digests {
		m, err := pass.Compose(d)
		subject := m.Subject
		if err != nil {
			subject = c.T("run.uncomposed", err.Error())
		}
		fmt.Fprintf(c.Stdout, "  %s %s\n", pad(c.Lang.word(string(d.Kind)), 10), c.T("run.to", d.Recipient.ID, strings.Join(d.Recipient.Emails, ", "), subject))
	}
	fmt.Fprintln(c.Stdout, c.T("n.digests", len(digests)))
	return usageErrorf("%s", msg)
}
