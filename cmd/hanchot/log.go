package main

import (
	"context"
	"fmt"
	"time"

	"hanchot"
	"hanchot/store"
)

// LogCommand lists the notification ledger.
type LogCommand struct{ *Main }

// logRow is one delivery of the ledger. The narrow table fits 120
// columns (with ids up to 99999): address, subject and reply cut short,
// no attempts and no Message-ID; --wide, CSV, JSON and xlsx show every
// field in full.
type logRow struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind" table:"word"`
	To        string     `json:"to" table:"max=28"`
	Subject   string     `json:"subject" table:"max=25"`
	Status    string     `json:"status" table:"word"`
	Attempts  int        `json:"attempts" table:"wide"`
	Reply     string     `json:"reply" table:"max=14"`
	MessageID string     `json:"message_id" table:"wide"`
	SentAt    *time.Time `json:"sent_at"`
}

// Run runs the command.
func (c *LogCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("log")
	id := fs.Int64("id", 0, c.T("flag.log.id"))
	status := fs.String("status", "", c.T("flag.log.status"))
	kind := fs.String("kind", "", c.T("flag.log.kind"))
	agencyFlag := fs.String("agency", "", c.T("flag.log.agency"))
	limit := fs.Int("limit", 0, c.T("flag.log.limit"))
	format := c.formatFlag(fs)
	wide := c.wideFlag(fs)
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.checkFormat(*format); err != nil {
		return err
	}
	if err := c.oneOf("--status", *status, "", "pending", "sending", "sent", "failed", "expired"); err != nil {
		return err
	}
	if err := c.oneOf("--kind", *kind, "", "reminder", "overdue", "escalation", "correction"); err != nil {
		return err
	}
	if *limit < 0 {
		return c.usageError("err.negative", "--limit", *limit)
	}
	if *id < 0 {
		return c.usageError("err.negative", "--id", *id)
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	agency, err := c.agencyFlag(cfg, *agencyFlag)
	if err != nil {
		return err
	}
	db, err := openReadOnly(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	msgs, err := db.Deliveries(ctx, store.LogFilter{ID: *id, Status: *status, Kind: *kind, Agency: agency, Limit: *limit})
	if err != nil {
		return err
	}
	if *id != 0 && *format == "table" {
		if len(msgs) == 0 {
			return c.usageError("err.noDelivery", *id, db.Path())
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
	return c.writeRecords(listing{format: *format, wide: *wide, sheet: "sheet.log"}, rows)
}

// printDelivery shows one delivery and its history.
func (c *LogCommand) printDelivery(ctx context.Context, db *store.DB, d hanchot.Delivery, loc *time.Location) error {
	attempts, err := db.Attempts(ctx, d.ID)
	if err != nil {
		return err
	}
	w := c.Stdout
	l := c.Lang
	fmt.Fprintln(w, l.T("delivery.head", d.ID, l.word(string(d.Kind)), d.Address, d.Agency))
	field := func(id, value string) {
		fmt.Fprintf(w, "  %s %s\n", pad(l.T(id)+":", 11), value)
	}
	field("delivery.subject", d.Subject)
	field("delivery.messageID", "<"+d.MessageID+">")
	field("delivery.queued", d.CreatedAt.In(loc).Format("2006-01-02 15:04:05"))
	field("delivery.status", l.T("delivery.statusLine", l.word(d.Status), l.T("n.attempts", d.Attempts), d.ExpiresAt.In(loc).Format("2006-01-02 15:04")))
	if d.Reply != "" {
		field("delivery.lastReply", d.Reply)
	}
	for _, a := range attempts {
		fmt.Fprintf(w, "  %s  %s  %s\n", a.At.In(loc).Format("2006-01-02 15:04:05"), pad(l.word(a.What), 9), a.Reply)
	}
	return nil
}
