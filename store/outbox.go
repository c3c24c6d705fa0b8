package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
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
	setDates(it, role, due, eff, ext)
	return nil
}

// setDates sets an item's role and dates from an occurrence's columns.
func setDates(it *hanchot.Item, role, due, eff string, ext sql.NullString) {
	it.Role = hanchot.Role(role)
	it.Due, _ = hanchot.ParseDate(due)
	it.EffectiveDue, _ = hanchot.ParseDate(eff)
	it.Target = it.EffectiveDue
	if ext.Valid {
		it.Target, _ = hanchot.ParseDate(ext.String)
		it.Extended = true
	}
}

// announcedColumns are, for an item, the date its agency was last told
// (by a reminder or an overdue notice), the reason of its latest
// extension, and the latest reminder step sent for its date. Removed and
// Refusals, which load a few items, ask them item by item; Items works the
// same out for a whole window at once (see told).
const announcedColumns = `
	coalesce((SELECT n.target FROM notification n WHERE n.occurrence_id = o.id AND n.recipient = o.agency_id
	          AND n.kind IN ('reminder', 'overdue') ORDER BY n.created_at DESC, n.id DESC LIMIT 1), ''),
	coalesce((SELECT e.reason FROM extension e WHERE e.occurrence_id = o.id ORDER BY e.id DESC LIMIT 1), ''),
	(SELECT min(n.step) FROM notification n WHERE n.occurrence_id = o.id AND n.kind = 'reminder' AND n.step >= 0
	          AND n.target = coalesce(o.extended_due, o.effective_due) AND n.recipient = o.agency_id)`

func scanAnnounced(rows scanner) (hanchot.Item, error) {
	var it hanchot.Item
	var announced string
	var reminded sql.NullInt64
	if err := scanItemInto(rows, &it, &announced, &it.ExtensionReason, &reminded); err != nil {
		return it, err
	}
	it.Reminded, it.RemindedStep = reminded.Valid, int(reminded.Int64)
	if announced != "" {
		it.Announced, _ = hanchot.ParseDate(announced)
	}
	return it, nil
}

// windowOccurrences picks the unsubmitted, tracked occurrences whose date
// that counts lies in [?, ?], through the index of open occurrences on
// that date (occurrence_open). Items and the queries of what was sent and
// extended for them share it.
const windowOccurrences = `o.retired_at IS NULL AND o.submitted_on IS NULL
	AND coalesce(o.extended_due, o.effective_due) BETWEEN ? AND ?
	AND coalesce(o.extended_due, o.effective_due) >= o.tracked_from`

// The queries of a window, through the index of open occurrences (whose
// arguments are the window's dates) and the indexes on occurrence ids.
const (
	windowItemsQuery = `SELECT o.id, o.deadline_id, o.year, o.agency_id, o.role, o.due, o.effective_due, o.extended_due
		FROM occurrence o WHERE ` + windowOccurrences
	toldQuery = `SELECT n.occurrence_id, n.kind, n.step, n.target, n.recipient
		FROM occurrence o JOIN notification n ON n.occurrence_id = o.id
		WHERE ` + windowOccurrences
	// Of the occurrences whose ids are in a JSON array, the reminders
	// and overdue notices with the time each was recorded.
	latestToldQuery = `SELECT n.occurrence_id, n.target, n.recipient, n.created_at, n.id
		FROM notification n
		WHERE n.occurrence_id IN (SELECT value FROM json_each(?)) AND n.kind IN ('reminder', 'overdue')`
	extensionsQuery = `SELECT e.occurrence_id, e.reason
		FROM occurrence o JOIN extension e ON e.occurrence_id = o.id
		WHERE ` + windowOccurrences + ` ORDER BY e.id`
)

// Items returns the unsubmitted, tracked occurrences still in the calendar
// whose date that counts lies in [from, to], whatever their reporting
// year, each with the date its agency was last told. It reads through the
// index on that date, so its cost follows the window and the calendar's
// live reports and agencies (read once), not the years it spans.
func (db *DB) Items(ctx context.Context, from, to hanchot.Date) ([]hanchot.Item, error) {
	items, _, err := db.window(ctx, from, to, false)
	return items, err
}

// Window returns what Items does and the keys of the notices recorded for
// those items: what a preview of the window must not show as new.
func (db *DB) Window(ctx context.Context, from, to hanchot.Date) ([]hanchot.Item, map[hanchot.NoticeKey]bool, error) {
	return db.window(ctx, from, to, true)
}

