package config

import (
	"fmt"
	netmail "net/mail"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"hanchot"
	"hanchot/scheduler"
)

var (
	slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	codeRe = regexp.MustCompile(`^\d+(\.\d+)*$`)
)

// checker collects problems with their lines.
type checker struct {
	ix  *lineIndex
	err *Error
}

func (c *checker) add(path, format string, args ...any) {
	c.err.Problems = append(c.err.Problems, Problem{c.ix.line(path), fmt.Sprintf(format, args...)})
}

// CronParser is the parser used for schedule.send_at: five fields, or a
// descriptor such as @daily.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// check validates cfg, adding every problem to cerr, and fills the derived
// fields when there is none.
func check(cfg *Config, ix *lineIndex, cerr *Error) {
	c := &checker{ix: ix, err: cerr}

	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil || cfg.Timezone == "" || cfg.Timezone == "Local" {
		c.add("timezone", "timezone %q is not a known time zone (e.g. Asia/Ho_Chi_Minh)", cfg.Timezone)
	}
	cfg.Location = loc

	if strings.TrimSpace(cfg.Store.Path) == "" {
		c.add("store.path", "store.path is empty")
	}

	s := cfg.Schedule
	if _, err := CronParser.Parse(s.SendAt); err != nil {
		c.add("schedule.send_at", "schedule.send_at %q is not a cron expression (minute hour day month weekday, e.g. \"0 8 * * MON-FRI\"): %v", s.SendAt, err)
	} else if strings.HasPrefix(s.SendAt, "CRON_TZ=") || strings.HasPrefix(s.SendAt, "TZ=") {
		c.add("schedule.send_at", "schedule.send_at must not set its own time zone; it runs in timezone %q", cfg.Timezone)
	}
	if len(s.RemindDays) == 0 {
		c.add("schedule.remind_days", "schedule.remind_days is empty; list the days before a deadline to remind on, e.g. [7, 3, 1, 0]")
	}
	seen := map[int]bool{}
	for _, d := range s.RemindDays {
		if d < 0 || d > 366 {
			c.add("schedule.remind_days", "schedule.remind_days: %d is not between 0 and 366", d)
		}
		if seen[d] {
			c.add("schedule.remind_days", "schedule.remind_days lists %d twice", d)
		}
		seen[d] = true
	}
	if s.SupportDays < 0 || s.SupportDays > 60 {
		c.add("schedule.support_days", "schedule.support_days %d is not between 0 and 60", s.SupportDays)
	}
	if s.OnDayOff != "next" && s.OnDayOff != "keep" {
		c.add("schedule.on_day_off", "schedule.on_day_off %q: write \"next\" (move to the next working day) or \"keep\"", s.OnDayOff)
	}
	for _, y := range []struct {
		key string
		v   int
	}{{"first_year", s.FirstYear}, {"last_year", s.LastYear}} {
		if y.v != 0 && (y.v < 1901 || y.v > 2099) {
			c.add("schedule."+y.key, "schedule.%s %d is not between 1901 and 2099", y.key, y.v)
		}
	}
	if s.FirstYear != 0 && s.LastYear != 0 && s.LastYear < s.FirstYear {
		c.add("schedule.last_year", "schedule.last_year %d is before first_year %d", s.LastYear, s.FirstYear)
	}

	c.checkMail(&cfg.Mail)
	if cfg.Log.Format != "text" && cfg.Log.Format != "json" {
		c.add("log.format", "log.format %q: write \"text\" or \"json\"", cfg.Log.Format)
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, cfg.Log.Level) {
		c.add("log.level", "log.level %q: write debug, info, warn or error", cfg.Log.Level)
	}
	rules := c.checkWorkdays(&cfg.Workdays)
	cal := c.checkCalendar(cfg)
	c.checkLifetimes(cfg, cal)
	c.checkEscalation(cfg, cal)

	if len(cerr.Problems) == 0 {
		cfg.Calendar = cal
		cfg.WorkRules = rules
	}
}

