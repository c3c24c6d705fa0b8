package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"hanchot"
)

const itemColumns = `o.id, r.code, r.title, d.period, o.year, o.agency_id, a.name, o.role, o.due, o.effective_due, o.extended_due`

const itemJoins = `occurrence o
	JOIN deadline d ON d.id = o.deadline_id
	JOIN report r ON r.code = d.report_code
	JOIN agency a ON a.id = o.agency_id`

func scanItem(rows scanner) (hanchot.Item, error) {
	var it hanchot.Item
	return it, scanItemInto(rows, &it)
}

// scanItemInto scans itemColumns into it, then the query's further
// columns into extra.
func scanItemInto(rows scanner, it *hanchot.Item, extra ...any) error {
	var role, due, eff string
	var ext sql.NullString
	dest := append([]any{&it.OccurrenceID, &it.Code, &it.Title, &it.Period, &it.Year, &it.Agency, &it.AgencyName, &role, &due, &eff, &ext}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	it.Role = hanchot.Role(role)
	it.Due, _ = hanchot.ParseDate(due)
	it.EffectiveDue, _ = hanchot.ParseDate(eff)
	it.Target = it.EffectiveDue
	if ext.Valid {
		it.Target, _ = hanchot.ParseDate(ext.String)
		it.Extended = true
	}
	return nil
}

// Items returns the unsubmitted, tracked occurrences still in the calendar
// whose date that counts lies in [from, to], whatever their reporting
// year. It reads through the index on that date, so its cost follows the
// window, not the calendar's size or the years it spans.
func (db *DB) Items(ctx context.Context, from, to hanchot.Date) ([]hanchot.Item, error) {
	q := `SELECT ` + itemColumns + ` FROM ` + itemJoins + `
		WHERE o.retired_at IS NULL
		  AND coalesce(o.extended_due, o.effective_due) BETWEEN ? AND ?
		  AND coalesce(o.extended_due, o.effective_due) >= o.tracked_from
		  AND d.retired_at IS NULL AND r.retired_at IS NULL AND a.retired_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.occurrence_id = o.id AND s.undone_at IS NULL)
		ORDER BY o.id`
	return queryAll(ctx, db.db, "items", q, []any{from.String(), to.String()}, scanItem)
}

// Enqueue records the digest's new notices and one message for them in a
// single transaction. Notices already recorded (by an earlier pass, before
// a restart) are dropped; when none is left nothing is written.
func (db *DB) Enqueue(ctx context.Context, d hanchot.Digest, compose func(hanchot.Digest) (hanchot.Message, error)) (bool, error) {
	queued := false
	now := db.Now()
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		exists, err := tx.PrepareContext(ctx, `SELECT count(*) FROM notification
			WHERE occurrence_id = ? AND kind = ? AND step = ? AND target = ? AND recipient = ?`)
		if err != nil {
			return err
		}
		defer exists.Close()
		var fresh []hanchot.Notice
		for _, n := range d.Notices {
			var c int
			if err := exists.QueryRowContext(ctx, n.OccurrenceID, n.Kind, n.Step, n.Target.String(), n.Recipient).Scan(&c); err != nil {
				return err
			}
			if c == 0 {
				fresh = append(fresh, n)
			}
		}
		if len(fresh) == 0 {
			return nil // nothing new: failures wait for the next digest
		}
		d.Notices = fresh
		m, err := compose(d)
		if err != nil {
			return fmt.Errorf("compose: %w", err)
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO message
			(kind, agency_id, to_addrs, subject, body_text, body_html, message_id, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			d.Kind, d.Recipient.ID, strings.Join(m.To, ","), m.Subject, m.Text, m.HTML, m.MessageID, stamp(now), stamp(now)).Scan(&id)
		if err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO notification
			(occurrence_id, kind, step, target, recipient, message_id, days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, n := range fresh {
			if _, err := ins.ExecContext(ctx, n.OccurrenceID, n.Kind, n.Step, n.Target.String(), n.Recipient, id, n.Days, stamp(now)); err != nil {
				return err
			}
		}
		for _, f := range d.Failures {
			if _, err := tx.ExecContext(ctx, `UPDATE message SET reported_at = ? WHERE id = ?`, stamp(now), f.ID); err != nil {
				return err
			}
		}
		queued = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("enqueue: %w", err)
	}
	return queued, nil
}

const messageColumns = `id, kind, agency_id, to_addrs, subject, body_text, body_html, message_id, status, attempts, reply, created_at, coalesce(sent_at, '')`

func scanMessage(rows scanner) (hanchot.Message, error) {
	var m hanchot.Message
	var to, created, sent string
	if err := rows.Scan(&m.ID, &m.Kind, &m.Agency, &to, &m.Subject, &m.Text, &m.HTML, &m.MessageID, &m.Status, &m.Attempts, &m.Reply, &created, &sent); err != nil {
		return m, err
	}
	m.To = strings.Split(to, ",")
	m.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	if sent != "" {
		m.SentAt, _ = time.Parse(time.RFC3339Nano, sent)
	}
	return m, nil
}

// Unsent returns the messages to try now: pending ones whose retry time
// has come (every pending one when all is set), and ones a crash left in
// "sending" past their deadline.
func (db *DB) Unsent(ctx context.Context, now time.Time, all bool) ([]hanchot.Message, error) {
	return queryAll(ctx, db.db, "unsent", `SELECT `+messageColumns+` FROM message
		WHERE (status = 'pending' AND (? OR next_attempt_at <= ?))
		   OR (status = 'sending' AND sending_until < ?)
		ORDER BY id`, []any{all, stamp(now), stamp(now)}, scanMessage)
}

// Claim marks a message as being sent until the deadline. A message found
// still "sending" past its deadline was interrupted by a crash: the
// interruption is recorded as an attempt and the message is claimed again;
// the server may have accepted it, so it can arrive twice, with the same
// Message-ID. Claim returns false when the message is not claimable.
func (db *DB) Claim(ctx context.Context, id int64, until time.Time) (bool, error) {
	now := db.Now()
	claimed := false
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var status string
		var sendingUntil sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT status, sending_until FROM message WHERE id = ?`, id).Scan(&status, &sendingUntil)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case status == "pending":
		case status == "sending" && sendingUntil.Valid && sendingUntil.String < stamp(now):
			if _, err := tx.ExecContext(ctx, `INSERT INTO attempt (message_id, at, ok, temporary, reply) VALUES (?, ?, 0, 1, ?)`,
				id, sendingUntil.String, "interrupted: no outcome was recorded; sending again with the same Message-ID"); err != nil {
				return err
			}
		default:
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE message SET status = 'sending', sending_until = ? WHERE id = ?`, stamp(until), id)
		claimed = err == nil
		return err
	})
	return claimed, err
}

