package hanchot

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Clean returns s in Unicode NFC with runs of white space made one space
// and the ends trimmed: two spellings that look the same become the same
// bytes. Codes, periods and deadline ids are stored cleaned.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// isClean reports whether Clean would return s as it is, the usual case:
// NFC, single spaces between words, no other white space.
func isClean(s string) bool {
	prev := ' '
	for _, r := range s {
		if unicode.IsSpace(r) && (r != ' ' || prev == ' ') {
			return false
		}
		prev = r
	}
	return prev != ' ' && norm.NFC.IsNormalString(s)
}

// periodSpellings are the misspellings of "quý" PeriodKey corrects.
var periodSpellings = strings.NewReplacer("quí", "quý", "qúy", "quý")

// PeriodKey returns the identity of a period label: cleaned, lower-case,
// with the usual ways of writing the same period made one. "Quý 1",
// "quý I" and "Quí I" are "quý i"; "6 tháng đầu năm" is "6 tháng";
// "Năm", "Hằng năm" and "Cả năm" are "cả năm".
func PeriodKey(period string) string {
	s := strings.ToLower(Clean(period))
	if strings.Contains(s, "quí") || strings.Contains(s, "qúy") {
		s = periodSpellings.Replace(s)
	}
	words := strings.Fields(s)
	if len(words) == 2 && words[0] == "quý" {
		if q, ok := map[string]string{"1": "i", "2": "ii", "3": "iii", "4": "iv"}[words[1]]; ok {
			words[1] = q
		}
		return strings.Join(words, " ")
	}
	switch s {
	case "6 tháng", "6 tháng đầu năm", "sáu tháng", "sáu tháng đầu năm":
		return "6 tháng"
	case "9 tháng", "9 tháng đầu năm", "chín tháng", "chín tháng đầu năm":
		return "9 tháng"
	case "cả năm", "năm", "hằng năm", "hàng năm", "cả năm (năm)":
		return "cả năm"
	}
	return s
}

// IDKey returns the identity of a deadline id: cleaned and lower-case.
func IDKey(id string) string { return strings.ToLower(Clean(id)) }

// Fold makes a text comparable regardless of case, diacritics and
// spacing: "Sở Tài  chính", "so tai chinh" and "so-tai-chinh" fold the
// same. Hyphens and underscores count as spaces.
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		case unicode.IsSpace(r) || r == '_' || r == '-':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// EditDistance is the number of one-character edits (insert, delete,
// replace, or swap two neighbours) from a to b. Texts longer than 64
// characters are only compared for equality.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
