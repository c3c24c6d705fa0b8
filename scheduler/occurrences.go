// Package scheduler decides what is due: working days and the lunar
// holidays, the occurrences of each reporting year, and which reminders,
// overdue notices and escalations a pass must send as of a given time. Its
// functions are pure: they take the calendar and now, and touch no
// database, clock or network.
package scheduler

import (
	"hanchot"
)

// DueOptions are the settings that turn a rule's date into the date that
// counts.
type DueOptions struct {
	SupportDays int  // supporting agencies' input is due this many working days before the lead's date
	KeepDayOff  bool // keep dates that fall on a day off instead of moving them to the next working day
}

// Occurrences returns every occurrence of reporting year y: for each report
// that applies to y, each deadline and each lead agency a lead occurrence,
// and for each supporting agency (groups expanded) a support occurrence,
// unless that agency also leads. Who owes an occurrence is decided on its
// date that counts: group members whose term covers it, and for an agency
// that no longer exists its successor.
func Occurrences(cal *hanchot.Calendar, y int, wd *Workdays, opt DueOptions) []hanchot.Occurrence {
	names := make(map[string]string, len(cal.Agencies))
	for _, a := range cal.Agencies {
		names[a.ID] = a.Name
	}
	var out []hanchot.Occurrence
	idx := cal.Index()
	for _, r := range cal.Reports {
		if !r.Applies(y) {
			continue
		}
		for _, d := range r.Deadlines {
			due := d.Rule.Due(y)
			eff := due
			if !opt.KeepDayOff && !d.Keep {
				eff = wd.OnOrAfter(due)
			}
			supportDue := wd.AddWorkingDays(eff, -opt.SupportDays)
			add := func(agency string, role hanchot.Role, effective hanchot.Date) {
				out = append(out, hanchot.Occurrence{
					Code: r.Code, Title: r.Title, Period: d.Period, Year: y,
					Agency: agency, AgencyName: names[agency], Role: role,
					Due: due, EffectiveDue: effective,
				})
			}
			leads := idx.MembersOn(r.Lead, eff)
			isLead := map[string]bool{}
			for _, id := range leads {
				isLead[id] = true
				add(id, hanchot.Lead, eff)
			}
			for _, id := range idx.MembersOn(r.Support, supportDue) {
				if !isLead[id] {
					add(id, hanchot.Support, supportDue)
				}
			}
		}
	}
	return out
}
