package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/notify"
	"hanchot/scheduler"
	"hanchot/store"
	"hanchot/web"
)

// newLogger returns the structured logger the configuration asks for.
func newLogger(w io.Writer, cfg *config.Config) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.Log.Level))
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		// Log times in the configured zone, never the machine's.
		if a.Key == slog.TimeKey && len(groups) == 0 {
			a.Value = slog.TimeValue(a.Value.Time().In(cfg.Location))
		}
		return a
	}}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// planSettings turns the configuration into the plan's settings.
func planSettings(cfg *config.Config) (scheduler.PlanSettings, error) {
	ticks, err := config.CronParser.Parse(cfg.Schedule.SendAt)
	if err != nil {
		return scheduler.PlanSettings{}, err
	}
	also := map[int][]string{}
	for _, a := range cfg.Escalation.Also {
		also[a.AfterDays] = append(also[a.AfterDays], cfg.Calendar.Members(a.To)...)
	}
	return scheduler.PlanSettings{
		RemindDays:  cfg.Schedule.RemindDays,
		AfterDays:   cfg.Escalation.AfterDays,
		FocalPoint:  cfg.Escalation.FocalPoint,
		Also:        also,
		Ticks:       scheduler.CacheTicks(ticks),
		Location:    cfg.Location,
		KeepTrying:  time.Duration(cfg.Mail.KeepTrying) * 24 * time.Hour,
		Calendar:    cfg.Calendar,
		SupportFrom: cfg.Escalation.SupportAfterDays,
	}, nil
}

// composerContext is what every email says besides its items.
func composerContext(cfg *config.Config) notify.Context {
	focal, _ := cfg.Calendar.Agency(cfg.Escalation.FocalPoint)
	o := cfg.Org
	return notify.Context{FocalPoint: focal, SupportDays: cfg.Schedule.SupportDays,
		Org: notify.Org{Name: o.Name, Plan: o.Plan, Contact: o.Contact, Phone: o.Phone, Email: o.Email}}
}

// mailLinks returns what gives the addresses in an agency's mail (its
// page, its calendar feed, each item's action links): nil unless [web]
// base_url (an address agencies reach) and a signing key are set.
func mailLinks(cfg *config.Config) (notify.Links, error) {
	if cfg.Web.BaseURL == "" {
		return nil, nil
	}
	keys, err := webKeys(cfg)
	if err != nil || keys == nil {
		return nil, err
	}
	links := web.NewLinks(cfg.Web, keys)
	links.Location = cfg.Location
	return links, nil
}

// transport returns where mail goes: a folder of .eml files or SMTP. The
// password comes from HANCHOT_MAIL_PASSWORD or mail.password_file.
func transport(cfg *config.Config) (scheduler.Transport, error) {
	m := cfg.Mail
	env := notify.Envelope{From: m.From, ReplyTo: m.ReplyTo, Location: cfg.Location}
	if m.Transport == "dir" {
		return &notify.Dir{Path: m.Dir, Envelope: env}, nil
	}
	password := m.Password
	if password == "" && m.PasswordFile != "" {
		b, err := os.ReadFile(m.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("mail.password_file: %w", err)
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	return &notify.SMTP{Host: m.Host, Port: m.Port, TLS: m.TLS, Auth: m.Auth, Username: m.Username, Password: password,
		Timeout: m.Timeout.Duration, Envelope: env}, nil
}

// newPass wires a pass from the configuration and an open database.
func newPass(cfg *config.Config, db *store.DB, log *slog.Logger) (*scheduler.Pass, error) {
	settings, err := planSettings(cfg)
	if err != nil {
		return nil, err
	}
	mailCtx := composerContext(cfg)
	if mailCtx.Links, err = mailLinks(cfg); err != nil {
		return nil, err
	}
	composer, err := notify.NewComposer(cfg.Mail.Templates, cfg.Mail.From, mailCtx)
	if err != nil {
		return nil, err
	}
	tr, err := transport(cfg)
	if err != nil {
		return nil, err
	}
	quiet, err := scheduler.ParseQuiet(cfg.Schedule.Quiet, cfg.Schedule.QuietDaysOff)
	if err != nil {
		return nil, fmt.Errorf("schedule.quiet: %w", err)
	}
	wd := scheduler.NewWorkdays(cfg.WorkRules)
	return &scheduler.Pass{
		Store:     db,
		Transport: tr,
		Compose:   composer.Compose,
		Calendar:  cfg.Calendar,
		Workdays:  wd,
		Quiet:     func(t time.Time) (bool, time.Time) { return quiet.At(t.In(cfg.Location), wd) },
		Settings:  settings,
		Prepare: func(ctx context.Context, now time.Time) error {
			return syncMissingYears(ctx, db, cfg, now)
		},
		SendTimeout: cfg.Mail.Timeout.Duration,
		Clock:       time.Now,
		Log:         log.With("component", "pass"),
	}, nil
}

// syncMissingYears writes the occurrences of the years that can still
// change and that the database does not have yet (a new year has begun).
// It looks at those years alone, so a pass costs the same however many
// years are tracked, and like every sync it leaves the past as it is.
func syncMissingYears(ctx context.Context, db *store.DB, cfg *config.Config, now time.Time) error {
	have, err := db.SyncedYears(ctx)
	if err != nil {
		return err
	}
	today := hanchot.DateOf(now, cfg.Location)
	// The years an extension keeps open were synced before: only the
	// open years by date can be missing.
	for _, y := range scheduler.OpenYears(today, scheduler.NewWorkdays(cfg.WorkRules), cfg.Schedule.FirstYear, cfg.Schedule.LastYear, nil) {
		if !have[y] {
			_, err := syncCalendar(ctx, db, cfg, now)
			return err
		}
	}
	return nil
}
