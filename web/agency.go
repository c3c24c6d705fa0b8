package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"hanchot"
	"hanchot/record"
	"hanchot/store"
)

// agencyView is an agency's own page.
type agencyView struct {
	view
	Agency string
	Today  string
	// Now are the items overdue or soon due, by date; Next those due
	// later, up to Until unless All, and Later how many come after.
	Now, Next   []itemView
	Later       int
	Until       string
	All         bool
	AllURL      string
	Sent        int // items of the years shown already sent
	History     []historyRow
	HistoryMore bool // more submissions than shown
	FeedURL     string
	Years       string // the reporting years shown
}

// agencyAhead is how far ahead an agency's page lists items not yet due;
// the calendar feed, and ?tat-ca=1, give the rest.
const agencyAhead = 120

// agencyHistory is how many of its latest submissions an agency's page
// lists.
const agencyHistory = 50

// historyRow is one recorded submission on an agency's page.
type historyRow struct {
	Code, PeriodYear string
	At, Recorded     string
	Ref, By, Source  string
	Late             bool
	Undone           string // "" while it stands, else when and why
}

// agencyPage serves GET /co-quan/{token}: the agency's items of the
// current reporting year and the next (and last year's that fall this
// year), with their state and action links, its submissions and its
// calendar feed. A token that does not verify gets the same page as any
// bad link. It only reads.
func (s *Server) agencyPage(w http.ResponseWriter, r *http.Request) {
	site := s.current()
	if site.Keys == nil {
		s.badLink(w)
		return
	}
	claims, err := site.Keys.Verify(r.PathValue("token"), PurposeAgency, s.now())
	if err != nil {
		s.badLink(w)
		return
	}
	agency := claims.Subject
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	name, known, err := s.db.AgencyName(ctx, agency)
	if err != nil {
		s.serverError(w, "agency page", err)
		return
	}
	if !known {
		s.badLink(w)
		return
	}
	if a, ok := site.Config.Calendar.Agency(agency); ok {
		name = a.Name
	}
	loc := site.Config.Location
	today := hanchot.DateOf(s.now(), loc)
	from, to, since := Horizon(today)
	entries, err := s.db.FeedEntries(ctx, store.FeedFilter{Agency: agency, From: from, To: to})
	if err != nil {
		s.serverError(w, "agency page", err)
		return
	}
	pending, err := s.db.ExtensionRequests(ctx, store.RequestFilter{Agency: agency, Status: store.RequestPending})
	if err != nil {
		s.serverError(w, "agency page", err)
		return
	}
	waiting := map[int64]*store.ExtensionRequest{}
	for i := range pending {
		waiting[pending[i].Item.OccurrenceID] = &pending[i]
	}
	subs, err := s.db.Submissions(ctx, store.SubmissionFilter{Agency: agency, Limit: agencyHistory + 1})
	if err != nil {
		s.serverError(w, "agency page", err)
		return
	}
	links := site.Links()
	until := today.AddDays(agencyAhead)
	v := agencyView{
		view:   view{Title: "Các hạn báo cáo của " + name, Org: site.Config.Org.Name},
		Agency: name, Today: today.VN(), FeedURL: links.AgencyFeed(agency), Until: until.VN(),
		Years: fmt.Sprintf("%d và %d", today.Year(), today.Year()+1), All: r.URL.Query().Get("tat-ca") == "1",
		AllURL: r.URL.Path + "?tat-ca=1#tiep-theo",
	}
	for _, e := range InHorizon(entries, since) {
		if !e.Tracked || !e.Retired.IsZero() {
			continue
		}
		iv := s.newItemView(e.Item, e.Submission, waiting[e.OccurrenceID], today, loc)
		switch {
		case iv.State == stateSent:
			v.Sent++
			continue
		case e.Target.After(until) && !v.All:
			v.Later++
			continue
		}
		iv.SubmitURL, iv.ExtendURL = links.Submit(e.Item), links.Extend(e.Item)
		if iv.State == stateOverdue || iv.State == stateSoon {
			v.Now = append(v.Now, iv)
		} else {
			v.Next = append(v.Next, iv)
		}
	}
	if len(subs) > agencyHistory {
		subs, v.HistoryMore = subs[:agencyHistory], true
	}
	for _, sub := range subs {
		h := historyRow{Code: sub.Code, PeriodYear: periodYear(sub.Period, sub.Year), At: sub.At.In(loc).Format("02/01/2006 15:04"),
			Recorded: sub.RecordedAt.In(loc).Format("02/01/2006 15:04"), Ref: sub.Ref, By: sub.By, Source: sourceName(sub.Source),
			Late: !record.OnTime(sub.At, sub.Target, loc)}
		if !sub.UndoneAt.IsZero() {
			h.Undone = "đã hủy ngày " + sub.UndoneAt.In(loc).Format("02/01/2006") + ": " + sub.UndoReason
		}
		v.History = append(v.History, h)
	}
	s.render(w, http.StatusOK, "agency", v)
}

// sourceName says where a submission was recorded.
func sourceName(source string) string {
	if source == "web" {
		return "qua trang web"
	}
	return "do văn thư nhập"
}
