package notify

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"hanchot"
)

// View is what templates see.
type View struct {
	Kind       hanchot.Kind
	Recipient  hanchot.Agency
	FocalPoint hanchot.Agency
	// Sender is who speaks: the focal point, or, in mail to the focal
	// point itself (ToSelf), the tracking system.
	Sender  string
	ToSelf  bool
	Org     Org
	FeedURL string // the recipient's calendar feed; "" when none
	PageURL string // the recipient's own page; "" when none
	// HasLinks tells that the recipient's items carry their links.
	HasLinks bool
	Today    string // dd/mm/yyyy
	Subject  string
	Count    int      // items listed
	First    ItemView // the nearest (reminders) or oldest (overdue) item

	// Reminders, overdue notices and corrections: the recipient's own
	// items, by date.
	Groups []DateGroup
	// Overdue notices to a lead: supporting agencies' inputs it still
	// waits for, by report.
	Inputs []ReportGroup
	// Escalations: the recipient's own late items first, then the others
	// by report, the most overdue first.
	Own     []ItemView
	Reports []ReportGroup
	Totals  Totals
	// Corrections: items that left the calendar, and requests for a
	// later date that were refused.
	Removed []ItemView
	Refused []ItemView

	HasSupport  bool // some item is a supporting agency's input
	SupportDays int
	Failures    []FailureView
}

// DateGroup holds the items due on one date.
type DateGroup struct {
	Date  string
	Days  int
	Items []ItemView
}

// ReportGroup is one deadline of one report with its late agencies.
type ReportGroup struct {
	Code, Title, PeriodYear string
	MaxDays                 int
	Rows                    []ItemView
}

// Totals count an escalation's late items, agencies and reports.
type Totals struct {
	Items, Agencies, Reports int
}

// ItemView is one line of a digest.
type ItemView struct {
	Code, Title, Period string
	Year                int
	PeriodYear          string // "Quý I năm 2019", "Cả năm 2019"
	Due                 string // the date that counts, dd/mm/yyyy
	PlanDue             string // the plan's date, when it differs (a supporting agency's input)
	OldDue              string // corrections: the date told before
	Days                int    // left, or overdue
	Role                string // Chủ trì | Phối hợp
	IsSupport           bool
	AgencyName          string
	Level               int
	Escalated           bool // the focal point is told of it
	Extended            bool
	ExtensionReason     string
	Leads               string // a supporting agency's item: "Sở Tài chính (stc@...)"
	LeadNames           string // "Sở Tài chính"
	Missing             []MissingView
	Cutoff              string // "số liệu tính đến": dd/mm/yyyy, or ""
	// The recipient's own items: where to confirm it was sent, where to
	// ask for a later date; "" when the email carries no links.
	SubmitURL, ExtendURL string
	// A refused request: the date asked for, and the answer.
	RequestedDue, Answer string
}

// MissingView is a supporting agency's late input.
type MissingView struct {
	Name, Due string
	Days      int
}

// FailureView is an undeliverable message.
type FailureView struct {
	To, Subject, Reply string
	Status             string // failed | expired
}

var funcs = map[string]any{
	"daysLeft": daysLeft,
	"pad":      pad,
	"padLeft":  padLeft,
	"add":      func(a, b int) int { return a + b },
	"table": func(items []ItemView, overdue, showAgency bool) map[string]any {
		return map[string]any{"Items": items, "Overdue": overdue, "ShowAgency": showAgency}
	},
}

// daysLeft says how long is left in Vietnamese.
func daysLeft(n int) string {
	switch {
	case n == 0:
		return "hạn chót là hôm nay"
	case n == 1:
		return "còn 1 ngày"
	case n < 0:
		return fmt.Sprintf("quá %d ngày", -n)
	}
	return fmt.Sprintf("còn %d ngày", n)
}

// pad fills s with spaces to width characters, for aligned plain text.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// padLeft right-aligns v in width characters.
func padLeft(v any, width int) string {
	s := fmt.Sprint(v)
	if n := utf8.RuneCountInString(s); n < width {
		return strings.Repeat(" ", width-n) + s
	}
	return s
}

// periodYear writes a period and its year the way a letter does: "Quý I
// năm 2019", and "Cả năm 2019" rather than "Cả năm năm 2019".
func periodYear(period string, year int) string {
	if strings.HasSuffix(strings.ToLower(period), "năm") {
		return fmt.Sprintf("%s %d", period, year)
	}
	return fmt.Sprintf("%s năm %d", period, year)
}

