package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"

	"hanchot/token"
)

// Every form carries a CSRF token, checked by s.post before the handler
// runs. The browser holds a random value in a cookie (HttpOnly,
// SameSite=Strict); the token is that value and the form's scope, signed
// with the site's key: the signed link's token for an agency's form, so
// that a token made for one link never posts to another, and "admin" for
// the login and the admins' forms. Another site can neither read the
// cookie nor make the token, and a browser does not send a SameSite=Strict
// cookie with another site's POST. Go's CrossOriginProtection also
// refuses a POST that the browser says comes from another site.

const (
	csrfCookie  = "hanchot_csrf"
	csrfField   = "csrf"
	csrfPurpose = "csrf"
	csrfTTL     = 12 * time.Hour
	adminScope  = "admin"
	maxForm     = 64 << 10 // bytes: a form is a few fields
)

// csrfToken returns the token of the page's forms for scope, setting the
// browser's cookie when it has none. Setting a cookie writes nothing
// anywhere: a GET stays without effect.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request, scope string) string {
	keys := s.current().Keys
	if keys == nil {
		return ""
	}
	value := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		value = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		value = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: value, Path: "/", HttpOnly: true,
			Secure: s.clientOf(r).HTTPS, SameSite: http.SameSiteStrictMode})
	}
	return keys.Sign(token.Claims{Purpose: csrfPurpose, Subject: value + "|" + scope, Expires: s.now().Add(csrfTTL)})
}

// csrfScope is the scope of the form a request posts: the signed link's
// token, or the admins' scope.
func csrfScope(r *http.Request) string {
	if t := r.PathValue("token"); t != "" {
		return t
	}
	return adminScope
}

// checkCSRF reports whether the POST r carries a valid token for its
// scope and the browser's cookie. r's form must be parsed.
func (s *Server) checkCSRF(r *http.Request) bool {
	keys := s.current().Keys
	c, err := r.Cookie(csrfCookie)
	if keys == nil || err != nil || c.Value == "" {
		return false
	}
	claims, err := keys.Verify(r.PostForm.Get(csrfField), csrfPurpose, s.now())
	if err != nil {
		return false
	}
	want := c.Value + "|" + csrfScope(r)
	return subtle.ConstantTimeCompare([]byte(claims.Subject), []byte(want)) == 1
}

// post wraps a POST handler: it refuses a request that the browser says
// comes from another site, reads the form (at most maxForm bytes), and
// refuses a form without a valid CSRF token, with a page that says what
// to do. Nothing is written before these checks pass.
func (s *Server) post(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.crossOrigin().Check(r); err != nil {
			s.problem(w, http.StatusForbidden, "Yêu cầu bị từ chối",
				"Biểu mẫu này chỉ được gửi từ chính trang của hệ thống. Xin mở lại liên kết trong thư và gửi lại.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			s.problem(w, http.StatusBadRequest, "Biểu mẫu không đọc được",
				"Nội dung gửi lên quá dài hoặc không đúng dạng. Xin quay lại trang trước và gửi lại.")
			return
		}
		if !s.checkCSRF(r) {
			s.problem(w, http.StatusForbidden, "Biểu mẫu đã hết hạn",
				"Trang này đã mở quá lâu, hoặc trình duyệt không giữ cookie của hệ thống, nên chưa ghi nhận gì.",
				"Xin tải lại trang (hoặc mở lại liên kết trong thư), điền lại và gửi. Trình duyệt cần cho phép cookie của trang này.")
			return
		}
		h(w, r)
	}
}

// crossOrigin is Go's check of a POST's Sec-Fetch-Site and Origin
// headers, trusting the public address of base_url (behind a proxy the
// Host header may be another).
func (s *Server) crossOrigin() *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	if u, err := url.Parse(BaseURL(s.current().Config.Web)); err == nil && u.Scheme != "" && u.Host != "" {
		p.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	return p
}
