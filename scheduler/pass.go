package scheduler

import (
	"context"
	"errors"
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
	// Removed returns the items that left the calendar after their
	// agency was reminded of them, and before their date.
	Removed(ctx context.Context, today hanchot.Date) ([]hanchot.Item, error)
	// Refusals returns the items whose request for a later date was
	// refused and whose agency was not told yet, each with the refusal.
	Refusals(ctx context.Context, now time.Time) ([]hanchot.Item, error)
	// Enqueue writes the digests' notices never recorded before, one
	// message per digest and one delivery per address, in one
	// transaction. A digest that cannot be composed is recorded as failed.
	Enqueue(ctx context.Context, digests []hanchot.Digest, compose func(hanchot.Digest) (hanchot.Message, error)) (hanchot.Enqueued, error)
	// Expire gives up the pending deliveries no longer worth sending as
	// of asOf.
	Expire(ctx context.Context, asOf time.Time) (int, error)
	// Unsent returns the deliveries to try now: pending ones whose retry
	// time has come (all pending ones when all is set), and ones left in
	// "sending" past their deadline by a crash.
	Unsent(ctx context.Context, now time.Time, all bool) ([]hanchot.Delivery, error)
	// Advance records the outcome of the delivery just attempted (done
	// may be nil) and claims the next one (next may be 0) in one
	// transaction; it reports whether next was claimed.
	Advance(ctx context.Context, done *hanchot.Outcome, next int64, until time.Time) (bool, error)
	// NoteOutage records on the pending deliveries due by now that the
	// server could not be reached, using up no attempt.
	NoteOutage(ctx context.Context, now time.Time, reason string) error
	// SentKeys reports which of the notices were recorded before.
	SentKeys(ctx context.Context, notices []hanchot.Notice) (map[int]bool, error)
	// RecordOverdue logs the items past their date on day today; items
	// already logged keep their entry.
	RecordOverdue(ctx context.Context, items []hanchot.Item, today hanchot.Date) error
	// UnreportedFailures returns the deliveries that failed or expired
	// and were not yet reported to the focal point.
	UnreportedFailures(ctx context.Context) ([]hanchot.Delivery, error)
}

// Transport delivers messages: SMTP, or .eml files.
type Transport interface {
	// Open starts a delivery session. An error is a transport outage
	// (refused, DNS, timeout, TLS, 421 at the greeting, AUTH rejected):
	// it says nothing about any message.
	Open(ctx context.Context) (Conn, error)
}

// Conn is one open delivery session, used for the messages of a pass.
type Conn interface {
	// Send delivers one message to one address. When ready is not nil,
	// Send calls it at most once, just before the point after which the
	// message may be out (for SMTP, the final dot of its data; a message
	// refused before that never calls it), and gives the message up,
	// leaving nothing delivered, when it returns false. ctx's deadline
	// bounds the whole.
	Send(ctx context.Context, d hanchot.Delivery, ready func() bool) hanchot.SendResult
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
	// SendTimeout is how long one try of a message may take. A message
	// gets two tries at most (the second on a new connection), so twice
	// this bounds it; a message left "sending" longer than twice this by a
	// crash is tried again.
	SendTimeout time.Duration
	// Quiet, when set, tells whether a time is outside office hours, and
	// when they open again: a pass then queues but sends nothing.
	Quiet func(t time.Time) (bool, time.Time)
	Clock func() time.Time // the real time, for the outbox's bookkeeping
	Log   *slog.Logger
	// Observe, when set, is told of every pass and every delivery between
	// passes once it is over: for metrics and the health of the daemon.
	Observe func(Report)
}

// Report is what a pass, or a delivery between passes, did: for whoever
// watches the daemon.
type Report struct {
	Retry    bool      // a delivery between passes (Deliver), not a pass
	AsOf     time.Time // the time the pass worked as of
	Started  time.Time // real time
	Duration time.Duration
	Result   Result
	Err      error
}

