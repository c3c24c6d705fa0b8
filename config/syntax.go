package config

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"

	"hanchot"
)

// maxSyntax is how many syntax problems one check reports.
const maxSyntax = 20

// syntaxProblems explains what the TOML reader could not read, in the
// secretariat's words, on the line to fix. The reader stops at its first
// mistake; to show the others too, the faulty line is set aside (emptied,
// or a table header replaced by a harmless one) and the text read again.
// Recovery stops where setting a line aside would only cause more errors:
// an unclosed multi-line text, or the end of the file. When every mistake
// could be set aside, the text that reads is returned too, so that its
// values can be checked as well.
func syntaxProblems(src string, err error) ([]Problem, *recovered) {
	lines := strings.Split(src, "\n")
	orig := slices.Clone(lines)
	aside := map[int]bool{}
	var probs []Problem
	last := 0
	for err != nil {
		var pe toml.ParseError
		if !errors.As(err, &pe) {
			// Not expected from the reader; still a problem with the text.
			probs = append(probs, Problem{max(last, 1), text("syntaxNoChar")})
			return probs, nil
		}
		if gotRune(pe.Message) == '\n' && strings.Contains(pe.Message, "table") && pe.Position.Line > 1 {
			// The reader counts the end of a header left open as the
			// start of the next line.
			pe.Position.Line--
		}
		line, m, more := explain(pe, lines)
		if line <= last {
			return probs, nil
		}
		probs = append(probs, Problem{line, m})
		last = line
		if !more {
			return probs, nil
		}
		if len(probs) == maxSyntax {
			probs = append(probs, Problem{line, text("tooManySyntax")})
			return probs, nil
		}
		// A value that runs over several lines is set aside whole: from
		// the line that opened it to the one before the reader's stop.
		if h, ok := repairHeader(lines[line-1], m); ok && line == pe.Position.Line {
			// A header left open whose name is plain: read as meant,
			// so that its keys are checked where they belong.
			lines[line-1] = h
		} else {
			for l := line; l <= len(lines) && (l == line || l < pe.Position.Line); l++ {
				lines[l-1] = setAside(lines[l-1], l)
				aside[l] = true
			}
		}
		var tree map[string]any
		fixed := strings.Join(lines, "\n")
		if _, err = toml.Decode(fixed, &tree); err == nil {
			return probs, &recovered{text: fixed, tree: tree, orig: orig, aside: aside}
		}
	}
	return probs, nil
}

// recovered is a text whose faulty lines were set aside, and what it reads
// as.
type recovered struct {
	text  string
	tree  map[string]any
	orig  []string     // the lines as written
	aside map[int]bool // the lines set aside
}

// repairHeader returns the header meant by a header line whose brackets
// are not closed ("[mail", "[[agency]"), when m is the message explaining
// it.
func repairHeader(line, m string) (string, bool) {
	t := strings.TrimSpace(stripComment(line))
	if m != text("badHeader") || !strings.HasPrefix(t, "[") || strings.HasSuffix(t, "]]") {
		return "", false
	}
	open := "["
	if strings.HasPrefix(t, "[[") {
		open = "[["
	}
	name := strings.TrimSpace(strings.Trim(t, "[]"))
	if keys, ok := splitKey(name); !ok || len(keys) == 0 || (open == "[" && strings.HasSuffix(t, "]")) {
		return "", false
	}
	return open + name + strings.Repeat("]", len(open)), true
}

// setAside replaces a faulty line by one that reads without changing what
// the lines after it belong to.
func setAside(line string, n int) string {
	if strings.HasPrefix(strings.TrimSpace(line), "[") && !strings.Contains(line, "=") {
		return "[hanchot-set-aside-" + strconv.Itoa(n) + "]"
	}
	return ""
}

var (
	gotRuneRe    = regexp.MustCompile(`(?:got|found) ('(?:[^'\\]|\\.)+'|"[^"]*")`)
	alreadyRe    = regexp.MustCompile(`Key '([^']*)'|datetime: "([^"]*)"`)
	leadingZeros = regexp.MustCompile(`^([+-]?)0+(\d)`)
	vnDayRe      = regexp.MustCompile(`^\d{1,2}/\d{1,2}(/\d{2,4})?$`)
	openValueRe  = regexp.MustCompile(`^\s*[A-Za-z0-9_."'-]+\s*=\s*[\[{]`)
	keyLineRe    = regexp.MustCompile(`^\s*[A-Za-z0-9_."'-]+\s*=`)
	unquotedDay  = regexp.MustCompile(`\b\d{1,2}/\d{1,2}(/\d{2,4})?\b`)
	quotedText   = regexp.MustCompile(`"[^"]*"|'[^']*'`)
)