func (c *Composer) itemView(n hanchot.Notice) ItemView {
	iv := ItemView{Code: n.Code, Title: n.Title, Period: n.Period, Year: n.Year, PeriodYear: periodYear(n.Period, n.Year),
		Due: n.Target.VN(), Days: n.Days, Role: "Chủ trì", AgencyName: n.AgencyName, Level: n.Step,
		Escalated: n.Escalated, Extended: n.Extended, ExtensionReason: n.ExtensionReason}
	if n.Role == hanchot.Support {
		iv.Role, iv.IsSupport = "Phối hợp", true
		if !n.Due.Equal(n.Target) {
			iv.PlanDue = n.Due.VN()
		}
		var leads, names []string
		for _, a := range n.Leads {
			names = append(names, a.Name)
			if len(a.Emails) > 0 {
				leads = append(leads, fmt.Sprintf("%s (%s)", a.Name, strings.Join(a.Emails, ", ")))
			} else {
				leads = append(leads, a.Name)
			}
		}
		iv.Leads, iv.LeadNames = strings.Join(leads, "; "), strings.Join(names, ", ")
	}
	if !n.OldTarget.IsZero() {
		iv.OldDue = n.OldTarget.VN()
	}
	if !n.Cutoff.IsZero() {
		iv.Cutoff = n.Cutoff.VN()
	}
	for _, m := range n.Missing {
		iv.Missing = append(iv.Missing, MissingView{Name: m.AgencyName, Due: m.Due.VN(), Days: m.Days})
	}
	if r := n.Refused; r != nil {
		iv.RequestedDue, iv.Answer = r.Due.VN(), r.Answer
	}
	return iv
}

func (c *Composer) view(d hanchot.Digest) View {
	v := View{Kind: d.Kind, Recipient: d.Recipient, FocalPoint: c.ctx.FocalPoint, Org: c.ctx.Org, Today: d.Today.VN(),
		SupportDays: c.ctx.SupportDays}
	if v.FocalPoint.Name == "" {
		v.FocalPoint.Name = "cơ quan thường trực cải cách hành chính"
	}
	links := c.ctx.Links
	if links != nil {
		v.FeedURL = links.AgencyFeed(d.Recipient.ID)
		v.PageURL = links.AgencyPage(d.Recipient.ID)
	}
	v.Sender = v.FocalPoint.Name
	if d.Recipient.ID == v.FocalPoint.ID {
		v.Sender, v.ToSelf = "Hệ thống theo dõi hạn báo cáo", true
	}
	byReport := map[string]int{}
	agencies, reports := map[string]bool{}, map[string]bool{}
	for _, n := range d.Notices {
		iv := c.itemView(n)
		if links != nil && n.Agency == d.Recipient.ID && n.Kind != hanchot.Removal {
			iv.SubmitURL, iv.ExtendURL = links.Submit(n.Item), links.Extend(n.Item)
			v.HasLinks = v.HasLinks || iv.SubmitURL != ""
		}
		v.HasSupport = v.HasSupport || iv.IsSupport
		switch {
		case n.Kind == hanchot.Removal:
			v.Removed = append(v.Removed, iv)
			continue
		case n.Kind == hanchot.Refusal:
			v.Refused = append(v.Refused, iv)
			continue
		case d.Kind == hanchot.Escalation && n.Agency == d.Recipient.ID:
			iv.Missing = nil // the late inputs have their own rows below
			v.Own = append(v.Own, iv)
		case d.Kind == hanchot.Escalation || (d.Kind == hanchot.Overdue && n.Agency != d.Recipient.ID):
			// Escalations list every late agency by report; an overdue
			// notice to a lead lists the inputs it waits for.
			groups := &v.Reports
			if d.Kind == hanchot.Overdue {
				groups = &v.Inputs
			}
			k := fmt.Sprintf("%s\x00%s\x00%d", n.Code, n.Period, n.Year)
			i, ok := byReport[k]
			if !ok {
				i = len(*groups)
				byReport[k] = i
				*groups = append(*groups, ReportGroup{Code: n.Code, Title: n.Title, PeriodYear: iv.PeriodYear})
			}
			g := &(*groups)[i]
			g.Rows = append(g.Rows, iv)
			g.MaxDays = max(g.MaxDays, iv.Days)
		default:
			if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Date != iv.Due {
				v.Groups = append(v.Groups, DateGroup{Date: iv.Due, Days: iv.Days})
			}
			g := &v.Groups[len(v.Groups)-1]
			g.Items = append(g.Items, iv)
		}
		agencies[n.Agency] = true
		reports[fmt.Sprintf("%s\x00%s\x00%d", n.Code, n.Period, n.Year)] = true
		v.Count++
		if v.First.Code == "" {
			v.First = iv
		}
	}
	for _, groups := range [][]ReportGroup{v.Reports, v.Inputs} {
		sort.SliceStable(groups, func(i, j int) bool { return groups[i].MaxDays > groups[j].MaxDays })
		for _, g := range groups {
			sort.SliceStable(g.Rows, func(i, j int) bool { return g.Rows[i].Days > g.Rows[j].Days })
		}
	}
	if len(v.Groups) > 0 {
		v.First = v.Groups[0].Items[0]
	}
	if len(v.Own) > 0 {
		v.First = v.Own[0]
	}
	v.Totals = Totals{Items: v.Count, Agencies: len(agencies), Reports: len(reports)}
	if v.Count == 0 && len(v.Removed) > 0 {
		v.First = v.Removed[0]
	}
	if v.Count == 0 && len(v.Removed) == 0 && len(v.Refused) > 0 {
		v.First = v.Refused[0]
	}
	for _, f := range d.Failures {
		v.Failures = append(v.Failures, FailureView{To: f.Address, Subject: f.Subject, Reply: f.Reply, Status: f.Status})
	}
	return v
}
