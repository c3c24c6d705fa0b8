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

// Change is one thing a sync added, changed, retired or restored.
type Change struct {
	Kind string // agency | group | report | deadline
	Key  string // id, code, or "code period"
	What string // added | changed | relabelled | retired | restored
}

// OccurrenceCounts counts what a sync did to occurrences.
type OccurrenceCounts struct {
	Added, Changed, Retired, Restored int
	Moved                             int // open items handed to the successor of an agency that ceased
	PastLeft                          int // past occurrences the file would change or retire, left as they were
	NotTracked                        int // occurrences dated before tracking starts for them, not written
}

// SyncOptions say how a sync treats the past.
type SyncOptions struct {
	// Today is the sync's day: an occurrence whose date that counts is
	// before it is past, and a sync leaves it as it is.
	Today hanchot.Date
	// Start is schedule.start. The first sync records it (Today when it
	// is zero) as the first day tracked; later syncs track what they add
	// from Today.
	Start hanchot.Date
	// RewritePast lets the sync change past occurrences too and write
	// those dated from Start on; it is logged with Reason.
	RewritePast bool
	Reason      string
	// AllowRetire lets the sync retire occurrences that have a standing
	// submission or sent mail; without it such a sync is refused.
	AllowRetire bool
	// DryRun works everything out and writes nothing.
	DryRun bool
}

// SyncResult is what a sync did.
type SyncResult struct {
	Changes      []Change
	Occurrences  OccurrenceCounts
	Years        []int
	First        bool             // the database's first sync
	Start        hanchot.Date     // the first day tracked
	TrackedFrom  hanchot.Date     // what this sync added is tracked from this day
	StartDiffers bool             // schedule.start differs from the recorded start, which stays
	Past         []Note           // some of the past occurrences left as they were
	Moves        []Note           // some of the open items handed to a successor
	Rewritten    OccurrenceCounts // with RewritePast: what it did to past occurrences
}

// maxNotes bounds the described past occurrences and moves a result keeps.
const maxNotes = 20

// Empty reports whether the sync changed nothing.
func (r SyncResult) Empty() bool {
	o := r.Occurrences
	return len(r.Changes) == 0 && o.Added == 0 && o.Changed == 0 && o.Retired == 0 && o.Restored == 0 && o.Moved == 0
}

// Note describes one occurrence a sync left as it was, moved to a
// successor, or refuses to retire.
type Note struct {
	Label  string // "1.2.1 Quý I": the report's code and the period
	Year   int
	Agency string
	Role   string
	Due    string   // the date that counts, as held
	What   NoteKind // what happened, or why
	Other  string   // the file's date (Changed, IntoPast) or the successor (Moved)
}

// NoteKind says what a Note is about.
type NoteKind string

const (
	Changed            NoteKind = "changed"      // past: the file now gives another date
	IntoPast           NoteKind = "into past"    // not yet due: the file moves it to a day already past
	Removed            NoteKind = "removed"      // past: no longer in the file
	Moved              NoteKind = "moved"        // handed over to the successor of its agency
	Submitted          NoteKind = "submitted"    // would be retired though submitted
	Mailed             NoteKind = "mailed about" // would be retired though mailed about
	SubmittedAndMailed NoteKind = "submitted and mailed about"
)

// Occurrence names the occurrence: "1.2.1 Quý I 2019 so-noi-vu (lead)".
func (n Note) Occurrence() string {
	return fmt.Sprintf("%s %d %s (%s)", n.Label, n.Year, n.Agency, n.Role)
}

func (n Note) String() string {
	switch n.What {
	case Changed:
		return fmt.Sprintf("%s: due %s, the file now says %s", n.Occurrence(), n.Due, n.Other)
	case IntoPast:
		return fmt.Sprintf("%s: due %s, the file moves it to %s, already past", n.Occurrence(), n.Due, n.Other)
	case Removed:
		return fmt.Sprintf("%s: due %s, no longer in the file", n.Occurrence(), n.Due)
	case Moved:
		return fmt.Sprintf("%s → %s", n.Occurrence(), n.Other)
	}
	return fmt.Sprintf("%s, due %s: %s", n.Occurrence(), n.Due, n.What)
}

// RetireError refuses a sync that would retire occurrences with a
// submission or sent mail.
type RetireError struct {
	Occurrences []Note
}

