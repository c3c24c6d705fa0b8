package main

import (
	"context"
	"fmt"
	"strings"

	"hanchot/record"
)

// ExtendCommand grants an extension.
type ExtendCommand struct{ *Main }

// Run runs the command.
func (c *ExtendCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("extend")
	k := c.keyFlags(fs)
	due := fs.String("due", "", c.T("flag.extend.due"))
	reason := fs.String("reason", "", c.T("flag.extend.reason"))
	by := fs.String("by", "", c.T("flag.extend.by"))
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	key, err := k.resolve(c.Lang, cfg, pos)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*due) == "" {
		return c.usageError("err.dueRequired").hint("--due 2020-03-13")
	}
	d, err := c.dayFlag("--due", *due, cfg)
	if err != nil {
		return err
	}
	if record.CheckReason(*reason) != nil {
		return c.usageError("err.reasonRequired")
	}
	db, err := openExisting(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	prev, err := db.Extend(ctx, key, d, *reason, *by)
	if err != nil {
		return c.Lang.storeError(err)
	}
	fmt.Fprintln(c.Stdout, c.T("extend.done", c.Lang.key(key), prev, d, *reason))
	return nil
}
