package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"hanchot"
)

// Change is one thing a sync added, changed, retired or restored.
type Change struct {
	Kind string // agency | group | report | deadline
	Key  string // id, code, or "code period"
	What string // added | changed | retired | restored
}

// OccurrenceCounts counts what a sync did to occurrences.
type OccurrenceCounts struct {
	Added, Changed, Retired, Restored int
}

// SyncResult is what a sync did.
type SyncResult struct {
	Changes     []Change
	Occurrences OccurrenceCounts
	Years       []int
}

// Empty reports whether the sync changed nothing.
func (r SyncResult) Empty() bool {
	return len(r.Changes) == 0 && r.Occurrences == (OccurrenceCounts{})
}

// Sync writes the calendar and the occurrences of the given reporting years
// into the database in one transaction: new rows are added, changed rows
// updated, and rows no longer in the configuration retired, never deleted.
// Running it twice with the same input changes nothing the second time.
func (db *DB) Sync(ctx context.Context, cal *hanchot.Calendar, years map[int][]hanchot.Occurrence) (SyncResult, error) {
	var res SyncResult
	now := stamp(db.Now())
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		s := &syncer{tx: tx, ctx: ctx, now: now, res: &res}
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
		res.Years = ys
		return nil
	})
	if err != nil {
		return SyncResult{}, fmt.Errorf("sync: %w", err)
	}
	return res, nil
}

type syncer struct {
	tx  *sql.Tx
	ctx context.Context
	now string
	res *SyncResult
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
// (code, period).
func (s *syncer) deadlines(cal *hanchot.Calendar) (map[[2]string]int64, error) {
	want := []row{}
	for _, r := range cal.Reports {
		for _, d := range r.Deadlines {
			keep := 0
			if d.Keep {
				keep = 1
			}
			want = append(want, row{key: r.Code + "\x00" + d.Period, vals: []any{d.Rule.Text, keep}})
		}
	}
	type dl struct {
		id      int64
		rule    string
		keep    int
		retired bool
	}
	existing := map[string]dl{}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT id, report_code, period, rule, keep, retired_at IS NOT NULL FROM deadline`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d dl
		var code, period string
		if err := rows.Scan(&d.id, &code, &period, &d.rule, &d.keep, &d.retired); err != nil {
			rows.Close()
			return nil, err
		}
		existing[code+"\x00"+period] = d
	}
	rows.Close()
	ids := map[[2]string]int64{}
	seen := map[string]bool{}
	for _, w := range want {
		seen[w.key] = true
		code, period, _ := strings.Cut(w.key, "\x00")
		label := code + " " + period
		d, ok := existing[w.key]
		switch {
		case !ok:
			res, err := s.tx.ExecContext(s.ctx, `INSERT INTO deadline (report_code, period, rule, keep) VALUES (?, ?, ?, ?)`, code, period, w.vals[0], w.vals[1])
			if err != nil {
				return nil, err
			}
			d.id, _ = res.LastInsertId()
			s.change("deadline", label, "added")
		case d.rule != w.vals[0] || d.keep != w.vals[1] || d.retired:
			if _, err := s.tx.ExecContext(s.ctx, `UPDATE deadline SET rule = ?, keep = ?, retired_at = NULL WHERE id = ?`, w.vals[0], w.vals[1], d.id); err != nil {
				return nil, err
			}
			if d.retired {
				s.change("deadline", label, "restored")
			} else {
				s.change("deadline", label, "changed")
			}
		}
		ids[[2]string{code, period}] = d.id
	}
	var gone []string
	for key, d := range existing {
		if !seen[key] && !d.retired {
			gone = append(gone, key)
		}
	}
	sort.Strings(gone)
	for _, key := range gone {
		if _, err := s.tx.ExecContext(s.ctx, `UPDATE deadline SET retired_at = ? WHERE id = ?`, s.now, existing[key].id); err != nil {
			return nil, err
		}
		code, period, _ := strings.Cut(key, "\x00")
		s.change("deadline", code+" "+period, "retired")
	}
	return ids, nil
}

// occurrences syncs the occurrences of reporting year y.
func (s *syncer) occurrences(y int, occs []hanchot.Occurrence, ids map[[2]string]int64) error {
	type key struct {
		deadline int64
		agency   string
		role     string
	}
	type old struct {
		id       int64
		due, eff string
		retired  bool
	}
	existing := map[key]old{}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT id, deadline_id, agency_id, role, due, effective_due, retired_at IS NOT NULL FROM occurrence WHERE year = ?`, y)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		var o old
		if err := rows.Scan(&o.id, &k.deadline, &k.agency, &k.role, &o.due, &o.eff, &o.retired); err != nil {
			rows.Close()
			return err
		}
		existing[k] = o
	}
	rows.Close()
	ins, err := s.tx.PrepareContext(s.ctx, `INSERT INTO occurrence (deadline_id, year, agency_id, role, due, effective_due) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	upd, err := s.tx.PrepareContext(s.ctx, `UPDATE occurrence SET due = ?, effective_due = ?, retired_at = NULL WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	seen := map[key]bool{}
	c := &s.res.Occurrences
	for _, o := range occs {
		k := key{ids[[2]string{o.Code, o.Period}], o.Agency, string(o.Role)}
		seen[k] = true
		due, eff := o.Due.String(), o.EffectiveDue.String()
		e, ok := existing[k]
		switch {
		case !ok:
			if _, err := ins.ExecContext(s.ctx, k.deadline, y, o.Agency, k.role, due, eff); err != nil {
				return err
			}
			c.Added++
		case e.due != due || e.eff != eff || e.retired:
			if _, err := upd.ExecContext(s.ctx, due, eff, e.id); err != nil {
				return err
			}
			if e.retired {
				c.Restored++
			} else {
				c.Changed++
			}
		}
	}
	for k, e := range existing {
		if !seen[k] && !e.retired {
			if _, err := s.tx.ExecContext(s.ctx, `UPDATE occurrence SET retired_at = ? WHERE id = ?`, s.now, e.id); err != nil {
				return err
			}
			c.Retired++
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
