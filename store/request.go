package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"hanchot"
)

// Extension request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRefused  = "refused"
)

// ExtensionRequest is an agency's request for a later date.
type ExtensionRequest struct {
	ID          int64
	Item        hanchot.Item // the occurrence, as it is now
	Target      hanchot.Date // the date that counted when it was asked
	Due         hanchot.Date // the date asked for
	Reason, By  string
	RequestedAt time.Time
	ClientIP    string
	UserAgent   string
	Status      string // pending | approved | refused
	DecidedAt   time.Time
	DecidedBy   string
	Answer      string
}

// NewRequest is a request for a later date to record.
type NewRequest struct {
	Key                 OccurrenceKey
	Due                 hanchot.Date
	Reason, By          string
	ClientIP, UserAgent string
}

// RequestExtension records a request for a later date, pending a
// decision, and reports whether it recorded it: the same request again
// (same date and reason while it waits) records nothing. A submitted
// occurrence, a date not after the one that counts, or another request
// already waiting is a *KeyError (ErrConflict).
func (db *DB) RequestExtension(ctx context.Context, r NewRequest) (recorded bool, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := findOccurrence(ctx, tx, r.Key)
		if err != nil {
			return err
		}
		if p := o.Pending; p != nil {
			if p.Due.Equal(r.Due) && p.Reason == r.Reason {
				return nil
			}
			return &KeyError{Reason: RequestWaiting, Key: r.Key, Due: p.Due}
		}
		if o.Submission != nil {
			return &KeyError{Reason: AlreadySubmitted, Key: r.Key, At: o.Submission.At, Ref: o.Submission.Ref}
		}
		if !r.Due.After(o.Target) {
			return &KeyError{Reason: NotAfterDue, Key: r.Key, Due: o.Target, Asked: r.Due}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO extension_request
			(occurrence_id, target, due, reason, by, requested_at, client_ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			o.OccurrenceID, o.Target.String(), r.Due.String(), r.Reason, r.By, stamp(db.Now()), r.ClientIP, r.UserAgent)
		if isUnique(err) {
			return &KeyError{Reason: RequestWaiting, Key: r.Key}
		}
		recorded = err == nil
		return err
	})
	return recorded, err
}

// RequestFilter selects extension requests.
type RequestFilter struct {
	Status     string // pending | approved | refused; "" for all
	Agency     string
	Occurrence int64
	Limit      int // at most this many; 0 for all
}

// ExtensionRequests returns requests, pending ones first (oldest first),
// then decided ones, the most recently decided first.
func (db *DB) ExtensionRequests(ctx context.Context, f RequestFilter) ([]ExtensionRequest, error) {
	where, args := `1=1`, []any{}
	if f.Status != "" {
		where += ` AND x.status = ?`
		args = append(args, f.Status)
	}
	if f.Agency != "" {
		where += ` AND o.agency_id = ?`
		args = append(args, f.Agency)
	}
	if f.Occurrence != 0 {
		where += ` AND x.occurrence_id = ?`
		args = append(args, f.Occurrence)
	}
	return queryRequests(ctx, db.db, where, args, f.Limit)
}

// ExtensionRequest returns one request.
func (db *DB) ExtensionRequest(ctx context.Context, id int64) (ExtensionRequest, error) {
	reqs, err := queryRequests(ctx, db.db, `x.id = ?`, []any{id}, 1)
	if err != nil {
		return ExtensionRequest{}, err
	}
	if len(reqs) == 0 {
		return ExtensionRequest{}, fmt.Errorf("extension request %d: %w", id, ErrNotFound)
	}
	return reqs[0], nil
}