// explain returns the line of a reader error, its message, and whether
// reading can go on after setting that line aside.
func explain(pe toml.ParseError, lines []string) (int, string, bool) {
	line := min(max(pe.Position.Line, 1), len(lines))
	m := pe.Message
	got := gotRune(m)
	text0 := lines[line-1]
	key, value, hasEq := strings.Cut(text0, "=")
	key = strings.TrimSpace(key)
	value = strings.TrimSpace(stripComment(value))

	switch {
	case strings.Contains(m, `'"""'`), strings.Contains(m, `"'''"`):
		// The reader stops at the end of the file: the mistake is on the
		// line that opened the text.
		delim := `"""`
		if strings.Contains(m, `"'''"`) {
			delim = `'''`
		}
		if l := openMulti(strings.Join(lines, "\n"), delim); l > 0 {
			line = l
		}
		return line, text("unclosedMulti", delim), false
	case strings.Contains(m, "strings cannot contain newlines"), strings.Contains(m, `expected '"'`), strings.Contains(m, `expected "'"`):
		return line, text("unclosedQuote", example(key, strings.TrimLeft(value, `"'`))), true
	case strings.Contains(m, "unexpected EOF"):
		if l := openedAbove(lines, line+1, pe.LastKey); l > 0 {
			return l, text("arrayUnclosed", label(pe.LastKey)), false
		}
		return line, text("unexpectedEnd"), false
	case strings.Contains(m, "array terminator") && strings.HasSuffix(m, "got end of file"):
		if l := openedAbove(lines, line+1, pe.LastKey); l > 0 {
			return l, text("arrayUnclosed", label(pe.LastKey)), false
		}
	case strings.Contains(m, "array terminator") && keyLineRe.MatchString(text0) && got == firstNonSpace(text0):
		// A key on the line below a list that was never closed: the
		// mistake is on the line that opened the list.
		if l := openedAbove(lines, line, pe.LastKey); l > 0 {
			return l, text("arrayUnclosed", label(pe.LastKey)), true
		}
	}

	// A value that never closed swallows the table header below it: the
	// mistake is on the line that opened it.
	if strings.HasPrefix(strings.TrimSpace(text0), "[") && !hasEq && !strings.Contains(m, "already") && !strings.Contains(m, "table") {
		for l := line - 1; l >= 1; l-- {
			if openValueRe.MatchString(lines[l-1]) && unbalanced(lines[l-1]) {
				if strings.Contains(lines[l-1], "{") && !strings.Contains(lines[l-1], "[") {
					return l, text("inlineTableComma"), true
				}
				return l, text("arrayComma"), true
			}
			if strings.HasPrefix(strings.TrimSpace(lines[l-1]), "[") {
				break
			}
		}
	}

	if got != 0 && isOdd(got) {
		if got == '“' || got == '”' || got == '‘' || got == '’' || got == '«' || got == '»' {
			return line, text("curlyQuote", describeRune(got)), true
		}
		return line, text("oddChar", describeRune(got)), true
	}

	switch {
	case strings.Contains(m, "already been defined"):
		name := quotedKey(m)
		if h := header(text0); h != "" {
			if isArrayOfTables(h) {
				return line, text("tableNeedsArray", label(h), h), true
			}
			return line, text("duplicateTable", h), true
		}
		return line, text("duplicateKey", keyOf(name)), true
	case strings.Contains(m, "already created"), strings.Contains(m, "is not a table"):
		name := keyOf(quotedKey(m))
		return line, text("keyReused", name, name, name, name), true
	case strings.Contains(m, "table name"), strings.Contains(m, "table array name"):
		return line, text("badHeader"), true
	case strings.Contains(m, "invalid escape"), strings.Contains(m, "hexadecimal digits after"):
		return line, text("badEscape", strings.Trim(value, `"`)), true
	case strings.Contains(m, "invalid datetime"):
		lbl := labelOfKey(key, pe.LastKey)
		if !hasEq && pe.LastKey != "" {
			lbl = label(pe.LastKey)
		}
		return line, text("badDateLiteral", lbl, strings.Trim(quotedKey(m), `"`)), true
	case strings.Contains(m, "leading zeroes") && vnDayRe.MatchString(value):
		return line, text("unquotedDate", labelOfKey(key, pe.LastKey), value), true
	case strings.Contains(m, "leading zeroes"):
		return line, text("leadingZero", labelOfKey(key, pe.LastKey), leadingZeros.ReplaceAllString(value, "$1$2")), true
	case strings.Contains(m, "key name appears blank"):
		return line, text("blankKey"), true
	case strings.Contains(m, "expected '.' or '='"):
		return line, keyProblem(key, hasEq, got), true
	case strings.Contains(m, "array terminator"):
		if d := unquotedDay.FindString(quotedText.ReplaceAllString(text0, `""`)); d != "" {
			return line, text("unquotedDate", label(pe.LastKey), d), true
		}
		return line, text("arrayComma"), true
	case strings.Contains(m, "inline table terminator"):
		return line, text("inlineTableComma"), true
	case strings.Contains(m, "unexpected comma"):
		return line, text("extraComma"), true
	}
	if hasEq {
		return line, valueProblem(key, value, pe.LastKey), true
	}
	if got != 0 {
		return line, text("syntax", describeRune(got)), true
	}
	return line, text("syntaxNoChar"), true
}

