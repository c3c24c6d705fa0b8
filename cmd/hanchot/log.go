package main

import (
	"context"
	"strings"
	"time"

	"hanchot/store"
)

// LogCommand lists the notification ledger.
type LogCommand struct{ *Main }

type logRow struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	Reply     string     `json:"reply"`
	MessageID string     `json:"message_id"`
	SentAt    *time.Time `json:"sent_at"`
}

// Run runs the command.
func (c *LogCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("log", "log [--status S] [--kind K] [--agency A] [--limit N] [--format table|csv|json]",
		"  hanchot log --status failed\n  hanchot log --agency so-tu-phap --format csv > thu-da-gui.csv\n")
	status := fs.String("status", "", "only pending, sending, sent or failed")
	kind := fs.String("kind", "", "only reminder, overdue or escalation")
	agency := fs.String("agency", "", "only messages to this agency")
	limit := fs.Int("limit", 0, "at most this many, newest first (0: all)")
	format := formatFlag(fs)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if err := oneOf("--status", *status, "", "pending", "sending", "sent", "failed"); err != nil {
		return err
	}
	if err := oneOf("--kind", *kind, "", "reminder", "overdue", "escalation"); err != nil {
		return err
	}
	if *limit < 0 {
		return usageErrorf("--limit %d is negative", *limit)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.Store.Path)
	if err != nil {
		return err
	}
	defer db.Close()
	msgs, err := db.Messages(ctx, store.LogFilter{Status: *status, Kind: *kind, Agency: *agency, Limit: *limit})
	if err != nil {
		return err
	}
	rows := []logRow{}
	for _, m := range msgs {
		r := logRow{ID: m.ID, Kind: string(m.Kind), To: strings.Join(m.To, ","), Subject: m.Subject, Status: m.Status,
			Attempts: m.Attempts, Reply: m.Reply, MessageID: "<" + m.MessageID + ">"}
		if !m.SentAt.IsZero() {
			t := m.SentAt.In(cfg.Location)
			r.SentAt = &t
		}
		rows = append(rows, r)
	}
	return writeRecords(c.Stdout, *format, rows)
}

func oneOf(flag, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usageErrorf("%s %q: use one of %s", flag, v, strings.Join(allowed[1:], ", "))
}