// window reads the window's items, then what was sent and extended for
// them, in a few queries whatever the number of items; the keys of the
// notices sent only when withKeys is set.
func (db *DB) window(ctx context.Context, from, to hanchot.Date, withKeys bool) ([]hanchot.Item, map[hanchot.NoticeKey]bool, error) {
	// One read transaction: the queries see one state of the database,
	// whatever a sync commits meanwhile.
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	args := []any{from.String(), to.String()}
	items, err := windowItems(ctx, tx, args)
	if err != nil {
		return nil, nil, err
	}
	at := make(map[int64]int, len(items))
	extended := false
	for i := range items {
		at[items[i].OccurrenceID] = i
		extended = extended || items[i].Extended
	}
	var keys map[hanchot.NoticeKey]bool
	if withKeys {
		keys = make(map[hanchot.NoticeKey]bool, 2*len(items))
	}
	if err := told(ctx, tx, args, items, at, keys); err != nil {
		return nil, nil, err
	}
	// The latest extension's reason. An occurrence has extensions exactly
	// when it is extended (extend writes both): without an extended item,
	// there is nothing to read.
	if !extended {
		return items, keys, nil
	}
	rows, err := tx.QueryContext(ctx, extensionsQuery, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("extensions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, nil, fmt.Errorf("extensions: %w", err)
		}
		if i, ok := at[id]; ok {
			items[i].ExtensionReason = reason
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("extensions: %w", err)
	}
	return items, keys, nil
}

// windowItems reads the window's occurrences (args: its dates), by id,
// with what itemJoins adds to them. The occurrences are many and the
// deadlines, reports and agencies they name are few: these are read
// once, rather than looked up again for every occurrence. Occurrences
// whose deadline, report or agency is retired are left out, as there.
func windowItems(ctx context.Context, tx *sql.Tx, args []any) ([]hanchot.Item, error) {
	type deadline struct{ code, title, period string }
	deadlines := map[int64]deadline{}
	rows, err := tx.QueryContext(ctx, `SELECT d.id, r.code, r.title, d.period
		FROM deadline d JOIN report r ON r.code = d.report_code
		WHERE d.retired_at IS NULL AND r.retired_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d deadline
		if err := rows.Scan(&id, &d.code, &d.title, &d.period); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		deadlines[id] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	names := map[string]string{}
	rows, err = tx.QueryContext(ctx, `SELECT id, name FROM agency WHERE retired_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}

	// The occurrences come in the order of the index, by date: their
	// columns are sorted by id here, which costs less than sorting them
	// in SQL, and then made items.
	rows, err = tx.QueryContext(ctx, windowItemsQuery, args...)
	if err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	defer rows.Close()
	type occurrence struct {
		id, deadlineID         int64
		year                   int
		agency, role, due, eff string
		ext                    sql.NullString
	}
	var occs []occurrence
	var o occurrence // scanned into once for all rows: Scan's destinations live on the heap
	for rows.Next() {
		if err := rows.Scan(&o.id, &o.deadlineID, &o.year, &o.agency, &o.role, &o.due, &o.eff, &o.ext); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		occs = append(occs, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	slices.SortFunc(occs, func(a, b occurrence) int { return cmp.Compare(a.id, b.id) })
	items := make([]hanchot.Item, 0, len(occs))
	for _, o := range occs {
		d, live := deadlines[o.deadlineID]
		name, known := names[o.agency]
		if !live || !known {
			continue
		}
		it := hanchot.Item{OccurrenceID: o.id}
		it.Code, it.Title, it.Period, it.Year, it.Agency, it.AgencyName = d.code, d.title, d.period, o.year, o.agency, name
		setDates(&it, o.role, o.due, o.eff, o.ext)
		items = append(items, it)
	}
	return items, nil
}

// told reads the notices recorded for the window's occurrences (args: the
// window's dates) and sets on each item, found by its occurrence id in at,
// what announcedColumns gives: the date of the latest reminder or overdue
// notice to its agency, and the fewest days before of the reminders it was
// sent for the date that counts now. It adds every notice's key to keys
// when keys is not nil.
//
// The notices are read from the index of their keys alone. Which one is
// the latest matters only for an item whose agency was told more than
// one date (its date moved): the time each was recorded is read for
// those items alone (latestTold).
func told(ctx context.Context, tx *sql.Tx, args []any, items []hanchot.Item, at map[int64]int, keys map[hanchot.NoticeKey]bool) error {
	rows, err := tx.QueryContext(ctx, toldQuery, args...)
	if err != nil {
		return fmt.Errorf("notices sent: %w", err)
	}
	defer rows.Close()
	moved := map[int64]bool{} // the items told more than one date
	// Scanned into once for all rows: variables whose addresses Scan
	// takes live on the heap.
	var occurrence int64
	var step int
	var kind, target, recipient string
	for rows.Next() {
		if err := rows.Scan(&occurrence, &kind, &step, &target, &recipient); err != nil {
			return fmt.Errorf("notices sent: %w", err)
		}
		i, ok := at[occurrence]
		if !ok {
			continue // its deadline, report or agency is retired
		}
		k := hanchot.NoticeKey{Occurrence: occurrence, Kind: hanchot.Kind(kind), Step: step, Recipient: recipient}
		k.Target, _ = hanchot.ParseDate(target)
		if keys != nil {
			keys[k] = true
		}
		it := &items[i]
		if k.Recipient != it.Agency || (k.Kind != hanchot.Reminder && k.Kind != hanchot.Overdue) {
			continue
		}
		switch {
		case it.Announced.IsZero():
			it.Announced = k.Target
		case !it.Announced.Equal(k.Target):
			moved[occurrence] = true
		}
		if k.Kind == hanchot.Reminder && k.Step >= 0 && k.Target.Equal(it.Target) && (!it.Reminded || k.Step < it.RemindedStep) {
			it.Reminded, it.RemindedStep = true, k.Step
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("notices sent: %w", err)
	}
	if len(moved) == 0 {
		return nil
	}
	return latestTold(ctx, tx, items, at, moved)
}

// latestTold sets on the items whose occurrence ids are in moved the date
// of the latest reminder or overdue notice to their agency, in one query.
func latestTold(ctx context.Context, tx *sql.Tx, items []hanchot.Item, at map[int64]int, moved map[int64]bool) error {
	ids := []byte("[")
	for id := range moved {
		if len(ids) > 1 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, id, 10)
	}
	ids = append(ids, ']')
	rows, err := tx.QueryContext(ctx, latestToldQuery, string(ids))
	if err != nil {
		return fmt.Errorf("notices sent: %w", err)
	}
	defer rows.Close()
	type latest struct {
		created string
		id      int64
	}
	last := map[int64]latest{}
	for rows.Next() {
		var occurrence, id int64
		var target, recipient, created string
		if err := rows.Scan(&occurrence, &target, &recipient, &created, &id); err != nil {
			return fmt.Errorf("notices sent: %w", err)
		}
		it := &items[at[occurrence]]
		if recipient != it.Agency {
			continue
		}
		if l := last[occurrence]; created > l.created || (created == l.created && id > l.id) {
			last[occurrence] = latest{created, id}
			it.Announced, _ = hanchot.ParseDate(target)
		}
	}
	return rows.Err()
}

// Removed returns the occurrences that left the calendar (retired, or
// their deadline or report retired; not handed to a successor) after
// their agency was reminded of a date on or after today, and whose
// agency was not yet told that they are gone.
func (db *DB) Removed(ctx context.Context, today hanchot.Date) ([]hanchot.Item, error) {
	q := `SELECT ` + itemColumns + `, ` + announcedColumns + ` FROM ` + itemJoins + `
		WHERE o.id IN (SELECT n.occurrence_id FROM notification n WHERE n.kind = 'reminder' AND n.target >= ?)
		  AND (o.retired_at IS NOT NULL OR d.retired_at IS NOT NULL OR r.retired_at IS NOT NULL)
		  AND o.moved_to IS NULL
		  AND NOT EXISTS (SELECT 1 FROM notification x WHERE x.occurrence_id = o.id AND x.kind = 'removal')
		  AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.occurrence_id = o.id AND s.undone_at IS NULL)
		ORDER BY o.id`
	items, err := queryAll(ctx, db.db, "removed", q, []any{today.String()}, scanAnnounced)
	for i := range items {
		items[i].Removed = true
	}
	return items, err
}

// Enqueue writes the pass's digests to the outbox in one transaction. Of
// each digest only the notices never recorded before are kept (a second
// pass, a restart); a digest left with none writes nothing. Each kept
// digest becomes one message, composed by compose, and one pending
// delivery per address of its recipient, given up at d.Expires. A digest that cannot be composed
// is recorded all the same, its deliveries failed with the error, so that
// it shows in the ledger and the pass goes on; its notices are not
// recorded, so a later pass composes them again.
func (db *DB) Enqueue(ctx context.Context, digests []hanchot.Digest, compose func(hanchot.Digest) (hanchot.Message, error)) (hanchot.Enqueued, error) {
	var res hanchot.Enqueued
	now := stamp(db.Now())
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		res = hanchot.Enqueued{}
		recorded, err := recordedNotices(ctx, tx, digests)
		if err != nil {
			return err
		}
		insMsg, err := tx.PrepareContext(ctx, `INSERT INTO message
			(kind, agency_id, to_addrs, to_name, subject, body_text, body_html, message_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insMsg.Close()
		insDel, err := tx.PrepareContext(ctx, `INSERT INTO delivery
			(message_id, address, status, next_attempt_at, expires_at, reply) VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insDel.Close()
		insNote, err := tx.PrepareContext(ctx, `INSERT INTO notification
			(occurrence_id, kind, step, target, recipient, message_id, days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (occurrence_id, kind, step, target, recipient)
			DO UPDATE SET message_id = excluded.message_id, days = excluded.days, created_at = excluded.created_at`)
		if err != nil {
			return err
		}
		defer insNote.Close()
		reported, err := tx.PrepareContext(ctx, `UPDATE delivery SET reported_at = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		defer reported.Close()

		for _, d := range digests {
			var fresh []hanchot.Notice
			for _, n := range d.Notices {
				if !n.OldTarget.IsZero() {
					// A correction: the plan gives it only while the
					// agency was last told another date, even when this
					// date and step were announced once before (an edit
					// made and then undone).
					fresh = append(fresh, n)
					continue
				}
				if !recorded[n.Key()] {
					fresh = append(fresh, n)
				}
			}
			if len(fresh) == 0 {
				continue // nothing new: failures wait for the next digest
			}
			d.Notices = fresh
			m, cerr := compose(d)
			if cerr != nil {
				// Recorded once per digest, its deliveries failed, and its
				// notices left unrecorded: once the templates are fixed
				// the next pass plans them again.
				var id int64
				err := tx.QueryRowContext(ctx, `INSERT INTO message
					(kind, agency_id, to_addrs, subject, body_text, body_html, message_id, created_at)
					VALUES (?, ?, ?, ?, '', '', ?, ?) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
					d.Kind, d.Recipient.ID, strings.Join(d.Recipient.Emails, ","),
					fmt.Sprintf("(%s for %s: could not be composed)", d.Kind, d.Recipient.ID),
					"uncomposed."+d.Key()+"@hanchot.invalid", now).Scan(&id)
				if errors.Is(err, sql.ErrNoRows) {
					continue
				}
				if err != nil {
					return err
				}
				for _, addr := range d.Recipient.Emails {
					if _, err := insDel.ExecContext(ctx, id, addr, hanchot.Failed, now, stamp(d.Expires),
						"could not compose the message: "+cerr.Error()); err != nil {
						return err
					}
				}
				res.Uncomposed++
				continue
			}
			// The same correction sent again (a date changed, changed back
			// and changed again) is a new email: its Message-ID gets a
			// suffix.
			var id int64
			messageID := m.MessageID
			for again := 2; ; again++ {
				r, err := insMsg.ExecContext(ctx, d.Kind, d.Recipient.ID, strings.Join(d.Recipient.Emails, ","), d.Recipient.Name,
					m.Subject, m.Text, m.HTML, messageID, now)
				if err == nil {
					id, err = r.LastInsertId()
				}
				if err == nil {
					break
				}
				if !isUnique(err) || again > 100 {
					return err
				}
				local, domain, _ := strings.Cut(m.MessageID, "@")
				messageID = fmt.Sprintf("%s.%d@%s", local, again, domain)
			}
			for _, addr := range d.Recipient.Emails {
				if _, err := insDel.ExecContext(ctx, id, addr, hanchot.Pending, now, stamp(d.Expires), ""); err != nil {
					return err
				}
				res.Deliveries++
			}
			for _, n := range fresh {
				if _, err := insNote.ExecContext(ctx, n.OccurrenceID, n.Kind, n.Step, n.Target.String(), n.Recipient, id, n.Days, now); err != nil {
					return err
				}
				recorded[n.Key()] = true
			}
			for _, f := range d.Failures {
				if _, err := reported.ExecContext(ctx, now, f.ID); err != nil {
					return err
				}
			}
			res.Messages++
		}
		return nil
	})
	if err != nil {
		return hanchot.Enqueued{}, fmt.Errorf("enqueue: %w", err)
	}
	return res, nil
}

