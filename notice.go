package hanchot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

// Kind is the kind of a notification.
type Kind string

const (
	Reminder   Kind = "reminder"   // nhắc hạn: before the date that counts
	Overdue    Kind = "overdue"    // quá hạn: to the late agency, and to the lead for a supporting agency's input
	Escalation Kind = "escalation" // đôn đốc: to the focal point and extra recipients
	// Correction (điều chỉnh) is a digest, not a notice: it carries the
	// reminders of items whose date changed after the agency was told
	// (a calendar edit, an extension), and the removals.
	Correction Kind = "correction"
	// Removal tells an agency that an item it was reminded of has left
	// the calendar; it goes out in a correction digest.
	Removal Kind = "removal"
	// Refusal tells an agency that its request for a later date was
	// refused; it goes out in a correction digest. Its step is the
	// request's id, so that each refusal is told once.
	Refusal Kind = "refusal"
)

// Item is an unsubmitted occurrence near its date, as a pass sees it.
type Item struct {
	OccurrenceID int64
	Occurrence
	Target   Date // the date that counts now: the extension if any, else EffectiveDue
	Extended bool
	// ExtensionReason is why the latest extension was granted.
	ExtensionReason string
	// Announced is the date its agency was last told for it (by a
	// reminder or an overdue notice); zero when never.
	Announced Date
	// Reminded tells that its agency was sent a reminder for the date that
	// counts now, and RemindedStep the latest such step (fewest days
	// before).
	Reminded     bool
	RemindedStep int
	// Removed marks an item that left the calendar after its agency was
	// reminded of it, and before its date.
	Removed bool
	// Refused is set on an item whose agency asked for a later date and
	// was refused, and has not been told yet.
	Refused *RefusedRequest
}

// RefusedRequest is an agency's request for a later date that the focal
// point refused.
type RefusedRequest struct {
	Request int64  // the request's id
	Due     Date   // the date asked for
	Answer  string // the focal point's words
}

// Notice is one item for one recipient, of one kind, at one step: the
// number of days before the date (reminders) or overdue (escalation
// levels). It is the unit the outbox never sends twice.
type Notice struct {
	Item
	Kind      Kind
	Step      int
	Recipient string // agency id
	Days      int    // days left (reminders) or days overdue (overdue, escalation) on the pass's day
	// OldTarget is the date the recipient was told before, when a
	// reminder comes after its date changed: it goes out as a correction.
	OldTarget Date

	// What the email says around the item; not part of its identity.
	Leads     []Agency       // a supporting agency's item: the agencies that compile it
	Missing   []MissingInput // a lead's item: supporting agencies whose input is overdue
	Escalated bool           // an overdue item: the focal point is told of it at this level
	Cutoff    Date           // the day the report's data runs to; zero when none
}

// NoticeKey is what makes a notice unique in the outbox.
type NoticeKey struct {
	Occurrence int64
	Kind       Kind
	Step       int
	Target     Date
	Recipient  string
}

// Key returns the notice's key.
func (n Notice) Key() NoticeKey {
	return NoticeKey{n.OccurrenceID, n.Kind, n.Step, n.Target, n.Recipient}
}

// DigestKind is the kind of digest a notice goes out in.
func (n Notice) DigestKind() Kind {
	if n.Kind == Removal || n.Kind == Refusal || (n.Kind == Reminder && !n.OldTarget.IsZero()) {
		return Correction
	}
	return n.Kind
}

// MissingInput is a supporting agency's overdue input to a lead's report.
type MissingInput struct {
	Agency, AgencyName string
	Due                Date // the input's date
	Days               int  // days overdue
}

// Digest is what one recipient receives of one kind in one pass.
type Digest struct {
	Kind      Kind
	Recipient Agency
	Today     Date
	Notices   []Notice
	Failures  []Delivery // undeliverable mail, reported to the focal point
	Expires   time.Time  // when its mail is no longer worth sending
}

// Enqueued counts what the outbox wrote for a pass's digests.
type Enqueued struct {
	Messages   int // digests queued
	Deliveries int // of which, one per address
	Uncomposed int // digests whose templates failed: recorded as failed
}

// Message is a composed digest: one email, the same for each of the
// recipient agency's addresses.
type Message struct {
	ID        int64
	Kind      Kind
	Agency    string
	To        []string // every address of the agency; each is its own delivery
	ToName    string   // the agency's name, shown in the To header
	Subject   string
	Text      string
	HTML      string
	MessageID string // without angle brackets; derived from the digest's key
	CreatedAt time.Time
}

// Delivery states.
const (
	Pending = "pending" // waiting to be sent, or to be retried
	Sending = "sending" // claimed by a process until its deadline
	Sent    = "sent"    // the server accepted it
	Failed  = "failed"  // the server refused it for good (5xx)
	Expired = "expired" // no longer useful before it could be delivered
)

// Delivery is a message to one address: the unit the outbox sends, with
// its own state, attempts and last reply.
type Delivery struct {
	ID int64
	Message
	Address   string
	Status    string
	Attempts  int
	Reply     string
	SentAt    time.Time
	ExpiresAt time.Time
}

// SendResult is the outcome of one attempt to deliver a message to one
// address.
type SendResult struct {
	OK        bool
	Temporary bool // worth retrying later: a 4xx reply, a write that failed
	Broken    bool // the connection is unusable (dropped, timed out, 421): reconnect before the next message
	// Outage means the server refused the sender, not this message (MAIL
	// FROM answered with an error: authentication required, sender not
	// allowed): no message can go until that is fixed.
	Outage bool
	Reply  string // the server's reply or the error
}

// Outcome is the result of one attempt to deliver, as the outbox records
// it.
type Outcome struct {
	ID     int64 // the delivery
	Result SendResult
	// RetryAt is when a temporary failure may be tried again; zero makes a
	// failure final ("failed").
	RetryAt time.Time
	// Outage means the server could not be reached: the delivery goes
	// back to pending and uses up no attempt.
	Outage bool
}

// Key identifies a digest by what it holds: its kind, its recipient and
// the natural keys of its notices (report, period, year, agency, role,
// step, date), in order. The same digest always has the same key, in
// this database or in one restored from a backup, so that a resent email
// carries the same Message-ID and mail clients fold the copies.
func (d Digest) Key() string {
	keys := make([]string, len(d.Notices))
	for i, n := range d.Notices {
		keys[i] = fmt.Sprintf("%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%d\x1f%s", n.Code, n.Period, n.Year, n.Agency, n.Role, n.Step, n.Target)
	}
	sort.Strings(keys)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x1e%s", d.Kind, d.Recipient.ID)
	for _, k := range keys {
		fmt.Fprintf(h, "\x1e%s", k)
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}