// keyProblem explains a key the reader could not read.
func keyProblem(key string, hasEq bool, got rune) string {
	switch {
	case !hasEq || got == '"' || got == '\'' || got == '\n':
		name := strings.Fields(key + " x")[0]
		return text("missingEquals", name)
	case strings.ContainsFunc(key, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsLetter(r) }):
		hint := ""
		if k, ok := vietnameseKeys[strings.ReplaceAll(hanchot.Fold(key), " ", "_")]; ok {
			hint = text("didYouMean", k)
		}
		return text("keyAccent", key, hint)
	case strings.ContainsAny(key, " \t"):
		return text("keySpace", key, strings.Join(strings.Fields(key), "_"))
	}
	return text("syntax", describeRune(got))
}

// valueProblem explains a value the reader could not read.
func valueProblem(key, value, lastKey string) string {
	lbl := labelOfKey(key, lastKey)
	first, _ := firstRune(value)
	switch {
	case value == "":
		return text("noValue", lbl)
	case commaNumberRe.MatchString(value):
		return text("numberComma", lbl)
	case leadingZeros.MatchString(value) && strings.Trim(value, "0123456789+-") == "":
		return text("leadingZero", lbl, leadingZeros.ReplaceAllString(value, "$1$2"))
	case slicesContainsFold([]string{"true", "false", "yes", "no", "có", "không", "đúng", "sai"}, value):
		return text("capitalBool", lbl)
	case vnDayRe.MatchString(value):
		return text("unquotedDate", lbl, value)
	case first == '"' && strings.Count(value, `"`) >= 3:
		return text("quoteInside", keyOf(key), strings.Trim(value, `"`))
	case first == '\'' && strings.Count(value, `'`) >= 3:
		return text("apostropheInside", keyOf(key), strings.Trim(value, `'`))
	case first == '"' || first == '\'' || first == '[' || first == '{':
		rest := value
		if i := strings.IndexRune(value[1:], first); i >= 0 && first != '[' && first != '{' {
			rest = strings.TrimSpace(value[i+2:])
		}
		if r, ok := firstRune(rest); ok && rest != value {
			return text("trailingText", describeRune(r))
		}
		return text("syntax", describeRune(first))
	case unicode.IsLetter(first) || unicode.IsDigit(first):
		if strings.Trim(value, "0123456789.+-_eE") == "" {
			return text("badNumber", lbl, value)
		}
		return text("unquotedText", lbl, keyOf(key), value)
	}
	return text("syntax", describeRune(first))
}

func slicesContainsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

// labelOfKey names the key of a faulty line: by its place when the reader
// knows it, or by the key as written.
func labelOfKey(key, lastKey string) string {
	k := strings.Trim(strings.TrimSpace(key), `"'`)
	if lastKey != "" && (keyOf(lastKey) == k || strings.ContainsAny(k, "{[,")) {
		// The line's first key is not the faulty one when the value is
		// inside an inline table or an array: the reader's key is.
		return label(lastKey)
	}
	found := ""
	for place, l := range keyLabels {
		if keyOf(place) == k {
			if found != "" && found != l {
				return k
			}
			found = l
		}
	}
	if found != "" {
		return found + " (" + k + ")"
	}
	return k
}

