package main

import (
	"context"
	"fmt"

	"hanchot"
	"hanchot/web"
)

// LinksCommand prints agencies' page and calendar-feed addresses, for the
// secretariat to send them.
type LinksCommand struct{ *Main }

type linkRow struct {
	Agency       string `json:"agency"`
	AgencyName   string `json:"agency_name"`
	Page         string `json:"page"`
	Feed         string `json:"feed"`
	ProvinceFeed string `json:"province_feed,omitempty"` // the focal point's: every lead deadline
}

// Run runs the command.
func (c *LinksCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("links")
	agencyFlag := fs.String("agency", "", c.T("flag.links.agency"))
	format := c.formatFlag(fs)
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.checkFormat(*format); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	agencies := cfg.Calendar.Agencies
	if *agencyFlag != "" {
		id, err := c.agencyFlag(cfg, *agencyFlag)
		if err != nil {
			return err
		}
		a, _ := cfg.Calendar.Agency(id)
		agencies = []hanchot.Agency{a}
	}
	keys, err := webKeys(cfg)
	if err != nil {
		return err
	}
	if keys == nil {
		return c.usageError("err.linksNoKey").hint(c.T("hint.linksNoKey"))
	}
	links := web.NewLinks(cfg.Web, keys)
	if links.Base == "" {
		return c.usageError("err.linksNoAddress").hint(c.T("hint.linksNoAddress"))
	}
	if cfg.Web.BaseURL == "" {
		fmt.Fprintln(c.Stderr, c.T("note.linksNoBaseURL", links.Base))
	}
	// The feeds serve what the database holds: it must be there.
	db, err := openReadOnly(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	db.Close()
	rows := []linkRow{}
	for _, a := range agencies {
		row := linkRow{Agency: a.ID, AgencyName: a.Name, Page: links.AgencyPage(a.ID), Feed: links.AgencyFeed(a.ID)}
		if a.ID == cfg.Escalation.FocalPoint {
			row.ProvinceFeed = links.ProvinceFeed(a.ID)
		}
		rows = append(rows, row)
	}
	return c.writeRecords(listing{format: *format, sheet: "sheet.links"}, rows)
}
