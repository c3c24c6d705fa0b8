package web

import (
	"errors"
	"net/http"

	"hanchot/record"
	"hanchot/store"
)

// requestView is the page where an agency asks for a later date.
type requestView struct {
	actionPage
	Form      requestForm
	Done      bool   // just recorded
	SubmitURL string // where to confirm it was sent instead
	Later     string // an example date: two weeks after the date that counts
}

// requestForm is the form, as typed, with what is wrong with it.
type requestForm struct {
	Due, Reason, By string
	Errors          map[string]string
}

// requestPage serves GET /gia-han/{token}. It only reads.
func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.actionLink(w, r, PurposeExtend)
	if !ok {
		return
	}
	v := s.requestView(w, r, o, requestForm{})
	v.Done = r.URL.Query().Get("da-ghi") == "1" && o.Pending != nil
	s.render(w, http.StatusOK, "request", v)
}

func (s *Server) requestView(w http.ResponseWriter, r *http.Request, o store.Occurrence, form requestForm) requestView {
	return requestView{
		actionPage: s.actionPage(w, r, o, "Đề nghị gia hạn báo cáo "+o.Code,
			"Máy chủ đang chỉ cho xem, chưa nhận đề nghị. Xin thử lại sau hoặc báo đầu mối."),
		Form: form, SubmitURL: s.current().Links().Submit(o.Item), Later: o.Target.AddDays(14).VN(),
	}
}

// requestSubmit serves POST /gia-han/{token}: it records the request,
// pending the focal point's decision. The same request sent twice is
// recorded once.
func (s *Server) requestSubmit(w http.ResponseWriter, r *http.Request) {
	o, ok := s.actionLink(w, r, PurposeExtend)
	if !ok {
		return
	}
	if s.writer == nil {
		s.render(w, http.StatusServiceUnavailable, "request", s.requestView(w, r, o, requestForm{}))
		return
	}
	form := requestForm{Due: formValue(r, "due", 40), Reason: formValue(r, "reason", 2000), By: formValue(r, "by", 200),
		Errors: map[string]string{}}
	due, ok := parseFormDate(form.Due, s.current().Config.Location)
	switch {
	case form.Due == "":
		form.Errors["due"] = "Xin chọn ngày đề nghị gia hạn đến."
	case !ok:
		form.Errors["due"] = "Ngày không đọc được; xin ghi dạng 29/03/2019."
	}
	if err := record.CheckExtension(due, o.Target, form.Reason); errors.Is(err, record.ErrNoReason) {
		form.Errors["reason"] = "Xin ghi lý do cần thêm thời gian."
	} else if errors.Is(err, record.ErrNotLater) && ok {
		form.Errors["due"] = "Ngày đề nghị phải sau hạn hiện nay (" + o.Target.VN() + ")."
	}
	if o.Submission != nil {
		form.Errors["due"] = "Báo cáo này đã được ghi nhận là đã gửi; không cần gia hạn."
	}
	if len(form.Errors) > 0 {
		v := s.requestView(w, r, o, form)
		v.Problem = "Chưa gửi đề nghị: xin sửa các ô được đánh dấu bên dưới."
		s.render(w, http.StatusUnprocessableEntity, "request", v)
		return
	}
	c := s.clientOf(r)
	key := occurrenceKey(o)
	recorded, err := s.writer.RequestExtension(r.Context(), store.NewRequest{Key: key, Due: due, Reason: form.Reason, By: form.By,
		ClientIP: c.IP, UserAgent: c.UserAgent})
	if errors.Is(err, store.ErrConflict) {
		now := s.reread(r, key, o)
		v := s.requestView(w, r, now, form)
		v.Problem = "Đã có một đề nghị gia hạn khác đang chờ duyệt, hoặc báo cáo đã được ghi nhận; lần gửi này không ghi thêm."
		s.render(w, http.StatusConflict, "request", v)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		s.problem(w, http.StatusGone, "Báo cáo không còn được theo dõi", "Báo cáo này vừa được bỏ khỏi kế hoạch. Không có gì được ghi nhận.")
		return
	}
	if err != nil {
		s.serverError(w, "extension request", err)
		return
	}
	if recorded {
		s.log.Info("extension requested on the web", "occurrence", o.OccurrenceID, "agency", o.Agency, "ip", c.IP)
	}
	http.Redirect(w, r, r.URL.Path+"?da-ghi=1", http.StatusSeeOther)
}
