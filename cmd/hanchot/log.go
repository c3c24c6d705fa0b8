package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"hanchot"
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
	fs := c.newFlagSet("log", "log [--id N] [--status S] [--kind K] [--agency A] [--limit N] [--format table|csv|json]",
		"  hanchot log --status failed\n  hanchot log --status expired --agency so-tu-phap\n  hanchot log --id 42                 # one delivery with every attempt\n  hanchot log --agency so-tu-phap --format csv > thu-da-gui.csv\n")
	id := fs.Int64("id", 0, "one delivery, with every attempt and requeue")
	status := fs.String("status", "", "only pending, sending, sent, failed or expired")
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
	if err := oneOf("--status", *status, "", "pending", "sending", "sent", "failed", "expired"); err != nil {
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
	if *id < 0 {
		return usageErrorf("--id %d is negative", *id)
	}
	if err := checkAgency(cfg, *agency); err != nil {
		return err
	}
	db, err := openReadOnly(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	msgs, err := db.Deliveries(ctx, store.LogFilter{ID: *id, Status: *status, Kind: *kind, Agency: *agency, Limit: *limit})
	if err != nil {
		return err
	}
	if *id != 0 && *format == "table" {
		if len(msgs) == 0 {
			return usageErrorf("no delivery %d in %s", *id, db.Path())
		}
		return c.printDelivery(ctx, db, msgs[0], cfg.Location)
	}
	rows := []logRow{}
	for _, m := range msgs {
		r := logRow{ID: m.ID, Kind: string(m.Kind), To: m.Address, Subject: m.Subject, Status: m.Status,
			Attempts: m.Attempts, Reply: m.Reply, MessageID: "<" + m.MessageID + ">"}
		if !m.SentAt.IsZero() {
			t := m.SentAt.In(cfg.Location)
			r.SentAt = &t
		}
		rows = append(rows, r)
	}
	return writeRecords(c.Stdout, *format, rows)
}

// printDelivery shows one delivery and its history.
func (c *LogCommand) printDelivery(ctx context.Context, db *store.DB, d hanchot.Delivery, loc *time.Location) error {
	attempts, err := db.Attempts(ctx, d.ID)
	if err != nil {
		return err
	}
	w := c.Stdout
	fmt.Fprintf(w, "delivery %d: %s to %s (%s)\n", d.ID, d.Kind, d.Address, d.Agency)
	fmt.Fprintf(w, "  subject:    %s\n  message-id: <%s>\n  queued:     %s\n", d.Subject, d.MessageID, d.CreatedAt.In(loc).Format("2006-01-02 15:04:05"))
	fmt.Fprintf(w, "  status:     %s after %d attempts; given up if unsent by %s\n", d.Status, d.Attempts, d.ExpiresAt.In(loc).Format("2006-01-02 15:04"))
	if d.Reply != "" {
		fmt.Fprintf(w, "  last reply: %s\n", d.Reply)
	}
	for _, a := range attempts {
		fmt.Fprintf(w, "  %s  %-9s  %s\n", a.At.In(loc).Format("2006-01-02 15:04:05"), a.What, a.Reply)
	}
	return nil
}

func oneOf(flag, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usageErrorf("%s %q: use one of %s", flag, v, strings.Join(allowed[1:], ", "))
}
