package main

import (
	"encoding"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/tabwriter"
	"time"
)

// newFlagSet returns a flag set for a subcommand whose usage shows the
// synopsis and examples.
func (m *Main) newFlagSet(name, synopsis, examples string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(m.Stdout, "Usage: hanchot %s\n\nFlags:\n", synopsis)
		fs.SetOutput(m.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		if examples != "" {
			fmt.Fprintf(m.Stdout, "\nExamples:\n%s", examples)
		}
	}
	return fs
}

// parseFlags parses args, letting positional arguments stand between
// flags, and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				fs.Usage()
				return nil, err
			}
			return nil, usageErrorf("%s: %v", fs.Name(), err).hint("hanchot " + fs.Name() + " -h")
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
func formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "table", "output format: table, csv or json")
}

func checkFormat(f string) error {
	switch f {
	case "table", "csv", "json":
		return nil
	}
	return usageErrorf("--format %q: use table, csv or json", f)
}

// writeRecords writes a slice of structs as a table, CSV or JSON. Column
// names are the fields' json names, so the three formats agree. CSV starts
// with a byte order mark so that Excel reads it as UTF-8.
func writeRecords(w io.Writer, format string, records any) error {
	v := reflect.ValueOf(records)
	if format == "json" {
		if v.Len() == 0 {
			_, err := io.WriteString(w, "[]\n")
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(records)
	}
	t := v.Type().Elem()
	var header []string
	var fields []int
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		header = append(header, name)
		fields = append(fields, i)
	}
	rows := [][]string{header}
	for i := 0; i < v.Len(); i++ {
		var row []string
		for _, f := range fields {
			row = append(row, cell(v.Index(i).Field(f)))
		}
		rows = append(rows, row)
	}
	switch format {
	case "csv":
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		return tw.Flush()
	}
}

func cell(v reflect.Value) string {
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
		return x.Format(time.RFC3339)
	case encoding.TextMarshaler:
		b, _ := x.MarshalText()
		return string(b)
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
	}
	return fmt.Sprint(v.Interface())
}