// Result counts what a pass did.
type Result struct {
	Notices    int // notices planned (already sent ones included)
	Queued     int // new digests queued
	Deliveries int // of which, deliveries (one per address)
	Uncomposed int // digests whose templates failed, recorded as failed
	Sent       int
	Retrying   int // temporary failures, to be tried again
	Failed     int // permanent failures
	Expired    int // given up as no longer useful
	Deferred   int // left pending because the server could not be reached
	// Outage is why the mail server is unavailable; "" when it
	// could, or when there was nothing to send.
	Outage string
	// QuietUntil is set when the pass fell in quiet time: nothing was
	// sent, and sending starts again then.
	QuietUntil time.Time
}

// Run makes one pass as of now. With retryAll it also tries pending
// messages whose backoff has not yet run out (a manual run). Stopping ctx
// lets the message being sent finish and leaves the rest queued.
func (p *Pass) Run(ctx context.Context, now time.Time, retryAll bool) (Result, error) {
	started := p.Clock()
	res, err := p.run(ctx, now, retryAll)
	p.observe(Report{AsOf: now, Started: started, Result: res, Err: err})
	return res, err
}

func (p *Pass) run(ctx context.Context, now time.Time, retryAll bool) (Result, error) {
	var res Result
	asOf := now // the pass's time; now may move to the next window
	if p.Prepare != nil {
		if err := p.Prepare(ctx, now); err != nil {
			return res, fmt.Errorf("prepare: %w", err)
		}
	}
	// In quiet time the pass plans what the first pass after the window
	// opens would: it is queued now and sent when the window opens, and a
	// start-up at night does not send yesterday's step at 07:00 and
	// today's at 08:00.
	if p.Quiet != nil {
		if quiet, until := p.Quiet(now); quiet {
			if next := p.Settings.Ticks.Next(until.Add(-time.Second)); next.After(now) {
				now = next
			}
		}
	}
	today := hanchot.DateOf(now, p.Settings.Location)
	items, notices, err := p.plan(ctx, now)
	if err != nil {
		return res, err
	}
	if err := p.Store.RecordOverdue(ctx, items, today); err != nil {
		return res, fmt.Errorf("overdue log: %w", err)
	}
	res.Notices = len(notices)
	failures, err := p.Store.UnreportedFailures(ctx)
	if err != nil {
		return res, err
	}
	queue := Digests(notices, p.Calendar, today)
	// Mail that could not be delivered is reported on the focal point's
	// digest: its escalation when it has one, else its first.
	focal := -1
	for i, d := range queue {
		if d.Recipient.ID == p.Settings.FocalPoint && (focal < 0 || d.Kind == hanchot.Escalation) {
			focal = i
		}
	}
	if focal >= 0 {
		queue[focal].Failures = failures
	}
	for i := range queue {
		queue[i].Expires = p.Settings.Expiry(queue[i], now)
	}
	q, err := p.Store.Enqueue(ctx, queue, p.Compose)
	if err != nil {
		return res, err
	}
	res.Queued, res.Deliveries, res.Uncomposed = q.Messages, q.Deliveries, q.Uncomposed
	if q.Uncomposed > 0 {
		p.Log.Error("digests could not be composed; recorded as failed (see \"hanchot check\" and \"hanchot log --status failed\")", "digests", q.Uncomposed)
	}
	err = p.deliver(ctx, asOf, retryAll, &res)
	attrs := []any{"as_of", asOf.Format(time.RFC3339), "items", len(items), "notices", res.Notices,
		"queued", res.Queued, "sent", res.Sent, "retrying", res.Retrying, "failed", res.Failed,
		"expired", res.Expired, "deferred", res.Deferred}
	if !res.QuietUntil.IsZero() {
		attrs = append(attrs, "quiet_until", res.QuietUntil.Format(time.RFC3339), "planned_as_of", now.Format(time.RFC3339))
	}
	p.Log.Info("pass", attrs...)
	return res, err
}

