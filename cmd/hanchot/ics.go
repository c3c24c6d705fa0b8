package main

import (
	"context"
	"errors"
	"fmt"

	"hanchot"
	"hanchot/web"
)

// IcsCommand writes an agency's calendar feed to stdout: the same
// iCalendar file the web front serves at its feed address.
type IcsCommand struct{ *Main }

// Run runs the command.
func (c *IcsCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("ics", "ics --agency A [--year Y] [--at T] | ics --all [--year Y] [--at T]",
		"  hanchot ics --agency so-tu-phap > so-tu-phap.ics\n  hanchot ics --agency so-tu-phap --year 2019\n  hanchot ics --all > toan-tinh.ics     # every lead deadline, as the focal point's feed\n\n"+
			"Without --year the feed holds the current reporting year and the next (and\n"+
			"the previous one's dates that fall this year), as the web front serves it.\n")
	agency := fs.String("agency", "", "the agency, by id or name")
	all := fs.Bool("all", false, "every agency's lead deadlines (the focal point's feed) instead of one agency's")
	year := fs.Int("year", 0, "only this reporting year (default: the current and the next)")
	atFlag := fs.String("at", "", "as of this day (default: today): what is overdue, which years")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*agency == "") == !*all {
		return usageErrorf("name one agency with --agency, or --all").hint("hanchot ics --agency so-tu-phap > so-tu-phap.ics")
	}
	if *year != 0 {
		if err := checkYear(*year); err != nil {
			return err
		}
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	at, err := parseNow("--at", *atFlag, cfg)
	if err != nil {
		return err
	}
	q := web.FeedQuery{Province: *all, Year: *year, Today: hanchot.DateOf(at, cfg.Location), Config: cfg}
	if *agency != "" {
		a, err := findAgency(cfg, *agency)
		if err != nil {
			return err
		}
		q.Agency = a.ID
	}
	// Without a key the feed is the same, less the links to the agency's
	// page.
	keys, err := webKeys(cfg)
	if err != nil {
		return err
	}
	q.Links = web.NewLinks(cfg.Web, keys)
	db, err := openReadOnly(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	f, entries, err := web.LoadFeed(ctx, db, q)
	if errors.Is(err, web.ErrUnknownAgency) {
		return fmt.Errorf("%s is not in the database yet; run \"hanchot sync\"", q.Agency)
	}
	if err != nil {
		return err
	}
	return web.Write(c.Stdout, web.Build(f, entries))
}