func (c *checker) checkMail(m *Mail) {
	switch m.Transport {
	case "dir":
		if strings.TrimSpace(m.Dir) == "" {
			c.add("mail.dir", "mail.dir is empty; transport \"dir\" writes .eml files there")
		}
	case "smtp":
		if strings.TrimSpace(m.Host) == "" {
			c.add("mail.host", "mail.host is empty")
		}
	default:
		c.add("mail.transport", "mail.transport %q: write \"smtp\" or \"dir\"", m.Transport)
	}
	if m.Port < 1 || m.Port > 65535 {
		c.add("mail.port", "mail.port %d is not a port (1–65535)", m.Port)
	}
	if !slices.Contains([]string{"starttls", "tls", "opportunistic", "none"}, m.TLS) {
		c.add("mail.tls", "mail.tls %q: write starttls, tls, opportunistic or none", m.TLS)
	}
	if !slices.Contains([]string{"auto", "plain", "login", "cram-md5"}, m.Auth) {
		c.add("mail.auth", "mail.auth %q: write auto, plain, login or cram-md5", m.Auth)
	}
	if _, err := netmail.ParseAddress(m.From); err != nil {
		c.add("mail.from", "mail.from %q is not an email address: %v", m.From, err)
	}
	if m.ReplyTo != "" {
		if _, err := netmail.ParseAddress(m.ReplyTo); err != nil {
			c.add("mail.reply_to", "mail.reply_to %q is not an email address: %v", m.ReplyTo, err)
		}
	}
	if m.PasswordFile != "" {
		if _, err := os.Stat(m.PasswordFile); err != nil {
			c.add("mail.password_file", "mail.password_file: %v", err)
		}
	}
	if m.KeepTrying < 1 || m.KeepTrying > 366 {
		c.add("mail.keep_trying_days", "mail.keep_trying_days %d: write a number of days from 1 to 366", m.KeepTrying)
	}
	if m.Timeout.Duration <= 0 {
		c.add("mail.timeout", "mail.timeout must be positive")
	}
	if m.Templates != "" {
		if fi, err := os.Stat(m.Templates); err != nil || !fi.IsDir() {
			c.add("mail.templates", "mail.templates %q is not a folder", m.Templates)
		}
	}
}

func (c *checker) checkWorkdays(w *Workdays) scheduler.WorkdayRules {
	r := scheduler.WorkdayRules{
		TetBefore: w.TetBefore, TetAfter: w.TetAfter, Compensate: w.Compensate,
		DaysOff: map[hanchot.Date]string{}, WorkingDays: map[hanchot.Date]string{},
	}
	if w.TetBefore < 0 || w.TetBefore > 5 {
		c.add("workdays.tet_before", "workdays.tet_before %d is not between 0 and 5", w.TetBefore)
	}
	if w.TetAfter < 0 || w.TetAfter > 9 {
		c.add("workdays.tet_after", "workdays.tet_after %d is not between 0 and 9", w.TetAfter)
	}
	for i, e := range w.DaysOff {
		path := fmt.Sprintf("workdays.days_off[%d]", i)
		if e.Err != nil {
			c.add(path, "workdays.days_off: %v", e.Err)
			continue
		}
		name := e.Name
		if name == "" {
			name = "Ngày nghỉ theo thông báo"
		}
		r.DaysOff[e.Date] = name
	}
	for i, e := range w.WorkingDays {
		path := fmt.Sprintf("workdays.working_days[%d]", i)
		if e.Err != nil {
			c.add(path, "workdays.working_days: %v", e.Err)
			continue
		}
		if _, dup := r.DaysOff[e.Date]; dup {
			c.add(path, "workdays: %s is listed both as a day off and as a working day", e.Date)
		}
		name := e.Name
		if name == "" {
			name = "Ngày làm bù"
		}
		r.WorkingDays[e.Date] = name
	}
	return r
}

