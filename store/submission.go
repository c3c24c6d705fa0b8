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
	Due       hanchot.Date // NotAfterDue: the date that counts now; RequestWaiting: the date the waiting request asks for
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
	RequestWaiting   KeyReason = "request waiting"   // another request for a later date waits for a decision
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
	case RequestWaiting:
		if e.Due.IsZero() {
			return fmt.Sprintf("%s already has a request waiting: %v", k, ErrConflict)
		}
		return fmt.Sprintf("%s already has a request for %s waiting: %v", k, e.Due, ErrConflict)
	}
	return fmt.Sprintf("%s: %s", k, e.Reason)
}

func (e *KeyError) Unwrap() error {
	if e.Reason == NotTracked || e.Reason == HandedOver {
		return ErrNotFound
	}
	return ErrConflict
}

// OccurrenceKey names an occurrence the way people do, or by its id.
type OccurrenceKey struct {
	Code, Period string
	Year         int
	Agency       string
	// Ident is the deadline's explicit id in the configuration, if any:
	// it finds the deadline however its period was labelled when synced.
	Ident string
	// ID, when not 0, is the occurrence's id, as a signed link gives it:
	// it names the occurrence instead of Code, Period and Year, and the
	// occurrence must be Agency's (any agency's when Agency is "").
	ID int64
}

func (k OccurrenceKey) String() string {
	if k.Code == "" && k.ID != 0 {
		return fmt.Sprintf("occurrence %d for %s", k.ID, k.Agency)
	}
	return fmt.Sprintf("%s %s %d for %s", k.Code, k.Period, k.Year, k.Agency)
}

// Occurrence is an occurrence with its submission state.
type Occurrence struct {
	hanchot.Item
	Submission *Submission
	// Pending is the agency's request for a later date that waits for a
	// decision, if any.
	Pending *ExtensionRequest
}

// Submission is a standing submission.
type Submission struct {
	At   time.Time
	Ref  string
	Note string
	By   string
	// Source is where it was recorded: "cli" or "web".
	Source string
}

// queryer is a database or a transaction.
type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// findOccurrence returns the occurrence k names, in the calendar now. The
// period matches after normalisation ("Quý 1" finds "Quý I"); a key with
// an ID finds that occurrence, if it is the key's agency's.
func findOccurrence(ctx context.Context, q queryer, k OccurrenceKey) (Occurrence, error) {
	type found struct {
		o             Occurrence
		at, ref, note sql.NullString
		by, source    sql.NullString
		retired       bool
		successor     string
		request       sql.NullInt64
	}
	where := `r.code = ? AND o.year = ? AND o.agency_id = ?`
	args := []any{k.Code, k.Year, k.Agency}
	if k.ID != 0 {
		where, args = `o.id = ? AND ? IN ('', o.agency_id)`, []any{k.ID, k.Agency}
	}
	var all []found
	rows, err := q.QueryContext(ctx, `SELECT `+itemColumns+`,
			s.submitted_at, s.ref, s.note, s.by, s.source, o.retired_at IS NOT NULL, coalesce(m.agency_id, ''), coalesce(d.ident, ''),
			(SELECT x.id FROM extension_request x WHERE x.occurrence_id = o.id AND x.status = 'pending')
		FROM `+itemJoins+`
		LEFT JOIN submission s ON s.occurrence_id = o.id AND s.undone_at IS NULL
		LEFT JOIN occurrence m ON m.id = o.moved_to
		WHERE `+where+` AND (o.retired_at IS NULL OR o.moved_to IS NOT NULL)
		ORDER BY o.retired_at IS NOT NULL, o.role`, args...)
	if err != nil {
		return Occurrence{}, err
	}
	for rows.Next() {
		var f found
		var ident string
		if err := scanItemInto(rows, &f.o.Item, &f.at, &f.ref, &f.note, &f.by, &f.source, &f.retired, &f.successor, &ident, &f.request); err != nil {
			rows.Close()
			return Occurrence{}, err
		}
		if k.ID != 0 || hanchot.PeriodKey(f.o.Period) == hanchot.PeriodKey(k.Period) || (k.Ident != "" && ident == hanchot.IDKey(k.Ident)) {
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
		o.Submission = &Submission{At: t, Ref: f.ref.String, Note: f.note.String, By: f.by.String, Source: f.source.String}
	}
	if f.request.Valid {
		reqs, err := queryRequests(ctx, q, `x.id = ?`, []any{f.request.Int64}, 1)
		if err != nil {
			return Occurrence{}, err
		}
		if len(reqs) == 1 {
			o.Pending = &reqs[0]
		}
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
	// Source is where it comes from: "web", or "" for the command line.
	// ClientIP and UserAgent say who sent it over the web.
	Source, ClientIP, UserAgent string
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
			source := s.Source
			if source == "" {
				source = "cli"
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO submission (occurrence_id, submitted_at, ref, note, by, recorded_at, source, client_ip, user_agent)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				o.OccurrenceID, s.At.Format(time.RFC3339), s.Ref, s.Note, s.By, now, source, s.ClientIP, s.UserAgent)
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
		previous = o.Target
		return extend(ctx, tx, o, k, due, reason, by, stamp(db.Now()))
	})
	return previous, err
}