// recordedNotices returns, in one query, the keys of the notices recorded
// for the occurrences the digests name.
func recordedNotices(ctx context.Context, tx *sql.Tx, digests []hanchot.Digest) (map[hanchot.NoticeKey]bool, error) {
	ids := []byte{'['}
	seen := map[int64]bool{}
	for _, d := range digests {
		for _, n := range d.Notices {
			if seen[n.OccurrenceID] {
				continue
			}
			if len(seen) > 0 {
				ids = append(ids, ',')
			}
			seen[n.OccurrenceID] = true
			ids = strconv.AppendInt(ids, n.OccurrenceID, 10)
		}
	}
	ids = append(ids, ']')
	recorded := map[hanchot.NoticeKey]bool{}
	rows, err := tx.QueryContext(ctx, recordedNoticesQuery, string(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k hanchot.NoticeKey
		var kind, target string
		if err := rows.Scan(&k.Occurrence, &kind, &k.Step, &target, &k.Recipient); err != nil {
			return nil, err
		}
		k.Kind = hanchot.Kind(kind)
		if k.Target, err = hanchot.ParseDate(target); err != nil {
			return nil, err
		}
		recorded[k] = true
	}
	return recorded, rows.Err()
}

// recordedNoticesQuery reads the notices of the occurrences whose ids are
// in a JSON array, through the notification's unique index.
const recordedNoticesQuery = `SELECT occurrence_id, kind, step, target, recipient FROM notification
	WHERE occurrence_id IN (SELECT value FROM json_each(?))`

const deliveryColumns = `d.id, m.id, m.kind, m.agency_id, m.to_addrs, m.to_name, m.subject, m.body_text, m.body_html, m.message_id, m.created_at,
	d.address, d.status, d.attempts, d.reply, coalesce(d.sent_at, ''), d.expires_at`

const deliveryJoins = `delivery d JOIN message m ON m.id = d.message_id`

func scanDelivery(rows scanner) (hanchot.Delivery, error) {
	var d hanchot.Delivery
	var to, created, sent, expires string
	if err := rows.Scan(&d.ID, &d.Message.ID, &d.Kind, &d.Agency, &to, &d.ToName, &d.Subject, &d.Text, &d.HTML, &d.MessageID, &created,
		&d.Address, &d.Status, &d.Attempts, &d.Reply, &sent, &expires); err != nil {
		return d, err
	}
	d.To = strings.Split(to, ",")
	d.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	if sent != "" {
		d.SentAt, _ = time.Parse(time.RFC3339Nano, sent)
	}
	d.ExpiresAt, _ = time.Parse(time.RFC3339Nano, expires)
	return d, nil
}

// Expire gives up, as of asOf, the pending deliveries that are no longer
// worth sending, and returns how many.
func (db *DB) Expire(ctx context.Context, asOf time.Time) (int, error) {
	var n int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE delivery
			SET status = 'expired',
			    reply = 'expired before it could be delivered' || CASE WHEN reply != '' THEN ' (last: ' || reply || ')' ELSE '' END
			WHERE status = 'pending' AND expires_at <= ?`, stamp(asOf))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return int(n), err
}

// Unsent returns the deliveries to try now, oldest first: pending ones
// whose retry time has come (every pending one when all is set), and ones
// a crash left in "sending" past their deadline.
func (db *DB) Unsent(ctx context.Context, now time.Time, all bool) ([]hanchot.Delivery, error) {
	var out []hanchot.Delivery
	for _, q := range unsentQueries(now, all) {
		ds, err := queryAll(ctx, db.db, "unsent", q.sql, q.args, scanDelivery)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

type query struct {
	sql  string
	args []any
}

// unsentQueries are the two questions Unsent asks, each answered from its
// partial index (a UNION of the two would read the whole table).
func unsentQueries(now time.Time, all bool) []query {
	pending := query{`SELECT ` + deliveryColumns + ` FROM ` + deliveryJoins + ` WHERE d.status = 'pending' AND d.next_attempt_at <= ?`, []any{stamp(now)}}
	if all {
		pending = query{`SELECT ` + deliveryColumns + ` FROM ` + deliveryJoins + ` WHERE d.status = 'pending'`, nil}
	}
	return []query{pending,
		{`SELECT ` + deliveryColumns + ` FROM ` + deliveryJoins + ` WHERE d.status = 'sending' AND d.sending_until < ?`, []any{stamp(now)}}}
}

// Claim marks a delivery as being sent until the deadline. A delivery
// found still "sending" past its deadline was interrupted by a crash: the
// interruption counts as an attempt and the delivery is claimed again;
// the server may have accepted it, so it can arrive twice, with the same
// Message-ID. Claim returns false when the delivery is not claimable.
func (db *DB) Claim(ctx context.Context, id int64, until time.Time) (bool, error) {
	return db.Advance(ctx, nil, id, until)
}

// Record writes the outcome of an attempt.
func (db *DB) Record(ctx context.Context, o hanchot.Outcome) error {
	_, err := db.Advance(ctx, &o, 0, time.Time{})
	return err
}

// Advance records the outcome of the delivery just attempted (when done
// is not nil) and claims the next one (when next is not 0) in a single
// transaction, so that the send path commits once per message. It reports
// whether next was claimed.
func (db *DB) Advance(ctx context.Context, done *hanchot.Outcome, next int64, until time.Time) (bool, error) {
	now := db.Now()
	claimed := false
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		claimed = false
		if done != nil {
			if err := db.record(ctx, tx, *done, now); err != nil {
				return err
			}
		}
		if next != 0 {
			ok, err := db.claim(ctx, tx, next, until, now)
			if err != nil {
				return err
			}
			claimed = ok
		}
		return nil
	})
	return claimed, err
}

// The send path's statements, run for every message: prepared once when
// the database is opened for writing (not inside a transaction, which
// holds the only connection) and reused by every transaction.
var sendPath = []string{
	claimPending, insertAttempt, markSent, markRetry, markFailed,
}

const (
	claimPending  = `UPDATE delivery SET status = 'sending', sending_until = ? WHERE id = ? AND status = 'pending'`
	insertAttempt = `INSERT INTO attempt (delivery_id, at, ok, temporary, reply) VALUES (?, ?, ?, ?, ?)`
	markSent      = `UPDATE delivery SET status = 'sent', attempts = attempts + 1, reply = ?, sent_at = ?, sending_until = NULL WHERE id = ?`
	markRetry     = `UPDATE delivery SET status = 'pending', attempts = attempts + 1, reply = ?, next_attempt_at = ?, sending_until = NULL WHERE id = ?`
	markFailed    = `UPDATE delivery SET status = 'failed', attempts = attempts + 1, reply = ?, sending_until = NULL WHERE id = ?`
)

// prepare prepares the send path's statements.
func (db *DB) prepare(ctx context.Context) error {
	db.stmts = map[string]*sql.Stmt{}
	for _, q := range sendPath {
		stmt, err := db.db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		db.stmts[q] = stmt
	}
	return nil
}

// exec runs a statement in tx, prepared when it is one of the send path's.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if stmt, ok := db.stmts[query]; ok {
		return tx.StmtContext(ctx, stmt).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

func (db *DB) claim(ctx context.Context, tx *sql.Tx, id int64, until, now time.Time) (bool, error) {
	// The usual case, a pending delivery, in one statement.
	r, err := db.exec(ctx, tx, claimPending, stamp(until), id)
	if err != nil {
		return false, err
	}
	if n, _ := r.RowsAffected(); n == 1 {
		return true, nil
	}
	// Else: one left "sending" past its deadline by a crash.
	var sendingUntil string
	err = tx.QueryRowContext(ctx, `SELECT sending_until FROM delivery WHERE id = ? AND status = 'sending' AND sending_until < ?`,
		id, stamp(now)).Scan(&sendingUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	const reply = "interrupted: no outcome was recorded; sending again with the same Message-ID"
	if _, err := tx.ExecContext(ctx, `INSERT INTO attempt (delivery_id, at, ok, temporary, reply) VALUES (?, ?, 0, 1, ?)`,
		id, sendingUntil, reply); err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE delivery SET status = 'sending', sending_until = ?, attempts = attempts + 1, reply = ? WHERE id = ?`,
		stamp(until), reply, id)
	return err == nil, err
}