func (c *checker) checkCalendar(cfg *Config) *hanchot.Calendar {
	cal := &hanchot.Calendar{}
	kinds := map[string]string{} // id -> "agency" | "group"
	for i, a := range cfg.Agencies {
		path := fmt.Sprintf("agency[%d]", i)
		if !slugRe.MatchString(a.ID) {
			c.add(path+".id", "agency id %q: use lower-case ASCII letters, digits and dashes (e.g. so-noi-vu)", a.ID)
		} else if k, dup := kinds[a.ID]; dup {
			c.add(path+".id", "id %q is already used by another %s", a.ID, k)
		}
		kinds[a.ID] = "agency"
		if strings.TrimSpace(a.Name) == "" {
			c.add(path+".name", "agency %q has no name", a.ID)
		}
		if len(a.Email) == 0 {
			c.add(path+".email", "agency %q has no email", a.ID)
		}
		for _, e := range a.Email {
			if addr, err := netmail.ParseAddress(e); err != nil || addr.Name != "" {
				c.add(path+".email", "agency %q: %q is not an email address", a.ID, e)
			}
		}
		cal.Agencies = append(cal.Agencies, hanchot.Agency{ID: a.ID, Name: a.Name, Emails: a.Email})
	}
	for i, g := range cfg.Groups {
		path := fmt.Sprintf("group[%d]", i)
		if !slugRe.MatchString(g.ID) {
			c.add(path+".id", "group id %q: use lower-case ASCII letters, digits and dashes", g.ID)
		} else if k, dup := kinds[g.ID]; dup {
			c.add(path+".id", "id %q is already used by another %s", g.ID, k)
		}
		kinds[g.ID] = "group"
		if strings.TrimSpace(g.Name) == "" {
			c.add(path+".name", "group %q has no name", g.ID)
		}
		if len(g.Members) == 0 {
			c.add(path+".members", "group %q has no members", g.ID)
		}
		cal.Groups = append(cal.Groups, hanchot.Group{ID: g.ID, Name: g.Name, Members: g.Members.IDs()})
	}
	for i, g := range cfg.Groups {
		for _, m := range g.Members.IDs() {
			if kinds[m] == "" {
				c.add(fmt.Sprintf("group[%d].members", i), "group %q: member %q is neither an agency nor a group", g.ID, m)
			}
		}
	}
	c.checkCycles(cfg.Groups)

	codes := map[string]bool{}
	for i, r := range cfg.Reports {
		path := fmt.Sprintf("report[%d]", i)
		if !codeRe.MatchString(r.Code) {
			c.add(path+".code", "report code %q: write numbers separated by dots, e.g. 1.2.1", r.Code)
		} else if codes[r.Code] {
			c.add(path+".code", "report code %q is used twice", r.Code)
		}
		codes[r.Code] = true
		if strings.TrimSpace(r.Title) == "" {
			c.add(path+".title", "report %s has no title", r.Code)
		}
		if r.Points < 0 {
			c.add(path+".points", "report %s: points %v is negative", r.Code, r.Points)
		}
		if len(r.Lead) == 0 {
			c.add(path+".lead", "report %s has no lead agency", r.Code)
		}
		for _, id := range r.Lead {
			switch kinds[id] {
			case "agency":
			case "group":
				c.add(path+".lead", "report %s: lead %q is a group; the lead must be one or more agencies", r.Code, id)
			default:
				c.add(path+".lead", "report %s: lead %q is not an agency", r.Code, id)
			}
		}
		for _, id := range r.Support {
			if kinds[id] == "" {
				c.add(path+".support", "report %s: support %q is neither an agency nor a group", r.Code, id)
			}
		}
		if len(r.Deadlines) == 0 {
			c.add(path+".deadlines", "report %s has no deadlines", r.Code)
		}
		rep := hanchot.Report{Code: r.Code, Title: r.Title, Lead: r.Lead, Support: r.Support, Points: r.Points, Evidence: r.Evidence}
		periods := map[string]string{} // period key -> label
		for j, d := range r.Deadlines {
			dpath := fmt.Sprintf("%s.deadlines[%d]", path, j)
			if strings.TrimSpace(d.Period) == "" {
				c.add(dpath+".period", "report %s: a deadline has no period", r.Code)
			} else if prev, dup := periods[hanchot.PeriodKey(d.Period)]; dup {
				c.add(dpath+".period", "report %s: period %q is the same period as %q", r.Code, d.Period, prev)
			}
			periods[hanchot.PeriodKey(d.Period)] = d.Period
			rule, err := hanchot.ParseRule(d.Due)
			if err != nil {
				c.add(dpath+".due", "report %s, %s: %v", r.Code, d.Period, err)
			}
			if d.OnDayOff != "" && d.OnDayOff != "next" && d.OnDayOff != "keep" {
				c.add(dpath+".on_day_off", "report %s, %s: on_day_off %q: write \"next\" or \"keep\"", r.Code, d.Period, d.OnDayOff)
			}
			keep := d.OnDayOff == "keep" || (d.OnDayOff == "" && cfg.Schedule.OnDayOff == "keep")
			rep.Deadlines = append(rep.Deadlines, hanchot.Deadline{Period: hanchot.Clean(d.Period), ID: hanchot.Clean(d.ID), Rule: rule, Keep: keep})
		}
		cal.Reports = append(cal.Reports, rep)
	}
	return cal
}

