package config

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"

	"hanchot"
	"hanchot/scheduler"
)

var (
	slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	codeRe = regexp.MustCompile(`^\d+(\.\d+)*$`)
)

// checker collects the problems of a file with their lines, while the file
// is decoded and then checked.
type checker struct {
	src    string     // the text read (readText), as the TOML reader got it
	ix     *lineIndex // where each place is written; see lines
	err    *Error
	failed map[string]bool // places whose value could not be read
	aside  *aside          // the lines set aside for syntax mistakes; nil for none
}

// lines returns where each place is written in the file. Only problems
// need it: it is worked out the first time one is found.
func (c *checker) lines() *lineIndex {
	if c.ix == nil {
		c.ix = indexLines(c.src)
	}
	return c.ix
}

// add records a problem about the value at place (e.g.
// "report[3].deadlines[1].due"), on the line that place is written on. A
// place already reported as unreadable is not reported again.
func (c *checker) add(place string, m msg, args ...any) {
	for p := place; p != ""; {
		if c.failed[p] {
			return
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	if c.aside.hides(c.lines(), place, m) {
		return
	}
	line := c.lines().line(place)
	message := text(m, args...)
	if line == 0 {
		message += text("noLine")
	}
	c.err.Problems = append(c.err.Problems, Problem{line, message})
}

// now is the clock of the checks that depend on the current year.
var now = time.Now

// CronParser is the parser used for schedule.send_at: five fields, or a
// descriptor such as @daily.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// check validates cfg, adding every problem to c, and fills the derived
// fields when there is none.
func check(cfg *Config, c *checker) {
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil || cfg.Timezone == "" || cfg.Timezone == "Local" {
		c.add("timezone", "timezone", cfg.Timezone)
	}
	cfg.Location = loc

	if strings.TrimSpace(cfg.Store.Path) == "" {
		c.add("store.path", "empty", label("store.path"))
	}

	c.checkSchedule(&cfg.Schedule, cfg.Timezone)
	c.checkMail(&cfg.Mail)
	c.checkWeb(&cfg.Web)
	c.oneOf("log.format", cfg.Log.Format, "text", "json")
	c.oneOf("log.level", cfg.Log.Level, "debug", "info", "warn", "error")
	rules := c.checkWorkdays(&cfg.Workdays)
	cal, known := c.checkCalendar(cfg)
	c.checkLifetimes(cfg, cal, known)
	c.checkEscalation(cfg, known)

	if len(c.err.Problems) == 0 {
		cfg.Calendar = cal
		cfg.WorkRules = rules
	}
}

// oneOf checks that the value at place is one of the choices.
func (c *checker) oneOf(place, value string, choices ...string) {
	if slices.Contains(choices, value) {
		return
	}
	quoted := make([]string, len(choices))
	for i, ch := range choices {
		quoted[i] = fmt.Sprintf("%q", ch)
	}
	c.add(place, "oneOf", label(place), value, strings.Join(quoted, ", ")+didYouMean(value, choices))
}

func (c *checker) between(place string, v, lo, hi int) {
	if v < lo || v > hi {
		c.add(place, "between", label(place), v, lo, hi)
	}
}

func (c *checker) checkSchedule(s *Schedule, timezone string) {
	if _, err := CronParser.Parse(s.SendAt); err != nil {
		c.add("schedule.send_at", "cron", s.SendAt)
	} else if strings.HasPrefix(s.SendAt, "CRON_TZ=") || strings.HasPrefix(s.SendAt, "TZ=") {
		c.add("schedule.send_at", "cronZone", timezone)
	}
	if len(s.RemindDays) == 0 {
		c.add("schedule.remind_days", "remindEmpty")
	}
	seen := map[int]bool{}
	for i, d := range s.RemindDays {
		place := elemPlace("schedule.remind_days", i)
		c.between(place, d, 0, 366)
		if seen[d] {
			c.add(place, "listedTwice", label("schedule.remind_days"), d)
		}
		seen[d] = true
	}
	c.between("schedule.support_days", s.SupportDays, 0, 60)
	if s.OnDayOff != "next" && s.OnDayOff != "keep" {
		c.add("schedule.on_day_off", "nextOrKeep", label("schedule.on_day_off"), s.OnDayOff)
	}
	for _, y := range []struct {
		key string
		v   int
	}{{"schedule.first_year", s.FirstYear}, {"schedule.last_year", s.LastYear}} {
		if y.v != 0 && (y.v < 1901 || y.v > 2099) {
			c.add(y.key, "yearRange", label(y.key), y.v)
		}
	}
	if _, err := scheduler.ParseQuiet(s.Quiet, s.QuietDaysOff); err != nil {
		c.add("schedule.quiet", "quiet", s.Quiet)
	}
	switch {
	case s.LastYear == 0:
	case s.FirstYear != 0 && s.LastYear < s.FirstYear:
		c.add("schedule.last_year", "lastBeforeFirst", s.LastYear, s.FirstYear)
	case s.Start.Valid() && s.LastYear < s.Start.Date.Year()-1:
		// A reporting year's dates fall in it or in the year after: every
		// one of them is before the first day tracked.
		c.add("schedule.last_year", "lastBeforeStartDate", s.LastYear, s.LastYear, s.Start.Date.VN(), s.Start.Date.Year()-1)
	case s.Start.IsZero() && s.LastYear < now().Year()-1:
		// Without a start, tracking starts at the first sync, today,
		// whatever first_year says: the dates of a reporting year fall in
		// it or in the year after, so every one would be past.
		c.add("schedule.last_year", "lastBeforeStart", s.LastYear, now().Year()-1, s.LastYear)
	}
}

func (c *checker) checkMail(m *Mail) {
	switch m.Transport {
	case "dir":
		if strings.TrimSpace(m.Dir) == "" {
			c.add("mail.dir", "empty", label("mail.dir"))
		}
	case "smtp":
		if strings.TrimSpace(m.Host) == "" {
			c.add("mail.host", "empty", label("mail.host"))
		}
	default:
		c.oneOf("mail.transport", m.Transport, "smtp", "dir")
	}
	if m.Port < 1 || m.Port > 65535 {
		c.add("mail.port", "port", m.Port)
	}
	c.oneOf("mail.tls", m.TLS, "starttls", "tls", "opportunistic", "none")
	c.oneOf("mail.auth", m.Auth, "auto", "plain", "login", "cram-md5")
	if strings.TrimSpace(m.From) == "" {
		c.add("mail.from", "fromMissing")
	} else if _, err := netmail.ParseAddress(m.From); err != nil {
		c.add("mail.from", "email", label("mail.from"), m.From, `"Sở Nội vụ tỉnh Lào Cai <cchc@laocai.example>"`)
	}
	if m.ReplyTo != "" {
		if _, err := netmail.ParseAddress(m.ReplyTo); err != nil {
			c.add("mail.reply_to", "email", label("mail.reply_to"), m.ReplyTo, `"cchc@laocai.example"`)
		}
	}
	if m.PasswordFile != "" {
		if _, err := os.Stat(m.PasswordFile); err != nil {
			c.add("mail.password_file", "fileMissing", label("mail.password_file"), m.PasswordFile)
		}
	}
	c.between("mail.keep_trying_days", m.KeepTrying, 1, 366)
	if m.Timeout.Duration <= 0 {
		c.add("mail.timeout", "timeout")
	}
	if m.Templates != "" {
		if fi, err := os.Stat(m.Templates); err != nil || !fi.IsDir() {
			c.add("mail.templates", "notFolder", label("mail.templates"), m.Templates)
		}
	}
}

func (c *checker) checkWorkdays(w *Workdays) scheduler.WorkdayRules {
	r := scheduler.WorkdayRules{
		TetBefore: w.TetBefore, TetAfter: w.TetAfter, Compensate: w.Compensate,
		DaysOff: map[hanchot.Date]string{}, WorkingDays: map[hanchot.Date]string{},
	}
	c.between("workdays.tet_before", w.TetBefore, 0, 5)
	c.between("workdays.tet_after", w.TetAfter, 0, 9)
	for _, e := range w.DaysOff {
		if e.Date.IsZero() {
			continue // reported when decoded
		}
		name := e.Name
		if name == "" {
			name = "Ngày nghỉ theo thông báo"
		}
		r.DaysOff[e.Date] = name
	}
	for i, e := range w.WorkingDays {
		if e.Date.IsZero() {
			continue
		}
		if _, dup := r.DaysOff[e.Date]; dup {
			c.add(elemPlace("workdays.working_days", i), "bothDayOffWork", e.Date.VN())
		}
		name := e.Name
		if name == "" {
			name = "Ngày làm bù"
		}
		r.WorkingDays[e.Date] = name
	}
	return r
}

// ids knows every agency and group id, for the references between them.
type ids struct {
	kind  map[string]string // id -> "agency" | "group"
	place map[string]string // id -> place of its id key
	names map[string]string // folded name -> id, for "did you mean"
	all   []string          // every id, in file order
}

// suggest is the "did you mean" ending for an unknown reference: the id of
// an agency or group whose name was written instead of its id, or the
// nearest id. want limits the suggestions to one kind ("" for any).
func (x *ids) suggest(ref, want string) string {
	if id, ok := x.names[hanchot.Fold(ref)]; ok && id != "" && (want == "" || x.kind[id] == want) {
		return text("didYouMean", fmt.Sprintf("%q", id))
	}
	var cands []string
	for _, id := range x.all {
		if want == "" || x.kind[id] == want {
			cands = append(cands, id)
		}
	}
	return didYouMean(ref, cands)
}

func (c *checker) checkCalendar(cfg *Config) (*hanchot.Calendar, *ids) {
	cal := &hanchot.Calendar{
		Agencies: make([]hanchot.Agency, 0, len(cfg.Agencies)),
		Groups:   make([]hanchot.Group, 0, len(cfg.Groups)),
		Reports:  make([]hanchot.Report, 0, len(cfg.Reports)),
	}
	known := &ids{kind: map[string]string{}, place: map[string]string{}, names: map[string]string{}}
	// define records an id and returns it as it should be written: the
	// id itself, or the evident id meant by one with a mistake ("" when
	// none is evident). References to the evident id are not reported.
	define := func(place, id, kind string) string {
		if !slugRe.MatchString(id) {
			fixed, odd := fixID(id)
			switch {
			case odd != 0 && isHidden(odd):
				c.add(place, "idHidden", kindName(kind), describeRune(odd), fixed)
			case odd != 0:
				c.add(place, "idOddChar", kindName(kind), id, describeRune(odd), fixed)
			case fixed == "":
				c.add(place, "slug", kindName(kind), id, "so-noi-vu")
			default:
				c.add(place, "slug", kindName(kind), id, fixed)
			}
			known.kind[id] = kind
			known.place[id] = place
			if _, taken := known.kind[fixed]; taken || fixed == "" {
				return ""
			}
			known.kind[fixed] = kind
			known.place[fixed] = place
			return fixed
		} else if k, dup := known.kind[id]; dup {
			c.add(place, "idTaken", id, kindName(k), c.lines().line(known.place[id]))
			return id
		}
		known.kind[id] = kind
		known.place[id] = place
		known.all = append(known.all, id)
		return id
	}
	for i, a := range cfg.Agencies {
		place := elemPlace("agency", i)
		id := define(place+".id", a.ID, "agency")
		if strings.TrimSpace(a.Name) == "" {
			c.add(place+".name", "noName", "cơ quan", a.ID)
		} else if id != "" {
			known.names[hanchot.Fold(a.Name)] = id
		}
		if len(a.Email) == 0 {
			c.add(place+".email", "noEmail", a.ID)
		}
		for j, e := range a.Email {
			if addr, err := netmail.ParseAddress(e); err != nil || addr.Name != "" {
				c.add(elemPlace(place+".email", j), "email", label("agency.email"), e, `"snv@laocai.example"`)
			}
		}
		cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: a.ID, Name: a.Name, Emails: a.Email})
	}
	for i, g := range cfg.Groups {
		place := elemPlace("group", i)
		id := define(place+".id", g.ID, "group")
		if strings.TrimSpace(g.Name) == "" {
			c.add(place+".name", "noName", "nhóm", g.ID)
		} else if _, taken := known.names[hanchot.Fold(g.Name)]; !taken && id != "" {
			known.names[hanchot.Fold(g.Name)] = id
		}
		if len(g.Members) == 0 {
			c.add(place+".members", "noMembers", g.ID)
		}
		cal.Groups = append(cal.Groups, hanchot.Group{ID: g.ID, Name: g.Name, Members: g.Members.IDs()})
	}
	if c.aside != nil {
		// Ids on lines set aside for a syntax mistake, still readable.
		for id, kind := range c.aside.ids {
			if _, ok := known.kind[id]; !ok {
				known.kind[id] = kind
			}
		}
	}
	for i, g := range cfg.Groups {
		for j, m := range g.Members {
			if (m.ID != "" || !m.bad) && known.kind[m.ID] == "" {
				c.add(fmt.Sprintf("group[%d].members[%d]", i, j), "notMember", g.ID, m.ID, known.suggest(m.ID, ""))
			}
		}
	}
	c.checkCycles(cfg.Groups)
	c.checkReports(cfg, cal, known)
	return cal, known
}

