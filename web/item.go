package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"hanchot"
	"hanchot/store"
	"hanchot/token"
)

// The states of an item on the agencies' pages.
const (
	stateSent    = "da-gui"       // đã gửi
	stateOverdue = "qua-han"      // quá hạn
	stateSoon    = "sap-den-han"  // sắp đến hạn
	stateLater   = "chua-den-han" // chưa đến hạn
)

var stateLabels = map[string]string{
	stateSent: "đã gửi", stateOverdue: "quá hạn", stateSoon: "sắp đến hạn", stateLater: "chưa đến hạn",
}

// pageState is an item's state on day today: sent, overdue (after its date),
// soon (within soon days of it) or later.
func pageState(submitted bool, target, today hanchot.Date, soon int) string {
	switch {
	case submitted:
		return stateSent
	case today.After(target):
		return stateOverdue
	case target.Sub(today) <= soon:
		return stateSoon
	}
	return stateLater
}

// soonDays is how many days before its date an item is "sắp đến hạn": the
// first reminder's.
func (s *Server) soonDays() int {
	if days := s.current().Config.Schedule.RemindDays; len(days) > 0 {
		return slices.Max(days)
	}
	return 14
}

// itemView is an item as the agencies' and admins' pages show it.
type itemView struct {
	ID                      int64
	Code, Title, PeriodYear string
	Role, AgencyName        string
	Due                     string // the date that counts, dd/mm/yyyy
	PlanDue                 string // the plan's date, when it differs
	Extended                bool
	State, StateLabel, Days string
	SubmittedAt, Ref, By    string
	Pending                 string // a request for a later date waiting: "dd/mm/yyyy"
	SubmitURL, ExtendURL    string // the action links, on an agency's page
	HistoryURL              string // the admins' page of the item
}

// newItemView describes an occurrence as of day today, in zone loc.
func (s *Server) newItemView(it hanchot.Item, sub *store.Submission, pending *store.ExtensionRequest, today hanchot.Date, loc *time.Location) itemView {
	v := itemView{ID: it.OccurrenceID, Code: it.Code, Title: it.Title, PeriodYear: periodYear(it.Period, it.Year),
		Role: roleName(it.Role), AgencyName: it.AgencyName, Due: it.Target.VN(),
		Extended: it.Extended}
	if !it.Due.Equal(it.Target) {
		v.PlanDue = it.Due.VN()
	}
	v.State = pageState(sub != nil, it.Target, today, s.soonDays())
	v.StateLabel = stateLabels[v.State]
	switch d := it.Target.Sub(today); {
	case sub != nil:
		late := hanchot.DateOf(sub.At, loc).Sub(it.Target)
		v.SubmittedAt, v.Ref, v.By = sub.At.In(loc).Format("02/01/2006 15:04"), sub.Ref, sub.By
		if late > 0 {
			v.Days = fmt.Sprintf("gửi muộn %d ngày", late)
		} else {
			v.Days = "gửi đúng hạn"
		}
	case d == 0:
		v.Days = "hạn chót là hôm nay"
	case d > 0:
		v.Days = fmt.Sprintf("còn %d ngày", d)
	default:
		v.Days = fmt.Sprintf("quá %d ngày", -d)
	}
	if pending != nil {
		v.Pending = pending.Due.VN()
	}
	return v
}

// actionLink verifies the token of an action link (purpose submit or
// extend) and reads its occurrence from the database. Otherwise it
// answers with a page that says why, and returns false: a forged or
// altered link, an expired one, an item no longer tracked.
func (s *Server) actionLink(w http.ResponseWriter, r *http.Request, purpose string) (store.Occurrence, bool) {
	site := s.current()
	if site.Keys == nil {
		s.badLink(w)
		return store.Occurrence{}, false
	}
	claims, err := site.Keys.Verify(r.PathValue("token"), purpose, s.now())
	if errors.Is(err, token.ErrExpired) {
		s.problem(w, http.StatusGone, "Liên kết đã hết hạn",
			fmt.Sprintf("Liên kết này chỉ dùng được đến hết ngày %s (%d ngày sau hạn của báo cáo). Không có gì được ghi nhận.",
				hanchot.DateOf(claims.Expires.Add(-time.Second), site.Config.Location).VN(), ActionDays),
			"Xin dùng liên kết trong thư mới nhất, hoặc liên kết “Trang của cơ quan” ở cuối thư, hoặc báo đầu mối bên dưới.")
		return store.Occurrence{}, false
	}
	id, agency, ok := parseAction(claims.Subject)
	if err != nil || !ok {
		s.badLink(w)
		return store.Occurrence{}, false
	}
	o, err := s.db.Occurrence(r.Context(), store.OccurrenceKey{ID: id, Agency: agency})
	if errors.Is(err, store.ErrNotFound) {
		s.problem(w, http.StatusGone, "Báo cáo không còn được theo dõi",
			"Báo cáo trong liên kết này đã được bỏ khỏi kế hoạch, hoặc đã chuyển cho cơ quan kế nhiệm. Không có gì được ghi nhận.",
			"Nếu cần, xin liên hệ đầu mối bên dưới.")
		return store.Occurrence{}, false
	}
	if err != nil {
		s.serverError(w, "action link", err)
		return store.Occurrence{}, false
	}
	return o, true
}

// badLink answers a link whose token does not verify: forged, altered
// (often a link cut in two by a mail client), or signed with a key since
// retired.
func (s *Server) badLink(w http.ResponseWriter) {
	s.problem(w, http.StatusNotFound, "Liên kết không hợp lệ",
		"Liên kết này không đúng: có thể nó bị cắt hoặc sửa khi chép từ thư, hoặc đã bị thu hồi. Không có gì được ghi nhận.",
		"Xin bấm lại đúng liên kết trong thư (hoặc chép cả dòng địa chỉ), hoặc báo đầu mối bên dưới.")
}

// agencyName is an agency's name in the configuration, else its id.
func (s *Server) agencyName(id string) string {
	if a, ok := s.current().Config.Calendar.Agency(id); ok {
		return a.Name
	}
	return id
}

// formValue reads a form field, without the spaces around it, cut to max
// bytes.
func formValue(r *http.Request, name string, max int) string {
	return truncate(strings.TrimSpace(r.PostForm.Get(name)), max)
}

// parseFormTime reads a time as a browser's date-and-time field sends it
// (2019-03-18T10:30), or as a person types it (18/03/2019 10:30, or a day
// alone), in zone loc: any form the command line's --at takes
// (hanchot.ParseTime).
func parseFormTime(v string, loc *time.Location) (time.Time, bool) {
	t, err := hanchot.ParseTime(v, loc)
	return t, err == nil
}

// parseFormDate reads a day as a browser's date field sends it
// (2019-03-29) or as a person types it (29/03/2019), as the command line's
// --due does (hanchot.ParseDay).
func parseFormDate(v string, loc *time.Location) (hanchot.Date, bool) {
	d, err := hanchot.ParseDay(v, loc)
	return d, err == nil
}