// example writes key = "value" for a message.
func example(key, value string) string {
	value = strings.TrimRight(value, `"' `)
	if value == "" {
		value = "…"
	}
	return key + ` = "` + value + `"`
}

// header returns the name of a [table] header line, or "" for other lines.
func header(line string) string {
	t := strings.TrimSpace(stripComment(line))
	if !strings.HasPrefix(t, "[") || strings.HasPrefix(t, "[[") || !strings.HasSuffix(t, "]") {
		return ""
	}
	return strings.TrimSpace(t[1 : len(t)-1])
}

// isArrayOfTables reports whether a key of Config is written [[name]].
func isArrayOfTables(name string) bool {
	return name == "agency" || name == "group" || name == "report" || name == "escalation.also"
}

func quotedKey(m string) string {
	if s := alreadyRe.FindStringSubmatch(m); s != nil {
		return s[1] + s[2]
	}
	if s := gotRuneRe.FindStringSubmatch(m); s != nil {
		return strings.Trim(s[1], `"'`)
	}
	return ""
}

// gotRune is the character the reader stopped at, from its message.
func gotRune(m string) rune {
	s := gotRuneRe.FindStringSubmatch(m)
	if s == nil || !strings.HasPrefix(s[1], "'") {
		return 0
	}
	r, _, _, err := strconv.UnquoteChar(s[1][1:len(s[1])-1], '\'')
	if err != nil {
		return 0
	}
	return r
}

// isOdd reports whether r is a character that should not be where the
// reader stopped: one that cannot be seen, or a look-alike of a TOML sign.
func isOdd(r rune) bool {
	if r == '\n' || r == '\r' || r == '\t' || r == ' ' {
		return false
	}
	return isHidden(r) || (r > unicode.MaxASCII && (unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)))
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// stripComment drops a # comment that is not inside quotes.
func stripComment(s string) string {
	var q rune
	for i, r := range s {
		switch {
		case q != 0 && r == q:
			q = 0
		case q == 0 && (r == '"' || r == '\''):
			q = r
		case q == 0 && r == '#':
			return s[:i]
		}
	}
	return s
}

// openedAbove finds the line above line, in the same table, where the list
// of the key lastKey opened and was not closed; 0 if there is none.
func openedAbove(lines []string, line int, lastKey string) int {
	key := keyOf(lastKey)
	if key == "" {
		return 0
	}
	for l := min(line, len(lines)+1) - 1; l >= 1; l-- {
		t := stripComment(lines[l-1])
		if strings.HasPrefix(strings.TrimSpace(t), "[") {
			return 0 // a table header: the list is not above it
		}
		if !openValueRe.MatchString(t) {
			continue
		}
		k, _, _ := strings.Cut(t, "=")
		k = strings.Trim(strings.TrimSpace(k), `"'`)
		if (k == key || strings.HasSuffix(k, "."+key)) && unbalanced(t) {
			return l
		}
		return 0
	}
	return 0
}

// openMulti returns the line on which the last multi-line text written
// with delim opens in src without being closed; 0 if there is none.
func openMulti(src, delim string) int {
	line := 1
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '\n':
			line++
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], `"""`) || strings.HasPrefix(src[i:], `'''`):
			d, start := src[i:i+3], line
			i += 3
			for closed := false; !closed; {
				switch {
				case i >= len(src):
					if d == delim {
						return start
					}
					return 0
				case src[i] == '\\' && d == `"""`:
					if i+1 < len(src) && src[i+1] == '\n' {
						line++
					}
					i += 2
				case strings.HasPrefix(src[i:], d):
					for i += 3; i < len(src) && src[i] == d[0]; i++ {
					}
					closed = true
				default:
					if src[i] == '\n' {
						line++
					}
					i++
				}
			}
		case c == '"' || c == '\'':
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if c == '"' && src[i] == '\\' {
					i++
				}
			}
			if i < len(src) && src[i] == c {
				i++
			}
		default:
			i++
		}
	}
	return 0
}

// firstNonSpace is the first character of s that is not a blank.
func firstNonSpace(s string) rune {
	r, _ := firstRune(strings.TrimSpace(s))
	return r
}

// unbalanced reports whether a line opens more brackets or braces than it
// closes, outside quotes and comments.
func unbalanced(line string) bool {
	n := 0
	for _, r := range quotedText.ReplaceAllString(stripComment(line), `""`) {
		switch r {
		case '[', '{':
			n++
		case ']', '}':
			n--
		}
	}
	return n > 0
}
