package web

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"hanchot"
	"hanchot/record"
	"hanchot/store"
)

// overdueView is the overdue log.
type overdueView struct {
	view
	Today    string
	Filter   overdueFilter
	Agencies []option
	Reports  []option
	Levels   []option
	Sorts    []option
	Rows     []overdueRow
	CSVURL   string
}

// overdueFilter is what the overdue log is asked for.
type overdueFilter struct {
	Agency, Report string
	Year           int
	Level          string // "" every level, "0" not escalated yet, else a level
	Late           bool   // also items submitted late
	Sort           string
}

// option is a choice of a select field.
type option struct {
	Value, Label string
	Selected     bool
}

// overdueRow is one line of the overdue log.
type overdueRow struct {
	ID                            int64
	Code, Title, PeriodYear, Role string
	Agency, AgencyName            string
	Due, Since                    string
	Days, Level                   int
	EscalatedAt, SubmittedAt      string
	HistoryURL                    string
	o                             record.Overdue
}

// The orders of the overdue log.
var overdueSorts = []option{
	{Value: "han", Label: "theo hạn (cũ trước)"},
	{Value: "qua-han", Label: "quá hạn lâu nhất trước"},
	{Value: "co-quan", Label: "theo cơ quan"},
	{Value: "bao-cao", Label: "theo mã báo cáo"},
	{Value: "muc", Label: "mức đôn đốc cao nhất trước"},
}

// overduePage serves the overdue log as of now: open items past their
// date, filtered, sorted, as a page or (format=csv) a spreadsheet.
func (s *Server) overduePage(w http.ResponseWriter, r *http.Request, user string) {
	cfg := s.current().Config
	loc := cfg.Location
	now := s.now()
	today := hanchot.DateOf(now, loc)
	q := r.URL.Query()
	f := overdueFilter{Agency: q.Get("agency"), Report: q.Get("report"), Level: q.Get("level"), Late: q.Get("late") == "1", Sort: q.Get("sort")}
	var problems []string
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1901 || n > 2099 {
			problems = append(problems, fmt.Sprintf("Năm %q không đúng; bỏ qua.", y))
		} else {
			f.Year = n
		}
	}
	if f.Level != "" {
		if _, err := strconv.Atoi(f.Level); err != nil {
			problems = append(problems, fmt.Sprintf("Mức %q không đúng; bỏ qua.", f.Level))
			f.Level = ""
		}
	}
	if _, ok := cfg.Calendar.Agency(f.Agency); f.Agency != "" && !ok {
		problems = append(problems, fmt.Sprintf("Không có cơ quan %q; bỏ qua.", f.Agency))
		f.Agency = ""
	}
	if !slices.ContainsFunc(overdueSorts, func(o option) bool { return o.Value == f.Sort }) {
		f.Sort = "han"
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	recs, err := s.db.Records(ctx, store.RecordFilter{Year: f.Year, Before: today, Agency: f.Agency, OpenOn: today, Late: f.Late})
	if err != nil {
		s.serverError(w, "overdue page", err)
		return
	}
	var rows []overdueRow
	for _, o := range record.OverdueAt(recs, now, f.Late, loc) {
		if (f.Report != "" && o.Code != f.Report) || (f.Level != "" && strconv.Itoa(o.Level) != f.Level) {
			continue
		}
		row := overdueRow{ID: o.OccurrenceID, Code: o.Code, Title: o.Title, PeriodYear: periodYear(o.Period, o.Year), Role: roleName(o.Role),
			Agency: o.Agency, AgencyName: o.AgencyName, Due: o.Target.VN(), Since: o.Since.VN(), Days: o.DaysOverdue, Level: o.Level,
			HistoryURL: fmt.Sprintf("/quan-tri/viec/%d", o.OccurrenceID), o: o}
		if !o.EscalatedAt.IsZero() {
			row.EscalatedAt = o.EscalatedAt.In(loc).Format("02/01/2006 15:04")
		}
		if o.Submitted {
			row.SubmittedAt = o.SubmittedAt.In(loc).Format("02/01/2006 15:04")
		}
		rows = append(rows, row)
	}
	sortOverdue(rows, f.Sort)
	if q.Get("format") == "csv" {
		s.overdueCSV(w, rows, today)
		return
	}
	v := overdueView{view: s.adminView(w, r, user, "Nhật ký quá hạn"), Today: today.VN(), Filter: f, Rows: rows}
	v.Nav = "qua-han"
	v.Problem = strings.Join(problems, " ")
	v.Agencies = agencyOptions(cfg.Calendar, f.Agency)
	v.Reports = []option{{Value: "", Label: "tất cả"}}
	for _, rep := range cfg.Calendar.Reports {
		v.Reports = append(v.Reports, option{Value: rep.Code, Label: rep.Code + " " + truncate(rep.Title, 60), Selected: rep.Code == f.Report})
	}
	v.Levels = []option{{Value: "", Label: "tất cả", Selected: f.Level == ""}, {Value: "0", Label: "chưa đôn đốc", Selected: f.Level == "0"}}
	for _, l := range cfg.Escalation.AfterDays {
		v.Levels = append(v.Levels, option{Value: strconv.Itoa(l), Label: fmt.Sprintf("mức %d (quá %d ngày)", l, l), Selected: f.Level == strconv.Itoa(l)})
	}
	for _, o := range overdueSorts {
		o.Selected = o.Value == f.Sort
		v.Sorts = append(v.Sorts, o)
	}
	csvQuery := r.URL.Query()
	csvQuery.Set("format", "csv")
	v.CSVURL = "/quan-tri/qua-han?" + csvQuery.Encode()
	s.render(w, http.StatusOK, "overdue", v)
}