// Record writes the outcome of an attempt: sent; pending again until
// retryAt after a temporary failure; failed when retryAt is zero.
func (db *DB) Record(ctx context.Context, id int64, res hanchot.SendResult, retryAt time.Time) error {
	now := stamp(db.Now())
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO attempt (message_id, at, ok, temporary, reply) VALUES (?, ?, ?, ?, ?)`,
			id, now, res.OK, res.Temporary, res.Reply); err != nil {
			return err
		}
		var err error
		switch {
		case res.OK:
			_, err = tx.ExecContext(ctx, `UPDATE message SET status = 'sent', attempts = attempts + 1, reply = ?, sent_at = ?, sending_until = NULL WHERE id = ?`, res.Reply, now, id)
		case !retryAt.IsZero():
			_, err = tx.ExecContext(ctx, `UPDATE message SET status = 'pending', attempts = attempts + 1, reply = ?, next_attempt_at = ?, sending_until = NULL WHERE id = ?`, res.Reply, stamp(retryAt), id)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE message SET status = 'failed', attempts = attempts + 1, reply = ?, sending_until = NULL WHERE id = ?`, res.Reply, id)
		}
		return err
	})
}

// LogFilter selects ledger rows.
type LogFilter struct {
	Status string // pending | sending | sent | failed; "" for all
	Kind   string
	Agency string
	Limit  int
}

// Messages returns the ledger, newest first.
func (db *DB) Messages(ctx context.Context, f LogFilter) ([]hanchot.Message, error) {
	q := `SELECT ` + messageColumns + ` FROM message WHERE 1=1`
	var args []any
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.Agency != "" {
		q += ` AND agency_id = ?`
		args = append(args, f.Agency)
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryAll(ctx, db.db, "log", q, args, scanMessage)
}

// SentKeys reports, of the given notices, which were already recorded; it
// only reads, for preview.
func (db *DB) SentKeys(ctx context.Context, notices []hanchot.Notice) (map[int]bool, error) {
	out := map[int]bool{}
	for i, n := range notices {
		var c int
		err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM notification
			WHERE occurrence_id = ? AND kind = ? AND step = ? AND target = ? AND recipient = ?`,
			n.OccurrenceID, n.Kind, n.Step, n.Target.String(), n.Recipient).Scan(&c)
		if err != nil {
			return nil, err
		}
		out[i] = c > 0
	}
	return out, nil
}