// queryRequests reads the requests that where selects (x is the request,
// o its occurrence).
func queryRequests(ctx context.Context, q queryer, where string, args []any, limit int) ([]ExtensionRequest, error) {
	query := `SELECT ` + itemColumns + `, x.id, x.target, x.due, x.reason, x.by, x.requested_at, x.client_ip, x.user_agent,
			x.status, coalesce(x.decided_at, ''), x.decided_by, x.answer
		FROM ` + itemJoins + ` JOIN extension_request x ON x.occurrence_id = o.id
		WHERE ` + where + `
		ORDER BY x.status != 'pending', CASE WHEN x.status = 'pending' THEN x.requested_at END, x.decided_at DESC, x.id DESC`
	if limit > 0 {
		query += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("extension requests: %w", err)
	}
	defer rows.Close()
	var out []ExtensionRequest
	for rows.Next() {
		var r ExtensionRequest
		var target, due, requested, decided string
		if err := scanItemInto(rows, &r.Item, &r.ID, &target, &due, &r.Reason, &r.By, &requested, &r.ClientIP, &r.UserAgent,
			&r.Status, &decided, &r.DecidedBy, &r.Answer); err != nil {
			return nil, fmt.Errorf("extension requests: %w", err)
		}
		r.Target, _ = hanchot.ParseDate(target)
		r.Due, _ = hanchot.ParseDate(due)
		r.RequestedAt = parseStamp(requested)
		r.DecidedAt = parseStamp(decided)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Decision is the focal point's answer to an extension request.
type Decision struct {
	Approve bool
	// Answer is said to the agency; By is who decided.
	Answer, By string
	// Reason is the extension's reason when approved, as reminders and
	// the correction show it.
	Reason string
}

// DecideExtension approves or refuses a pending request. Approving grants
// the extension, as Extend does, in the same transaction: the next pass
// tells the agency of its new date. A refusal is told to the agency by
// the next pass (Refusals). A request already decided, or an approval
// that Extend would refuse (the occurrence was submitted meanwhile), is
// an ErrConflict.
func (db *DB) DecideExtension(ctx context.Context, id int64, d Decision) (ExtensionRequest, error) {
	var req ExtensionRequest
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		reqs, err := queryRequests(ctx, tx, `x.id = ?`, []any{id}, 1)
		if err != nil {
			return err
		}
		if len(reqs) == 0 {
			return fmt.Errorf("extension request %d: %w", id, ErrNotFound)
		}
		req = reqs[0]
		if req.Status != RequestPending {
			return fmt.Errorf("extension request %d was already %s: %w", id, req.Status, ErrConflict)
		}
		now := stamp(db.Now())
		status := RequestRefused
		if d.Approve {
			status = RequestApproved
			k := OccurrenceKey{ID: req.Item.OccurrenceID, Agency: req.Item.Agency, Code: req.Item.Code, Period: req.Item.Period, Year: req.Item.Year}
			o, err := findOccurrence(ctx, tx, k)
			if err != nil {
				return err
			}
			if err := extend(ctx, tx, o, k, req.Due, d.Reason, d.By, now); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE extension_request SET status = ?, decided_at = ?, decided_by = ?, answer = ? WHERE id = ?`,
			status, now, d.By, d.Answer, id)
		req.Status, req.DecidedAt, req.DecidedBy, req.Answer = status, parseStamp(now), d.By, d.Answer
		return err
	})
	return req, err
}

// RefusalWindow is how long after its decision a refusal is still told to
// an agency that was not told yet (a daemon down that long).
const RefusalWindow = 30 * 24 * time.Hour

// Refusals returns the items whose extension request was refused, as of
// now, and whose agency has not been told: each once, by a notice of kind
// refusal whose step is the request's id. Items submitted or gone from
// the calendar meanwhile are left out.
func (db *DB) Refusals(ctx context.Context, now time.Time) ([]hanchot.Item, error) {
	q := `SELECT ` + itemColumns + `, ` + announcedColumns + `, x.id, x.due, x.answer
		FROM ` + itemJoins + ` JOIN extension_request x ON x.occurrence_id = o.id
		WHERE x.status = 'refused' AND x.decided_at >= ?
		  AND o.retired_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.occurrence_id = o.id AND s.undone_at IS NULL)
		  AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.occurrence_id = o.id AND n.kind = 'refusal' AND n.step = x.id)
		ORDER BY x.id`
	return queryAll(ctx, db.db, "refusals", q, []any{stamp(now.Add(-RefusalWindow))}, func(r scanner) (hanchot.Item, error) {
		var it hanchot.Item
		var announced, due string
		var reminded sql.NullInt64
		var ref hanchot.RefusedRequest
		if err := scanItemInto(r, &it, &announced, &it.ExtensionReason, &reminded, &ref.Request, &due, &ref.Answer); err != nil {
			return it, err
		}
		it.Reminded, it.RemindedStep = reminded.Valid, int(reminded.Int64)
		if announced != "" {
			it.Announced, _ = hanchot.ParseDate(announced)
		}
		ref.Due, _ = hanchot.ParseDate(due)
		it.Refused = &ref
		return it, nil
	})
}
