package web

import (
	"fmt"
	"net/http"
	"strings"
)

// loginView is the login page.
type loginView struct {
	view
	Next, Name string
}

// loginPage shows the login form. It only reads.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if s.current().Keys == nil || s.current().Config.Web.AdminsFile == "" {
		s.problem(w, http.StatusNotFound, "Trang quản trị chưa được bật",
			"Trang này cần khóa ký ([web] secret_file hoặc HANCHOT_WEB_SECRET) và danh sách người quản trị ([web] admins_file).")
		return
	}
	s.render(w, http.StatusOK, "login", loginView{view: s.adminView(w, r, "", "Đăng nhập"), Next: localPath(r.URL.Query().Get("tiep"))})
}

// loginSubmit checks a name and password. A client gets loginFailures
// tries in loginWindow, and so does a name; then it waits.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if s.current().Keys == nil || s.current().Config.Web.AdminsFile == "" {
		s.problem(w, http.StatusNotFound, "Trang quản trị chưa được bật")
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	password := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("tiep"))
	now := s.now()
	ip := s.clientOf(r).IP
	nameKey := truncate(name, 64)
	for _, l := range []struct {
		limiter *limiter
		key     string
	}{{s.clients, ip}, {s.names, nameKey}} {
		if blocked, until := l.limiter.blocked(l.key, now); blocked {
			v := loginView{view: s.adminView(w, r, "", "Đăng nhập"), Next: next, Name: name}
			v.Problem = fmt.Sprintf("Đã đăng nhập sai quá nhiều lần. Xin thử lại sau %d phút.", int(until.Sub(now).Minutes())+1)
			s.render(w, http.StatusTooManyRequests, "login", v)
			return
		}
	}
	ok, err := s.authenticate(name, password)
	if err != nil {
		s.serverError(w, "login: the admins file", err)
		return
	}
	if !ok {
		s.clients.fail(ip, now)
		s.names.fail(nameKey, now)
		s.log.Warn("login failed", "ip", ip)
		v := loginView{view: s.adminView(w, r, "", "Đăng nhập"), Next: next, Name: name}
		v.Problem = "Tên đăng nhập hoặc mật khẩu không đúng."
		s.render(w, http.StatusUnauthorized, "login", v)
		return
	}
	s.clients.forget(ip)
	s.names.forget(nameKey)
	if err := s.startSession(w, r, name); err != nil {
		s.serverError(w, "login", err)
		return
	}
	s.log.Info("login", "user", name, "ip", ip)
	if next == "" {
		next = "/quan-tri/qua-han"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

// adminHome sends the admins to the overdue log.
func (s *Server) adminHome(w http.ResponseWriter, r *http.Request, user string) {
	http.Redirect(w, r, "/quan-tri/qua-han", http.StatusSeeOther)
}

// adminView is what an admins' page shows besides its content, with the
// token of its forms.
func (s *Server) adminView(w http.ResponseWriter, r *http.Request, user, title string) view {
	return view{Title: title, Org: s.current().Config.Org.Name, User: user, CSRF: s.csrfToken(w, r, adminScope)}
}

// localPath keeps p only if it is a path on this site, so that the login
// never sends anyone elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return ""
	}
	return p
}
