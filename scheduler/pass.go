package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"hanchot"
)

// Store is what a pass needs of the database.
type Store interface {
	// Items returns the unsubmitted, tracked occurrences still in the
	// calendar whose date that counts lies in [from, to], whatever their
	// reporting year.
	Items(ctx context.Context, from, to hanchot.Date) ([]hanchot.Item, error)
	// Enqueue records the digest's notices that were never recorded
	// before, and one message holding just those, composed by compose, in
	// one transaction. It reports whether a message was queued.
	Enqueue(ctx context.Context, d hanchot.Digest, compose func(hanchot.Digest) (hanchot.Message, error)) (bool, error)
	// Unsent returns the messages to try now: pending ones whose retry
	// time has come (all pending ones when all is set), and ones left in
	// "sending" past their deadline by a crash.
	Unsent(ctx context.Context, now time.Time, all bool) ([]hanchot.Message, error)
	// Claim marks a message as being sent until the deadline; false when
	// another process claimed it first.
	Claim(ctx context.Context, id int64, until time.Time) (bool, error)
	// Record writes the outcome of an attempt. A failure with a zero
	// retryAt is final.
	Record(ctx context.Context, id int64, res hanchot.SendResult, retryAt time.Time) error
	// RecordOverdue logs the items past their date on day today; items
	// already logged keep their entry.
	RecordOverdue(ctx context.Context, items []hanchot.Item, today hanchot.Date) error
	// UnreportedFailures returns the messages that failed for good and
	// were not yet reported to the focal point.
	UnreportedFailures(ctx context.Context) ([]hanchot.Message, error)
}

// Transport delivers messages: SMTP, or .eml files.
type Transport interface {
	Open(ctx context.Context) (Conn, error)
}

// Conn is one open delivery session, used for all messages of a pass.
type Conn interface {
	Send(ctx context.Context, m hanchot.Message) hanchot.SendResult
	Close() error
}

// Pass is one run of the daemon's work as of a time: plan what is due,
// queue it in the outbox, and deliver what the outbox holds.
type Pass struct {
	Store     Store
	Transport Transport
	Compose   func(hanchot.Digest) (hanchot.Message, error)
	Calendar  *hanchot.Calendar
	Workdays  *Workdays
	Settings  PlanSettings
	// Prepare runs first, e.g. to write the occurrences of a new year.
	Prepare func(ctx context.Context, now time.Time) error
	// SendTimeout bounds one message's delivery; a message left "sending"
	// longer than twice this by a crash is tried again.
	SendTimeout time.Duration
	Clock       func() time.Time // the real time, for the outbox's bookkeeping
	Log         *slog.Logger
}

// Result counts what a pass did.
type Result struct {
	Notices  int // notices planned (already sent ones included)
	Queued   int // new digests queued
	Sent     int
	Retrying int // temporary failures, to be tried again
	Failed   int // permanent failures
}

// Run makes one pass as of now. With retryAll it also tries pending
// messages whose backoff has not yet run out (a manual run). Stopping ctx
// lets the message being sent finish and leaves the rest queued.
func (p *Pass) Run(ctx context.Context, now time.Time, retryAll bool) (Result, error) {
	var res Result
	if p.Prepare != nil {
		if err := p.Prepare(ctx, now); err != nil {
			return res, fmt.Errorf("prepare: %w", err)
		}
	}
	today := hanchot.DateOf(now, p.Settings.Location)
	from, to := p.Settings.Window(today)
	items, err := p.Store.Items(ctx, from, to)
	if err != nil {
		return res, fmt.Errorf("load items: %w", err)
	}
	if err := p.Store.RecordOverdue(ctx, items, today); err != nil {
		return res, fmt.Errorf("overdue log: %w", err)
	}
	notices := Plan(items, now, p.Workdays, p.Settings)
	res.Notices = len(notices)
	failures, err := p.Store.UnreportedFailures(ctx)
	if err != nil {
		return res, err
	}
	for _, d := range Digests(notices, p.Calendar, today) {
		// Mail that could not be delivered is reported on the focal
		// point's next digest.
		if d.Recipient.ID == p.Settings.FocalPoint && len(failures) > 0 {
			d.Failures, failures = failures, nil
		}
		queued, err := p.Store.Enqueue(ctx, d, p.Compose)
		if err != nil {
			return res, fmt.Errorf("queue %s for %s: %w", d.Kind, d.Recipient.ID, err)
		}
		if queued {
			res.Queued++
		}
	}
	err = p.deliver(ctx, retryAll, &res)
	p.Log.Info("pass", "as_of", now.Format(time.RFC3339), "items", len(items), "notices", res.Notices,
		"queued", res.Queued, "sent", res.Sent, "retrying", res.Retrying, "failed", res.Failed)
	return res, err
}

// Deliver sends what the outbox holds and is due, without planning: the
// daemon calls it between passes to retry temporary failures.
func (p *Pass) Deliver(ctx context.Context) (Result, error) {
	var res Result
	err := p.deliver(ctx, false, &res)
	if res.Sent+res.Retrying+res.Failed > 0 {
		p.Log.Info("retry", "sent", res.Sent, "retrying", res.Retrying, "failed", res.Failed)
	}
	return res, err
}

// deliver sends the outbox's unsent messages over one connection.
func (p *Pass) deliver(ctx context.Context, retryAll bool, res *Result) error {
	msgs, err := p.Store.Unsent(ctx, p.Clock(), retryAll)
	if err != nil || len(msgs) == 0 {
		return err
	}
	// An in-flight message finishes even when ctx is stopped.
	sendCtx := context.WithoutCancel(ctx)
	conn, openErr := p.Transport.Open(ctx)
	if openErr == nil {
		defer conn.Close()
	}
	for _, m := range msgs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ok, err := p.Store.Claim(sendCtx, m.ID, p.Clock().Add(2*p.SendTimeout))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		var r hanchot.SendResult
		if openErr != nil {
			r = hanchot.SendResult{Temporary: true, Reply: openErr.Error()}
		} else {
			c, cancel := context.WithTimeout(sendCtx, p.SendTimeout)
			r = conn.Send(c, m)
			cancel()
		}
		var retryAt time.Time
		attempts := m.Attempts + 1
		switch {
		case r.OK:
			res.Sent++
		case r.Temporary && attempts < MaxAttempts:
			retryAt = p.Clock().Add(Backoff(attempts))
			res.Retrying++
		default:
			res.Failed++
		}
		if err := p.Store.Record(sendCtx, m.ID, r, retryAt); err != nil {
			return err
		}
		lvl := slog.LevelDebug
		if !r.OK {
			lvl = slog.LevelWarn
		}
		p.Log.Log(ctx, lvl, "deliver", "message", m.ID, "kind", m.Kind, "agency", m.Agency, "ok", r.OK,
			"temporary", r.Temporary, "attempt", attempts, "reply", r.Reply)
	}
	return nil
}
