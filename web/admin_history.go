package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"hanchot"
	"hanchot/record"
	"hanchot/store"
)

// submissionsView lists the recorded submissions.
type submissionsView struct {
	view
	Agency   string
	Year     int
	Agencies []option
	Rows     []submissionRow
}

// submissionRow is one recorded submission, standing or undone.
type submissionRow struct {
	Code, Title, PeriodYear, Role, AgencyName string
	Due, At, Recorded, Ref, By, Note, Source  string
	IP, Browser                               string
	Late                                      bool
	Undone                                    string
	HistoryURL                                string
}

// submissionsPage serves the submissions recorded, the latest first, by
// agency and year; each links to its item's history.
func (s *Server) submissionsPage(w http.ResponseWriter, r *http.Request, user string) {
	cfg := s.current().Config
	q := r.URL.Query()
	v := submissionsView{view: s.adminView(w, r, user, "Báo cáo đã ghi nhận"), Agency: q.Get("agency")}
	v.Nav = "da-gui"
	if _, ok := cfg.Calendar.Agency(v.Agency); !ok {
		v.Agency = ""
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 1901 && y <= 2099 {
		v.Year = y
	}
	v.Agencies = agencyOptions(cfg.Calendar, v.Agency)
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	subs, err := s.db.Submissions(ctx, store.SubmissionFilter{Agency: v.Agency, Year: v.Year, Limit: 300})
	if err != nil {
		s.serverError(w, "submissions page", err)
		return
	}
	for _, sub := range subs {
		v.Rows = append(v.Rows, s.submissionRow(sub))
	}
	s.render(w, http.StatusOK, "submissions", v)
}

func (s *Server) submissionRow(sub store.SubmissionRecord) submissionRow {
	loc := s.current().Config.Location
	row := submissionRow{Code: sub.Code, Title: sub.Title, PeriodYear: periodYear(sub.Period, sub.Year), Role: roleName(sub.Role),
		AgencyName: sub.AgencyName, Due: sub.Target.VN(), At: sub.At.In(loc).Format("02/01/2006 15:04"),
		Recorded: sub.RecordedAt.In(loc).Format("02/01/2006 15:04"), Ref: sub.Ref, By: sub.By, Note: sub.Note,
		Source: sourceName(sub.Source), IP: sub.ClientIP, Browser: sub.UserAgent, Late: !record.OnTime(sub.At, sub.Target, loc),
		HistoryURL: fmt.Sprintf("/quan-tri/viec/%d", sub.OccurrenceID)}
	if !sub.UndoneAt.IsZero() {
		row.Undone = sub.UndoneAt.In(loc).Format("02/01/2006 15:04") + ": " + sub.UndoReason
	}
	return row
}

// itemHistoryView is one item with everything recorded about it.
type itemHistoryView struct {
	view
	Item        itemView
	Submissions []submissionRow
	Extensions  []extensionRow
	Requests    []requestRow
	CanUndo     bool
	UndoURL     string
	Reason      string
}

// extensionRow is a granted extension.
type extensionRow struct {
	Previous, Due, Reason, By, Recorded string
}

// itemPage serves one item's history: its submissions (undone ones
// too), extensions and requests, and the form that undoes the standing
// submission.
func (s *Server) itemPage(w http.ResponseWriter, r *http.Request, user string) {
	notice := ""
	if r.URL.Query().Get("ok") == "huy" {
		notice = "Đã hủy lần ghi nhận; nó vẫn nằm trong lịch sử. Báo cáo lại được nhắc và đôn đốc như chưa gửi."
	}
	s.showItem(w, r, user, http.StatusOK, notice, "")
}

func (s *Server) showItem(w http.ResponseWriter, r *http.Request, user string, status int, notice, problem string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.problem(w, http.StatusNotFound, "Không có báo cáo này")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	o, err := s.db.Occurrence(ctx, store.OccurrenceKey{ID: id})
	if errors.Is(err, store.ErrNotFound) {
		s.problem(w, http.StatusNotFound, "Không có báo cáo này", "Báo cáo này không có, hoặc đã được bỏ khỏi kế hoạch hay chuyển cho cơ quan kế nhiệm.")
		return
	}
	if err != nil {
		s.serverError(w, "item page", err)
		return
	}
	subs, err := s.db.Submissions(ctx, store.SubmissionFilter{Occurrence: id})
	if err != nil {
		s.serverError(w, "item page", err)
		return
	}
	exts, err := s.db.Extensions(ctx, id)
	if err != nil {
		s.serverError(w, "item page", err)
		return
	}
	reqs, err := s.db.ExtensionRequests(ctx, store.RequestFilter{Occurrence: id})
	if err != nil {
		s.serverError(w, "item page", err)
		return
	}
	loc := s.current().Config.Location
	today := hanchot.DateOf(s.now(), loc)
	v := itemHistoryView{view: s.adminView(w, r, user, "Báo cáo "+o.Code+" của "+o.AgencyName),
		Item: s.newItemView(o.Item, o.Submission, o.Pending, today, loc), CanUndo: o.Submission != nil,
		UndoURL: fmt.Sprintf("/quan-tri/viec/%d/huy", id), Reason: formValue(r, "reason", 500)}
	v.Nav, v.Notice, v.Problem = "da-gui", notice, problem
	for _, sub := range subs {
		v.Submissions = append(v.Submissions, s.submissionRow(sub))
	}
	for _, e := range exts {
		v.Extensions = append(v.Extensions, extensionRow{Previous: e.Previous.VN(), Due: e.Due.VN(), Reason: e.Reason, By: e.By,
			Recorded: e.RecordedAt.In(loc).Format("02/01/2006 15:04")})
	}
	for _, x := range reqs {
		v.Requests = append(v.Requests, s.requestRow(x))
	}
	s.render(w, status, "item", v)
}

// undo serves POST /quan-tri/viec/{id}/huy: it undoes the standing
// submission, with a reason, as "hanchot submit --undo" does; the
// submission stays in the history, marked.
func (s *Server) undo(w http.ResponseWriter, r *http.Request, user string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.problem(w, http.StatusNotFound, "Không có báo cáo này")
		return
	}
	if s.writer == nil {
		s.problem(w, http.StatusServiceUnavailable, "Máy chủ đang chỉ cho xem", "Chưa hủy được. Xin thử lại sau.")
		return
	}
	reason := formValue(r, "reason", 500)
	if record.CheckReason(reason) != nil {
		s.showItem(w, r, user, http.StatusUnprocessableEntity, "", "Chưa hủy: xin ghi lý do hủy.")
		return
	}
	_, err = s.writer.Undo(r.Context(), store.OccurrenceKey{ID: id}, reason, user)
	if errors.Is(err, store.ErrConflict) {
		s.showItem(w, r, user, http.StatusConflict, "", "Báo cáo này không có lần ghi nhận nào đang có hiệu lực để hủy.")
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		s.problem(w, http.StatusNotFound, "Không có báo cáo này")
		return
	}
	if err != nil {
		s.serverError(w, "undo", err)
		return
	}
	s.log.Info("submission undone on the web", "occurrence", id, "user", user)
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/viec/%d?ok=huy", id), http.StatusSeeOther)
}