// plan loads the items near today, the removed ones and the refused
// requests, and plans them.
func (p *Pass) plan(ctx context.Context, now time.Time) ([]hanchot.Item, []hanchot.Notice, error) {
	today := hanchot.DateOf(now, p.Settings.Location)
	from, to := p.Settings.Window(today)
	items, err := p.Store.Items(ctx, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("load items: %w", err)
	}
	removed, err := p.Store.Removed(ctx, today)
	if err != nil {
		return nil, nil, fmt.Errorf("load removed items: %w", err)
	}
	refused, err := p.Store.Refusals(ctx, now)
	if err != nil {
		return nil, nil, fmt.Errorf("load refused requests: %w", err)
	}
	all := append(append(items[:len(items):len(items)], removed...), refused...)
	return items, Plan(all, now, p.Workdays, p.Settings), nil
}

// Preview returns the digests a pass as of now would queue, holding only
// the notices not recorded yet. It only reads.
func (p *Pass) Preview(ctx context.Context, now time.Time) ([]hanchot.Digest, error) {
	_, notices, err := p.plan(ctx, now)
	if err != nil {
		return nil, err
	}
	sent, err := p.Store.SentKeys(ctx, notices)
	if err != nil {
		return nil, err
	}
	var fresh []hanchot.Notice
	for i, n := range notices {
		if !sent[i] || !n.OldTarget.IsZero() { // a correction is new even when its key was used before
			fresh = append(fresh, n)
		}
	}
	return Digests(fresh, p.Calendar, hanchot.DateOf(now, p.Settings.Location)), nil
}

// Deliver sends what the outbox holds and is due, without planning: the
// daemon calls it between passes to retry temporary failures.
func (p *Pass) Deliver(ctx context.Context) (Result, error) {
	var res Result
	started := p.Clock()
	err := p.deliver(ctx, started, false, &res)
	if res.Sent+res.Retrying+res.Failed+res.Expired > 0 {
		p.Log.Info("retry", "sent", res.Sent, "retrying", res.Retrying, "failed", res.Failed, "expired", res.Expired,
			"deferred", res.Deferred)
	}
	p.observe(Report{Retry: true, AsOf: started, Started: started, Result: res, Err: err})
	return res, err
}

// observe completes r with its duration and tells Observe, if set.
func (p *Pass) observe(r Report) {
	if p.Observe == nil {
		return
	}
	r.Duration = p.Clock().Sub(r.Started)
	p.Observe(r)
}

