package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"hanchot"
	"hanchot/record"
	"hanchot/store"
)

// confirmView is the page where an agency confirms it has sent a report.
type confirmView struct {
	actionPage
	Form       confirmForm
	Done       bool   // just recorded
	RequestURL string // where to ask for a later date instead
}

// actionPage is what the pages of a signed action link share: the item,
// its agency, and whether the form can be sent.
type actionPage struct {
	view
	Agency   string // the agency's name
	Item     itemView
	ReadOnly bool // no writer: the form cannot be sent
}

// occurrenceKey names the occurrence of an action link for the store.
func occurrenceKey(o store.Occurrence) store.OccurrenceKey {
	return store.OccurrenceKey{ID: o.OccurrenceID, Agency: o.Agency, Code: o.Code, Period: o.Period, Year: o.Year}
}

// reread reads an occurrence again after a form lost a race, to show what
// stands now; the one the form was for when it cannot be read.
func (s *Server) reread(r *http.Request, key store.OccurrenceKey, was store.Occurrence) store.Occurrence {
	if now, _ := s.db.Occurrence(r.Context(), key); now.OccurrenceID != 0 {
		return now
	}
	return was
}

// actionPage builds the shared part of an action link's page; readOnly is
// what to say when the form cannot be sent.
func (s *Server) actionPage(w http.ResponseWriter, r *http.Request, o store.Occurrence, title, readOnly string) actionPage {
	site := s.current()
	loc := site.Config.Location
	p := actionPage{
		view:   view{Title: title, Org: site.Config.Org.Name, CSRF: s.csrfToken(w, r, r.PathValue("token"))},
		Agency: s.agencyName(o.Agency), Item: s.newItemView(o.Item, o.Submission, o.Pending, hanchot.DateOf(s.now(), loc), loc),
		ReadOnly: s.writer == nil,
	}
	if p.ReadOnly {
		p.Problem = readOnly
	}
	return p
}

// confirmForm is the form, as typed, with what is wrong with it.
type confirmForm struct {
	Ref, By, Note, SubmittedAt string
	Errors                     map[string]string // by field name
}

// confirmPage serves GET /xac-nhan/{token}: the item, its state, and the
// form. It only reads; a mail scanner fetching it changes nothing.
func (s *Server) confirmPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.actionLink(w, r, PurposeSubmit)
	if !ok {
		return
	}
	loc := s.current().Config.Location
	form := confirmForm{SubmittedAt: s.now().In(loc).Format("02/01/2006 15:04")}
	v := s.confirmView(w, r, o, form)
	v.Done = r.URL.Query().Get("da-ghi") == "1" && o.Submission != nil
	s.render(w, http.StatusOK, "confirm", v)
}

func (s *Server) confirmView(w http.ResponseWriter, r *http.Request, o store.Occurrence, form confirmForm) confirmView {
	return confirmView{
		actionPage: s.actionPage(w, r, o, "Xác nhận đã gửi báo cáo "+o.Code,
			"Máy chủ đang chỉ cho xem, chưa nhận xác nhận. Xin thử lại sau hoặc báo đầu mối."),
		Form: form, RequestURL: s.current().Links().Extend(o.Item),
	}
}

// confirmSubmit serves POST /xac-nhan/{token}: it records the submission
// as "hanchot submit" does, with the same checks, marked as sent on the
// web with the client's address and browser. The same form sent twice
// records it once.
func (s *Server) confirmSubmit(w http.ResponseWriter, r *http.Request) {
	o, ok := s.actionLink(w, r, PurposeSubmit)
	if !ok {
		return
	}
	if s.writer == nil {
		s.render(w, http.StatusServiceUnavailable, "confirm", s.confirmView(w, r, o, confirmForm{}))
		return
	}
	loc := s.current().Config.Location
	form := confirmForm{Ref: formValue(r, "ref", 200), By: formValue(r, "by", 200), Note: formValue(r, "note", 2000),
		SubmittedAt: formValue(r, "submitted_at", 40), Errors: map[string]string{}}
	if form.Ref == "" {
		form.Errors["ref"] = "Xin ghi số, ký hiệu của văn bản đã gửi, ví dụ 125/BC-SNV."
	}
	at := s.now()
	if form.SubmittedAt != "" {
		t, ok := parseFormTime(form.SubmittedAt, loc)
		if !ok {
			form.Errors["submitted_at"] = "Ngày giờ gửi không đọc được; xin ghi dạng 18/03/2019 10:30."
		}
		at = t
	}
	if form.Errors["submitted_at"] == "" {
		if err := record.CheckSubmissionTime(at, o.Year, loc, s.now()); errors.Is(err, record.ErrFuture) {
			form.Errors["submitted_at"] = "Ngày giờ gửi chưa đến: xin ghi lúc văn bản đã được gửi."
		} else if errors.Is(err, record.ErrOutsideWindow) {
			form.Errors["submitted_at"] = fmt.Sprintf("Ngày gửi phải nằm trong khoảng từ 01/01/%d đến 31/12/%d của kỳ báo cáo năm %d.", o.Year-1, o.Year+1, o.Year)
		}
	}
	if len(form.Errors) > 0 {
		v := s.confirmView(w, r, o, form)
		v.Problem = "Chưa ghi nhận: xin sửa các ô được đánh dấu bên dưới."
		s.render(w, http.StatusUnprocessableEntity, "confirm", v)
		return
	}
	c := s.clientOf(r)
	key := occurrenceKey(o)
	res, err := s.writer.Submit(r.Context(), []store.NewSubmission{{Key: key, At: at.Truncate(time.Minute), Ref: form.Ref,
		Note: form.Note, By: form.By, Source: "web", ClientIP: c.IP, UserAgent: c.UserAgent}}, true)
	if errors.Is(err, store.ErrConflict) {
		// Submitted meanwhile, differently: the page shows what stands.
		now := s.reread(r, key, o)
		v := s.confirmView(w, r, now, form)
		v.Problem = "Báo cáo này đã được ghi nhận trước đó (xem bên dưới); lần gửi này không ghi thêm. Nếu thông tin chưa đúng, xin báo đầu mối để sửa."
		s.render(w, http.StatusConflict, "confirm", v)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		s.problem(w, http.StatusGone, "Báo cáo không còn được theo dõi", "Báo cáo này vừa được bỏ khỏi kế hoạch. Không có gì được ghi nhận.")
		return
	}
	if err != nil {
		s.serverError(w, "confirm", err)
		return
	}
	if res.Recorded > 0 {
		s.log.Info("submission recorded on the web", "occurrence", o.OccurrenceID, "agency", o.Agency, "ip", c.IP)
	}
	// Post/Redirect/Get: reloading the page does not send the form again.
	http.Redirect(w, r, r.URL.Path+"?da-ghi=1", http.StatusSeeOther)
}