// checkCycles reports each group that contains itself.
func (c *checker) checkCycles(groups []Group) {
	idx := map[string]int{}
	for i, g := range groups {
		idx[g.ID] = i
	}
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var visit func(id string, trail []string) bool
	visit = func(id string, trail []string) bool {
		i, isGroup := idx[id]
		if !isGroup {
			return false
		}
		switch state[id] {
		case active:
			at := slices.Index(trail, id)
			cycle := append(slices.Clone(trail[at:]), id)
			c.add(fmt.Sprintf("group[%d].members", idx[cycle[0]]), "groups form a cycle: %s", strings.Join(cycle, " → "))
			return true
		case done:
			return false
		}
		state[id] = active
		for _, m := range groups[i].Members.IDs() {
			if visit(m, append(trail, id)) {
				state[id] = done
				return true
			}
		}
		state[id] = done
		return false
	}
	for _, g := range groups {
		visit(g.ID, nil)
	}
}

func (c *checker) checkEscalation(cfg *Config, cal *hanchot.Calendar) {
	e := cfg.Escalation
	if e.FocalPoint == "" {
		c.add("escalation.focal_point", "escalation.focal_point is empty; name the agency that receives escalations (e.g. so-noi-vu)")
	} else if _, ok := cal.Agency(e.FocalPoint); !ok {
		c.add("escalation.focal_point", "escalation.focal_point %q is not an agency", e.FocalPoint)
	}
	prev := 0
	for _, d := range e.AfterDays {
		if d < 1 {
			c.add("escalation.after_days", "escalation.after_days: %d must be 1 or more (days overdue)", d)
		} else if d <= prev {
			c.add("escalation.after_days", "escalation.after_days must increase: %d after %d", d, prev)
		}
		prev = d
	}
	known := map[string]bool{}
	for _, a := range cal.Agencies {
		known[a.ID] = true
	}
	for _, g := range cal.Groups {
		known[g.ID] = true
	}
	for i, a := range e.Also {
		path := fmt.Sprintf("escalation.also[%d]", i)
		if !slices.Contains(e.AfterDays, a.AfterDays) {
			c.add(path+".after_days", "escalation.also: after_days %d is not one of escalation.after_days %v", a.AfterDays, e.AfterDays)
		}
		if len(a.To) == 0 {
			c.add(path+".to", "escalation.also: to is empty")
		}
		for _, id := range a.To {
			if !known[id] {
				c.add(path+".to", "escalation.also: %q is neither an agency nor a group", id)
			}
		}
	}
}
