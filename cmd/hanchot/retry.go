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
	fs := c.newFlagSet("retry", "retry [--id N] [--status failed|expired] [--agency A] [--by WHO] [--reason R]",
		"  hanchot retry --id 42 --reason \"hộp thư đã được mở lại\"\n"+
			"  hanchot retry --status expired --agency so-tu-phap\n"+
			"  hanchot retry --status failed            # every failed delivery\n\n"+
			"Requeued mail goes out on the daemon's next retry (within a minute), or with \"hanchot run --once\".\n"+
			"It is tried for [mail] keep_trying_days from now. Who and why are kept: \"hanchot log --id N\".\n")
	id := fs.Int64("id", 0, "one delivery, as listed by \"hanchot log\"")
	status := fs.String("status", "", "only failed or only expired (default: both)")
	agency := fs.String("agency", "", "only deliveries to this agency")
	by := fs.String("by", "", "who requeues it (default: $USER)")
	reason := fs.String("reason", "", "why, kept in the history")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := oneOf("--status", *status, "", "failed", "expired"); err != nil {
		return err
	}
	if *id < 0 {
		return usageErrorf("--id %d is negative", *id)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if err := checkAgency(cfg, *agency); err != nil {
		return err
	}
	who := *by
	if who == "" {
		if who = c.getenv("USER"); who == "" {
			who = "admin"
		}
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	until := time.Now().Add(time.Duration(cfg.Mail.KeepTrying) * 24 * time.Hour)
	ds, err := db.Requeue(ctx, store.RequeueFilter{ID: *id, Status: *status, Agency: *agency}, who, *reason, until)
	if errors.Is(err, store.ErrNotRequeuable) {
		return usageErrorf("%v", err)
	}
	if err != nil {
		return err
	}
	for _, d := range ds {
		fmt.Fprintf(c.Stdout, "requeued %d: %s to %s (%s): %s\n", d.ID, d.Kind, d.Address, d.Status, d.Subject)
	}
	fmt.Fprintf(c.Stdout, "%d requeued; they go out on the daemon's next retry, or with \"hanchot run --once\"\n", len(ds))
	return nil
}
