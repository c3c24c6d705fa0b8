package main

import (
	"context"
	"errors"

	"hanchot"
	"hanchot/web"
)

// IcsCommand writes an agency's calendar feed to stdout: the same
// iCalendar file the web front serves at its feed address.
type IcsCommand struct{ *Main }

// Run runs the command.
func (c *IcsCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("ics")
	agencyFlag := fs.String("agency", "", c.T("flag.key.agency"))
	all := fs.Bool("all", false, c.T("flag.ics.all"))
	year := fs.Int("year", 0, c.T("flag.ics.year"))
	atFlag := fs.String("at", "", c.T("flag.ics.at"))
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if (*agencyFlag == "") == !*all {
		return c.usageError("err.icsOneAgency").hint("hanchot ics --agency so-tu-phap > so-tu-phap.ics")
	}
	if *year != 0 {
		if err := c.Lang.checkYear(*year); err != nil {
			return err
		}
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	at, err := c.timeFlag("--at", *atFlag, cfg)
	if err != nil {
		return err
	}
	q := web.FeedQuery{Province: *all, Year: *year, Today: hanchot.DateOf(at, cfg.Location), Config: cfg}
	if *agencyFlag != "" {
		if q.Agency, err = c.agencyFlag(cfg, *agencyFlag); err != nil {
			return err
		}
	}
	// Without a key the feed is the same, less the links to the agency's
	// page.
	keys, err := webKeys(cfg)
	if err != nil {
		return err
	}
	q.Links = web.NewLinks(cfg.Web, keys)
	db, err := openReadOnly(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	f, entries, err := web.LoadFeed(ctx, db, q)
	if errors.Is(err, web.ErrUnknownAgency) {
		return errors.New(c.T("err.icsNotSynced", q.Agency))
	}
	if err != nil {
		return err
	}
	return web.Write(c.Stdout, web.Build(f, entries))
}