// slug writes an id the way it must be: "Sở Nội vụ" -> "so-noi-vu".
func slug(id string) string {
	var b strings.Builder
	gap := false
	for _, r := range hanchot.Fold(id) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			gap = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || isDashLike(r):
			gap = true
		}
	}
	return b.String()
}

// fixID returns the id meant by one written with a character that does
// not belong in it: a hidden one (dropped) or a look-alike of the dash or
// of a space (made a dash). odd is the first such character, 0 for none;
// when the id has other mistakes too, fixed is its slug.
func fixID(id string) (fixed string, odd rune) {
	var b strings.Builder
	for _, r := range id {
		switch {
		case isHidden(r):
		case isDashLike(r) || r > unicode.MaxASCII && unicode.IsSpace(r):
			b.WriteByte('-')
		default:
			b.WriteRune(r)
			continue
		}
		if odd == 0 {
			odd = r
		}
	}
	if fixed = b.String(); odd == 0 || !slugRe.MatchString(fixed) {
		return slug(id), odd
	}
	return fixed, odd
}

// isDashLike reports whether r is a dash other than "-" that people type
// or paste for it: hyphen, non-breaking hyphen, figure dash, en and em
// dash, horizontal bar, minus sign, small and full-width hyphen-minus.
func isDashLike(r rune) bool {
	return r >= 0x2010 && r <= 0x2015 || r == 0x2212 || r == 0xFE63 || r == 0xFF0D
}

