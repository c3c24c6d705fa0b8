package hanchot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// RuleSyntax describes the forms ParseRule accepts; it is shown in errors.
const RuleSyntax = `"15/03", "trước ngày 15/03", "28/02 năm sau", "quý III", "trong năm", "quý IV năm trước"`

var (
	dayMonthRe = regexp.MustCompile(`^(\d{1,2})\s*/\s*(\d{1,2})(.*)$`)
	quarterRe  = regexp.MustCompile(`^quý\s+(iv|iii|ii|i|1|2|3|4)\b(.*)$`)
	romans     = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
)

// ParseRule reads a due-date rule as a secretary writes it in the
// calendar. Case, accents' encoding and extra spaces do not matter.
//
//	[trước ngày | ngày | hạn | trong | hết | cuối] WHEN [của] [năm sau | năm trước]
//
// where WHEN is a day and month ("15/03"), a quarter ("quý III" or "quý 3",
// meaning its last day) or "năm" (the last day of the year). The year is
// the reporting year, the year after it ("năm sau") or the year before it
// ("năm trước"). "Trước ngày 15/3" counts as due on 15/03, as the plan
// reads it.
func ParseRule(text string) (Rule, error) {
	s := strings.ToLower(norm.NFC.String(text))
	s = strings.Join(strings.Fields(s), " ")
	r := Rule{Text: strings.TrimSpace(text)}
	if s == "" {
		return r, &RuleError{Reason: RuleEmpty, Text: text}
	}
	for _, p := range []string{"trước ngày ", "ngày ", "hạn ", "trong ", "hết ", "cuối ", "cả "} {
		if strings.HasPrefix(s, p) {
			s = strings.TrimPrefix(s, p)
			break
		}
	}
	var rest string
	switch {
	case dayMonthRe.MatchString(s):
		m := dayMonthRe.FindStringSubmatch(s)
		day, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		// 29/02 exists in leap years; everything else must exist in 2000.
		if !ValidDate(2000, time.Month(month), day) {
			return r, &RuleError{Reason: RuleNoSuchDay, Text: text, Day: day, Month: month}
		}
		r.Kind, r.Day, r.Month, rest = DayMonth, day, time.Month(month), m[3]
	case quarterRe.MatchString(s):
		m := quarterRe.FindStringSubmatch(s)
		r.Kind, r.Quarter, rest = QuarterEnd, romans[m[1]], m[2]
	case s == "năm" || strings.HasPrefix(s, "năm "):
		r.Kind, r.Quarter, rest = QuarterEnd, 4, strings.TrimPrefix(s, "năm")
		if rest = strings.TrimSpace(rest); rest == "sau" || rest == "trước" {
			rest = "năm " + rest
		}
	default:
		return r, &RuleError{Reason: RuleUnreadable, Text: text}
	}
	rest = strings.TrimSpace(rest)
	rest = strings.TrimSpace(strings.TrimPrefix(rest, "của"))
	switch rest {
	case "":
	case "năm sau":
		r.YearOffset = 1
	case "năm trước":
		r.YearOffset = -1
	default:
		if regexp.MustCompile(`^(năm )?\d{4}$`).MatchString(rest) {
			return r, &RuleError{Reason: RuleNamesYear, Text: text}
		}
		return r, &RuleError{Reason: RuleTrailing, Text: text, Rest: rest}
	}
	return r, nil
}

// RuleErrorReason says what is wrong with a due-date rule.
type RuleErrorReason int

// The reasons a rule cannot be read.
const (
	RuleEmpty      RuleErrorReason = iota // nothing written
	RuleNoSuchDay                         // a day and month that no year has, e.g. 31/02
	RuleUnreadable                        // not a form ParseRule knows
	RuleNamesYear                         // a year such as 2019 after the date
	RuleTrailing                          // something else after the date
)

// RuleError is the error of ParseRule; callers that speak to the user in
// their own words read Reason and the fields.
type RuleError struct {
	Reason     RuleErrorReason
	Text       string // the rule as written
	Day, Month int    // for RuleNoSuchDay
	Rest       string // for RuleTrailing: what could not be read
}

func (e *RuleError) Error() string {
	switch e.Reason {
	case RuleEmpty:
		return fmt.Sprintf("empty due date; write one of %s", RuleSyntax)
	case RuleNoSuchDay:
		return fmt.Sprintf("%q: %d/%d is not a day of the year", e.Text, e.Day, e.Month)
	case RuleNamesYear:
		return fmt.Sprintf("%q names a year; a rule serves every reporting year, so write \"năm sau\", \"năm trước\" or nothing", e.Text)
	case RuleTrailing:
		return fmt.Sprintf("%q: cannot read %q; after the date write \"năm sau\", \"năm trước\" or nothing", e.Text, e.Rest)
	}
	return fmt.Sprintf("%q is not a due date; write one of %s", e.Text, RuleSyntax)
}
