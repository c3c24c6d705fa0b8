package main

import (
	"context"
	"fmt"

	"hanchot"
	"hanchot/record"
)

// ExtendCommand grants an extension.
type ExtendCommand struct{ *Main }

// Run runs the command.
func (c *ExtendCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("extend", "extend CODE --period P --year Y --agency A --due D --reason R [--by WHO]",
		"  hanchot extend 1.2.2 --period \"Cả năm\" --year 2019 --agency so-tu-phap --due 2020-03-13 --reason \"Công văn 45/UBND-NC cho phép gia hạn\"\n")
	k := keyFlags(fs)
	due := fs.String("due", "", "the new due date, YYYY-MM-DD")
	reason := fs.String("reason", "", "why (required), e.g. the letter that grants it")
	by := fs.String("by", "", "who grants or records it")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	key, err := k.resolve(cfg, pos)
	if err != nil {
		return err
	}
	if *due == "" {
		return usageErrorf("--due is required")
	}
	d, err := hanchot.ParseDate(*due)
	if err != nil {
		return usageErrorf("--due: %v", err)
	}
	if record.CheckReason(*reason) != nil {
		return usageErrorf("--reason is required")
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	prev, err := db.Extend(ctx, key, d, *reason, *by)
	if err != nil {
		return storeError(err)
	}
	fmt.Fprintf(c.Stdout, "extended: %s, due %s, now %s (%s)\n", key, prev, d, *reason)
	return nil
}
