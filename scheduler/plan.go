package scheduler

import (
	"sort"
	"time"

	"hanchot"
)

// Ticks tells when passes run: the first pass time strictly after t. A
// cron.Schedule satisfies it.
type Ticks interface {
	Next(t time.Time) time.Time
}

// PlanSettings are the configuration a plan needs.
type PlanSettings struct {
	RemindDays []int            // days before the date that counts
	AfterDays  []int            // days overdue at which each escalation level is sent
	FocalPoint string           // agency id
	Also       map[int][]string // level -> more agency ids
	Ticks      Ticks            // the daily pass schedule
	Location   *time.Location
	// KeepTrying is how long an overdue notice or an escalation is tried
	// before it is given up as expired.
	KeepTrying time.Duration
}

// Expiry returns when a digest's mail stops being worth sending. A
// reminder is useful until the end of the day of its last item's date
// (after that an overdue notice replaces it); an overdue notice or an
// escalation is tried for KeepTrying after the pass that planned it.
func (s PlanSettings) Expiry(d hanchot.Digest, now time.Time) time.Time {
	if d.Kind != hanchot.Reminder {
		return now.Add(s.KeepTrying)
	}
	var last hanchot.Date
	for _, n := range d.Notices {
		if n.Target.After(last) {
			last = n.Target
		}
	}
	return last.AddDays(1).At(0, 0, s.Location)
}

// dueAt returns when a notice meant for day d is due: at the first pass of
// that day or, when no pass runs that day, the first after it.
func (s PlanSettings) dueAt(d hanchot.Date) time.Time {
	return s.Ticks.Next(d.At(0, 0, s.Location).Add(-time.Second))
}

// Window returns the dates of the items a plan on day today may need: from
// the oldest target that can still be escalated to the furthest that can be
// reminded. The margins cover reminder days moved before runs of days off
// and escalations that fell on days without a pass; CatchUpDays bounds how
// long after its last level an item missed during downtime is escalated.
func (s PlanSettings) Window(today hanchot.Date) (from, to hanchot.Date) {
	maxRemind, maxAfter := 0, 0
	for _, n := range s.RemindDays {
		maxRemind = max(maxRemind, n)
	}
	for _, n := range s.AfterDays {
		maxAfter = max(maxAfter, n)
	}
	return today.AddDays(-maxAfter - CatchUpDays), today.AddDays(maxRemind + 16)
}

// CatchUpDays is how long after an escalation level's day a pass still
// sends it when it was missed (downtime).
const CatchUpDays = 30

// Plan returns the notices due as of now for the given items: for each
// item before its date the latest reminder step whose day has come; for
// each item past its date the latest escalation level whose day has come,
// as an overdue notice to the agency and an escalation to the focal point
// and the level's extra recipients. Whether a notice was already sent is
// the outbox's business, not the plan's. Items are unsubmitted occurrences.
func Plan(items []hanchot.Item, now time.Time, wd *Workdays, s PlanSettings) []hanchot.Notice {
	today := hanchot.DateOf(now, s.Location)
	var out []hanchot.Notice
	for _, it := range items {
		if !today.After(it.Target) {
			step, ok := -1, false
			var stepDay hanchot.Date
			for _, n := range s.RemindDays {
				d := wd.OnOrBefore(it.Target.AddDays(-n))
				if s.dueAt(d).After(now) {
					continue
				}
				if !ok || d.After(stepDay) || (d.Equal(stepDay) && n < step) {
					step, stepDay, ok = n, d, true
				}
			}
			if ok {
				out = append(out, hanchot.Notice{Item: it, Kind: hanchot.Reminder, Step: step, Recipient: it.Agency, Days: it.Target.Sub(today)})
			}
			continue
		}
		level := 0
		for _, l := range s.AfterDays {
			d := it.Target.AddDays(l)
			if l > level && !s.dueAt(d).After(now) && today.Sub(d) <= CatchUpDays {
				level = l
			}
		}
		if level == 0 {
			continue
		}
		days := today.Sub(it.Target)
		out = append(out, hanchot.Notice{Item: it, Kind: hanchot.Overdue, Step: level, Recipient: it.Agency, Days: days})
		seen := map[string]bool{}
		for _, r := range append([]string{s.FocalPoint}, s.Also[level]...) {
			if r != "" && !seen[r] {
				seen[r] = true
				out = append(out, hanchot.Notice{Item: it, Kind: hanchot.Escalation, Step: level, Recipient: r, Days: days})
			}
		}
	}
	return out
}

// Digests groups notices into one digest per (kind, recipient), each
// ordered by date, code and period, recipients in calendar order.
func Digests(notices []hanchot.Notice, cal *hanchot.Calendar, today hanchot.Date) []hanchot.Digest {
	type key struct {
		kind      hanchot.Kind
		recipient string
	}
	byKey := map[key]*hanchot.Digest{}
	var keys []key
	for _, n := range notices {
		k := key{n.Kind, n.Recipient}
		d, ok := byKey[k]
		if !ok {
			a, _ := cal.Agency(n.Recipient)
			d = &hanchot.Digest{Kind: n.Kind, Recipient: a, Today: today}
			byKey[k] = d
			keys = append(keys, k)
		}
		d.Notices = append(d.Notices, n)
	}
	order := map[string]int{}
	for i, a := range cal.Agencies {
		order[a.ID] = i
	}
	kindOrder := map[hanchot.Kind]int{hanchot.Reminder: 0, hanchot.Overdue: 1, hanchot.Escalation: 2}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].kind != keys[j].kind {
			return kindOrder[keys[i].kind] < kindOrder[keys[j].kind]
		}
		return order[keys[i].recipient] < order[keys[j].recipient]
	})
	out := make([]hanchot.Digest, 0, len(keys))
	for _, k := range keys {
		d := byKey[k]
		sort.SliceStable(d.Notices, func(i, j int) bool {
			a, b := d.Notices[i], d.Notices[j]
			if c := a.Target.Compare(b.Target); c != 0 {
				return c < 0
			}
			if a.Code != b.Code {
				return a.Code < b.Code
			}
			if a.Agency != b.Agency {
				return order[a.Agency] < order[b.Agency]
			}
			return a.Period < b.Period
		})
		out = append(out, *d)
	}
	return out
}

// Backoff returns how long to wait before attempt n+1 after n attempts
// failed temporarily: one minute doubled each time, at most an hour. There
// is no limit on attempts: a delivery is given up when it is no longer
// useful (Expiry), not after a count.
func Backoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
