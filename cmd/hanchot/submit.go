package main

import (
	"context"
	"encoding/csv"
	"errors"
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

const submitUsage = `submit CODE --period P --year Y --agency A [--at T] [--ref R] [--note N] [--by WHO]
       hanchot submit --csv FILE [--by WHO]
       hanchot submit --undo CODE --period P --year Y --agency A --reason R
       hanchot submit --history CODE --period P --year Y --agency A`

const submitExamples = `  hanchot submit 1.2.1 --period "Quý I" --year 2019 --agency so-noi-vu --at 2019-03-14T10:00 --ref 125/BC-SNV
  hanchot submit --csv da-nop-quy-1.csv --by "Nguyễn Văn A"
  hanchot submit --undo 1.2.1 --period "Quý I" --year 2019 --agency so-noi-vu --reason "nhập nhầm cơ quan"
  hanchot submit --history 1.2.1 --period "Quý I" --year 2019 --agency so-noi-vu

The CSV has a header row with the columns code, period, year, agency,
submitted_at and ref (note and by are optional); UTF-8, with or without a
byte order mark, separated by commas or semicolons. submitted_at is
YYYY-MM-DD[THH:MM], RFC 3339 or DD/MM/YYYY [HH:MM]. The whole file is
checked first: one bad row and nothing is recorded.
`

// Run runs the command.
func (c *SubmitCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("submit", submitUsage, submitExamples)
	k := keyFlags(fs)
	at := fs.String("at", "", "when it was submitted: RFC 3339 or YYYY-MM-DD[THH:MM] (default: now)")
	ref := fs.String("ref", "", "the document's number and symbol, e.g. 125/BC-SNV")
	note := fs.String("note", "", "a note")
	by := fs.String("by", "", "who records it")
	csvFile := fs.String("csv", "", "import a spreadsheet (CSV) of submissions, all or nothing")
	undo := fs.Bool("undo", false, "undo the standing submission (it stays in the history)")
	reason := fs.String("reason", "", "why, with --undo")
	history := fs.Bool("history", false, "show the occurrence's submissions, undone ones included, and extensions")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if *csvFile != "" {
		if len(pos) > 0 || *undo || k.given() {
			return usageErrorf("--csv takes no code, --period, --year, --agency or --undo")
		}
		rows, err := readSubmissionsCSV(*csvFile, cfg, *by)
		if err != nil {
			return err
		}
		return c.record(ctx, cfg, rows, true)
	}
	key, err := k.resolve(cfg, pos)
	if err != nil {
		return err
	}
	if *history {
		db, err := openExisting(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		events, err := db.History(ctx, key)
		if err != nil {
			return storeError(err)
		}
		o, _ := db.Occurrence(ctx, key)
		fmt.Fprintf(c.Stdout, "%s: %s, due %s\n", key, o.Title, o.Target)
		for _, e := range events {
			fmt.Fprintf(c.Stdout, "  %s  %-9s  %s\n", e.At.In(cfg.Location).Format("2006-01-02 15:04"), e.What, e.Detail)
		}
		return nil
	}
	if *undo {
		if record.CheckReason(*reason) != nil {
			return usageErrorf("--undo needs --reason")
		}
		db, err := openExisting(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		s, err := db.Undo(ctx, key, *reason, *by)
		if err != nil {
			return storeError(err)
		}
		fmt.Fprintf(c.Stdout, "undone: %s, submitted %s (ref %q); kept in the history\n", key, s.At.In(cfg.Location).Format("2006-01-02 15:04"), s.Ref)
		return nil
	}
	when := time.Now().In(cfg.Location)
	if *at != "" {
		if when, err = hanchot.ParseTime(*at, cfg.Location); err != nil {
			return usageErrorf("--at: %v", err)
		}
	}
	if err := record.CheckSubmissionTime(when, key.Year, cfg.Location, time.Now()); err != nil {
		return usageErrorf("--at: %v", err)
	}
	return c.record(ctx, cfg, []store.NewSubmission{{Key: key, At: when, Ref: *ref, Note: *note, By: *by}}, false)
}

func (c *SubmitCommand) record(ctx context.Context, cfg *config.Config, subs []store.NewSubmission, skipIdentical bool) error {
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Submit(ctx, subs, skipIdentical)
	if err != nil {
		return storeError(err)
	}
	for _, s := range subs {
		o, err := db.Occurrence(ctx, s.Key)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "%s: submitted %s, due %s: %s\n", s.Key, s.At.In(cfg.Location).Format("2006-01-02 15:04"), o.Target, timeliness(s.At, o.Target, cfg))
	}
	fmt.Fprintf(c.Stdout, "%d recorded, %d already recorded\n", res.Recorded, res.Skipped)
	return nil
}

// timeliness says whether a submission at t met a date that counts.
func timeliness(t time.Time, target hanchot.Date, cfg *config.Config) string {
	d := record.DaysLate(t, target, cfg.Location)
	if d <= 0 {
		return "on time"
	}
	return fmt.Sprintf("late by %d days", d)
}

// storeError turns the store's refusals into usage errors (exit 2).
func storeError(err error) error {
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return usageErrorf("%v", strings.TrimSuffix(strings.TrimSuffix(err.Error(), ": "+store.ErrConflict.Error()), ": "+store.ErrNotFound.Error()))
	}
	return err
}

// occurrenceFlags are the flags that name an occurrence.
type occurrenceFlags struct {
	period, agency *string
	year           *int
}

func keyFlags(fs interface {
	String(string, string, string) *string
	Int(string, int, string) *int
}) occurrenceFlags {
	return occurrenceFlags{
		period: fs.String("period", "", `the period, as in the calendar: "Quý I", "6 tháng", "Cả năm"`),
		year:   fs.Int("year", 0, "the reporting year"),
		agency: fs.String("agency", "", "the agency id"),
	}
}

func (f occurrenceFlags) given() bool { return *f.period != "" || *f.year != 0 || *f.agency != "" }

// resolve checks CODE --period --year --agency against the calendar.
func (f occurrenceFlags) resolve(cfg *config.Config, pos []string) (store.OccurrenceKey, error) {
	if len(pos) != 1 {
		return store.OccurrenceKey{}, usageErrorf("name one report code, e.g. 1.2.1").hint(`hanchot submit 1.2.1 --period "Quý I" --year 2019 --agency so-noi-vu`)
	}
	return resolveKey(cfg, pos[0], *f.period, *f.year, *f.agency)
}

func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// resolveKey checks that code, period, year and agency name an occurrence
// of the calendar (see record.Resolve).
func resolveKey(cfg *config.Config, code, period string, year int, agency string) (store.OccurrenceKey, error) {
	k, err := record.Resolve(cfg, code, period, year, agency)
	if err != nil {
		return k, usageErrorf("%v", err)
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
func readSubmissionsCSV(path string, cfg *config.Config, by string) ([]store.NewSubmission, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("--csv: %v", err)
	}
	return parseSubmissionsCSV(path, b, cfg, by)
}

// parseSubmissionsCSV does the work of readSubmissionsCSV on the file's
// content; name is used in messages.
func parseSubmissionsCSV(path string, b []byte, cfg *config.Config, by string) ([]store.NewSubmission, error) {
	text := strings.TrimPrefix(string(b), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, usageErrorf("%s is empty", path)
	}
	if err != nil {
		return nil, usageErrorf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		if name, ok := csvColumns[fold(h)]; ok {
			col[name] = i
		} else {
			return nil, usageErrorf("%s:1: unknown column %q (want code, period, year, agency, submitted_at, ref, note, by)", path, h)
		}
	}
	for _, need := range []string{"code", "period", "year", "agency", "submitted_at"} {
		if _, ok := col[need]; !ok {
			return nil, usageErrorf("%s:1: the header has no %s column", path, need)
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
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				problems = append(problems, fmt.Sprintf("%s: %v", path, err))
				break
			}
			problems = append(problems, fmt.Sprintf("%s:%d: %v", path, pe.StartLine, pe.Err))
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
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s", path, line, fmt.Sprintf(format, args...)))
		}
		year, err := strconv.Atoi(get("year"))
		if err != nil {
			bad("year %q is not a year", get("year"))
			continue
		}
		key, err := resolveKey(cfg, get("code"), get("period"), year, get("agency"))
		if err != nil {
			bad("%v", err)
			continue
		}
		at, err := parseCSVTime(get("submitted_at"), cfg)
		if err != nil {
			bad("submitted_at: %v", err)
			continue
		}
		if err := record.CheckSubmissionTime(at, year, cfg.Location, time.Now()); err != nil {
			bad("submitted_at: %v", err)
			continue
		}
		if prev, dup := seen[key]; dup {
			bad("%s is also on line %d", key, prev)
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
		return nil, usageErrorf("%d bad rows, nothing recorded:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if len(subs) == 0 {
		return nil, usageErrorf("%s has no rows", path)
	}
	return subs, nil
}

func parseCSVTime(s string, cfg *config.Config) (time.Time, error) {
	for _, layout := range []string{"02/01/2006 15:04", "02/01/2006", "2/1/2006 15:04", "2/1/2006"} {
		if t, err := time.ParseInLocation(layout, s, cfg.Location); err == nil {
			return t, nil
		}
	}
	return hanchot.ParseTime(s, cfg.Location)
}
