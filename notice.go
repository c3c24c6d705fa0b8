package hanchot

import "time"

// Kind is the kind of a notification.
type Kind string

const (
	Reminder   Kind = "reminder"   // nhắc hạn: before the date that counts
	Overdue    Kind = "overdue"    // quá hạn: to the late agency
	Escalation Kind = "escalation" // đôn đốc: to the focal point and extra recipients
)

// Item is an unsubmitted occurrence near its date, as a pass sees it.
type Item struct {
	OccurrenceID int64
	Occurrence
	Target   Date // the date that counts now: the extension if any, else EffectiveDue
	Extended bool
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
}

// Digest is what one recipient receives of one kind in one pass.
type Digest struct {
	Kind      Kind
	Recipient Agency
	Today     Date
	Notices   []Notice
	Failures  []Message // undeliverable mail, reported to the focal point
}

// Message is an outbox row: a composed email and its delivery state.
type Message struct {
	ID        int64
	Kind      Kind
	Agency    string
	To        []string
	Subject   string
	Text      string
	HTML      string
	MessageID string // without angle brackets
	Status    string // pending | sending | sent | failed
	Attempts  int
	Reply     string
	CreatedAt time.Time
	SentAt    time.Time
}

// SendResult is the outcome of one attempt to deliver a message.
type SendResult struct {
	OK        bool
	Temporary bool   // a failure worth retrying: 4xx, network, timeout
	Reply     string // the server's reply or the error
}
