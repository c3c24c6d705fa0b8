package hanchot

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Clean returns s in Unicode NFC with runs of white space made one space
// and the ends trimmed: two spellings that look the same become the same
// bytes. Codes, periods and deadline ids are stored cleaned.
func Clean(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// PeriodKey returns the identity of a period label: cleaned, lower-case,
// with the usual ways of writing the same period made one. "Quý 1",
// "quý I" and "Quí I" are "quý i"; "6 tháng đầu năm" is "6 tháng";
// "Năm", "Hằng năm" and "Cả năm" are "cả năm".
func PeriodKey(period string) string {
	s := strings.ToLower(Clean(period))
	s = strings.NewReplacer("quí", "quý", "qúy", "quý").Replace(s)
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
