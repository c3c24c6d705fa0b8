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
	fs := c.newFlagSet("links", "links [--agency A] [--format table|csv|json]",
		"  hanchot links --agency so-tu-phap\n  hanchot links --agency \"Sở Tư pháp\"\n  hanchot links --format csv > lien-ket.csv      # every agency\n\n"+
			"The addresses start with [web] base_url and carry a token signed with the\n"+
			"web key (HANCHOT_WEB_SECRET or [web] secret_file): whoever has one can\n"+
			"read that agency's calendar, so send each agency its own. Changing the\n"+
			"key revokes them all.\n")
	agency := fs.String("agency", "", "one agency, by id or name (default: every agency)")
	format := formatFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	agencies := cfg.Calendar.Agencies
	if *agency != "" {
		a, err := findAgency(cfg, *agency)
		if err != nil {
			return err
		}
		agencies = []hanchot.Agency{a}
	}
	keys, err := webKeys(cfg)
	if err != nil {
		return err
	}
	if keys == nil {
		return usageErrorf("no key to sign the links: set HANCHOT_WEB_SECRET or [web] secret_file").
			hint("openssl rand -base64 48 > /etc/hanchot/web-secret, then secret_file = \"/etc/hanchot/web-secret\" in [web]")
	}
	links := web.NewLinks(cfg.Web, keys)
	if links.Base == "" {
		return usageErrorf("[web] base_url and listen are empty: there is no address to give").hint(`base_url = "https://hanchot.laocai.example" in [web]`)
	}
	if cfg.Web.BaseURL == "" {
		fmt.Fprintf(c.Stderr, "note: [web] base_url is not set; the addresses start with %s, which agencies may not reach\n", links.Base)
	}
	// The feeds serve what the database holds: it must be there.
	db, err := openReadOnly(ctx, cfg)
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
	return writeRecords(c.Stdout, *format, rows)
}
