package config

import (
	"sort"
	"strconv"
	"strings"
)

// lineIndex maps the places of a TOML document to the lines they are
// written on, so that a problem found after decoding points at the line to
// fix. The TOML decoder keeps key positions private, hence this scan. It is
// run only on a document the decoder has accepted, and follows what matters
// for places: table headers, arrays of tables ([[report.deadlines]] belongs
// to the latest [[report]]), dotted and quoted keys, arrays, inline tables,
// and strings of every kind (so that a comma or a bracket inside quotes is
// not taken for structure).
//
// A place is written like "report[3].deadlines[1].due": keys joined with
// dots, and the position of an element of an array (or of an array of
// tables) in brackets.
type lineIndex struct {
	at     map[string]int // place -> line
	tables []tableLine    // the table headers, in file order
}

// tableLine is a table header: its line and the place it opens.
type tableLine struct {
	line  int
	place string
}

// tableAt returns the place of the table a line is in ("" before the
// first header).
func (ix *lineIndex) tableAt(line int) string {
	i := sort.Search(len(ix.tables), func(i int) bool { return ix.tables[i].line > line })
	if i == 0 {
		return ""
	}
	return ix.tables[i-1].place
}

// line returns the line of the first place found, trying each in turn and
// then their parents, so that a problem with a missing key points at its
// table. It returns 0 when nothing matches.
func (ix *lineIndex) line(places ...string) int {
	for _, p := range places {
		for p != "" {
			if l, ok := ix.at[p]; ok {
				return l
			}
			i := strings.LastIndexAny(p, ".[")
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	return 0
}

// has reports whether the place itself was written in the file.
func (ix *lineIndex) has(place string) bool {
	_, ok := ix.at[place]
	return ok
}

func joinPlace(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func elemPlace(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// scanner walks the source once, byte by byte, counting lines.
type scanner struct {
	src    string
	i      int
	line   int
	ix     *lineIndex
	tables map[string]int // array of tables (place without the index) -> elements so far
}

func indexLines(src string) *lineIndex {
	// About one place per line: sized once, the map is not rebuilt as it
	// grows.
	places := strings.Count(src, "\n") + 1
	s := &scanner{src: src, line: 1, ix: &lineIndex{at: make(map[string]int, places)}, tables: map[string]int{}}
	s.document()
	return s.ix
}

func (s *scanner) add(place string, line int) {
	if _, ok := s.ix.at[place]; !ok {
		s.ix.at[place] = line
	}
}

func (s *scanner) peek() byte {
	if s.i < len(s.src) {
		return s.src[s.i]
	}
	return 0
}

// skipSpace skips blanks, and also comments and line ends when newlines is
// set (inside arrays and inline tables).
func (s *scanner) skipSpace(newlines bool) {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case c == '\n' && newlines:
			s.line++
			s.i++
		case c == '#' && newlines:
			s.skipComment()
		default:
			return
		}
	}
}

func (s *scanner) skipComment() {
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.i++
	}
}

// skipLine skips to the start of the next line.
func (s *scanner) skipLine() {
	s.skipComment()
	if s.i < len(s.src) {
		s.i++
		s.line++
	}
}

func (s *scanner) document() {
	table := ""
	for s.i < len(s.src) {
		s.skipSpace(true)
		if s.i >= len(s.src) {
			return
		}
		line := s.line
		if s.peek() == '[' {
			array := strings.HasPrefix(s.src[s.i:], "[[")
			if array {
				s.i += 2
			} else {
				s.i++
			}
			keys := s.keys()
			table = s.resolve(keys)
			if array {
				n := s.tables[table]
				s.tables[table] = n + 1
				table = elemPlace(table, n)
			}
			s.add(table, line)
			s.ix.tables = append(s.ix.tables, tableLine{line, table})
			s.skipLine()
			continue
		}
		start := s.i
		keys := s.keys()
		place := table
		for _, k := range keys {
			place = joinPlace(place, k)
			s.add(place, line)
		}
		s.skipSpace(false)
		if s.peek() == '=' && len(keys) > 0 {
			s.i++
			s.value(place)
		}
		if s.i == start { // not a key: never loop on what we cannot read
			s.i++
		}
		s.skipLine()
	}
}

// resolve turns the keys of a table header into a place: a key naming an
// array of tables stands for its latest element.
func (s *scanner) resolve(keys []string) string {
	place := ""
	for i, k := range keys {
		place = joinPlace(place, k)
		if n := s.tables[place]; n > 0 && i < len(keys)-1 {
			place = elemPlace(place, n-1)
		}
	}
	return place
}

// keys reads a dotted key, bare or quoted, up to what follows it.
func (s *scanner) keys() []string {
	var keys []string
	for {
		s.skipSpace(false)
		switch c := s.peek(); {
		case c == '"' || c == '\'':
			keys = append(keys, s.quoted(c))
		case isBareKeyByte(c):
			start := s.i
			for s.i < len(s.src) && isBareKeyByte(s.src[s.i]) {
				s.i++
			}
			keys = append(keys, s.src[start:s.i])
		default:
			return keys
		}
		s.skipSpace(false)
		if s.peek() != '.' {
			return keys
		}
		s.i++
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a one-line string starting at its quote and returns its
// content (escapes left as written; keys with escapes are rare enough).
func (s *scanner) quoted(q byte) string {
	s.i++
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != q && s.src[s.i] != '\n' {
		if q == '"' && s.src[s.i] == '\\' {
			s.i++
		}
		s.i++
	}
	end := min(s.i, len(s.src))
	if s.peek() == q {
		s.i++
	}
	return s.src[start:end]
}

// value reads the value of place and records the places inside it.
func (s *scanner) value(place string) {
	s.skipSpace(false)
	switch c := s.peek(); c {
	case '"', '\'':
		triple := strings.Repeat(string(c), 3)
		if strings.HasPrefix(s.src[s.i:], triple) {
			s.multiline(triple)
			return
		}
		s.quoted(c)
	case '[':
		s.i++
		for n := 0; ; n++ {
			s.skipSpace(true)
			if c := s.peek(); c == ']' || c == 0 {
				s.i = min(s.i+1, len(s.src))
				return
			}
			s.add(elemPlace(place, n), s.line)
			before := s.i
			s.value(elemPlace(place, n))
			s.skipSpace(true)
			if s.peek() == ',' {
				s.i++
			} else if s.i == before {
				s.i++
			}
		}
	case '{':
		s.i++
		for {
			s.skipSpace(true)
			if c := s.peek(); c == '}' || c == 0 {
				s.i = min(s.i+1, len(s.src))
				return
			}
			line := s.line
			before := s.i
			keys := s.keys()
			p := place
			for _, k := range keys {
				p = joinPlace(p, k)
				s.add(p, line)
			}
			s.skipSpace(true)
			if s.peek() == '=' {
				s.i++
				s.value(p)
			}
			s.skipSpace(true)
			if s.peek() == ',' {
				s.i++
			} else if s.i == before {
				s.i++
			}
		}
	default: // a number, a boolean or a date: up to what ends it
		for s.i < len(s.src) && !strings.ContainsRune(",]}#\n", rune(s.src[s.i])) {
			s.i++
		}
	}
}

// multiline skips a multi-line string, counting its lines.
func (s *scanner) multiline(delim string) {
	s.i += 3
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '\\' && delim == `"""`:
			s.i++
			if s.peek() == '\n' {
				s.line++
			}
		case c == '\n':
			s.line++
		case strings.HasPrefix(s.src[s.i:], delim):
			s.i += 3
			for s.peek() == delim[0] { // up to two quotes may end the content
				s.i++
			}
			return
		}
		s.i++
	}
}
