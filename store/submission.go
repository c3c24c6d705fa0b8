package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"hanchot"
)

// ErrNotFound is returned when an occurrence is not in the database.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a submission or extension contradicts what
// is recorded (already submitted, nothing to undo).
var ErrConflict = errors.New("conflict")

// KeyError is a refusal about one occurrence. It wraps ErrNotFound or
// ErrConflict; Reason says which refusal it is, and the other fields give
// what a message needs, so that a front end can say it in its language.
type KeyError struct {
	Reason    KeyReason
	Key       OccurrenceKey
	Successor string       // HandedOver: the agency that took the item over
	At        time.Time    // AlreadySubmitted: when it was submitted
	Ref       string       // AlreadySubmitted: the document reference
	Due       hanchot.Date // NotAfterDue: the date that counts now
	Asked     hanchot.Date // NotAfterDue: the extension asked for
}

// KeyReason is why an occurrence was refused.
type KeyReason string

const (
	NotTracked       KeyReason = "not tracked"       // not in the database
	HandedOver       KeyReason = "handed over"       // moved to the successor of its agency
	AlreadySubmitted KeyReason = "already submitted" // a submission stands
	ListedTwice      KeyReason = "listed twice"      // twice in one import
	NothingToUndo    KeyReason = "nothing to undo"   // no standing submission
	NotAfterDue      KeyReason = "not after due"     // an extension to a day not after the date
)

func (e *KeyError) Error() string {
	k := e.Key
	switch e.Reason {
	case NotTracked:
		return fmt.Sprintf("%s is not tracked: it is dated before tracking started for it (schedule.start, or the sync that added it), or it is no longer in the calendar, or it was added to the file and not yet synced (run \"hanchot sync\"): %v", k, ErrNotFound)
	case HandedOver:
		return fmt.Sprintf("%s was handed over to %s, its agency's successor: %v", k, e.Successor, ErrNotFound)
	case AlreadySubmitted:
		return fmt.Sprintf("%s was already submitted on %s (ref %q): %v", k, e.At.Format("2006-01-02 15:04"), e.Ref, ErrConflict)
	case ListedTwice:
		return fmt.Sprintf("%s is listed twice: %v", k, ErrConflict)
	case NothingToUndo:
		return fmt.Sprintf("%s has no submission to undo: %v", k, ErrConflict)
	case NotAfterDue:
		return fmt.Sprintf("%s is due %s; an extension must come after that, not %s: %v", k, e.Due, e.Asked, ErrConflict)
	}
	return fmt.Sprintf("%s: %s", k, e.Reason)
}

func (e *KeyError) Unwrap() error {
	if e.Reason == NotTracked || e.Reason == HandedOver {
		return ErrNotFound
	}
	return ErrConflict
}

// OccurrenceKey names an occurrence the way people do.
type OccurrenceKey struct {
	Code, Period string
	Year         int
	Agency       string
	// Ident is the deadline's explicit id in the configuration, if any:
	// it finds the deadline however its period was labelled when synced.
	Ident string
}

func (k OccurrenceKey) String() string {
	return fmt.Sprintf("%s %s %d for %s", k.Code, k.Period, k.Year, k.Agency)
}

// Occurrence is an occurrence with its submission state.
type Occurrence struct {
	hanchot.Item
	Submission *Submission
}

// Submission is a standing submission.
type Submission struct {
	At   time.Time
	Ref  string
	Note string
	By   string
}