func (e *RetireError) Error() string {
	list := e.Occurrences
	more := ""
	if len(list) > maxNotes {
		more = fmt.Sprintf("\n  ... and %d more", len(list)-maxNotes)
		list = list[:maxNotes]
	}
	var lines []string
	for _, n := range list {
		lines = append(lines, n.String())
	}
	return fmt.Sprintf("the configuration no longer has %d occurrences that were submitted or mailed about; "+
		"retiring them would hide that record:\n  %s%s", len(e.Occurrences), strings.Join(lines, "\n  "), more)
}

// Start returns the first day tracked as recorded by the first sync;
// false before the first sync.
func (db *DB) Start(ctx context.Context) (hanchot.Date, bool, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM setting WHERE name = 'start'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return hanchot.Date{}, false, nil
	}
	if err != nil {
		return hanchot.Date{}, false, fmt.Errorf("start: %w", err)
	}
	d, err := hanchot.ParseDate(v)
	return d, err == nil, err
}

// Sync writes the calendar and the occurrences of the given reporting years
// into the database in one transaction: new rows are added, changed rows
// updated, and rows no longer in the configuration retired, never deleted.
// A past occurrence (its date that counts before opt.Today) is left as it
// is unless opt.RewritePast; an open one whose agency ceased moves to the
// agency's successor. Running it twice with the same input changes nothing
// the second time.
func (db *DB) Sync(ctx context.Context, cal *hanchot.Calendar, years map[int][]hanchot.Occurrence, opt SyncOptions) (SyncResult, error) {
	if opt.Today.IsZero() {
		opt.Today = hanchot.DateOf(db.Now(), time.UTC)
	}
	if opt.RewritePast && strings.TrimSpace(opt.Reason) == "" {
		return SyncResult{}, fmt.Errorf("sync: rewriting the past needs a reason")
	}
	var res SyncResult
	now := stamp(db.Now())
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	defer tx.Rollback()
	s := &syncer{tx: tx, ctx: ctx, now: now, res: &res, cal: cal, index: cal.Index(), opt: opt}
	if err := s.run(years); err != nil {
		return SyncResult{}, fmt.Errorf("sync: %w", err)
	}
	if len(s.blocked) > 0 && !opt.AllowRetire {
		return SyncResult{}, &RetireError{Occurrences: s.blocked}
	}
	if opt.DryRun {
		return res, nil
	}
	if err := tx.Commit(); err != nil {
		return SyncResult{}, fmt.Errorf("sync: %w", err)
	}
	return res, nil
}

func (s *syncer) run(years map[int][]hanchot.Occurrence) error {
	if err := s.start(); err != nil {
		return err
	}
	cal := s.cal
	var agencies, groups, reports []row
	for _, a := range cal.Agencies {
		agencies = append(agencies, row{key: a.ID, vals: []any{a.Name, strings.Join(a.Emails, ",")}})
	}
	for _, g := range cal.Groups {
		groups = append(groups, row{key: g.ID, vals: []any{g.Name, strings.Join(g.Members, ",")}})
	}
	for _, r := range cal.Reports {
		reports = append(reports, row{key: r.Code, vals: []any{r.Title, strings.Join(r.Lead, ","), strings.Join(r.Support, ","), r.Points, r.Evidence}})
	}
	if err := s.table("agency", "agency", "id", []string{"name", "emails"}, agencies); err != nil {
		return err
	}
	if err := s.table("group", "agency_group", "id", []string{"name", "members"}, groups); err != nil {
		return err
	}
	if err := s.table("report", "report", "code", []string{"title", "lead", "support", "points", "evidence"}, reports); err != nil {
		return err
	}
	ids, err := s.deadlines(cal)
	if err != nil {
		return err
	}
	var ys []int
	for y := range years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	for _, y := range ys {
		if err := s.occurrences(y, years[y], ids); err != nil {
			return err
		}
	}
	s.res.Years = ys
	if s.opt.RewritePast {
		c := s.past
		s.res.Rewritten = c
		if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO past_rewrite (recorded_at, as_of, reason, changed, retired, added) VALUES (?, ?, ?, ?, ?, ?)`,
			s.now, s.opt.Today.String(), strings.TrimSpace(s.opt.Reason), c.Changed, c.Retired, c.Added); err != nil {
			return err
		}
	}
	return nil
}

// start reads (or, on the first sync, records) the first day tracked and
// works out from when this sync's additions are tracked.
func (s *syncer) start() error {
	var v string
	err := s.tx.QueryRowContext(s.ctx, `SELECT value FROM setting WHERE name = 'start'`).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		s.res.First = true
		s.res.Start = s.opt.Start
		if s.res.Start.IsZero() {
			s.res.Start = s.opt.Today
		}
	case err != nil:
		return err
	default:
		if s.res.Start, err = hanchot.ParseDate(v); err != nil {
			return fmt.Errorf("recorded start: %w", err)
		}
		if !s.opt.Start.IsZero() && !s.opt.Start.Equal(s.res.Start) {
			if s.opt.RewritePast {
				s.res.Start = s.opt.Start
			} else {
				s.res.StartDiffers = true
			}
		}
	}
	if s.res.First || s.opt.RewritePast {
		if _, err := s.tx.ExecContext(s.ctx, `INSERT INTO setting (name, value) VALUES ('start', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, s.res.Start.String()); err != nil {
			return err
		}
		s.res.TrackedFrom = s.res.Start
	} else {
		s.res.TrackedFrom = s.opt.Today
		if s.res.Start.After(s.opt.Today) {
			s.res.TrackedFrom = s.res.Start
		}
	}
	return nil
}

