package config

import (
	"regexp"
	"strconv"
	"strings"
)

// lineIndex maps the places of a TOML document to line numbers, so that
// errors found after decoding can point at the line that caused them. The
// TOML decoder keeps key positions private, hence this light scan: it
// follows table headers, keys and the inline tables of arrays, and skips
// strings and comments. Paths look like "report[3].deadlines[1].due".
type lineIndex struct {
	at     map[string]int   // path with indices -> line
	shapes map[string][]int // path without indices -> lines, for unknown keys
}

var (
	arrayHeaderRe = regexp.MustCompile(`^\s*\[\[\s*([^\]]+?)\s*\]\]`)
	tableHeaderRe = regexp.MustCompile(`^\s*\[\s*([^\]]+?)\s*\]`)
	keyRe         = regexp.MustCompile(`^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.\-]+)\s*=`)
	inlineKeyRe   = regexp.MustCompile(`^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=`)
	indexRe       = regexp.MustCompile(`\[\d+\]`)
)

func unquoteKey(k string) string {
	k = strings.TrimSpace(k)
	if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') {
		return k[1 : len(k)-1]
	}
	return k
}

func indexLines(src string) *lineIndex {
	ix := &lineIndex{at: map[string]int{}, shapes: map[string][]int{}}
	counts := map[string]int{}
	table := ""
	key := ""     // the key whose multi-line value we are inside
	depth := 0    // bracket depth inside that value
	elem := -1    // index of the inline table being read within key
	inMulti := "" // the delimiter of a multi-line string we are inside
	for n, line := range strings.Split(src, "\n") {
		ln := n + 1
		if inMulti != "" {
			if strings.Contains(line, inMulti) {
				inMulti = ""
			}
			continue
		}
		if depth == 0 {
			switch {
			case arrayHeaderRe.MatchString(line):
				name := strings.TrimSpace(arrayHeaderRe.FindStringSubmatch(line)[1])
				table = name + "[" + strconv.Itoa(counts[name]) + "]"
				counts[name]++
				ix.add(table, ln)
				continue
			case tableHeaderRe.MatchString(line) && !keyRe.MatchString(line):
				table = strings.TrimSpace(tableHeaderRe.FindStringSubmatch(line)[1])
				ix.add(table, ln)
				continue
			case keyRe.MatchString(line):
				m := keyRe.FindStringSubmatch(line)
				key = join(table, unquoteKey(m[1]))
				ix.add(key, ln)
				elem = -1
				line = line[len(m[0]):]
			default:
				continue
			}
		}
		// Walk the value, counting brackets outside strings and noting the
		// start of each inline table at depth 1 (an element of an array).
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch c {
			case '#':
				i = len(line)
			case '"', '\'':
				if strings.HasPrefix(line[i:], strings.Repeat(string(c), 3)) {
					if end := strings.Index(line[i+3:], strings.Repeat(string(c), 3)); end >= 0 {
						i += 3 + end + 2
						continue
					}
					inMulti = strings.Repeat(string(c), 3)
					i = len(line)
					continue
				}
				j := i + 1
				for j < len(line) && line[j] != c {
					if c == '"' && line[j] == '\\' {
						j++
					}
					j++
				}
				i = j
			case '[':
				depth++
			case ']':
				depth--
			case '{':
				if depth == 1 {
					elem++
					ix.add(key+"["+strconv.Itoa(elem)+"]", ln)
				}
				depth++
				rest := line[i+1:]
				for {
					m := inlineKeyRe.FindStringSubmatch(rest)
					if m == nil {
						break
					}
					path := key
					if elem >= 0 {
						path += "[" + strconv.Itoa(elem) + "]"
					}
					ix.add(path+"."+unquoteKey(m[1]), ln)
					k := strings.Index(rest, ",")
					if k < 0 {
						break
					}
					rest = rest[k+1:]
				}
			case '}':
				depth--
			}
		}
		if depth < 0 {
			depth = 0
		}
	}
	return ix
}

func join(table, key string) string {
	if table == "" {
		return key
	}
	return table + "." + key
}

func (ix *lineIndex) add(path string, line int) {
	if _, ok := ix.at[path]; !ok {
		ix.at[path] = line
	}
	shape := indexRe.ReplaceAllString(path, "")
	ix.shapes[shape] = append(ix.shapes[shape], line)
}

// line returns the line of the first path found, trying each in turn and
// then their parents, so that an error about a missing key points at its
// table. It returns 0 when nothing matches.
func (ix *lineIndex) line(paths ...string) int {
	for _, p := range paths {
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
