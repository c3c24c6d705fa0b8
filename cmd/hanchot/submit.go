package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"hanchot"
	"hanchot/config"
	"hanchot/record"
	"hanchot/store"
)

// SubmitCommand records submissions.
type SubmitCommand struct{ *Main }

// Run runs the command.
func (c *SubmitCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("submit")
	k := c.keyFlags(fs)
	at := fs.String("at", "", c.T("flag.submit.at"))
	ref := fs.String("ref", "", c.T("flag.submit.ref"))
	note := fs.String("note", "", c.T("flag.submit.note"))
	by := fs.String("by", "", c.T("flag.submit.by"))
	csvFile := fs.String("csv", "", c.T("flag.submit.csv"))
	undo := fs.Bool("undo", false, c.T("flag.submit.undo"))
	reason := fs.String("reason", "", c.T("flag.submit.reason"))
	history := fs.Bool("history", false, c.T("flag.submit.history"))
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if *csvFile != "" {
		if len(pos) > 0 || *undo || k.given() {
			return c.usageError("err.csvAlone")
		}
		rows, err := readSubmissionsCSV(c.Lang, *csvFile, cfg, *by)
		if err != nil {
			return err
		}
		return c.record(ctx, cfg, rows, true)
	}
	key, err := k.resolve(c.Lang, cfg, pos)
	if err != nil {
		return err
	}
	if *history {
		return c.history(ctx, cfg, key)
	}
	if *undo {
		if record.CheckReason(*reason) != nil {
			return c.usageError("err.undoNeedsReason")
		}
		db, err := openExisting(ctx, c.Lang, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		s, err := db.Undo(ctx, key, *reason, *by)
		if err != nil {
			return c.Lang.storeError(err)
		}
		fmt.Fprintln(c.Stdout, c.T("submit.undone", c.Lang.key(key), s.At.In(cfg.Location).Format("2006-01-02 15:04"), s.Ref))
		return nil
	}
	when, err := c.timeFlag("--at", *at, cfg)
	if err != nil {
		return err
	}
	if err := record.CheckSubmissionTime(when, key.Year, cfg.Location, time.Now()); err != nil {
		return usageErrorf("--at: %s", c.Lang.recordMessage(cfg, err))
	}
	return c.record(ctx, cfg, []store.NewSubmission{{Key: key, At: when, Ref: *ref, Note: *note, By: *by}}, false)
}

// history prints what was recorded for an occurrence.
func (c *SubmitCommand) history(ctx context.Context, cfg *config.Config, key store.OccurrenceKey) error {
	db, err := openExisting(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	events, err := db.History(ctx, key)
	if err != nil {
		return c.Lang.storeError(err)
	}
	o, _ := db.Occurrence(ctx, key)
	fmt.Fprintln(c.Stdout, c.T("history.head", c.Lang.key(key), o.Title, o.Target))
	for _, e := range events {
		fmt.Fprintf(c.Stdout, "  %s  %s  %s\n", e.At.In(cfg.Location).Format("2006-01-02 15:04"), pad(c.Lang.word(e.What), 9), c.event(e, cfg))
	}
	return nil
}

// event says the details of a history entry.
func (c *SubmitCommand) event(e store.Event, cfg *config.Config) string {
	switch e.What {
	case "submitted":
		s := c.T("event.ref", e.Ref)
		if e.Note != "" {
			s += c.T("event.note", e.Note)
		}
		if e.By != "" {
			s += c.T("event.by", e.By)
		}
		if e.Source == "web" {
			s += c.T("event.web", e.ClientIP)
		}
		return s
	case "requested":
		s := c.T("event.requested", e.Due, e.Reason)
		if e.By != "" {
			s += " (" + e.By + ")"
		}
		return s + c.T("event.web", e.ClientIP)
	case "refused":
		s := c.T("event.refused", e.Due)
		if e.Answer != "" {
			s += ": " + e.Answer
		}
		return s + " (" + e.By + ")"
	case "undone":
		return c.T("event.undone", e.Submitted.In(cfg.Location).Format(time.RFC3339), e.Reason)
	case "extended":
		s := fmt.Sprintf("%s → %s: %s", e.Previous, e.Due, e.Reason)
		if e.By != "" {
			s += " (" + e.By + ")"
		}
		return s
	case "taken over":
		return c.T("event.takenOver", e.Agency, e.AgencyName, e.Due)
	case "handed over":
		return c.T("event.handedOver", e.Agency, e.AgencyName)
	}
	return e.Detail
}

func (c *SubmitCommand) record(ctx context.Context, cfg *config.Config, subs []store.NewSubmission, skipIdentical bool) error {
	db, err := openExisting(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Submit(ctx, subs, skipIdentical)
	if err != nil {
		return c.Lang.storeError(err)
	}
	for _, s := range subs {
		o, err := db.Occurrence(ctx, s.Key)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.Stdout, c.T("submit.recorded", c.Lang.key(s.Key), s.At.In(cfg.Location).Format("2006-01-02 15:04"), o.Target,
			c.Lang.timeliness(s.At, o.Target, cfg)))
	}
	fmt.Fprintln(c.Stdout, c.T("submit.summary", res.Recorded, res.Skipped))
	return nil
}

// timeliness says whether a submission at t met a date that counts.
func (l Lang) timeliness(t time.Time, target hanchot.Date, cfg *config.Config) string {
	d := record.DaysLate(t, target, cfg.Location)
	if d <= 0 {
		return l.T("submit.onTime")
	}
	return l.T("submit.lateBy", d)
}

// key names an occurrence: "1.2.1 Quý I 2019 for so-noi-vu".
func (l Lang) key(k store.OccurrenceKey) string {
	return l.T("key", k.Code, k.Period, k.Year, k.Agency)
}

// storeError says the store's refusals in l, as usage errors (exit 2).
func (l Lang) storeError(err error) error {
	var ke *store.KeyError
	if errors.As(err, &ke) {
		k := l.key(ke.Key)
		switch ke.Reason {
		case store.NotTracked:
			return l.usageError("err.notTracked", k)
		case store.HandedOver:
			return l.usageError("err.handedOver", k, ke.Successor)
		case store.AlreadySubmitted:
			return l.usageError("err.alreadySubmitted", k, ke.At.Format("2006-01-02 15:04"), ke.Ref)
		case store.ListedTwice:
			return l.usageError("err.listedTwice", k)
		case store.NothingToUndo:
			return l.usageError("err.nothingToUndo", k)
		case store.NotAfterDue:
			return l.usageError("err.notAfterDue", k, ke.Due, ke.Asked)
		}
	}
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return usageErrorf("%v", err)
	}
	return err
}

// occurrenceFlags are the flags that name an occurrence.
type occurrenceFlags struct {
	period, agency *string
	year           *int
}

func (m *Main) keyFlags(fs *flag.FlagSet) occurrenceFlags {
	return occurrenceFlags{
		period: fs.String("period", "", m.T("flag.period")),
		year:   fs.Int("year", 0, m.T("flag.key.year")),
		agency: fs.String("agency", "", m.T("flag.key.agency")),
	}
}

func (f occurrenceFlags) given() bool { return *f.period != "" || *f.year != 0 || *f.agency != "" }

// resolve checks CODE --period --year --agency against the calendar.
func (f occurrenceFlags) resolve(l Lang, cfg *config.Config, pos []string) (store.OccurrenceKey, error) {
	if len(pos) != 1 {
		return store.OccurrenceKey{}, l.usageError("err.oneCode").hint(`hanchot submit 1.2.1 --period "Quý I" --year 2019 --agency so-noi-vu`)
	}
	return resolveKey(l, cfg, pos[0], *f.period, *f.year, *f.agency)
}

func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// resolveKey checks that code, period, year and agency name an occurrence
// of the calendar (see record.Resolve) and returns it with the calendar's
// spelling. The agency may be named by its id or its name.
func resolveKey(l Lang, cfg *config.Config, code, period string, year int, agency string) (store.OccurrenceKey, error) {
	k, err := record.Resolve(cfg, code, period, year, agency)
	if err != nil {
		return k, usageErrorf("%s", l.recordMessage(cfg, err))
	}
	return k, nil
}

// csvColumns maps accepted header names to the columns.
var csvColumns = map[string]string{
	"code": "code", "mã": "code", "ma": "code",
	"period": "period", "kỳ": "period", "ky": "period",
	"year": "year", "năm": "year", "nam": "year",
	"agency": "agency", "cơ quan": "agency", "co quan": "agency",
	"submitted_at": "submitted_at", "ngày gửi": "submitted_at", "ngay gui": "submitted_at",
	"ref": "ref", "số văn bản": "ref", "so van ban": "ref",
	"note": "note", "ghi chú": "note", "ghi chu": "note",
	"by": "by", "người nhập": "by", "nguoi nhap": "by",
}

// readSubmissionsCSV reads and checks a spreadsheet of submissions. Every
// bad row is reported as FILE:LINE: message, and then none is recorded.
func readSubmissionsCSV(l Lang, path string, cfg *config.Config, by string) ([]store.NewSubmission, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, l.usageError("err.csvMissing", path)
	}
	if err != nil {
		return nil, usageErrorf("--csv: %v", err)
	}
	return parseSubmissionsCSV(l, path, b, cfg, by)
}

