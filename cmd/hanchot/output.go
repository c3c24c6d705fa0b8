package main

import (
	"bytes"
	"encoding"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mattn/go-isatty"

	"hanchot"
)

// newFlagSet returns a flag set for a subcommand. Its help (-h, or
// "hanchot help NAME") shows the synopsis, the flags and the examples
// kept in the catalogue under "synopsis.NAME" and "examples.NAME".
func (m *Main) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on -h and on every mistake; parseFlags
	// prints the help itself, once, and only when it is asked for.
	fs.Usage = func() {}
	return fs
}

// printHelp prints a command's help on stdout.
func (m *Main) printHelp(fs *flag.FlagSet) {
	w := m.Stdout
	name := fs.Name()
	fmt.Fprintf(w, "%s\n\n", m.T("summary."+name))
	fmt.Fprintf(w, "%s\n  hanchot %s\n", m.T("help.usage"), m.T("synopsis."+name))
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		metavar, usage := flag.UnquoteUsage(f)
		switch metavar {
		case "":
		case "int":
			metavar = " N"
		case "string":
			metavar = " " + m.T("help.text")
		case "duration":
			metavar = " " + m.T("help.duration")
		default:
			metavar = " " + metavar
		}
		fmt.Fprintf(&flags, "  --%s%s\n      %s", f.Name, metavar, usage)
		if d := f.DefValue; d != "" && d != "0" && d != "false" {
			fmt.Fprintf(&flags, " (%s)", m.T("help.default", d))
		}
		flags.WriteString("\n")
	})
	if flags.Len() > 0 {
		fmt.Fprintf(w, "\n%s\n%s", m.T("help.flags"), flags.String())
	}
	fmt.Fprintf(w, "\n%s\n%s", m.T("help.global"), m.T("help.globalFlags"))
	if ex := m.T("examples." + name); ex != "" {
		fmt.Fprintf(w, "\n%s\n%s", m.T("help.examples"), ex)
	}
}

// flagError matches the flag package's messages, to say them in the
// output's language.
var flagErrors = []struct {
	re *regexp.Regexp
	id string
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), "err.flagUnknown"},
	{regexp.MustCompile(`^invalid boolean value "(.*)" for -+(.*?): .*$`), "err.flagBool"},
	{regexp.MustCompile(`^invalid value "(.*)" for flag -+(.*?): .*$`), "err.flagValue"},
	{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), "err.flagArgument"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "err.flagSyntax"},
}

// parseFlags parses args, letting positional arguments stand between
// flags, and returns the positional ones. -h prints the command's help,
// once.
func (m *Main) parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				m.printHelp(fs)
				return nil, err
			}
			msg := err.Error()
			if m.Lang != English {
				for _, fe := range flagErrors {
					if sub := fe.re.FindStringSubmatch(msg); sub != nil {
						var args []any
						for _, s := range sub[1:] {
							args = append(args, s)
						}
						msg = m.T(fe.id, args...)
						break
					}
				}
			}
			return nil, usageErrorf("%s: %s", fs.Name(), msg).hint("hanchot help " + fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// formatFlag adds --format to fs.
func (m *Main) formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "table", m.T("flag.format"))
}

// wideFlag adds --wide to fs.
func (m *Main) wideFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("wide", false, m.T("flag.wide"))
}

// checkFormat refuses an unknown --format, and xlsx on a terminal: a
// spreadsheet is a binary file, meant for a file.
func (m *Main) checkFormat(f string) error {
	switch f {
	case "table", "csv", "json":
		return nil
	case "xlsx":
		if file, ok := m.Stdout.(*os.File); ok && (isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd())) {
			return m.usageError("err.xlsxTerminal").hint("hanchot calendar --year 2019 --format xlsx > lich-2019.xlsx")
		}
		return nil
	}
	return m.usageError("err.badFormat", f)
}

// listing says how to print a list of records.
type listing struct {
	format string          // table, csv, json or xlsx
	wide   bool            // the table with every column at full length
	sheet  string          // the spreadsheet's name: catalogue id
	also   map[string]bool // columns the narrow table shows though marked wide
}

// column is one field of a record type as the listings show it. The json
// tag names it (the CSV and JSON field name, and the catalogue's "col.NAME"
// for table and spreadsheet headers); the table tag says how the table
// shows it:
//
//	wide     only with --wide (always in CSV, JSON and xlsx)
//	max=N    cut to N characters with an ellipsis, unless --wide
//	percent  a share 0–1 shown as a percentage (table and xlsx)
//	word     a value translated for people (table and xlsx): "lead" is "chủ trì"
type column struct {
	index   int
	name    string
	wide    bool
	max     int
	percent bool
	word    bool
}

func columns(t reflect.Type) []column {
	var cols []column
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		c := column{index: i, name: name}
		for _, opt := range strings.Split(t.Field(i).Tag.Get("table"), ",") {
			switch {
			case opt == "wide":
				c.wide = true
			case opt == "percent":
				c.percent = true
			case opt == "word":
				c.word = true
			case strings.HasPrefix(opt, "max="):
				c.max, _ = strconv.Atoi(strings.TrimPrefix(opt, "max="))
			}
		}
		cols = append(cols, c)
	}
	return cols
}

