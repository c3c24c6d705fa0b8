package config

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"

	"hanchot"
)

// The TOML reader gives a tree of plain values (map[string]any, []any,
// string, int64, float64, bool, time.Time). decode copies that tree into
// the Config structs field by field, by their toml tags, checking each
// value's kind itself: a value of the wrong kind becomes a problem on its
// line, the field keeps its default, and decoding goes on, so that every
// problem is reported at once. A new field only needs its toml tag (and,
// for a nicer message, a label in keyLabels).
//
// A type that has its own forms in the file (a string or a list, a date
// written two ways, …) implements valueReader.
type valueReader interface {
	readTOML(c *checker, place string, v any)
}

var dateType = reflect.TypeFor[hanchot.Date]()

// decode copies the tree into cfg.
func (c *checker) decode(tree map[string]any, cfg *Config) {
	c.table("", tree, reflect.ValueOf(cfg).Elem())
}

// bad records a problem with the value at place and marks the place, so
// that the checks after decoding do not report it again.
func (c *checker) bad(place string, m msg, args ...any) {
	c.add(place, m, args...)
	c.failed[place] = true
}

// value copies v into the field rv at place.
func (c *checker) value(place string, v any, rv reflect.Value) {
	if r, ok := rv.Addr().Interface().(valueReader); ok {
		r.readTOML(c, place, v)
		return
	}
	if rv.Type() == dateType {
		if d, ok := c.date(place, v); ok {
			rv.Set(reflect.ValueOf(d))
		}
		return
	}
	switch rv.Kind() {
	case reflect.String:
		if s, ok := c.text(place, v); ok {
			rv.SetString(s)
		}
	case reflect.Int, reflect.Int64:
		if n, ok := c.integer(place, v, rv); ok {
			rv.SetInt(n)
		}
	case reflect.Float64:
		if f, ok := c.number(place, v); ok {
			rv.SetFloat(f)
		}
	case reflect.Bool:
		if b, ok := v.(bool); ok {
			rv.SetBool(b)
		} else {
			c.bad(place, "wantBool", label(place))
		}
	case reflect.Slice:
		c.list(place, v, rv)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			c.bad(place, "wantTable", label(place), shape(place))
			return
		}
		c.table(place, m, rv)
	default:
		panic(fmt.Sprintf("config: field %s has a type the decoder does not know: %s", place, rv.Type()))
	}
}

// table copies the keys of a TOML table into the struct rv; a key the
// struct does not have is reported, with the nearest key it has.
func (c *checker) table(place string, m map[string]any, rv reflect.Value) {
	fields, names := tomlFields(rv.Type())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := joinPlace(place, k)
		i, ok := fields[k]
		if !ok {
			c.unknownKey(place, p, k, names)
			continue
		}
		c.value(p, m[k], rv.Field(i))
	}
}

// structFields are the keys of a struct: field index by toml tag, and the
// tags in field order.
type structFields struct {
	index map[string]int
	names []string
}

var fieldsCache sync.Map // reflect.Type -> structFields

// tomlFields returns the keys of the struct type t, worked out once.
func tomlFields(t reflect.Type) (map[string]int, []string) {
	if f, ok := fieldsCache.Load(t); ok {
		return f.(structFields).index, f.(structFields).names
	}
	f := structFields{index: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("toml")
		if tag == "" || tag == "-" {
			continue
		}
		f.index[tag] = i
		f.names = append(f.names, tag)
	}
	fieldsCache.Store(t, f)
	return f.index, f.names
}