func kindName(kind string) string {
	if kind == "group" {
		return "nhóm"
	}
	return "cơ quan"
}

// The periods most reports use. A period written almost like one of them
// ("Quy I", "ca nam") is a slip that would make a second, different period.
// Periods that are the same as one of them ("Quý 1", "quý i"; see
// hanchot.PeriodKey) are the same period and need no correction.
var commonPeriods = []string{"Quý I", "Quý II", "Quý III", "Quý IV", "6 tháng", "9 tháng", "Cả năm"}

var commonPeriodKeys = func() map[string]bool {
	keys := map[string]bool{}
	for _, p := range commonPeriods {
		keys[hanchot.PeriodKey(p)] = true
	}
	return keys
}()

func (c *checker) checkReports(cfg *Config, cal *hanchot.Calendar, known *ids) {
	codes := map[string]string{} // code -> place of its first report
	for i, r := range cfg.Reports {
		place := elemPlace("report", i)
		if r.Code == "" && c.failed[place+".code"] {
			r.Code = fmt.Sprintf("thứ %d", i+1) // named by its place in the file
		}
		if !codeRe.MatchString(r.Code) {
			c.add(place+".code", "reportCode", r.Code)
		} else if first, dup := codes[r.Code]; dup {
			c.add(place+".code", "codeTaken", r.Code, c.lines().line(first+".code"))
		} else {
			codes[r.Code] = place
		}
		if strings.TrimSpace(r.Title) == "" {
			c.add(place+".title", "noTitle", r.Code)
		}
		if r.Points < 0 {
			c.add(place+".points", "negativePoints", r.Code, r.Points)
		}
		if len(r.Lead) == 0 {
			c.add(place+".lead", "noLead", r.Code)
		}
		for j, id := range r.Lead {
			switch known.kind[id] {
			case "agency":
			case "group":
				c.add(elemPlace(place+".lead", j), "leadIsGroup", r.Code, id)
			default:
				c.add(elemPlace(place+".lead", j), "leadUnknown", r.Code, id, known.suggest(id, "agency"))
			}
		}
		for j, id := range r.Support {
			if known.kind[id] == "" {
				c.add(elemPlace(place+".support", j), "supportUnknown", r.Code, id, known.suggest(id, ""))
			}
		}
		if len(r.Deadlines) == 0 {
			c.add(place+".deadlines", "noDeadlines", r.Code)
		}
		rep := hanchot.Report{Code: r.Code, Title: r.Title, Lead: r.Lead, Support: r.Support, Points: r.Points, Evidence: r.Evidence,
			Deadlines: make([]hanchot.Deadline, 0, len(r.Deadlines))}
		periods := map[string]string{} // period key -> the label first written
		for j, d := range r.Deadlines {
			dplace := fmt.Sprintf("%s.deadlines[%d]", place, j)
			key := hanchot.PeriodKey(d.Period)
			prev, dup := periods[key]
			switch {
			case strings.TrimSpace(d.Period) == "":
				c.add(dplace+".period", "noPeriod", r.Code)
			case dup && hanchot.Clean(prev) == hanchot.Clean(d.Period):
				c.add(dplace+".period", "periodTwice", r.Code, d.Period)
			case dup:
				c.add(dplace+".period", "periodSame", r.Code, d.Period, prev)
			case !commonPeriodKeys[key]:
				if p, ok := closest(d.Period, commonPeriods); ok {
					c.add(dplace+".period", "periodSpelling", r.Code, d.Period, p)
				}
			}
			if !dup {
				periods[key] = d.Period
			}
			what := r.Code
			if d.Period != "" {
				what += ", " + d.Period
			}
			rule, err := hanchot.ParseRule(d.Due)
			if err != nil {
				c.ruleProblem(dplace+".due", what, err)
			}
			if d.OnDayOff != "" && d.OnDayOff != "next" && d.OnDayOff != "keep" {
				c.add(dplace+".on_day_off", "nextOrKeep", label(dplace+".on_day_off"), d.OnDayOff)
			}
			keep := d.OnDayOff == "keep" || (d.OnDayOff == "" && cfg.Schedule.OnDayOff == "keep")
			dl := hanchot.Deadline{Period: hanchot.Clean(d.Period), ID: hanchot.Clean(d.ID), Rule: rule, Keep: keep}
			dl.Cutoff, dl.NoCutoff = c.checkCutoff(dplace+".cutoff", what, d.Cutoff)
			rep.Deadlines = append(rep.Deadlines, dl)
		}
		cal.Reports = append(cal.Reports, rep)
	}
}

