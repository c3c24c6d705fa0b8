package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/notify"
)

// CheckCommand validates the configuration.
type CheckCommand struct{ *Main }

// Run runs the command: it prints every problem as FILE:LINE: message and
// fails with exit code 2, or prints a summary.
func (c *CheckCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("check")
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if err := checkTemplates(c.Lang, cfg); err != nil {
		return err
	}
	deadlines := 0
	for _, r := range cfg.Calendar.Reports {
		deadlines += len(r.Deadlines)
	}
	fmt.Fprintf(c.Stdout, "%s: %s\n", cfg.File, c.T("check.ok",
		c.T("n.agencies", len(cfg.Calendar.Agencies)), c.T("n.groups", len(cfg.Calendar.Groups)),
		c.T("n.reports", len(cfg.Calendar.Reports)), c.T("n.deadlines", deadlines), cfg.Escalation.FocalPoint))
	return nil
}

// checkTemplates renders every template once on a sample digest made of
// the calendar's own first report and agencies.
func checkTemplates(l Lang, cfg *config.Config) error {
	composer, err := notify.NewComposer(cfg.Mail.Templates, cfg.Mail.From, composerContext(cfg))
	if err == nil {
		err = composer.Check(sampleDigest(cfg))
	}
	if err != nil {
		cerr := &config.Error{File: cfg.File}
		for _, line := range strings.Split(err.Error(), "\n") {
			cerr.Problems = append(cerr.Problems, config.Problem{Message: l.T("check.templates", line)})
		}
		return cerr
	}
	return nil
}

// sampleDigest is a digest to the focal point with an item of the first
// report for its lead and for a supporting agency, and a failed delivery.
func sampleDigest(cfg *config.Config) hanchot.Digest {
	focal, _ := cfg.Calendar.Agency(cfg.Escalation.FocalPoint)
	today := hanchot.DateOf(time.Now(), cfg.Location)
	d := hanchot.Digest{Recipient: focal, Today: today}
	reports := cfg.Calendar.Reports
	if len(reports) == 0 {
		// A calendar with no report yet still renders its templates once.
		reports = []hanchot.Report{{Code: "1.1", Title: "Báo cáo mẫu", Lead: []string{focal.ID},
			Deadlines: []hanchot.Deadline{{Period: "Cả năm"}}}}
	}
	for _, r := range reports {
		if len(r.Deadlines) == 0 {
			continue
		}
		due := today.AddDays(7)
		for _, role := range []hanchot.Role{hanchot.Lead, hanchot.Support} {
			agency := focal
			if ids := cfg.Calendar.Members(r.Lead); role == hanchot.Lead && len(ids) > 0 {
				agency, _ = cfg.Calendar.Agency(ids[0])
			}
			if ids := cfg.Calendar.Members(r.Support); role == hanchot.Support && len(ids) > 0 {
				agency, _ = cfg.Calendar.Agency(ids[0])
			}
			d.Notices = append(d.Notices, hanchot.Notice{Item: hanchot.Item{Occurrence: hanchot.Occurrence{
				Code: r.Code, Title: r.Title, Period: r.Deadlines[0].Period, Year: today.Year(), Agency: agency.ID,
				AgencyName: agency.Name, Role: role, Due: due, EffectiveDue: due}, Target: due},
				Step: 7, Recipient: focal.ID, Days: 7})
		}
		break
	}
	d.Failures = []hanchot.Delivery{{Message: hanchot.Message{Subject: "[Nhắc hạn] ..."}, Address: "x@example.invalid",
		Status: hanchot.Failed, Reply: "550 5.1.1 no such user"}}
	return d
}