// queryer is a database or a transaction.
type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// findOccurrence returns the occurrence k names, in the calendar now. The
// period matches after normalisation ("Quý 1" finds "Quý I").
func findOccurrence(ctx context.Context, q queryer, k OccurrenceKey) (Occurrence, error) {
	type found struct {
		o             Occurrence
		at, ref, note sql.NullString
		by            sql.NullString
		retired       bool
		successor     string
	}
	var all []found
	rows, err := q.QueryContext(ctx, `SELECT `+itemColumns+`,
			s.submitted_at, s.ref, s.note, s.by, o.retired_at IS NOT NULL, coalesce(m.agency_id, ''), coalesce(d.ident, '')
		FROM `+itemJoins+`
		LEFT JOIN submission s ON s.occurrence_id = o.id AND s.undone_at IS NULL
		LEFT JOIN occurrence m ON m.id = o.moved_to
		WHERE r.code = ? AND o.year = ? AND o.agency_id = ? AND (o.retired_at IS NULL OR o.moved_to IS NOT NULL)
		ORDER BY o.retired_at IS NOT NULL, o.role`, k.Code, k.Year, k.Agency)
	if err != nil {
		return Occurrence{}, err
	}
	for rows.Next() {
		var f found
		var ident string
		if err := scanItemInto(rows, &f.o.Item, &f.at, &f.ref, &f.note, &f.by, &f.retired, &f.successor, &ident); err != nil {
			rows.Close()
			return Occurrence{}, err
		}
		if hanchot.PeriodKey(f.o.Period) == hanchot.PeriodKey(k.Period) || (k.Ident != "" && ident == hanchot.IDKey(k.Ident)) {
			all = append(all, f)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Occurrence{}, err
	}
	if len(all) == 0 {
		return Occurrence{}, &KeyError{Reason: NotTracked, Key: k}
	}
	f := all[0]
	if f.retired {
		return f.o, &KeyError{Reason: HandedOver, Key: k, Successor: f.successor}
	}
	o := f.o
	if f.at.Valid {
		t, _ := time.Parse(time.RFC3339, f.at.String)
		o.Submission = &Submission{At: t, Ref: f.ref.String, Note: f.note.String, By: f.by.String}
	}
	return o, nil
}

// Occurrence returns one occurrence with its standing submission.
func (db *DB) Occurrence(ctx context.Context, k OccurrenceKey) (Occurrence, error) {
	return findOccurrence(ctx, db.db, k)
}

// NewSubmission is a submission to record.
type NewSubmission struct {
	Key  OccurrenceKey
	At   time.Time
	Ref  string
	Note string
	By   string
}

// SubmitResult says what Submit did.
type SubmitResult struct {
	Recorded, Skipped int // skipped: already recorded identically
}

// Submit records submissions, all in one transaction: if any fails,
// nothing is written. An occurrence already submitted is an ErrConflict,
// except, with skipIdentical, when the standing submission has the same
// time and reference: then it is skipped, so that a spreadsheet can be
// imported again.
func (db *DB) Submit(ctx context.Context, subs []NewSubmission, skipIdentical bool) (SubmitResult, error) {
	var res SubmitResult
	now := stamp(db.Now())
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		for _, s := range subs {
			o, err := findOccurrence(ctx, tx, s.Key)
			if err != nil {
				return err
			}
			if o.Submission != nil {
				if skipIdentical && o.Submission.At.Equal(s.At) && o.Submission.Ref == s.Ref {
					res.Skipped++
					continue
				}
				return &KeyError{Reason: AlreadySubmitted, Key: s.Key, At: o.Submission.At, Ref: o.Submission.Ref}
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO submission (occurrence_id, submitted_at, ref, note, by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
				o.OccurrenceID, s.At.Format(time.RFC3339), s.Ref, s.Note, s.By, now)
			if isUnique(err) {
				return &KeyError{Reason: ListedTwice, Key: s.Key}
			}
			if err != nil {
				return err
			}
			res.Recorded++
		}
		return nil
	})
	if err != nil {
		return SubmitResult{}, err
	}
	return res, nil
}

// Undo marks the standing submission of an occurrence as undone, keeping
// it in the history, and returns it.
func (db *DB) Undo(ctx context.Context, k OccurrenceKey, reason, by string) (Submission, error) {
	var undone Submission
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := findOccurrence(ctx, tx, k)
		if err != nil {
			return err
		}
		if o.Submission == nil {
			return &KeyError{Reason: NothingToUndo, Key: k}
		}
		undone = *o.Submission
		if by != "" {
			reason = reason + " (" + by + ")"
		}
		_, err = tx.ExecContext(ctx, `UPDATE submission SET undone_at = ?, undo_reason = ? WHERE occurrence_id = ? AND undone_at IS NULL`,
			stamp(db.Now()), reason, o.OccurrenceID)
		return err
	})
	return undone, err
}

// Extend gives an occurrence a new due date and records why. Reminders and
// escalations follow the new date, and its calendar event takes a new
// revision.
func (db *DB) Extend(ctx context.Context, k OccurrenceKey, due hanchot.Date, reason, by string) (previous hanchot.Date, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := findOccurrence(ctx, tx, k)
		if err != nil {
			return err
		}
		if o.Submission != nil {
			return &KeyError{Reason: AlreadySubmitted, Key: k, At: o.Submission.At, Ref: o.Submission.Ref}
		}
		if !due.After(o.Target) {
			return &KeyError{Reason: NotAfterDue, Key: k, Due: o.Target, Asked: due}
		}
		previous = o.Target
		now := stamp(db.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO extension (occurrence_id, previous_due, due, reason, by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
			o.OccurrenceID, o.Target.String(), due.String(), reason, by, now); err != nil {
			return err
		}
		// The calendar event moves: a new revision.
		_, err = tx.ExecContext(ctx, `UPDATE occurrence SET extended_due = ?, revision = revision + 1, changed_at = ? WHERE id = ?`,
			due.String(), now, o.OccurrenceID)
		return err
	})
	return previous, err
}