func (db *DB) record(ctx context.Context, tx *sql.Tx, o hanchot.Outcome, now time.Time) error {
	at, res := stamp(now), o.Result
	if o.Outage {
		_, err := tx.ExecContext(ctx, `UPDATE delivery SET status = 'pending', reply = ?, sending_until = NULL WHERE id = ?`,
			"not sent yet, the mail server is unavailable: "+res.Reply, o.ID)
		return err
	}
	if _, err := db.exec(ctx, tx, insertAttempt, o.ID, at, res.OK, res.Temporary, res.Reply); err != nil {
		return err
	}
	var err error
	switch {
	case res.OK:
		_, err = db.exec(ctx, tx, markSent, res.Reply, at, o.ID)
	case !o.RetryAt.IsZero():
		_, err = db.exec(ctx, tx, markRetry, res.Reply, stamp(o.RetryAt), o.ID)
	default:
		_, err = db.exec(ctx, tx, markFailed, res.Reply, o.ID)
	}
	return err
}

// NoteOutage writes on every pending delivery due by now why it was not
// sent (the server could not be reached), using up no attempt.
func (db *DB) NoteOutage(ctx context.Context, now time.Time, reason string) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE delivery SET reply = ? WHERE status = 'pending' AND next_attempt_at <= ?`,
			"not sent yet, the mail server is unavailable: "+reason, stamp(now))
		return err
	})
}

// Outstanding counts the deliveries not yet settled: pending, and
// "sending" (in flight in another process, or left by a crash).
func (db *DB) Outstanding(ctx context.Context) (pending, sending int, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM delivery WHERE status = 'pending'),
		(SELECT count(*) FROM delivery WHERE status = 'sending')`).Scan(&pending, &sending)
	return pending, sending, err
}