func (c *checker) unknownKey(table, place, key string, names []string) {
	where := "ở đầu tệp"
	switch s := shape(table); {
	case s == "":
	case s == "group.members":
		where = text("inMember")
	case strings.HasSuffix(table, "]"):
		where = "trong [[" + s + "]]"
	default:
		where = "trong [" + s + "]"
	}
	if key == "ghi_chu" || key == "ghichu" || key == "note" || key == "notes" || key == "comment" {
		c.add(place, "unknownNote", strconv.Quote(key), where)
		return
	}
	hint := ""
	if k, ok := vietnameseKeys[strings.ReplaceAll(hanchot.Fold(key), " ", "_")]; ok && contains(names, k) {
		hint = text("didYouMean", k)
	} else if k, ok := closest(key, names); ok {
		hint = text("didYouMean", k)
	}
	c.add(place, "unknownKey", strconv.Quote(key), where, hint)
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// list copies a TOML array (or array of tables) into the slice rv.
func (c *checker) list(place string, v any, rv reflect.Value) {
	var elems []any
	switch v := v.(type) {
	case []any:
		elems = v
	case []map[string]any:
		for _, e := range v {
			elems = append(elems, e)
		}
	default:
		if rv.Type().Elem().Kind() == reflect.Struct && rv.Type().Elem() != dateType {
			c.bad(place, "wantTables", label(place), shape(place))
			return
		}
		c.bad(place, "wantList", label(place), keyOf(place), listExample(place, rv))
		return
	}
	out := reflect.MakeSlice(rv.Type(), len(elems), len(elems))
	n := 0
	for i, e := range elems {
		p := elemPlace(place, i)
		c.value(p, e, out.Index(n))
		if !c.failed[p] {
			n++
		}
	}
	rv.Set(out.Slice(0, n))
}

func listExample(place string, rv reflect.Value) string {
	if ex, ok := keyExamples[shape(place)]; ok {
		return ex
	}
	switch rv.Type().Elem().Kind() {
	case reflect.Int:
		return "[7, 3, 1]"
	case reflect.String:
		return `["…", "…"]`
	}
	return "[…]"
}

// text reads a string value and refuses hidden characters in it.
func (c *checker) text(place string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		if strings.HasSuffix(place, "]") { // an element of a list
			c.bad(place, "wantTextElem", label(place), keyOf(place), textListExample(place))
		} else {
			c.bad(place, "wantText", label(place), keyOf(place), scalarText(v))
		}
		return "", false
	}
	if !norm.NFC.IsNormalString(s) { // written with \u escapes
		s = norm.NFC.String(s)
	}
	for _, r := range s {
		if isHidden(r) {
			if sh := shape(place); sh == "agency.id" || sh == "group.id" {
				break // checked with the id's other mistakes, where it is defined
			}
			c.bad(place, "controlChar", label(place), describeRune(r))
			return "", false
		}
	}
	return s, true
}

// textListExample is an example of the list of texts at place.
func textListExample(place string) string {
	if ex, ok := keyExamples[shape(place)]; ok {
		return ex
	}
	return `["…", "…"]`
}

// scalarText writes a value the way it would look between quotes, for an
// example in a message.
func scalarText(v any) string {
	switch v := v.(type) {
	case int64, float64, bool:
		return fmt.Sprint(v)
	case time.Time:
		return v.Format("02/01/2006")
	}
	return "…"
}

var intTextRe = regexp.MustCompile(`^\s*[+-]?\d+\s*$`)

func (c *checker) integer(place string, v any, rv reflect.Value) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case string:
		if intTextRe.MatchString(v) {
			c.bad(place, "wantIntNoQuote", label(place), keyOf(place), strings.TrimSpace(v))
			return 0, false
		}
	}
	c.bad(place, "wantInt", label(place), intExample(place, rv))
	return 0, false
}

func intExample(place string, rv reflect.Value) string {
	if ex, ok := keyExamples[shape(place)]; ok && !strings.HasPrefix(ex, "[") {
		return ex
	}
	if n := rv.Int(); n > 0 {
		return strconv.FormatInt(n, 10)
	}
	return "3"
}

var commaNumberRe = regexp.MustCompile(`^\s*[+-]?\d+,\d+\s*$`)

func (c *checker) number(place string, v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			c.bad(place, "notFinite", label(place), fmt.Sprint(v))
			return 0, false
		}
		return v, true
	case string:
		if commaNumberRe.MatchString(v) {
			c.bad(place, "numberComma", label(place))
			return 0, false
		}
	}
	ex := "0.25"
	if e, ok := keyExamples[shape(place)]; ok {
		ex = e
	}
	c.bad(place, "wantNumber", label(place), ex)
	return 0, false
}

// date reads a day written "2019-04-15", "15/04/2019" or as a TOML date.
func (c *checker) date(place string, v any) (hanchot.Date, bool) {
	switch v := v.(type) {
	case time.Time:
		// A TOML date without a time (2019-04-15) comes in the reader's
		// "date-local" location.
		if v.Location().String() == "date-local" {
			return hanchot.NewDate(v.Year(), v.Month(), v.Day()), true
		}
	case string:
		d, valid, ok := parseDay(v)
		if ok {
			return d, true
		}
		if valid {
			c.bad(place, "notADate", label(place), v)
			return d, false
		}
	}
	c.bad(place, "wantDate", label(place))
	return hanchot.Date{}, false
}

var vnDateRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
var isoDateRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)

// parseDay reads "15/04/2019" or "2019-04-15". shaped tells whether s
// looks like a date at all (so "2019-02-30" is a date that does not exist,
// while "mười lăm" is not a date).
func parseDay(s string) (d hanchot.Date, shaped, ok bool) {
	s = strings.TrimSpace(s)
	var y, mo, day int
	if m := vnDateRe.FindStringSubmatch(s); m != nil {
		day, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		y, _ = strconv.Atoi(m[3])
	} else if m := isoDateRe.FindStringSubmatch(s); m != nil {
		y, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		day, _ = strconv.Atoi(m[3])
	} else {
		return d, false, false
	}
	if !hanchot.ValidDate(y, time.Month(mo), day) {
		return d, true, false
	}
	return hanchot.NewDate(y, time.Month(mo), day), true, true
}
