package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
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
	// Counts, for statistics, leaves out what only the overdue log shows
	// (Since, Level and EscalatedAt stay zero), and the order.
	Counts bool
}

// Records returns the tracked occurrences still in the calendar, or past
// and kept as history, with their submission and overdue state, ordered by
// date, code, period and agency (in no order with f.Counts). Occurrences dated before tracking started
// for them are not records: they were never reminded or escalated.
func (db *DB) Records(ctx context.Context, f RecordFilter) ([]Record, error) {
	var out []Record
	err := db.EachRecord(ctx, f, func(r Record) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

// EachRecord calls fn with each record Records returns, in the same order,
// one at a time: a listing of the whole history never holds it in memory.
// fn must not use the database; an error from it stops the reading.
func (db *DB) EachRecord(ctx context.Context, f RecordFilter, fn func(Record) error) error {
	// One read transaction: the names and the rows are of one state of
	// the database, whatever a sync commits meanwhile.
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	defer tx.Rollback()
	names, err := readRecordNames(ctx, tx)
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	q, args := recordsQuery(f)
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, ok, err := names.scan(rows)
		if err != nil {
			return fmt.Errorf("records: %w", err)
		}
		if !ok {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("records: %w", err)
	}
	return nil
}

// recordNames are the names a record shows beside its occurrence: the
// reports' titles and the agencies' names, each read once rather than
// joined into every row, and whether each has been retired.
type recordNames struct {
	reports  map[string]named
	agencies map[string]named
}

type named struct {
	name    string
	retired bool
}

func readRecordNames(ctx context.Context, tx *sql.Tx) (recordNames, error) {
	n := recordNames{reports: map[string]named{}, agencies: map[string]named{}}
	for _, t := range []struct {
		q    string
		into map[string]named
	}{
		{`SELECT code, title, retired_at IS NOT NULL FROM report`, n.reports},
		{`SELECT id, name, retired_at IS NOT NULL FROM agency`, n.agencies},
	} {
		rows, err := tx.QueryContext(ctx, t.q)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			var key string
			var v named
			if err := rows.Scan(&key, &v.name, &v.retired); err != nil {
				rows.Close()
				return n, err
			}
			t.into[key] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// logColumns are the overdue log's state of occurrence o: the first day
// overdue, and the highest escalation level queued with when it was first
// delivered to an address, as "LEVEL SENT_AT" ("" when never escalated,
// "LEVEL " when not yet delivered). One lookup in the notifications of the
// occurrence, which come ordered by level, finds both.
const logColumns = `coalesce(ov.since, ''),
			coalesce((SELECT n.step || ' ' || coalesce(min(dl.sent_at), '')
			            FROM notification n LEFT JOIN delivery dl ON dl.message_id = n.message_id
			           WHERE n.occurrence_id = o.id AND n.kind = 'escalation'
			           GROUP BY n.step ORDER BY n.step DESC LIMIT 1), '')`

// recordsQuery is the query of Records. Open items, items submitted on or
// after the day asked and late ones are each read through their own
// index; the three sets do not overlap. Rows come ordered by the date that
// counts, then report code, period, role and agency.
func recordsQuery(f RecordFilter) (string, []any) {
	logState, logJoin := logColumns, `
		LEFT JOIN overdue ov ON ov.occurrence_id = o.id`
	if f.Counts {
		logState, logJoin = `'', ''`, ""
	}
	// part is the query of one set of occurrences, read through index:
	// the occurrence, its report's code and its deadline, its submission
	// and its overdue log state. An open one (submitted_on NULL, as the
	// submission triggers keep it) has no standing submission to look up.
	part := func(index string, open bool) string {
		submission, submissionJoin := `coalesce(s.submitted_at, ''), coalesce(s.ref, '')`, `
		LEFT JOIN submission s ON s.occurrence_id = o.id AND s.undone_at IS NULL`
		if open {
			submission, submissionJoin = `'', ''`, ""
		}
		return `SELECT o.id, d.report_code, d.period, o.year, o.agency_id, o.role, o.due, o.effective_due, o.extended_due,
			` + submission + `, ` + logState + `,
			d.retired_at IS NOT NULL, coalesce(o.extended_due, o.effective_due) AS target
		FROM occurrence o` + index + `
		JOIN deadline d ON d.id = o.deadline_id` + submissionJoin + logJoin + `
		WHERE o.retired_at IS NULL
		  AND coalesce(o.extended_due, o.effective_due) >= o.tracked_from`
	}
	// The filters every part shares, and their arguments.
	var filters string
	var filterArgs []any
	if f.Year != 0 {
		filters += ` AND o.year = ?`
		filterArgs = append(filterArgs, f.Year)
	}
	if !f.Before.IsZero() {
		filters += ` AND coalesce(o.extended_due, o.effective_due) < ?`
		filterArgs = append(filterArgs, f.Before.String())
	}
	if f.Agency != "" {
		filters += ` AND o.agency_id = ?`
		filterArgs = append(filterArgs, f.Agency)
	}
	if f.OpenOn.IsZero() {
		q := part("", false) + filters
		if !f.Counts {
			q += ` ORDER BY target, d.report_code, d.period, o.role, o.agency_id`
		}
		return q, filterArgs
	}
	// Still open on the day: not submitted, or submitted on it or later.
	// And with Late, submitted after the date that counted, before the day.
	// Each part's own condition comes before the shared filters, and so do
	// its arguments.
	day := f.OpenOn.String()
	q := `SELECT * FROM (` + part(" INDEXED BY occurrence_open", true) +
		` AND o.submitted_on IS NULL AND coalesce(o.extended_due, o.effective_due) < ?` + filters
	args := append([]any{day}, filterArgs...)
	q += `
		UNION ALL ` + part(" INDEXED BY occurrence_submitted_on", false) + ` AND o.submitted_on >= ?` + filters
	args = append(append(args, day), filterArgs...)
	if f.Late {
		q += `
		UNION ALL ` + part(" INDEXED BY occurrence_late", false) + ` AND o.submitted_on > coalesce(o.extended_due, o.effective_due)
		  AND coalesce(o.extended_due, o.effective_due) < ? AND o.submitted_on < ?` + filters
		args = append(append(args, day, day), filterArgs...)
	}
	q += `) ORDER BY target, report_code, period, role, agency_id`
	return q, args
}

// scan reads a row of recordsQuery; ok is false for an occurrence whose
// report or agency is unknown.
func (n recordNames) scan(row scanner) (r Record, ok bool, err error) {
	var role, due, eff, sub, since, escalation, target string
	var ext sql.NullString
	var deadlineRetired bool
	it := &r.Item
	if err := row.Scan(&it.OccurrenceID, &it.Code, &it.Period, &it.Year, &it.Agency, &role, &due, &eff, &ext,
		&sub, &r.Ref, &since, &escalation, &deadlineRetired, &target); err != nil {
		return r, false, err
	}
	report, okR := n.reports[it.Code]
	agency, okA := n.agencies[it.Agency]
	if !okR || !okA {
		return r, false, nil
	}
	it.Title, it.AgencyName = report.name, agency.name
	r.AgencyRetired, r.ReportRetired = agency.retired, report.retired || deadlineRetired
	it.Role = hanchot.Role(role)
	it.Due, _ = hanchot.ParseDate(due)
	it.EffectiveDue, _ = hanchot.ParseDate(eff)
	it.Target = it.EffectiveDue
	if ext.Valid {
		it.Target, _ = hanchot.ParseDate(ext.String)
		it.Extended = true
	}
	if sub != "" {
		r.SubmittedAt, _ = time.Parse(time.RFC3339, sub)
	}
	if since != "" {
		r.Since, _ = hanchot.ParseDate(since)
	}
	if level, sent, ok := strings.Cut(escalation, " "); ok {
		r.Level, _ = strconv.Atoi(level)
		if sent != "" {
			r.EscalatedAt, _ = time.Parse(time.RFC3339Nano, sent)
		}
	}
	return r, true, nil
}
