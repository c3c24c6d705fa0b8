package main

import (
	"context"
	"fmt"
)

// CheckCommand validates the configuration.
type CheckCommand struct{ *Main }

// Run runs the command: it prints every problem as FILE:LINE: message and
// fails with exit code 2, or prints a summary.
func (c *CheckCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("check", "check", "  hanchot --config hanchot.toml check\n")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	deadlines := 0
	for _, r := range cfg.Calendar.Reports {
		deadlines += len(r.Deadlines)
	}
	fmt.Fprintf(c.Stdout, "%s: ok: %d agencies, %d groups, %d reports, %d deadlines; focal point %s\n",
		cfg.File, len(cfg.Calendar.Agencies), len(cfg.Calendar.Groups), len(cfg.Calendar.Reports), deadlines, cfg.Escalation.FocalPoint)
	return nil
}