// isPast reports whether an occurrence dated target is past and so left
// as it is.
func (s *syncer) isPast(target string) bool {
	return !s.opt.RewritePast && target < s.opt.Today.String()
}

func (s *syncer) note(list *[]Note, n Note) {
	if len(*list) < maxNotes {
		*list = append(*list, n)
	}
}

type syncer struct {
	tx      *sql.Tx
	ctx     context.Context
	now     string
	res     *SyncResult
	cal     *hanchot.Calendar
	index   *hanchot.Index // cal's agencies and groups, looked up many times
	opt     SyncOptions
	labels  map[int64]string // deadline id -> "code period"
	blocked []Note           // occurrences with a record that the sync would retire
	past    OccurrenceCounts // what a rewrite of the past did to past occurrences
}

type row struct {
	key  string
	vals []any
}

// table syncs a keyed table whose columns are compared as text.
func (s *syncer) table(kind, table, keyCol string, cols []string, want []row) error {
	existing := map[string][]string{}
	retired := map[string]bool{}
	q := fmt.Sprintf(`SELECT %s, %s, retired_at IS NOT NULL FROM %s`, keyCol, strings.Join(cols, ", "), table)
	rows, err := s.tx.QueryContext(s.ctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
		var key string
		vals := make([]string, len(cols))
		var ret bool
		dest := []any{&key}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		dest = append(dest, &ret)
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return err
		}
		existing[key], retired[key] = vals, ret
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	set := strings.Join(cols, " = ?, ") + " = ?"
	for _, w := range want {
		seen[w.key] = true
		old, ok := existing[w.key]
		if !ok {
			ph := strings.Repeat(", ?", len(cols))
			args := append([]any{w.key}, w.vals...)
			if _, err := s.tx.ExecContext(s.ctx, fmt.Sprintf(`INSERT INTO %s (%s, %s) VALUES (?%s)`, table, keyCol, strings.Join(cols, ", "), ph), args...); err != nil {
				return err
			}
			s.change(kind, w.key, "added")
			continue
		}
		same := true
		for i, v := range w.vals {
			if fmt.Sprint(v) != old[i] {
				same = false
			}
		}
		if same && !retired[w.key] {
			continue
		}
		args := append(append([]any{}, w.vals...), w.key)
		if _, err := s.tx.ExecContext(s.ctx, fmt.Sprintf(`UPDATE %s SET %s, retired_at = NULL WHERE %s = ?`, table, set, keyCol), args...); err != nil {
			return err
		}
		if retired[w.key] {
			s.change(kind, w.key, "restored")
		} else {
			s.change(kind, w.key, "changed")
		}
	}
	var gone []string
	for key := range existing {
		if !seen[key] && !retired[key] {
			gone = append(gone, key)
		}
	}
	sort.Strings(gone)
	for _, key := range gone {
		if _, err := s.tx.ExecContext(s.ctx, fmt.Sprintf(`UPDATE %s SET retired_at = ? WHERE %s = ?`, table, keyCol), s.now, key); err != nil {
			return err
		}
		s.change(kind, key, "retired")
	}
	return nil
}

