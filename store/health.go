package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"hanchot"
)

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	return db.db.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&n)
}

// PassRecord is what the database keeps of the last pass.
type PassRecord struct {
	Started, Finished time.Time
	AsOf              time.Time // the time the pass worked as of
	OK                bool
	Error             string // why it failed
	Outage            string // why the mail server could not be used, if so
	// LastOK is when the last pass that succeeded finished; zero when
	// none did.
	LastOK time.Time
}

// RecordPass keeps p as the last pass. When p failed, the time of the last
// one that succeeded is kept.
func (db *DB) RecordPass(ctx context.Context, p PassRecord) error {
	var lastOK any
	if p.OK {
		lastOK = stamp(p.Finished)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pass_state (id, started_at, finished_at, as_of, ok, error, outage, last_ok_at)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, finished_at = excluded.finished_at,
				as_of = excluded.as_of, ok = excluded.ok, error = excluded.error, outage = excluded.outage,
				last_ok_at = coalesce(excluded.last_ok_at, pass_state.last_ok_at)`,
			stamp(p.Started), stamp(p.Finished), p.AsOf.Format(time.RFC3339), p.OK, p.Error, p.Outage, lastOK)
		if err != nil {
			return fmt.Errorf("record pass: %w", err)
		}
		return nil
	})
}

// LastPass returns the last pass recorded; false when none was.
func (db *DB) LastPass(ctx context.Context) (PassRecord, bool, error) {
	var p PassRecord
	var started, finished, asOf string
	var lastOK sql.NullString
	err := db.db.QueryRowContext(ctx, `SELECT started_at, finished_at, as_of, ok, error, outage, last_ok_at FROM pass_state WHERE id = 1`).
		Scan(&started, &finished, &asOf, &p.OK, &p.Error, &p.Outage, &lastOK)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("last pass: %w", err)
	}
	p.Started, p.Finished, p.AsOf = parseStamp(started), parseStamp(finished), parseStamp(asOf)
	p.LastOK = parseStamp(lastOK.String)
	return p, true, nil
}

// Stats counts what the metrics show: the outbox, its history and the
// overdue log.
type Stats struct {
	// Deliveries by status: pending, sending, sent, failed, expired.
	Deliveries map[string]int
	// Attempts recorded by result: sent, temporary, permanent. They are
	// never deleted, so these only grow.
	Attempts map[string]int
	// Notices recorded by kind (reminder, overdue, escalation, …); they
	// only grow too.
	Notices map[string]int
	// Overdue counts the open overdue items (tracked, in the calendar,
	// not submitted, dated before today) by the highest escalation level
	// queued for them, in days overdue; 0 when none was yet.
	Overdue map[int]int
}

// Stats counts deliveries, attempts, notices and open overdue items as of
// day today. It only reads.
func (db *DB) Stats(ctx context.Context, today hanchot.Date) (Stats, error) {
	st := Stats{
		Deliveries: map[string]int{"pending": 0, "sending": 0, "sent": 0, "failed": 0, "expired": 0},
		Attempts:   map[string]int{"sent": 0, "temporary": 0, "permanent": 0},
		Notices:    map[string]int{},
		Overdue:    map[int]int{0: 0},
	}
	for _, k := range []hanchot.Kind{hanchot.Reminder, hanchot.Overdue, hanchot.Escalation, hanchot.Correction, hanchot.Removal, hanchot.Refusal} {
		st.Notices[string(k)] = 0
	}
	type count struct {
		key string
		n   int
	}
	scan := func(r scanner) (c count, err error) { return c, r.Scan(&c.key, &c.n) }
	for _, q := range []struct {
		into  map[string]int
		query string
		args  []any
	}{
		{st.Deliveries, `SELECT status, count(*) FROM delivery GROUP BY status`, nil},
		{st.Attempts, `SELECT CASE WHEN ok THEN 'sent' WHEN temporary THEN 'temporary' ELSE 'permanent' END, count(*) FROM attempt GROUP BY 1`, nil},
		{st.Notices, `SELECT kind, count(*) FROM notification GROUP BY kind`, nil},
		{nil, `SELECT coalesce((SELECT max(n.step) FROM notification n WHERE n.occurrence_id = o.id AND n.kind = 'escalation'), 0), count(*)
			FROM ` + itemJoins + `
			WHERE o.retired_at IS NULL AND d.retired_at IS NULL AND r.retired_at IS NULL AND a.retired_at IS NULL
			  AND coalesce(o.extended_due, o.effective_due) < ?
			  AND coalesce(o.extended_due, o.effective_due) >= o.tracked_from
			  AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.occurrence_id = o.id AND s.undone_at IS NULL)
			GROUP BY 1`, []any{today.String()}},
	} {
		counts, err := queryAll(ctx, db.db, "stats", q.query, q.args, scan)
		if err != nil {
			return Stats{}, err
		}
		for _, c := range counts {
			if q.into == nil {
				level, _ := strconv.Atoi(c.key)
				st.Overdue[level] = c.n
				continue
			}
			q.into[c.key] = c.n
		}
	}
	return st, nil
}
