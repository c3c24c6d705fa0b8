package store

import (
	"context"
	"database/sql"
	"time"

	"hanchot"
)

// RecordOverdue writes into the overdue log the items that are past their
// date on day today and not yet in it. Rerunning it changes nothing.
func (db *DB) RecordOverdue(ctx context.Context, items []hanchot.Item, today hanchot.Date) error {
	now := stamp(db.Now())
	return db.withTx(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO overdue (occurrence_id, target, since, recorded_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (occurrence_id) DO NOTHING`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, it := range items {
			if today.After(it.Target) {
				if _, err := ins.ExecContext(ctx, it.OccurrenceID, it.Target.String(), it.Target.AddDays(1).String(), now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Record is an occurrence with what the log knows of it: its submission,
// when it went overdue and how far it was escalated.
type Record struct {
	hanchot.Item
	SubmittedAt time.Time    // zero when not submitted
	Ref         string       // the submission's reference
	Since       hanchot.Date // first day overdue as logged; zero when never logged
	Level       int          // highest escalation level queued; 0 for none
	EscalatedAt time.Time    // when that level was first delivered to an address; zero when not (yet)
	// AgencyRetired and ReportRetired say that the agency, or the report
	// or its deadline, has left the configuration: the row is history.
	AgencyRetired, ReportRetired bool
}

// RecordFilter selects records.
type RecordFilter struct {
	Year   int          // 0: every year
	Before hanchot.Date // only dates that count before this day; zero: no bound
	Agency string
	// OpenOn, when set, keeps the records still open on that day (not
	// submitted before it; a submission on the day itself is kept for the
	// caller to weigh by the hour), and with Late also those submitted
	// after their date. Each is read through its own index.
	OpenOn hanchot.Date
	Late   bool
}

// Records returns the tracked occurrences still in the calendar, or past
// and kept as history, with their submission and overdue state, ordered by
// date, code, period and agency. Occurrences dated before tracking started
// for them are not records: they were never reminded or escalated.
func (db *DB) Records(ctx context.Context, f RecordFilter) ([]Record, error) {
	q, args := recordsQuery(f)
	return queryAll(ctx, db.db, "records", q, args, scanRecord)
}

// recordsQuery is the query of Records.
func recordsQuery(f RecordFilter) (string, []any) {
	q := `SELECT ` + itemColumns + `,
			coalesce(s.submitted_at, ''), coalesce(s.ref, ''), coalesce(ov.since, ''),
			coalesce((SELECT max(n.step) FROM notification n WHERE n.occurrence_id = o.id AND n.kind = 'escalation'), 0),
			coalesce((SELECT min(dl.sent_at) FROM notification n JOIN delivery dl ON dl.message_id = n.message_id
			          WHERE n.occurrence_id = o.id AND n.kind = 'escalation'
			            AND n.step = (SELECT max(n2.step) FROM notification n2 WHERE n2.occurrence_id = o.id AND n2.kind = 'escalation')), ''),
			a.retired_at IS NOT NULL, r.retired_at IS NOT NULL OR d.retired_at IS NOT NULL
		FROM ` + itemJoins + `
		LEFT JOIN submission s ON s.occurrence_id = o.id AND s.undone_at IS NULL
		LEFT JOIN overdue ov ON ov.occurrence_id = o.id
		WHERE o.retired_at IS NULL
		  AND coalesce(o.extended_due, o.effective_due) >= o.tracked_from`
	var args []any
	if f.Year != 0 {
		q += ` AND o.year = ?`
		args = append(args, f.Year)
	}
	if !f.Before.IsZero() {
		q += ` AND coalesce(o.extended_due, o.effective_due) < ?`
		args = append(args, f.Before.String())
	}
	if f.Agency != "" {
		q += ` AND o.agency_id = ?`
		args = append(args, f.Agency)
	}
	if !f.OpenOn.IsZero() {
		q += ` AND o.id IN (
			SELECT id FROM occurrence WHERE retired_at IS NULL AND submitted_on IS NULL AND coalesce(extended_due, effective_due) < ?
			UNION ALL SELECT id FROM occurrence WHERE submitted_on >= ?`
		args = append(args, f.OpenOn.String(), f.OpenOn.String())
		if f.Late {
			q += ` UNION ALL SELECT id FROM occurrence WHERE submitted_on > coalesce(extended_due, effective_due) AND coalesce(extended_due, effective_due) < ?`
			args = append(args, f.OpenOn.String())
		}
		q += `)`
	}
	q += ` ORDER BY coalesce(o.extended_due, o.effective_due), r.code, d.period, o.role, o.agency_id`
	return q, args
}

func scanRecord(row scanner) (Record, error) {
	var r Record
	var sub, since, esc string
	if err := scanItemInto(row, &r.Item, &sub, &r.Ref, &since, &r.Level, &esc, &r.AgencyRetired, &r.ReportRetired); err != nil {
		return r, err
	}
	if sub != "" {
		r.SubmittedAt, _ = time.Parse(time.RFC3339, sub)
	}
	if since != "" {
		r.Since, _ = hanchot.ParseDate(since)
	}
	if esc != "" {
		r.EscalatedAt, _ = time.Parse(time.RFC3339Nano, esc)
	}
	return r, nil
}
