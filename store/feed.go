package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"hanchot"
)

// FeedFilter selects the occurrences of a calendar feed.
type FeedFilter struct {
	Agency   string       // one agency; "" for every agency
	Role     hanchot.Role // lead or support only; "" for both
	From, To int          // reporting years, both included
}

// FeedEntry is an occurrence as a calendar event: its dates, its state and
// what changed it last.
type FeedEntry struct {
	hanchot.Item
	// Ident is the deadline's explicit id in the configuration, "" when
	// it is known by its period.
	Ident string
	// Revision counts the changes of the event (date, extension,
	// retirement); Changed is when the last one happened.
	Revision int
	Changed  time.Time
	// Tracked: its date is on or after the day tracking started for it,
	// so it is reminded, escalated and can be overdue.
	Tracked bool
	// Retired is when it left the calendar (zero while it is in it);
	// MovedTo the agency that took it over, if its own agency ceased.
	Retired time.Time
	MovedTo string
	// Submission is the standing submission, if any; SubmissionChanged is
	// when a submission of it was last recorded or undone.
	Submission        *Submission
	SubmissionChanged time.Time
	// Leads are the agencies that lead the same deadline and year, with
	// their date: for a supporting agency, whom its input goes to.
	Leads []FeedLead
}

// FeedLead is a lead agency of a supporting agency's occurrence.
type FeedLead struct {
	ID, Name string
	Target   hanchot.Date
}

// FeedEntries returns the occurrences of the filter's reporting years, in
// the calendar or retired from it (a feed shows those as cancelled), with
// their submission and revision, ordered by date, code, period, role and
// agency. It only reads.
func (db *DB) FeedEntries(ctx context.Context, f FeedFilter) ([]FeedEntry, error) {
	q := `SELECT ` + itemColumns + `, coalesce(d.ident, ''), o.revision, o.changed_at,
			coalesce(o.extended_due, o.effective_due) >= o.tracked_from,
			coalesce(o.retired_at, ''), coalesce(m.agency_id, ''),
			coalesce(s.submitted_at, ''), coalesce(s.ref, ''), coalesce(s.note, ''), coalesce(s.by, ''),
			coalesce((SELECT max(max(x.recorded_at, coalesce(x.undone_at, ''))) FROM submission x WHERE x.occurrence_id = o.id), ''),
			coalesce((SELECT group_concat(l.agency_id || char(31) || la.name || char(31) || coalesce(l.extended_due, l.effective_due), char(30))
			            FROM occurrence l JOIN agency la ON la.id = l.agency_id
			           WHERE l.deadline_id = o.deadline_id AND l.year = o.year AND l.role = 'lead' AND l.retired_at IS NULL), '')
		FROM ` + itemJoins + `
		LEFT JOIN occurrence m ON m.id = o.moved_to
		LEFT JOIN submission s ON s.occurrence_id = o.id AND s.undone_at IS NULL
		WHERE o.year BETWEEN ? AND ?`
	args := []any{f.From, f.To}
	if f.Agency != "" {
		q += ` AND o.agency_id = ?`
		args = append(args, f.Agency)
	}
	if f.Role != "" {
		q += ` AND o.role = ?`
		args = append(args, string(f.Role))
	}
	q += ` ORDER BY coalesce(o.extended_due, o.effective_due), r.code, d.period, o.role, o.agency_id`
	return queryAll(ctx, db.db, "feed", q, args, func(row scanner) (FeedEntry, error) {
		var e FeedEntry
		var changed, retired, subAt, ref, note, by, subChanged, leads string
		if err := scanItemInto(row, &e.Item, &e.Ident, &e.Revision, &changed, &e.Tracked, &retired, &e.MovedTo,
			&subAt, &ref, &note, &by, &subChanged, &leads); err != nil {
			return e, err
		}
		e.Changed = parseStamp(changed)
		e.Retired = parseStamp(retired)
		e.SubmissionChanged = parseStamp(subChanged)
		if subAt != "" {
			at, _ := time.Parse(time.RFC3339, subAt)
			e.Submission = &Submission{At: at, Ref: ref, Note: note, By: by}
		}
		if leads != "" {
			for _, l := range strings.Split(leads, "\x1e") {
				parts := strings.Split(l, "\x1f")
				if len(parts) != 3 {
					continue
				}
				d, _ := hanchot.ParseDate(parts[2])
				e.Leads = append(e.Leads, FeedLead{ID: parts[0], Name: parts[1], Target: d})
			}
		}
		return e, nil
	})
}

// AgencyName returns the name of an agency as last synced, and whether the
// database knows it (retired agencies included).
func (db *DB) AgencyName(ctx context.Context, id string) (string, bool, error) {
	var name string
	err := db.db.QueryRowContext(ctx, `SELECT name FROM agency WHERE id = ?`, id).Scan(&name)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	return name, err == nil, err
}

// parseStamp reads a time stored by stamp (or RFC 3339); zero for "".
func parseStamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
