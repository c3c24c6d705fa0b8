package scheduler

import (
	"sort"
	"sync"
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
	// SupportFrom is the escalation level (days overdue) from which a
	// supporting agency's late input reaches the focal point; before it,
	// only the lead agency, which waits for it, is told. 0: the second
	// level of AfterDays.
	SupportFrom int
	// Calendar names each report's lead agencies, to tell them of missing
	// inputs and to tell supporting agencies whom they send to. Without
	// it, supporting agencies' inputs are escalated like leads' items.
	Calendar *hanchot.Calendar
}

// supportFrom returns the level from which supporting agencies' inputs
// are escalated.
func (s PlanSettings) supportFrom() int {
	switch {
	case s.SupportFrom > 0:
		return s.SupportFrom
	case len(s.AfterDays) > 1:
		return s.AfterDays[1]
	case len(s.AfterDays) == 1:
		return s.AfterDays[0]
	}
	return 0
}

// Expiry returns when a digest's mail stops being worth sending. A
// reminder is useful until the end of the day of its last item's date
// (after that an overdue notice replaces it); an overdue notice or an
// escalation is tried for KeepTrying after the pass that planned it.
//
// A correction that answers a refused request stays useful after its
// item's date (the item may be overdue already): it is tried for
// KeepTrying too.
func (s PlanSettings) Expiry(d hanchot.Digest, now time.Time) time.Time {
	if d.Kind != hanchot.Reminder && d.Kind != hanchot.Correction {
		return now.Add(s.KeepTrying)
	}
	var last hanchot.Date
	refusal := false
	for _, n := range d.Notices {
		if n.Target.After(last) {
			last = n.Target
		}
		refusal = refusal || n.Kind == hanchot.Refusal
	}
	end := last.AddDays(1).At(0, 0, s.Location)
	if refusal && end.Before(now.Add(s.KeepTrying)) {
		return now.Add(s.KeepTrying)
	}
	return end
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

// Plan returns the notices due as of now for the given items, which are
// unsubmitted occurrences:
//
//   - before its date, the latest reminder step whose day has come, to the
//     agency. When its date changed after the agency was told (a calendar
//     edit, an extension), the reminder carries the old date and goes out
//     as a correction, at once if no step has come yet for the new date;
//   - past its date, at the latest escalation level whose day has come:
//     an overdue notice to the agency; for a supporting agency's input
//     also to the report's lead, which waits for it; and an escalation to
//     the focal point and the level's extra recipients, for a supporting
//     agency's input only from SupportFrom. The focal point gets no overdue
//     notice about itself: its own items are in its escalation;
//   - for an item removed from the calendar after its agency was reminded
//     of it, a removal notice;
//   - for an item whose agency's request for a later date was refused, a
//     refusal notice (the item comes a second time for its reminder or
//     overdue notice).
//
// Whether a notice was already sent is the outbox's business, not the
// plan's.
func Plan(items []hanchot.Item, now time.Time, wd *Workdays, s PlanSettings) []hanchot.Notice {
	return newPlanner(s, wd).plan(nil, items, now)
}

// plan appends to out the notices due as of now for the given items (see
// Plan) and returns it.
func (p *planner) plan(out []hanchot.Notice, items []hanchot.Item, now time.Time) []hanchot.Notice {
	p.today = hanchot.DateOf(now, p.s.Location)
	p.missing = missingInputs(items, p.today)
	today := p.today
	for i := range items {
		it := &items[i]
		switch {
		case it.Refused != nil:
			out = append(out, hanchot.Notice{Item: *it, Kind: hanchot.Refusal, Step: int(it.Refused.Request),
				Recipient: it.Agency, Days: it.Target.Sub(today)})
		case it.Removed:
			if !it.Announced.IsZero() && !today.After(it.Announced) {
				out = append(out, hanchot.Notice{Item: *it, Kind: hanchot.Removal, Recipient: it.Agency, Days: it.Announced.Sub(today)})
			}
		case !today.After(it.Target):
			if n, ok := p.reminder(it, now); ok {
				out = append(out, n)
			}
		default:
			out = p.overdue(out, it, now)
		}
	}
	return out
}

// planner plans the items of one pass after another. What it looks up in
// the calendar is kept from one pass to the next; today and missing are
// the pass's own.
type planner struct {
	s       PlanSettings
	wd      *Workdays
	today   hanchot.Date
	missing map[reportKey][]hanchot.MissingInput
	// Looked up once rather than once per notice.
	index     *hanchot.Index
	reports   map[string]*hanchot.Report
	leads     map[leadKey][]hanchot.Agency
	cutoffs   map[reportKey]hanchot.Date
	schedules map[hanchot.Date]*schedule // by date that counts
}

func newPlanner(s PlanSettings, wd *Workdays) *planner {
	p := &planner{s: s, wd: wd, leads: map[leadKey][]hanchot.Agency{}, cutoffs: map[reportKey]hanchot.Date{}, reports: map[string]*hanchot.Report{},
		schedules: map[hanchot.Date]*schedule{}}
	if s.Calendar != nil {
		p.index = s.Calendar.Index()
		for i := range s.Calendar.Reports {
			p.reports[s.Calendar.Reports[i].Code] = &s.Calendar.Reports[i]
		}
	}
	return p
}

type leadKey struct {
	code string
	day  hanchot.Date
}

// reportKey is one deadline of one report in one reporting year.
type reportKey struct {
	code, period string
	year         int
}

func keyOf(it *hanchot.Item) reportKey { return reportKey{it.Code, it.Period, it.Year} }

// missingInputs returns the supporting agencies' inputs that are overdue
// on day today, by report.
func missingInputs(items []hanchot.Item, today hanchot.Date) map[reportKey][]hanchot.MissingInput {
	out := map[reportKey][]hanchot.MissingInput{}
	for i := range items {
		it := &items[i]
		if it.Role == hanchot.Support && !it.Removed && it.Refused == nil && today.After(it.Target) {
			out[keyOf(it)] = append(out[keyOf(it)], hanchot.MissingInput{Agency: it.Agency, AgencyName: it.AgencyName,
				Due: it.Target, Days: today.Sub(it.Target)})
		}
	}
	return out
}

// schedule is an item's reminder days and escalation levels, each with
// the pass at which it is due. It depends only on the item's date, which
// many items share: a planner works it out once for each date.
type schedule struct {
	remind []dueDay // for each of RemindDays, in its order
	levels []dueDay // for each of AfterDays, in its order
}

// dueDay is a day a notice is meant for, and the pass at which it is due.
type dueDay struct {
	day hanchot.Date
	at  time.Time
}

// scheduleOf returns the schedule of an item whose date that counts is
// target.
func (p *planner) scheduleOf(target hanchot.Date) *schedule {
	if sc, ok := p.schedules[target]; ok {
		return sc
	}
	sc := &schedule{}
	for _, n := range p.s.RemindDays {
		d := p.wd.OnOrBefore(target.AddDays(-n))
		sc.remind = append(sc.remind, dueDay{d, p.s.dueAt(d)})
	}
	for _, l := range p.s.AfterDays {
		d := target.AddDays(l)
		sc.levels = append(sc.levels, dueDay{d, p.s.dueAt(d)})
	}
	p.schedules[target] = sc
	return sc
}

// leadsOf returns the agencies that lead an item's report on its date.
func (p *planner) leadsOf(it *hanchot.Item) []hanchot.Agency {
	r := p.reports[it.Code]
	if r == nil {
		return nil
	}
	k := leadKey{it.Code, it.Due}
	if l, ok := p.leads[k]; ok {
		return l
	}
	var out []hanchot.Agency
	for _, id := range p.index.MembersOn(r.Lead, it.Due) {
		if a, ok := p.index.Agency(id); ok {
			out = append(out, a)
		}
	}
	p.leads[k] = out
	return out
}

// cutoffOf returns the day an item's data runs to, zero for none.
func (p *planner) cutoffOf(it *hanchot.Item) hanchot.Date {
	k := keyOf(it)
	if c, ok := p.cutoffs[k]; ok {
		return c
	}
	var c hanchot.Date
	if r := p.reports[it.Code]; r != nil {
		for _, d := range r.Deadlines {
			if d.Period == it.Period {
				c, _ = d.CutoffDate(it.Year)
			}
		}
	}
	p.cutoffs[k] = c
	return c
}

// annotate adds what the email says around an item: whom a supporting
// agency sends to, which inputs a lead still waits for, the day its data
// runs to.
func (p *planner) annotate(n *hanchot.Notice) {
	// A cut-off on or after the item's own date says nothing useful (a
	// supporting agency's input is due before the report's data closes).
	if c := p.cutoffOf(&n.Item); c.Before(n.Target) {
		n.Cutoff = c
	}
	switch n.Role {
	case hanchot.Support:
		n.Leads = p.leadsOf(&n.Item)
	case hanchot.Lead:
		n.Missing = p.missing[keyOf(&n.Item)]
	}
}

func (p *planner) reminder(it *hanchot.Item, now time.Time) (hanchot.Notice, bool) {
	step, ok := -1, false
	var stepDay hanchot.Date
	remind := p.scheduleOf(it.Target).remind
	for i, n := range p.s.RemindDays {
		d := remind[i].day
		if remind[i].at.After(now) {
			continue
		}
		if !ok || d.After(stepDay) || (d.Equal(stepDay) && n < step) {
			step, stepDay, ok = n, d, true
		}
	}
	changed := !it.Announced.IsZero() && !it.Announced.Equal(it.Target)
	if !ok && !changed {
		return hanchot.Notice{}, false
	}
	if ok && !changed && it.Reminded && step > it.RemindedStep {
		// A later step for this date already went out (planned ahead
		// in quiet time): an earlier one now would be stale.
		return hanchot.Notice{}, false
	}
	n := hanchot.Notice{Item: *it, Kind: hanchot.Reminder, Step: step, Recipient: it.Agency, Days: it.Target.Sub(p.today)}
	if changed {
		n.OldTarget = it.Announced
	}
	p.annotate(&n)
	return n, true
}

// overdue appends to out the notices due as of now for an overdue item.
func (p *planner) overdue(out []hanchot.Notice, it *hanchot.Item, now time.Time) []hanchot.Notice {
	s := p.s
	level := 0
	levels := p.scheduleOf(it.Target).levels
	for i, l := range s.AfterDays {
		d := levels[i].day
		if l > level && !levels[i].at.After(now) && p.today.Sub(d) <= CatchUpDays {
			level = l
		}
	}
	if level == 0 {
		return out
	}
	days := p.today.Sub(it.Target)
	escalate := it.Role == hanchot.Lead || it.Agency == s.FocalPoint || level >= s.supportFrom() || s.Calendar == nil
	var leads []hanchot.Agency
	if it.Role == hanchot.Support {
		leads = p.leadsOf(it)
		for _, lead := range leads {
			if lead.ID == s.FocalPoint {
				escalate = true // the focal point waits for this input itself
			}
		}
	}
	mine := len(out) // this item's notices start here
	add := func(kind hanchot.Kind, to string) {
		for _, n := range out[mine:] {
			if n.Kind == kind && n.Recipient == to {
				return
			}
		}
		out = append(out, hanchot.Notice{Item: *it, Kind: kind, Step: level, Recipient: to, Days: days, Escalated: escalate})
		p.annotate(&out[len(out)-1])
	}
	if it.Agency != s.FocalPoint {
		add(hanchot.Overdue, it.Agency)
	}
	for _, lead := range leads {
		if lead.ID != s.FocalPoint {
			add(hanchot.Overdue, lead.ID)
		}
	}
	if escalate {
		if s.FocalPoint != "" {
			add(hanchot.Escalation, s.FocalPoint)
		}
		for _, r := range s.Also[level] {
			if r != "" {
				add(hanchot.Escalation, r)
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
		k := key{n.DigestKind(), n.Recipient}
		d, ok := byKey[k]
		if !ok {
			a, _ := cal.Agency(n.Recipient)
			d = &hanchot.Digest{Kind: k.kind, Recipient: a, Today: today}
			byKey[k] = d
			keys = append(keys, k)
		}
		d.Notices = append(d.Notices, n)
	}
	order := map[string]int{}
	for i, a := range cal.Agencies {
		order[a.ID] = i
	}
	kindOrder := map[hanchot.Kind]int{hanchot.Correction: 0, hanchot.Reminder: 1, hanchot.Overdue: 2, hanchot.Escalation: 3}
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

// CacheTicks returns ticks that remember each answer: a plan asks for the
// first pass of the same few days for every item and step, and a cron
// schedule works each one out afresh.
func CacheTicks(t Ticks) Ticks {
	return &cachedTicks{t: t, next: map[time.Time]time.Time{}}
}

type cachedTicks struct {
	t    Ticks
	mu   sync.Mutex
	next map[time.Time]time.Time
}

func (c *cachedTicks) Next(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.next[t]; ok {
		return n
	}
	if len(c.next) > 100_000 { // a daemon running for years asks for new days
		clear(c.next)
	}
	n := c.t.Next(t)
	c.next[t] = n
	return n
}

// Simulate calls each with what the passes scheduled in [start, end)
// would plan for the given items, each notice once, at the first pass
// that plans it, in the order of the passes: a preview. It gives what
// planning at every pass would, but plans an item only at the first pass
// and at the passes where one of its reminder days or escalation levels
// comes due, since nothing else changes what a plan gives for it.
func Simulate(items []hanchot.Item, start, end time.Time, wd *Workdays, s PlanSettings, each func(at time.Time, n hanchot.Notice)) {
	p := newPlanner(s, wd)
	// The passes at which each item can give something new.
	first := s.Ticks.Next(start.Add(-time.Second))
	due := map[time.Time][]int{}
	for i := range items {
		add := func(d dueDay) {
			if d.at.After(first) && d.at.Before(end) {
				due[d.at] = append(due[d.at], i)
			}
		}
		sc := p.scheduleOf(items[i].Target)
		for _, d := range sc.remind {
			add(d)
		}
		for _, d := range sc.levels {
			add(d)
		}
	}
	seen := make(map[hanchot.NoticeKey]bool, 2*len(items))
	// Reused from one pass to the next; the first plans every item, and
	// gives about two notices for each.
	planned := make([]hanchot.Notice, 0, 2*len(items))
	plan := func(at time.Time, batch []hanchot.Item) {
		planned = p.plan(planned[:0], batch, at)
		for _, n := range planned {
			if k := n.Key(); !seen[k] {
				seen[k] = true
				each(at, n)
			}
		}
	}
	if first.Before(end) {
		plan(first, items)
	}
	var times []time.Time
	for at := range due {
		times = append(times, at)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	var batch []hanchot.Item
	for _, at := range times {
		batch = batch[:0]
		last := -1
		for _, i := range due[at] {
			if i != last { // an item due twice at one pass is planned once
				batch = append(batch, items[i])
			}
			last = i
		}
		plan(at, batch)
	}
}