// agencyOptions lists the configuration's agencies for a select field,
// after "every agency".
func agencyOptions(cal *hanchot.Calendar, selected string) []option {
	out := []option{{Value: "", Label: "tất cả", Selected: selected == ""}}
	for _, a := range cal.Agencies {
		out = append(out, option{Value: a.ID, Label: a.Name, Selected: a.ID == selected})
	}
	return out
}

// sortOverdue orders the log; ties go by date, report and agency.
func sortOverdue(rows []overdueRow, by string) {
	slices.SortStableFunc(rows, func(a, b overdueRow) int {
		var c int
		switch by {
		case "qua-han":
			c = cmp.Compare(b.Days, a.Days)
		case "co-quan":
			c = cmp.Compare(a.AgencyName, b.AgencyName)
		case "bao-cao":
			c = cmp.Compare(a.Code, b.Code)
		case "muc":
			c = cmp.Compare(b.Level, a.Level)
		}
		return cmp.Or(c, a.o.Target.Compare(b.o.Target), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Agency, b.Agency))
	})
}

// overdueCSV writes the log as CSV, with the fields of "hanchot overdue
// --format csv" and a byte order mark, so that Excel shows Vietnamese.
func (s *Server) overdueCSV(w http.ResponseWriter, rows []overdueRow, today hanchot.Date) {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="qua-han-`+today.String()+`.csv"`)
	h.Set("Cache-Control", "no-store")
	w.Write([]byte("\ufeff"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"code", "period", "year", "agency", "agency_name", "role", "due", "since", "days_overdue", "level", "escalated_at", "submitted_at"})
	loc := s.current().Config.Location
	for _, row := range rows {
		o := row.o
		esc, sub := "", ""
		if !o.EscalatedAt.IsZero() {
			esc = o.EscalatedAt.In(loc).Format(time.RFC3339)
		}
		if o.Submitted {
			sub = o.SubmittedAt.In(loc).Format(time.RFC3339)
		}
		cw.Write([]string{o.Code, o.Period, strconv.Itoa(o.Year), o.Agency, o.AgencyName, string(o.Role), o.Target.String(),
			o.Since.String(), strconv.Itoa(o.DaysOverdue), strconv.Itoa(o.Level), esc, sub})
	}
	cw.Flush()
}