// deliver gives up what expired as of asOf, then sends the outbox's
// unsent deliveries over one connection. A connection that breaks is
// opened again, and the message it broke on sent once more; a server
// that cannot be reached is an outage: the pass stops trying, logs it
// once, and leaves everything pending without using up any attempt.
func (p *Pass) deliver(ctx context.Context, asOf time.Time, retryAll bool, res *Result) error {
	n, err := p.Store.Expire(ctx, asOf)
	if err != nil {
		return err
	}
	res.Expired += n
	if p.Quiet != nil {
		if quiet, until := p.Quiet(asOf); quiet {
			res.QuietUntil = until
			return nil
		}
	}
	ds, err := p.Store.Unsent(ctx, p.Clock(), retryAll)
	if err != nil || len(ds) == 0 {
		return err
	}
	// An in-flight message finishes even when ctx is stopped.
	sendCtx := context.WithoutCancel(ctx)
	s := &session{p: p}
	defer s.close()
	// Each message needs one commit before it may go out: the outcome of
	// the message before it and its own claim, in one transaction. The
	// commit runs here, at once, while the connection takes the message
	// up to the end of its data in the background; the message's last
	// step waits for the commit. So a crash leaves at most one message
	// out but not recorded (sent again, with the same Message-ID, on the
	// next start), and the commit's wait for the disk, the longest part,
	// starts first and overlaps the exchange with the server.
	var done *hanchot.Outcome
	for i, d := range ds {
		if ctx.Err() != nil {
			break
		}
		// The claim lasts twice the send timeout: one try, and one more
		// on a new connection if the first breaks. The message's context
		// ends with it, so that no dot is sent after another process may
		// have taken the delivery over.
		until := p.Clock().Add(2 * p.SendTimeout)
		msgCtx, cancel := context.WithTimeout(sendCtx, 2*p.SendTimeout)
		commit := &pendingCommit{finished: make(chan struct{})}
		exchange := s.sendAsync(msgCtx, d, commit)
		commit.claimed, commit.err = p.Store.Advance(sendCtx, done, d.ID, until)
		close(commit.finished)
		done = nil
		out := <-exchange
		cancel()
		r, outage := out.r, out.outage
		if !commit.wait() {
			if commit.err != nil {
				return commit.err
			}
			continue // another process has it; what was staged was given up
		}
		if outage != nil {
			res.Outage = outage.Error()
			res.Deferred = len(ds) - i
			if _, err := p.Store.Advance(sendCtx, &hanchot.Outcome{ID: d.ID, Result: hanchot.SendResult{Reply: res.Outage}, Outage: true}, 0, time.Time{}); err != nil {
				return err
			}
			p.Log.Error("mail server unavailable; nothing more is sent this pass and no attempt is used up",
				"error", res.Outage, "waiting", res.Deferred)
			return p.Store.NoteOutage(sendCtx, p.Clock(), res.Outage)
		}
		o := hanchot.Outcome{ID: d.ID, Result: r}
		switch {
		case r.OK:
			res.Sent++
		case r.Temporary:
			o.RetryAt = p.Clock().Add(Backoff(d.Attempts + 1))
			res.Retrying++
		default:
			res.Failed++
		}
		done = &o
		lvl := slog.LevelDebug
		if !r.OK {
			lvl = slog.LevelWarn
		}
		p.Log.Log(ctx, lvl, "deliver", "delivery", d.ID, "kind", d.Kind, "agency", d.Agency, "to", d.Address, "ok", r.OK,
			"temporary", r.Temporary, "attempt", d.Attempts+1, "reply", r.Reply)
	}
	if done != nil {
		if _, err := p.Store.Advance(sendCtx, done, 0, time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// pendingCommit is the commit a message's last step waits for.
type pendingCommit struct {
	finished chan struct{}
	claimed  bool
	err      error
}

// wait waits for the commit and reports whether the claimed message may
// go out. It may be called more than once.
func (c *pendingCommit) wait() bool {
	<-c.finished
	return c.err == nil && c.claimed
}

// session is the pass's connection to the transport, opened on first use
// and again after it breaks.
type session struct {
	p    *Pass
	conn Conn
}

// send delivers d, reconnecting once when the connection breaks under it
// and ctx leaves time. The exchange with the server starts at once; only
// the message's final step waits for its commit. A non-nil error is an
// outage: the transport could not be opened, or refused the sender.
func (s *session) send(ctx context.Context, d hanchot.Delivery, commit *pendingCommit) (hanchot.SendResult, error) {
	var r hanchot.SendResult
	for try := 0; try < 2; try++ {
		if try > 0 && ctx.Err() != nil {
			break // the message's time is up
		}
		if s.conn == nil {
			conn, err := s.p.Transport.Open(ctx)
			if err != nil {
				return r, err
			}
			s.conn = conn
		}
		r = s.conn.Send(ctx, d, commit.wait)
		if !commit.wait() {
			if r.Broken {
				s.close()
			}
			return r, nil // not ours to send; the caller gives it up
		}
		if r.Outage {
			return r, errors.New(r.Reply)
		}
		if !r.Broken {
			return r, nil
		}
		s.close()
		s.p.Log.Warn("connection broke; reconnecting", "delivery", d.ID, "reply", r.Reply)
	}
	// Broken twice on this message: try it again later, go on with the rest.
	r.Temporary = true
	return r, nil
}

// sent is what send returned.
type sent struct {
	r      hanchot.SendResult
	outage error
}

// sendAsync runs send in the background.
func (s *session) sendAsync(ctx context.Context, d hanchot.Delivery, commit *pendingCommit) <-chan sent {
	out := make(chan sent, 1)
	go func() {
		r, outage := s.send(ctx, d, commit)
		out <- sent{r, outage}
	}()
	return out
}

func (s *session) close() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}