// ruleProblem says in the secretariat's words why a due-date rule cannot
// be read.
func (c *checker) ruleProblem(place, what string, err error) {
	var re *hanchot.RuleError
	if !errors.As(err, &re) {
		c.add(place, "ruleUnknown", what, "", text("ruleForms"))
		return
	}
	switch re.Reason {
	case hanchot.RuleEmpty:
		c.add(place, "ruleEmpty", what, text("ruleForms"))
	case hanchot.RuleNoSuchDay:
		c.add(place, "ruleDay", what, re.Text, re.Day, re.Month)
	case hanchot.RuleNamesYear:
		c.add(place, "ruleYear", what, re.Text)
	case hanchot.RuleTrailing:
		c.add(place, "ruleRest", what, re.Text, re.Rest)
	default:
		c.add(place, "ruleUnknown", what, re.Text, text("ruleForms"))
	}
}

// checkCycles reports every cycle of groups that contain each other, once
// each, on the members line of the cycle's first group in the file.
func (c *checker) checkCycles(groups []Group) {
	idx := map[string]int{}
	for i, g := range groups {
		if _, dup := idx[g.ID]; !dup {
			idx[g.ID] = i
		}
	}
	// Only groups inside a strongly connected part (or containing
	// themselves) can be on a cycle; finding those parts first keeps the
	// search short on a large calendar without cycles.
	comp := components(groups, idx)
	seen := map[string]bool{}
	budget := 100000 // steps of the search, so that a tangle cannot stall check
	var path []int
	onPath := map[int]bool{}
	var walk func(start, at int)
	walk = func(start, at int) {
		for _, m := range groups[at].Members {
			next, ok := idx[m.ID]
			if !ok || comp[next] != comp[start] || next < start || budget <= 0 {
				continue
			}
			budget--
			if next == start {
				var names []string
				for _, p := range path {
					names = append(names, groups[p].ID)
				}
				names = append(names, groups[start].ID)
				key := strings.Join(names, " → ")
				if !seen[key] {
					seen[key] = true
					c.add(elemPlace("group", start)+".members", "cycles", key)
				}
				continue
			}
			if onPath[next] {
				continue
			}
			onPath[next] = true
			path = append(path, next)
			walk(start, next)
			path = path[:len(path)-1]
			onPath[next] = false
		}
	}
	for i := range groups {
		if idx[groups[i].ID] != i {
			continue
		}
		path = []int{i}
		onPath = map[int]bool{i: true}
		walk(i, i)
	}
}