// parseSubmissionsCSV does the work of readSubmissionsCSV on the file's
// content; name is used in messages.
func parseSubmissionsCSV(l Lang, path string, b []byte, cfg *config.Config, by string) ([]store.NewSubmission, error) {
	text := strings.TrimPrefix(string(b), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, l.usageError("err.csvEmpty", path)
	}
	if err != nil {
		return nil, usageErrorf("%s", l.csvProblem(path, err))
	}
	// A spreadsheet pads the header, like every row, with empty cells up
	// to its widest row: empty cells at the end of the header are that
	// padding, and rows may have as many cells, empty.
	cells := len(header)
	for len(header) > 0 && strings.TrimSpace(header[len(header)-1]) == "" {
		header = header[:len(header)-1]
	}
	col := map[string]int{}
	for i, h := range header {
		name, ok := csvColumns[fold(h)]
		if !ok {
			return nil, l.usageError("err.csvColumn", path, h)
		}
		if j, twice := col[name]; twice {
			return nil, l.usageError("err.csvColumnTwice", path, header[j], h)
		}
		col[name] = i
	}
	for _, need := range []string{"code", "period", "year", "agency", "submitted_at"} {
		if _, ok := col[need]; !ok {
			return nil, l.usageError("err.csvMissingColumn", path, need)
		}
	}
	var subs []store.NewSubmission
	var problems []string
	seen := map[store.OccurrenceKey]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A row the CSV reader cannot read (an unterminated quote…)
			// has no fields to ask positions of; the error knows its line.
			problems = append(problems, l.csvProblem(path, err))
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				break
			}
			continue
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		bad := func(msg string) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s", path, line, msg))
		}
		// A cell past the header's is most often a comma (or semicolon)
		// inside an unquoted value, which has shifted the rest of the row:
		// refused rather than dropped, even when the shifted last cell is
		// empty. Only the padding of a padded header may follow, empty.
		if len(rec) > cells {
			bad(l.T("err.csvExtraFields", len(rec), cells, string(r.Comma)))
			continue
		}
		if len(rec) > len(header) && strings.TrimSpace(strings.Join(rec[len(header):], "")) != "" {
			bad(l.T("err.csvPastHeader", len(header), string(r.Comma)))
			continue
		}
		year, err := strconv.Atoi(get("year"))
		if err != nil {
			bad(l.T("err.csvYear", get("year")))
			continue
		}
		key, err := resolveKey(l, cfg, get("code"), get("period"), year, get("agency"))
		if err != nil {
			bad(err.Error())
			continue
		}
		at, err := hanchot.ParseTime(get("submitted_at"), cfg.Location)
		if err != nil {
			bad(l.T("err.csvTime", get("submitted_at")))
			continue
		}
		if err := record.CheckSubmissionTime(at, year, cfg.Location, time.Now()); err != nil {
			bad("submitted_at: " + l.recordMessage(cfg, err))
			continue
		}
		if prev, dup := seen[key]; dup {
			bad(l.T("err.csvDuplicate", l.key(key), prev))
			continue
		}
		seen[key] = line
		who := get("by")
		if who == "" {
			who = by
		}
		subs = append(subs, store.NewSubmission{Key: key, At: at, Ref: get("ref"), Note: get("note"), By: who})
	}
	if len(problems) > 0 {
		return nil, l.usageError("err.csvBadRows", len(problems), strings.Join(problems, "\n"))
	}
	if len(subs) == 0 {
		return nil, l.usageError("err.csvNoRows", path)
	}
	return subs, nil
}

// csvProblem says what the CSV reader could not read, and where.
func (l Lang) csvProblem(path string, err error) string {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Sprintf("%s: %v", path, err)
	}
	msg := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = l.T("err.csvQuote")
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = l.T("err.csvBareQuote")
	}
	return fmt.Sprintf("%s:%d: %s", path, pe.StartLine, msg)
}