// UnreportedFailures returns the deliveries that failed or expired and
// have not yet been reported to the focal point.
func (db *DB) UnreportedFailures(ctx context.Context) ([]hanchot.Delivery, error) {
	return queryAll(ctx, db.db, "failures", `SELECT `+deliveryColumns+` FROM `+deliveryJoins+`
		WHERE d.status IN ('failed', 'expired') AND d.reported_at IS NULL ORDER BY d.id`, nil, scanDelivery)
}

// LogFilter selects ledger rows.
type LogFilter struct {
	ID     int64  // one delivery; 0 for all
	Status string // pending | sending | sent | failed | expired; "" for all
	Kind   string
	Agency string
	// Search keeps the rows whose address or subject holds it (case
	// aside for ASCII letters), or whose agency's id is it.
	Search string
	Limit  int
}

// selectDeliveries is the query of the deliveries that meet where and the
// filter's fields that are set.
func selectDeliveries(where string, f LogFilter) (string, []any) {
	q := `SELECT ` + deliveryColumns + ` FROM ` + deliveryJoins + ` WHERE ` + where
	var args []any
	for _, c := range []struct {
		set   bool
		cond  string
		value any
	}{
		{f.ID != 0, ` AND d.id = ?`, f.ID},
		{f.Status != "", ` AND d.status = ?`, f.Status},
		{f.Kind != "", ` AND m.kind = ?`, f.Kind},
		{f.Agency != "", ` AND m.agency_id = ?`, f.Agency},
	} {
		if c.set {
			q += c.cond
			args = append(args, c.value)
		}
	}
	if f.Search != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Search) + "%"
		q += ` AND (d.address LIKE ? ESCAPE '\' OR m.subject LIKE ? ESCAPE '\' OR m.agency_id = ?)`
		args = append(args, like, like, f.Search)
	}
	return q, args
}