// components numbers the strongly connected parts of the group graph
// (Tarjan's algorithm): two groups are in the same part when each contains
// the other, directly or not.
func components(groups []Group, idx map[string]int) []int {
	n := len(groups)
	index := make([]int, n)
	low := make([]int, n)
	comp := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	counter, parts := 0, 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = counter, counter
		counter++
		stack = append(stack, v)
		onStack[v] = true
		for _, m := range groups[v].Members {
			w, ok := idx[m.ID]
			if !ok {
				continue
			}
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = parts
				if w == v {
					break
				}
			}
			parts++
		}
	}
	for v := range groups {
		if index[v] < 0 {
			visit(v)
		}
	}
	return comp
}

func (c *checker) checkEscalation(cfg *Config, known *ids) {
	e := cfg.Escalation
	var agencies []string
	for _, id := range known.all {
		if known.kind[id] == "agency" {
			agencies = append(agencies, id)
		}
	}
	switch {
	case e.FocalPoint == "":
		c.add("escalation.focal_point", "focalEmpty")
	case known.kind[e.FocalPoint] == "group":
		c.add("escalation.focal_point", "focalIsGroup", e.FocalPoint)
	case known.kind[e.FocalPoint] == "":
		c.add("escalation.focal_point", "focalUnknown", e.FocalPoint, known.suggest(e.FocalPoint, "agency"))
	}
	prev := 0
	for i, d := range e.AfterDays {
		place := elemPlace("escalation.after_days", i)
		if d < 1 {
			c.add(place, "afterDaysMin", d)
		} else if d <= prev {
			c.add(place, "afterDaysOrder", d, prev)
		}
		prev = d
	}
	if e.SupportAfterDays != 0 && !slices.Contains(e.AfterDays, e.SupportAfterDays) {
		c.add("escalation.support_after_days", "supportLevel", e.SupportAfterDays, e.AfterDays)
	}
	if o := cfg.Org; o.Email != "" {
		if _, err := netmail.ParseAddress(o.Email); err != nil {
			c.add("org.email", "email", label("org.email"), o.Email, `"cchc@laocai.example"`)
		}
	}
	for i, a := range e.Also {
		place := elemPlace("escalation.also", i)
		if !slices.Contains(e.AfterDays, a.AfterDays) {
			c.add(place+".after_days", "alsoLevel", a.AfterDays, e.AfterDays)
		}
		if len(a.To) == 0 {
			c.add(place+".to", "alsoEmpty")
		}
		for j, id := range a.To {
			if known.kind[id] == "" {
				c.add(elemPlace(place+".to", j), "alsoUnknown", id, known.suggest(id, ""))
			}
		}
	}
}

// checkCutoff reads a deadline's data cut-off: "14/03" (of the reporting
// year, or "năm sau"/"năm trước"); "" for the default of Decree
// 09/2019/NĐ-CP; "không" for none.
func (c *checker) checkCutoff(place, what, v string) (*hanchot.Rule, bool) {
	switch strings.ToLower(hanchot.Clean(v)) {
	case "":
		return nil, false
	case "không", "khong", "none":
		return nil, true
	}
	r, err := hanchot.ParseRule(v)
	if err != nil || r.Kind != hanchot.DayMonth {
		c.add(place, "cutoff", what, v)
		return nil, false
	}
	return &r, false
}