func (s *syncer) change(kind, key, what string) {
	s.res.Changes = append(s.res.Changes, Change{Kind: kind, Key: key, What: what})
}

// deadlines syncs the deadline table and returns the id of each
// (code, period). A deadline is known by its explicit id when it has one,
// else by its period compared after normalisation (hanchot.PeriodKey), so
// that relabelling "Quý I" as "Quý 1", or re-saving the file in another
// Unicode form, keeps the deadline and its occurrences.
func (s *syncer) deadlines(cal *hanchot.Calendar) (map[[2]string]int64, error) {
	type dl struct {
		id                  int64
		code, period, ident string
		rule                string
		keep                int
		retired, matched    bool
	}
	var existing []*dl
	rows, err := s.tx.QueryContext(s.ctx, `SELECT id, report_code, period, coalesce(ident, ''), rule, keep, retired_at IS NOT NULL FROM deadline ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		d := &dl{}
		if err := rows.Scan(&d.id, &d.code, &d.period, &d.ident, &d.rule, &d.keep, &d.retired); err != nil {
			rows.Close()
			return nil, err
		}
		existing = append(existing, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type want struct {
		code, period, ident, rule string
		keep                      int
		match                     *dl
	}
	var wants []*want
	for _, r := range cal.Reports {
		for _, d := range r.Deadlines {
			w := &want{code: r.Code, period: d.Period, ident: hanchot.IDKey(d.ID), rule: d.Rule.Text}
			if d.Keep {
				w.keep = 1
			}
			wants = append(wants, w)
		}
	}
	// By explicit id first, then by period among the rest; two different
	// ids never match.
	for _, w := range wants {
		for _, e := range existing {
			if w.ident != "" && !e.matched && e.code == w.code && e.ident == w.ident {
				w.match, e.matched = e, true
				break
			}
		}
	}
	for _, w := range wants {
		for _, e := range existing {
			if w.match == nil && !e.matched && e.code == w.code && (e.ident == "" || w.ident == "") &&
				hanchot.PeriodKey(e.period) == hanchot.PeriodKey(w.period) {
				w.match, e.matched = e, true
				break
			}
		}
	}
	ids := map[[2]string]int64{}
	s.labels = map[int64]string{}
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, w := range wants {
		label := w.code + " " + w.period
		e := w.match
		var id int64
		switch {
		case e == nil:
			res, err := s.tx.ExecContext(s.ctx, `INSERT INTO deadline (report_code, period, ident, rule, keep) VALUES (?, ?, ?, ?, ?)`,
				w.code, w.period, nullable(w.ident), w.rule, w.keep)
			if err != nil {
				return nil, err
			}
			id, _ = res.LastInsertId()
			s.change("deadline", label, "added")
		default:
			id = e.id
			if e.period == w.period && e.ident == w.ident && e.rule == w.rule && e.keep == w.keep && !e.retired {
				break
			}
			if _, err := s.tx.ExecContext(s.ctx, `UPDATE deadline SET period = ?, ident = ?, rule = ?, keep = ?, retired_at = NULL WHERE id = ?`,
				w.period, nullable(w.ident), w.rule, w.keep, e.id); err != nil {
				return nil, err
			}
			switch {
			case e.retired:
				s.change("deadline", label, "restored")
			case e.period != w.period:
				s.change("deadline", e.code+" "+e.period+" → "+w.period, "relabelled")
				if e.rule != w.rule || e.keep != w.keep {
					s.change("deadline", label, "changed")
				}
			case e.rule != w.rule || e.keep != w.keep:
				s.change("deadline", label, "changed")
			}
		}
		ids[[2]string{w.code, w.period}] = id
		s.labels[id] = label
	}
	for _, e := range existing {
		if e.matched {
			continue
		}
		s.labels[e.id] = e.code + " " + e.period
		if e.retired {
			continue
		}
		if _, err := s.tx.ExecContext(s.ctx, `UPDATE deadline SET retired_at = ? WHERE id = ?`, s.now, e.id); err != nil {
			return nil, err
		}
		s.change("deadline", e.code+" "+e.period, "retired")
	}
	return ids, nil
}

// occurrences syncs the occurrences of reporting year y. Past ones are
// left as they are; new ones dated before tracking starts for them are
// not written; open ones of an agency that ceased move to its successor;
// the rest of those no longer in the calendar are retired.
func (s *syncer) occurrences(y int, occs []hanchot.Occurrence, ids map[[2]string]int64) error {
	type key struct {
		deadline int64
		agency   string
		role     string
	}
	type old struct {
		id          int64
		due, eff    string
		target      string
		retired     bool
		moved       bool
		submitted   bool
		mailed      bool
		trackedFrom string
	}
	existing := map[key]*old{}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT o.id, o.deadline_id, o.agency_id, o.role, o.due, o.effective_due,
			coalesce(o.extended_due, o.effective_due), o.retired_at IS NOT NULL, o.moved_to IS NOT NULL, o.tracked_from,
			EXISTS (SELECT 1 FROM submission s WHERE s.occurrence_id = o.id AND s.undone_at IS NULL),
			EXISTS (SELECT 1 FROM notification n JOIN delivery dl ON dl.message_id = n.message_id WHERE n.occurrence_id = o.id AND dl.status = 'sent')
		FROM occurrence o WHERE o.year = ?`, y)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		o := &old{}
		if err := rows.Scan(&o.id, &k.deadline, &k.agency, &k.role, &o.due, &o.eff, &o.target, &o.retired, &o.moved, &o.trackedFrom, &o.submitted, &o.mailed); err != nil {
			rows.Close()
			return err
		}
		existing[k] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ins, err := s.tx.PrepareContext(s.ctx, `INSERT INTO occurrence (deadline_id, year, agency_id, role, due, effective_due, tracked_from, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	// Every update and retirement changes the occurrence's calendar event
	// (its date, or whether it is cancelled): a new revision.
	upd, err := s.tx.PrepareContext(s.ctx, `UPDATE occurrence SET due = ?, effective_due = ?, retired_at = NULL, tracked_from = ?,
		revision = revision + 1, changed_at = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	retire, err := s.tx.PrepareContext(s.ctx, `UPDATE occurrence SET retired_at = ?, moved_to = ?, revision = revision + 1, changed_at = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer retire.Close()

	c := &s.res.Occurrences
	trackFrom := s.res.TrackedFrom.String()
	note := func(k key, due string, what NoteKind, other string) Note {
		return Note{Label: s.labels[k.deadline], Year: y, Agency: k.agency, Role: k.role, Due: due, What: what, Other: other}
	}
	seen := map[key]bool{}
	current := map[[2]any]int64{} // (deadline, agency) -> the occurrence now in the calendar
	for _, o := range occs {
		k := key{ids[[2]string{o.Code, o.Period}], o.Agency, string(o.Role)}
		seen[k] = true
		due, eff := o.Due.String(), o.EffectiveDue.String()
		e, ok := existing[k]
		switch {
		case !ok:
			if eff < trackFrom {
				c.NotTracked++
				continue
			}
			res, err := ins.ExecContext(s.ctx, k.deadline, y, o.Agency, k.role, due, eff, trackFrom, s.now)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			current[[2]any{k.deadline, k.agency}] = id
			c.Added++
			if s.opt.RewritePast && eff < s.opt.Today.String() {
				s.past.Added++
			}
			continue
		case e.moved:
			continue // handed over to a successor: it stays with it
		case e.due == due && e.eff == eff && !e.retired:
		case e.retired && eff < trackFrom && !s.opt.RewritePast:
			c.NotTracked++ // retired before its date and not tracked since
			continue
		case s.isPast(e.target):
			c.PastLeft++
			s.note(&s.res.Past, note(k, e.eff, Changed, eff))
		case !s.opt.RewritePast && e.target == e.eff && eff < s.opt.Today.String():
			// Not yet due, but the file moves it to a day already past:
			// that would make it overdue at once, before its agency could
			// act (and its supporting inputs, already past, stay put).
			c.PastLeft++
			s.note(&s.res.Past, note(k, e.eff, IntoPast, eff))
		default:
			tracked := e.trackedFrom
			if e.retired && tracked < trackFrom {
				tracked = trackFrom // back in the calendar: tracked from now on, never backfilled
			}
			if _, err := upd.ExecContext(s.ctx, due, eff, tracked, s.now, e.id); err != nil {
				return err
			}
			if e.retired {
				c.Restored++
			} else {
				c.Changed++
			}
			if e.target < s.opt.Today.String() {
				s.past.Changed++
			}
		}
		current[[2]any{k.deadline, k.agency}] = e.id
	}
	var gone []key
	for k, e := range existing {
		if !seen[k] && !e.retired {
			gone = append(gone, k)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return existing[gone[i]].id < existing[gone[j]].id })
	for _, k := range gone {
		e := existing[k]
		if s.isPast(e.target) {
			c.PastLeft++
			s.note(&s.res.Past, note(k, e.eff, Removed, ""))
			continue
		}
		effDate, _ := hanchot.ParseDate(e.eff)
		if succ, ok := s.index.Resolve(k.agency, effDate); ok && succ != k.agency {
			if to, ok := current[[2]any{k.deadline, succ}]; ok {
				if e.submitted {
					continue // done before the handover: it stays with the agency that did it
				}
				if _, err := retire.ExecContext(s.ctx, s.now, to, s.now, e.id); err != nil {
					return err
				}
				c.Moved++
				s.note(&s.res.Moves, note(k, e.eff, Moved, succ))
				continue
			}
		}
		if e.submitted || e.mailed {
			what := Submitted
			if !e.submitted {
				what = Mailed
			} else if e.mailed {
				what = SubmittedAndMailed
			}
			s.blocked = append(s.blocked, note(k, e.eff, what, ""))
		}
		if _, err := retire.ExecContext(s.ctx, s.now, nil, s.now, e.id); err != nil {
			return err
		}
		c.Retired++
		if e.target < s.opt.Today.String() {
			s.past.Retired++
		}
	}
	_, err = s.tx.ExecContext(s.ctx, `INSERT INTO calendar_year (year, synced_at) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET synced_at = excluded.synced_at`, y, s.now)
	return err
}

// SyncedYears returns the reporting years whose occurrences are in the
// database.
func (db *DB) SyncedYears(ctx context.Context) (map[int]bool, error) {
	years, err := queryAll(ctx, db.db, "synced years", `SELECT year FROM calendar_year`, nil, func(r scanner) (y int, err error) {
		return y, r.Scan(&y)
	})
	out := map[int]bool{}
	for _, y := range years {
		out[y] = true
	}
	return out, err
}

// ExtendedYears returns the reporting years that have an open occurrence
// extended to today or later: its date has not passed, whatever its year.
// It reads the extensions, which are few, not the occurrences.
func (db *DB) ExtendedYears(ctx context.Context, today hanchot.Date) ([]int, error) {
	return queryAll(ctx, db.db, "extended years", extendedYearsQuery, []any{today.String()},
		func(r scanner) (y int, err error) { return y, r.Scan(&y) })
}

// extendedYearsQuery walks the extensions and looks each occurrence up by
// its id: CROSS JOIN keeps SQLite from walking the occurrences instead,
// which it otherwise prefers while the extension table is empty.
const extendedYearsQuery = `SELECT DISTINCT o.year
	FROM extension e CROSS JOIN occurrence o ON o.id = e.occurrence_id
	WHERE o.retired_at IS NULL AND o.submitted_on IS NULL AND o.extended_due >= ?`

// Dated is an occurrence as the database holds it: the dates it was
// written with, which a sync never changes once they have passed.
type Dated struct {
	Code, Period, Agency string
	Role                 hanchot.Role
	Due, EffectiveDue    hanchot.Date
}

// YearOccurrences returns the occurrences of reporting year y still in
// the calendar, as the database holds them.
func (db *DB) YearOccurrences(ctx context.Context, y int) ([]Dated, error) {
	return queryAll(ctx, db.db, "year occurrences", `SELECT r.code, d.period, o.agency_id, o.role, o.due, o.effective_due
		FROM occurrence o JOIN deadline d ON d.id = o.deadline_id JOIN report r ON r.code = d.report_code
		WHERE o.year = ? AND o.retired_at IS NULL`, []any{y}, func(r scanner) (Dated, error) {
		var o Dated
		var role, due, eff string
		if err := r.Scan(&o.Code, &o.Period, &o.Agency, &role, &due, &eff); err != nil {
			return o, err
		}
		o.Role = hanchot.Role(role)
		o.Due, _ = hanchot.ParseDate(due)
		o.EffectiveDue, _ = hanchot.ParseDate(eff)
		return o, nil
	})
}