// Deliveries returns the ledger, one row per message and address, newest
// first.
func (db *DB) Deliveries(ctx context.Context, f LogFilter) ([]hanchot.Delivery, error) {
	q, args := selectDeliveries(`1=1`, f)
	q += ` ORDER BY d.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryAll(ctx, db.db, "log", q, args, scanDelivery)
}

// Attempt is one recorded try of a delivery, or a requeue of it.
type Attempt struct {
	At    time.Time
	What  string // sent | temporary | failed | requeued
	Reply string
}

// Attempts returns a delivery's history, oldest first.
func (db *DB) Attempts(ctx context.Context, id int64) ([]Attempt, error) {
	return queryAll(ctx, db.db, "attempts", `SELECT at, CASE WHEN ok THEN 'sent' WHEN temporary THEN 'temporary' ELSE 'failed' END, reply
		  FROM attempt WHERE delivery_id = ?
		UNION ALL
		SELECT at, 'requeued', 'by ' || by || ' (was ' || was || ')' || CASE WHEN reason != '' THEN ': ' || reason ELSE '' END
		  FROM requeue WHERE delivery_id = ?
		ORDER BY 1`, []any{id, id}, func(r scanner) (Attempt, error) {
		var a Attempt
		var at string
		if err := r.Scan(&at, &a.What, &a.Reply); err != nil {
			return a, err
		}
		a.At, _ = time.Parse(time.RFC3339Nano, at)
		return a, nil
	})
}

// RequeueFilter selects the deliveries to requeue: failed or expired ones.
type RequeueFilter struct {
	ID     int64  // one delivery; 0 for all that match
	Status string // failed | expired; "" for both
	Agency string
}

// ErrNotRequeuable is returned when a delivery named by id cannot be
// requeued (it is not failed or expired, or was never composed).
var ErrNotRequeuable = errors.New("not requeuable")

// RequeueError says why the delivery named by id was not requeued. It
// wraps ErrNotRequeuable.
type RequeueError struct {
	ID         int64
	Missing    bool   // there is no such delivery
	Status     string // its status, when not failed or expired
	Uncomposed bool   // it was never composed; Reply says why
	Reply      string
}

func (e *RequeueError) Error() string {
	switch {
	case e.Missing:
		return fmt.Sprintf("there is no delivery %d (see hanchot log): %v", e.ID, ErrNotRequeuable)
	case e.Uncomposed:
		return fmt.Sprintf("delivery %d was never composed (%s); fix the templates (\"hanchot check\" renders them) and the next pass composes its items again: %v", e.ID, e.Reply, ErrNotRequeuable)
	}
	return fmt.Sprintf("delivery %d is %s, not failed or expired: %v", e.ID, e.Status, ErrNotRequeuable)
}

func (e *RequeueError) Unwrap() error { return ErrNotRequeuable }

// Requeue puts failed or expired deliveries back to pending, to be tried
// at once and kept trying until until, recording who and why. It returns
// the requeued deliveries.
func (db *DB) Requeue(ctx context.Context, f RequeueFilter, by, reason string, until time.Time) ([]hanchot.Delivery, error) {
	q, args := selectDeliveries(`d.status IN ('failed', 'expired')`, LogFilter{ID: f.ID, Status: f.Status, Agency: f.Agency})
	q += ` ORDER BY d.id`
	var out []hanchot.Delivery
	now := stamp(db.Now())
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			d, err := scanDelivery(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range out {
			if d.Text == "" && d.HTML == "" {
				return &RequeueError{ID: d.ID, Uncomposed: true, Reply: d.Reply}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO requeue (delivery_id, at, by, reason, was) VALUES (?, ?, ?, ?, ?)`,
				d.ID, now, by, reason, d.Status); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE delivery SET status = 'pending', next_attempt_at = ?, expires_at = max(expires_at, ?),
				reported_at = NULL, reply = ? WHERE id = ?`, now, stamp(until), "requeued by "+by+" (was "+d.Status+": "+d.Reply+")", d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("requeue: %w", err)
	}
	if f.ID != 0 && len(out) == 0 {
		var status string
		if err := db.db.QueryRowContext(ctx, `SELECT status FROM delivery WHERE id = ?`, f.ID).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return nil, &RequeueError{ID: f.ID, Missing: true}
		}
		return nil, &RequeueError{ID: f.ID, Status: status}
	}
	return out, nil
}

// SentKeys reports, of the given notices, which were already recorded; it
// only reads, for preview.
func (db *DB) SentKeys(ctx context.Context, notices []hanchot.Notice) (map[int]bool, error) {
	stmt, err := db.db.PrepareContext(ctx, `SELECT 1 FROM notification
		WHERE occurrence_id = ? AND kind = ? AND step = ? AND target = ? AND recipient = ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := map[int]bool{}
	for i, n := range notices {
		var one int
		err := stmt.QueryRowContext(ctx, n.OccurrenceID, n.Kind, n.Step, n.Target.String(), n.Recipient).Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[i] = err == nil
	}
	return out, nil
}
