package scheduler

// PassYears returns the reporting years a pass on day today looks at: the
// year before, this year and the next (a reporting year's deadlines reach
// into both neighbours), within [first, last] where those are set (0: no
// bound).
func PassYears(today int, first, last int) []int {
	return clampYears(today-1, today+1, first, last)
}

// SyncYears returns the reporting years sync writes: from first (or the
// year before today when first is 0) to the year after today, capped at
// last.
func SyncYears(today int, first, last int) []int {
	from := today - 1
	if first != 0 {
		from = first
	}
	return clampYears(from, today+1, first, last)
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
