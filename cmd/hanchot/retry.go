package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hanchot/store"
)

// RetryCommand requeues mail that failed or expired.
type RetryCommand struct{ *Main }

// Run runs the command.
func (c *RetryCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("retry")
	id := fs.Int64("id", 0, c.T("flag.retry.id"))
	status := fs.String("status", "", c.T("flag.retry.status"))
	agencyFlag := fs.String("agency", "", c.T("flag.retry.agency"))
	by := fs.String("by", "", c.T("flag.retry.by"))
	reason := fs.String("reason", "", c.T("flag.retry.reason"))
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.oneOf("--status", *status, "", "failed", "expired"); err != nil {
		return err
	}
	if *id < 0 {
		return c.usageError("err.negative", "--id", *id)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	agency, err := c.agencyFlag(cfg, *agencyFlag)
	if err != nil {
		return err
	}
	who := *by
	if who == "" {
		if who = c.getenv("USER"); who == "" {
			who = "admin"
		}
	}
	db, err := openExisting(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	until := time.Now().Add(time.Duration(cfg.Mail.KeepTrying) * 24 * time.Hour)
	ds, err := db.Requeue(ctx, store.RequeueFilter{ID: *id, Status: *status, Agency: agency}, who, *reason, until)
	var re *store.RequeueError
	switch {
	case errors.As(err, &re) && re.Missing:
		return c.usageError("err.requeueMissing", re.ID)
	case errors.As(err, &re) && re.Uncomposed:
		return c.usageError("err.requeueUncomposed", re.ID, re.Reply)
	case errors.As(err, &re):
		return c.usageError("err.requeueStatus", re.ID, c.Lang.word(re.Status))
	case errors.Is(err, store.ErrNotRequeuable):
		return usageErrorf("%v", err)
	case err != nil:
		return err
	}
	for _, d := range ds {
		fmt.Fprintln(c.Stdout, c.T("retry.requeued", d.ID, c.Lang.word(string(d.Kind)), d.Address, c.Lang.word(d.Status), d.Subject))
	}
	fmt.Fprintln(c.Stdout, c.T("retry.summary", len(ds)))
	return nil
}