// extend records an extension of o to due in tx. A submitted occurrence,
// or a date not after the one that counts, is a *KeyError (ErrConflict).
func extend(ctx context.Context, tx *sql.Tx, o Occurrence, k OccurrenceKey, due hanchot.Date, reason, by, now string) error {
	if o.Submission != nil {
		return &KeyError{Reason: AlreadySubmitted, Key: k, At: o.Submission.At, Ref: o.Submission.Ref}
	}
	if !due.After(o.Target) {
		return &KeyError{Reason: NotAfterDue, Key: k, Due: o.Target, Asked: due}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO extension (occurrence_id, previous_due, due, reason, by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
		o.OccurrenceID, o.Target.String(), due.String(), reason, by, now); err != nil {
		return err
	}
	// The calendar event moves: a new revision.
	_, err := tx.ExecContext(ctx, `UPDATE occurrence SET extended_due = ?, revision = revision + 1, changed_at = ? WHERE id = ?`,
		due.String(), now, o.OccurrenceID)
	return err
}

// Event is one entry of an occurrence's history.
type Event struct {
	At     time.Time // when it happened (submitted_at for a submission)
	What   string    // submitted | undone | extended | requested | refused | taken over | handed over
	Detail string    // what else there is to say, in English
	// The parts of Detail, for a front end that speaks another language.
	Ref, Note, By      string       // submitted, requested (By also when extended; refused: who refused)
	Source, ClientIP   string       // submitted: "cli" or "web", and for the web the client's address; requested: that address
	Reason             string       // undone, extended, requested
	Answer             string       // refused: the focal point's words to the agency
	Submitted          time.Time    // undone: when the undone submission was made
	Previous, Due      hanchot.Date // extended: the date before and after; requested, refused: the date asked for; taken over: the date at the agency that ceased
	Agency, AgencyName string       // taken over: the agency that ceased; handed over: the successor
}

// History returns what was recorded for an occurrence, oldest first:
// submissions (undone ones included, with their undoing), extensions and
// the requests for them, and handovers from an agency that ceased to its
// successor.
func (db *DB) History(ctx context.Context, k OccurrenceKey) ([]Event, error) {
	o, err := db.Occurrence(ctx, k)
	if err != nil && (!errors.Is(err, ErrNotFound) || o.OccurrenceID == 0) {
		return nil, err
	}
	id := o.OccurrenceID
	events, err := queryAll(ctx, db.db, "history", `
		SELECT requested_at, 'requested', due, reason, by, client_ip, '', id, 5
		  FROM extension_request WHERE occurrence_id = ?
		UNION ALL
		SELECT decided_at, 'refused', due, answer, decided_by, '', '', id, 6
		  FROM extension_request WHERE occurrence_id = ? AND status = 'refused'
		UNION ALL
		SELECT submitted_at, 'submitted', ref, note, by, source, client_ip, id, 0
		  FROM submission WHERE occurrence_id = ?
		UNION ALL
		SELECT undone_at, 'undone', submitted_at, undo_reason, '', '', '', id, 1
		  FROM submission WHERE occurrence_id = ? AND undone_at IS NOT NULL
		UNION ALL
		SELECT recorded_at, 'extended', previous_due, due, reason, by, '', id, 2
		  FROM extension WHERE occurrence_id = ?
		UNION ALL
		SELECT f.retired_at, 'taken over', f.agency_id, a.name, f.effective_due, '', '', f.id, 3
		  FROM occurrence f JOIN agency a ON a.id = f.agency_id WHERE f.moved_to = ?
		UNION ALL
		SELECT o.retired_at, 'handed over', t.agency_id, a.name, '', '', '', o.id, 4
		  FROM occurrence o JOIN occurrence t ON t.id = o.moved_to JOIN agency a ON a.id = t.agency_id WHERE o.id = ?`,
		[]any{id, id, id, id, id, id, id}, func(r scanner) (Event, error) {
			var e Event
			var at, c1, c2, c3, c4, c5 string
			var id, order int
			if err := r.Scan(&at, &e.What, &c1, &c2, &c3, &c4, &c5, &id, &order); err != nil {
				return e, err
			}
			e.At, _ = time.Parse(time.RFC3339Nano, at)
			switch e.What {
			case "submitted":
				e.Ref, e.Note, e.By, e.Source, e.ClientIP = c1, c2, c3, c4, c5
				e.Detail = "ref " + sqlQuote(e.Ref)
				if e.Note != "" {
					e.Detail += ", note " + sqlQuote(e.Note)
				}
				if e.By != "" {
					e.Detail += ", by " + e.By
				}
				if e.Source == "web" {
					e.Detail += ", on the web from " + e.ClientIP
				}
			case "requested":
				e.Due, _ = hanchot.ParseDate(c1)
				e.Reason, e.By, e.ClientIP = c2, c3, c4
				e.Detail = "an extension to " + c1 + ": " + e.Reason
				if e.By != "" {
					e.Detail += " (" + e.By + ")"
				}
				e.Detail += ", on the web from " + e.ClientIP
			case "refused":
				e.Due, _ = hanchot.ParseDate(c1)
				e.Answer, e.By = c2, c3
				e.Detail = "the request for " + c1
				if e.Answer != "" {
					e.Detail += ": " + e.Answer
				}
				e.Detail += " (" + e.By + ")"
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

// SubmissionRecord is a recorded submission, standing or undone, with its
// occurrence.
type SubmissionRecord struct {
	ID int64
	hanchot.Item
	Submission
	RecordedAt          time.Time
	ClientIP, UserAgent string
	UndoneAt            time.Time // zero while it stands
	UndoReason          string
}

// SubmissionFilter selects recorded submissions.
type SubmissionFilter struct {
	Occurrence int64  // one occurrence's; 0 for all
	Agency     string // one agency's; "" for all
	Year       int    // one reporting year's; 0 for all
	Limit      int    // at most this many, newest first; 0 for all
}

// Submissions returns recorded submissions, undone ones included, the
// most recently recorded first.
func (db *DB) Submissions(ctx context.Context, f SubmissionFilter) ([]SubmissionRecord, error) {
	q := `SELECT ` + itemColumns + `, s.id, s.submitted_at, s.ref, s.note, s.by, s.source, s.recorded_at,
			s.client_ip, s.user_agent, coalesce(s.undone_at, ''), s.undo_reason
		FROM ` + itemJoins + ` JOIN submission s ON s.occurrence_id = o.id WHERE 1=1`
	var args []any
	if f.Occurrence != 0 {
		q += ` AND s.occurrence_id = ?`
		args = append(args, f.Occurrence)
	}
	if f.Agency != "" {
		q += ` AND o.agency_id = ?`
		args = append(args, f.Agency)
	}
	if f.Year != 0 {
		q += ` AND o.year = ?`
		args = append(args, f.Year)
	}
	q += ` ORDER BY s.recorded_at DESC, s.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryAll(ctx, db.db, "submissions", q, args, func(r scanner) (SubmissionRecord, error) {
		var s SubmissionRecord
		var at, recorded, undone string
		if err := scanItemInto(r, &s.Item, &s.ID, &at, &s.Ref, &s.Note, &s.By, &s.Source, &recorded,
			&s.ClientIP, &s.UserAgent, &undone, &s.UndoReason); err != nil {
			return s, err
		}
		s.At, _ = time.Parse(time.RFC3339, at)
		s.RecordedAt = parseStamp(recorded)
		s.UndoneAt = parseStamp(undone)
		return s, nil
	})
}

// Extension is a granted extension.
type Extension struct {
	Previous, Due hanchot.Date
	Reason, By    string
	RecordedAt    time.Time
}

// Extensions returns the extensions granted to an occurrence, oldest
// first.
func (db *DB) Extensions(ctx context.Context, occurrence int64) ([]Extension, error) {
	return queryAll(ctx, db.db, "extensions", `SELECT previous_due, due, reason, by, recorded_at FROM extension
		WHERE occurrence_id = ? ORDER BY id`, []any{occurrence}, func(r scanner) (Extension, error) {
		var e Extension
		var prev, due, at string
		if err := r.Scan(&prev, &due, &e.Reason, &e.By, &at); err != nil {
			return e, err
		}
		e.Previous, _ = hanchot.ParseDate(prev)
		e.Due, _ = hanchot.ParseDate(due)
		e.RecordedAt = parseStamp(at)
		return e, nil
	})
}
