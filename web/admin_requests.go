package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"hanchot"
	"hanchot/store"
)

// requestsView lists the agencies' requests for a later date.
type requestsView struct {
	view
	Pending []requestRow
	Decided []requestRow
}

// requestRow is one request.
type requestRow struct {
	ID                      int64
	Item                    itemView
	Asked, Due, Was         string // when asked, the date asked for, the date that counted then
	Reason, By, IP, Browser string
	Status, Decided, Answer string
	DecideURL               string
}

// requestsPage serves the requests: those waiting, oldest first, each
// with its form, then the last ones decided.
func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request, user string) {
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	pending, err := s.db.ExtensionRequests(ctx, store.RequestFilter{Status: store.RequestPending})
	if err != nil {
		s.serverError(w, "requests page", err)
		return
	}
	decided, err := s.db.ExtensionRequests(ctx, store.RequestFilter{Status: store.RequestApproved})
	if err != nil {
		s.serverError(w, "requests page", err)
		return
	}
	refused, err := s.db.ExtensionRequests(ctx, store.RequestFilter{Status: store.RequestRefused})
	if err != nil {
		s.serverError(w, "requests page", err)
		return
	}
	decided = append(decided, refused...)
	v := requestsView{view: s.adminView(w, r, user, "Đề nghị gia hạn")}
	v.Nav = "gia-han"
	switch r.URL.Query().Get("ok") {
	case "duyet":
		v.Notice = "Đã chấp thuận: hạn mới được ghi; lượt gửi thư tới báo cơ quan hạn mới."
	case "tu-choi":
		v.Notice = "Đã từ chối: lượt gửi thư tới báo cơ quan."
	}
	for _, x := range pending {
		v.Pending = append(v.Pending, s.requestRow(x))
	}
	// The last decisions, most recent first.
	sortByDecision(decided)
	for i, x := range decided {
		if i == 50 {
			break
		}
		v.Decided = append(v.Decided, s.requestRow(x))
	}
	s.render(w, http.StatusOK, "requests", v)
}

func (s *Server) requestRow(x store.ExtensionRequest) requestRow {
	loc := s.current().Config.Location
	today := hanchot.DateOf(s.now(), loc)
	row := requestRow{ID: x.ID, Item: s.newItemView(x.Item, nil, nil, today, loc), Asked: x.RequestedAt.In(loc).Format("02/01/2006 15:04"),
		Due: x.Due.VN(), Was: x.Target.VN(), Reason: x.Reason, By: x.By, IP: x.ClientIP, Browser: x.UserAgent,
		Status: map[string]string{store.RequestPending: "chờ duyệt", store.RequestApproved: "đã chấp thuận", store.RequestRefused: "đã từ chối"}[x.Status],
		Answer: x.Answer, DecideURL: fmt.Sprintf("/quan-tri/gia-han/%d", x.ID)}
	row.Item.HistoryURL = fmt.Sprintf("/quan-tri/viec/%d", x.Item.OccurrenceID)
	if !x.DecidedAt.IsZero() {
		row.Decided = x.DecidedAt.In(loc).Format("02/01/2006 15:04") + " (" + x.DecidedBy + ")"
	}
	return row
}

func sortByDecision(reqs []store.ExtensionRequest) {
	slices.SortStableFunc(reqs, func(a, b store.ExtensionRequest) int { return b.DecidedAt.Compare(a.DecidedAt) })
}

// decide serves POST /quan-tri/gia-han/{id}: decision=approve grants the
// extension (the next pass tells the agency its new date), decision=refuse
// refuses it with an answer (the next pass tells the agency).
func (s *Server) decide(w http.ResponseWriter, r *http.Request, user string) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.problem(w, http.StatusNotFound, "Không có đề nghị này")
		return
	}
	if s.writer == nil {
		s.problem(w, http.StatusServiceUnavailable, "Máy chủ đang chỉ cho xem", "Chưa ghi được quyết định. Xin thử lại sau.")
		return
	}
	req, err := s.db.ExtensionRequest(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.problem(w, http.StatusNotFound, "Không có đề nghị này")
		return
	}
	if err != nil {
		s.serverError(w, "decide", err)
		return
	}
	decision := r.PostForm.Get("decision")
	answer := formValue(r, "answer", 2000)
	loc := s.current().Config.Location
	d := store.Decision{Approve: decision == "approve", Answer: answer, By: user}
	switch decision {
	case "approve":
		d.Reason = fmt.Sprintf("%s (theo đề nghị ngày %s)", req.Reason, req.RequestedAt.In(loc).Format("02/01/2006"))
		if answer != "" {
			d.Reason += "; " + answer
		}
	case "refuse":
		if answer == "" {
			s.problem(w, http.StatusUnprocessableEntity, "Cần ghi lý do từ chối",
				"Lý do được gửi cho cơ quan đã đề nghị. Xin quay lại, ghi lý do rồi bấm “Từ chối”.")
			return
		}
	default:
		s.problem(w, http.StatusBadRequest, "Chưa chọn quyết định", "Xin quay lại và bấm “Chấp thuận” hoặc “Từ chối”.")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	if _, err := s.writer.DecideExtension(ctx, id, d); errors.Is(err, store.ErrConflict) {
		s.problem(w, http.StatusConflict, "Chưa ghi được quyết định",
			"Đề nghị này đã được xử lý, hoặc báo cáo đã được ghi nhận là đã gửi nên không gia hạn được nữa.")
		return
	} else if err != nil {
		s.serverError(w, "decide", err)
		return
	}
	s.log.Info("extension request decided", "request", id, "decision", decision, "user", user)
	next := "/quan-tri/gia-han?ok=tu-choi"
	if d.Approve {
		next = "/quan-tri/gia-han?ok=duyet"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