// Event is one entry of an occurrence's history.
type Event struct {
	At     time.Time // when it happened (submitted_at for a submission)
	What   string    // submitted | undone | extended | taken over | handed over
	Detail string    // what else there is to say, in English
	// The parts of Detail, for a front end that speaks another language.
	Ref, Note, By      string       // submitted (By also when extended)
	Reason             string       // undone, extended
	Submitted          time.Time    // undone: when the undone submission was made
	Previous, Due      hanchot.Date // extended: the date before and after; taken over: the date at the agency that ceased
	Agency, AgencyName string       // taken over: the agency that ceased; handed over: the successor
}

// History returns what was recorded for an occurrence, oldest first:
// submissions (undone ones included, with their undoing), extensions, and
// handovers from an agency that ceased to its successor.
func (db *DB) History(ctx context.Context, k OccurrenceKey) ([]Event, error) {
	o, err := db.Occurrence(ctx, k)
	if err != nil && (!errors.Is(err, ErrNotFound) || o.OccurrenceID == 0) {
		return nil, err
	}
	id := o.OccurrenceID
	events, err := queryAll(ctx, db.db, "history", `
		SELECT submitted_at, 'submitted', ref, note, by, '', id, 0
		  FROM submission WHERE occurrence_id = ?
		UNION ALL
		SELECT undone_at, 'undone', submitted_at, undo_reason, '', '', id, 1
		  FROM submission WHERE occurrence_id = ? AND undone_at IS NOT NULL
		UNION ALL
		SELECT recorded_at, 'extended', previous_due, due, reason, by, id, 2
		  FROM extension WHERE occurrence_id = ?
		UNION ALL
		SELECT f.retired_at, 'taken over', f.agency_id, a.name, f.effective_due, '', f.id, 3
		  FROM occurrence f JOIN agency a ON a.id = f.agency_id WHERE f.moved_to = ?
		UNION ALL
		SELECT o.retired_at, 'handed over', t.agency_id, a.name, '', '', o.id, 4
		  FROM occurrence o JOIN occurrence t ON t.id = o.moved_to JOIN agency a ON a.id = t.agency_id WHERE o.id = ?`,
		[]any{id, id, id, id, id}, func(r scanner) (Event, error) {
			var e Event
			var at, c1, c2, c3, c4 string
			var id, order int
			if err := r.Scan(&at, &e.What, &c1, &c2, &c3, &c4, &id, &order); err != nil {
				return e, err
			}
			e.At, _ = time.Parse(time.RFC3339Nano, at)
			switch e.What {
			case "submitted":
				e.Ref, e.Note, e.By = c1, c2, c3
				e.Detail = "ref " + sqlQuote(e.Ref)
				if e.Note != "" {
					e.Detail += ", note " + sqlQuote(e.Note)
				}
				if e.By != "" {
					e.Detail += ", by " + e.By
				}
			case "undone":
				e.Submitted, _ = time.Parse(time.RFC3339, c1)
				e.Reason = c2
				e.Detail = "the submission of " + c1 + ": " + e.Reason
			case "extended":
				e.Previous, _ = hanchot.ParseDate(c1)
				e.Due, _ = hanchot.ParseDate(c2)
				e.Reason, e.By = c3, c4
				e.Detail = c1 + " → " + c2 + ": " + e.Reason
				if e.By != "" {
					e.Detail += " (" + e.By + ")"
				}
			case "taken over":
				e.Agency, e.AgencyName = c1, c2
				e.Due, _ = hanchot.ParseDate(c3)
				e.Detail = "from " + c1 + " (" + c2 + "), which ceased; due " + c3 + " there"
			case "handed over":
				e.Agency, e.AgencyName = c1, c2
				e.Detail = "to " + c1 + " (" + c2 + "), the successor"
			}
			return e, nil
		})
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	return events, err
}

// sqlQuote writes s in single quotes, doubling the quotes inside.
func sqlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
