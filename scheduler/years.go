package scheduler

import (
	"slices"

	"hanchot"
)

// SyncYears returns the reporting years a full sync writes (the first
// one, or one that rewrites the past): from first (or, when first is 0,
// the year before today or the year of start if earlier) to the year after
// today, capped at last.
func SyncYears(today hanchot.Date, start hanchot.Date, first, last int) []int {
	from := today.Year() - 1
	if !start.IsZero() && start.Year() < from {
		from = start.Year()
	}
	if first != 0 {
		from = first
	}
	return clampYears(from, today.Year()+1, first, last)
}

// OpenYears returns the reporting years that can still change on day
// today: those with a date that may not have passed yet. A reporting
// year's dates end at the latest on 31 December of the year after it, or,
// moved off the New Year holiday, on the working day after that (wd
// tells which); so the year two before today stays open only until that
// day, and the years before it are closed, but for the years in extended:
// those with an item extended to today or later, whose date has not
// passed whatever its year. Every later sync and pass works on these
// alone, so that its cost does not grow with the years tracked.
func OpenYears(today hanchot.Date, wd *Workdays, first, last int, extended []int) []int {
	from := today.Year() - 2
	if today.After(wd.OnOrAfter(hanchot.NewDate(from+1, 12, 31))) {
		from++
	}
	var older []int
	for _, y := range extended {
		if y < from && (first == 0 || y >= first) && !slices.Contains(older, y) {
			older = append(older, y)
		}
	}
	slices.Sort(older)
	return append(older, clampYears(from, today.Year()+1, first, last)...)
}

// YearsTouching returns the reporting years that can have a date in
// [from, to]: a year's dates lie between the start of the year before it
// and the first days of the year after next.
func YearsTouching(from, to hanchot.Date, first, last int) []int {
	return clampYears(from.Year()-2, to.Year()+1, first, last)
}

func clampYears(from, to, first, last int) []int {
	if first != 0 && from < first {
		from = first
	}
	if last != 0 && to > last {
		to = last
	}
	var ys []int
	for y := from; y <= to; y++ {
		ys = append(ys, y)
	}
	return ys
}