// writeRecords writes a slice of structs as a table, CSV, JSON or an
// Excel workbook (see recordWriter).
func (m *Main) writeRecords(l listing, records any) error {
	v := reflect.ValueOf(records)
	rw := m.newRecordWriter(l, v.Type().Elem())
	for i := 0; i < v.Len(); i++ {
		if err := rw.write(v.Index(i)); err != nil {
			return err
		}
	}
	return rw.close()
}

// recordWriter writes records of one struct type as a table, CSV, JSON or
// an Excel workbook. CSV and JSON use the fields' json names, unchanged by
// the language, and go out as the records come, so that a long listing is
// never held in memory; the table, which sizes its columns to fit, and the
// workbook have translated headers and are written at the end. CSV starts
// with a byte order mark so that Excel reads it as UTF-8.
type recordWriter struct {
	m    *Main
	l    listing
	cols []column
	n    int           // records written
	csv  *csv.Writer   // CSV: set once the header is out
	row  []string      // CSV: the row being written
	kept reflect.Value // table and xlsx: the records, a slice
}

func (m *Main) newRecordWriter(l listing, t reflect.Type) *recordWriter {
	return &recordWriter{m: m, l: l, cols: columns(t), kept: reflect.MakeSlice(reflect.SliceOf(t), 0, 0)}
}

// write writes one record, a struct of the writer's type.
func (rw *recordWriter) write(v reflect.Value) error {
	w := rw.m.Stdout
	rw.n++
	switch rw.l.format {
	case "json":
		// As an indented array: "[", each record indented by two spaces
		// and followed by a comma but the last, "]".
		sep := ",\n  "
		if rw.n == 1 {
			sep = "[\n  "
		}
		b, err := json.MarshalIndent(v.Interface(), "  ", "  ")
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	case "csv":
		if rw.csv == nil {
			if _, err := io.WriteString(w, "\ufeff"); err != nil {
				return err
			}
			rw.csv = csv.NewWriter(w)
			rw.csv.UseCRLF = true
			if err := rw.csv.Write(rw.header()); err != nil {
				return err
			}
		}
		rw.row = rw.row[:0]
		for _, c := range rw.cols {
			rw.row = append(rw.row, csvCell(v.Field(c.index)))
		}
		return rw.csv.Write(rw.row)
	}
	rw.kept = reflect.Append(rw.kept, v)
	return nil
}

// header is the CSV header: the json names.
func (rw *recordWriter) header() []string {
	var header []string
	for _, c := range rw.cols {
		header = append(header, c.name)
	}
	return header
}

// close ends the listing: it writes what was kept, or the end of the
// JSON array, or a CSV file's header alone when no record came.
func (rw *recordWriter) close() error {
	w, l, m := rw.m.Stdout, rw.l, rw.m
	switch l.format {
	case "json":
		end := "\n]\n"
		if rw.n == 0 {
			end = "[]\n"
		}
		_, err := io.WriteString(w, end)
		return err
	case "csv":
		if rw.csv == nil {
			if _, err := io.WriteString(w, "\ufeff"); err != nil {
				return err
			}
			rw.csv = csv.NewWriter(w)
			rw.csv.UseCRLF = true
			if err := rw.csv.Write(rw.header()); err != nil {
				return err
			}
		}
		rw.csv.Flush()
		return rw.csv.Error()
	case "xlsx":
		return writeXLSX(w, m.Lang, m.T(l.sheet), rw.cols, rw.kept)
	}
	v := rw.kept
	var shown []column
	var header []string
	for _, c := range rw.cols {
		if c.wide && !l.wide && !l.also[c.name] {
			continue
		}
		shown = append(shown, c)
		header = append(header, m.T("col."+c.name))
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i := 0; i < v.Len(); i++ {
		var row []string
		for _, c := range shown {
			s := m.tableCell(v.Index(i).Field(c.index), c)
			if !l.wide && c.max > 0 {
				s = ellipsis(s, c.max)
			}
			row = append(row, strings.ReplaceAll(s, "\t", " "))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// An empty last column leaves spaces at the ends of lines.
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		out.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// ellipsis cuts s to at most n characters, the last one "…".
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// csvCell is a value as CSV writes it: times RFC 3339, dates YYYY-MM-DD,
// shares as numbers.
func csvCell(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	// Strings and integers of types without methods are written as they
	// are, read without going through an interface, which allocates.
	if v.Type().NumMethod() == 0 {
		switch v.Kind() {
		case reflect.String:
			return v.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return strconv.FormatInt(v.Int(), 10)
		}
	}
	switch x := v.Interface().(type) {
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format(time.RFC3339)
	case encoding.TextMarshaler:
		b, _ := x.MarshalText()
		return string(b)
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
	}
	return fmt.Sprint(v.Interface())
}

// tableCell is a value as the table shows it: times to the minute in the
// configured zone, shares as percentages, words translated.
func (m *Main) tableCell(v reflect.Value, c column) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format("2006-01-02 15:04")
	case hanchot.Date:
		return x.String()
	case float64:
		if c.percent {
			return m.Lang.percent(x)
		}
	}
	s := csvCell(v)
	if c.word {
		s = m.Lang.word(s)
	}
	return s
}

// percent writes a share 0–1 as a percentage: 0.5 is "50%", 0.667 is
// "66,7%" in Vietnamese and "66.7%" in English.
func (l Lang) percent(x float64) string {
	s := strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", x*100), "0"), ".")
	if l == Vietnamese {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}
