package web

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hanchot/token"
)

// The admins log in with a name and password from [web] admins_file,
// lines of "name:bcrypt-hash" as "htpasswd -B" writes them. A login
// gives a session: a cookie holding the name, a fingerprint of the
// password's hash and an expiry, signed with the site's key. Changing a
// password or removing the line ends that admin's sessions; rotating the
// key ends everyone's.

const (
	sessionCookie  = "hanchot_session"
	sessionPurpose = "session"
	sessionTTL     = 8 * time.Hour // a working day
	loginFailures  = 5             // failed logins allowed per client in loginWindow
	loginWindow    = 15 * time.Minute
	maxLimited     = 10000 // clients or names a limiter remembers
)

// adminsFile reads the admins file, again only when it changes, so that
// an added admin can log in without a reload.
type adminsFile struct {
	mu    sync.Mutex
	path  string
	mod   time.Time
	size  int64
	users map[string]string // name -> bcrypt hash
}

// errNoAdmins says that no admins file is configured.
var errNoAdmins = errors.New("no [web] admins_file")

// hash returns the bcrypt hash of user, and whether there is one.
func (a *adminsFile) hash(path, user string) (string, bool, error) {
	if path == "" {
		return "", false, errNoAdmins
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", false, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if path != a.path || !st.ModTime().Equal(a.mod) || st.Size() != a.size {
		users, err := readAdmins(path)
		if err != nil {
			return "", false, err
		}
		a.path, a.mod, a.size, a.users = path, st.ModTime(), st.Size(), users
	}
	h, ok := a.users[user]
	return h, ok, nil
}

// readAdmins reads "name:hash" lines; blank lines and # comments are
// skipped, and so are lines that are not bcrypt ("hanchot check" names
// them).
func readAdmins(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	users := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, hash, ok := strings.Cut(line, ":")
		if ok && validName(name) && strings.HasPrefix(hash, "$2") {
			users[name] = hash
		}
	}
	return users, sc.Err()
}

// validName reports whether name can be a login: 1 to 64 bytes, no
// control character (a session's token holds it).
func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// fingerprint identifies a password hash in a session without giving it
// away.
func fingerprint(hash string) string {
	sum := sha256.Sum256([]byte("hanchot-session\x00" + hash))
	return hex.EncodeToString(sum[:8])
}

// dummyHash is compared against when the name is unknown, so that an
// unknown name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("hanchot: no such user"), bcrypt.DefaultCost)
	return h
})

// authenticate checks a name and password against the admins file. The
// password is compared by bcrypt, whatever the name.
func (s *Server) authenticate(user, password string) (ok bool, err error) {
	hash, known, err := s.admins.hash(s.current().Config.Web.AdminsFile, user)
	if err != nil {
		return false, err
	}
	if !known {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return false, nil
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil, nil
}

// startSession sets the session cookie of user.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, user string) error {
	hash, known, err := s.admins.hash(s.current().Config.Web.AdminsFile, user)
	if err != nil || !known {
		return errors.New("the admin left the admins file")
	}
	tok := s.current().Keys.Sign(token.Claims{Purpose: sessionPurpose, Subject: user + "\x1f" + fingerprint(hash), Expires: s.now().Add(sessionTTL)})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: s.clientOf(r).HTTPS, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
	return nil
}

// endSession removes the session cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.clientOf(r).HTTPS, SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// sessionUser returns the admin whose valid session r carries, or "".
func (s *Server) sessionUser(r *http.Request) string {
	keys := s.current().Keys
	c, err := r.Cookie(sessionCookie)
	if keys == nil || err != nil {
		return ""
	}
	claims, err := keys.Verify(c.Value, sessionPurpose, s.now())
	if err != nil {
		return ""
	}
	user, print, ok := strings.Cut(claims.Subject, "\x1f")
	if !ok {
		return ""
	}
	hash, known, err := s.admins.hash(s.current().Config.Web.AdminsFile, user)
	if err != nil || !known || subtle.ConstantTimeCompare([]byte(print), []byte(fingerprint(hash))) != 1 {
		return ""
	}
	return user
}

// userKey is the context key of the logged-in admin.
type userKey struct{}

// admin wraps an admins' page: without a valid session, a GET goes to the
// login page (and back after it), anything else is refused.
func (s *Server) admin(h func(w http.ResponseWriter, r *http.Request, user string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.current().Keys == nil || s.current().Config.Web.AdminsFile == "" {
			s.problem(w, http.StatusNotFound, "Trang quản trị chưa được bật",
				"Trang này cần khóa ký ([web] secret_file hoặc HANCHOT_WEB_SECRET) và danh sách người quản trị ([web] admins_file).")
			return
		}
		user := s.sessionUser(r)
		if user == "" {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/dang-nhap?tiep="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.problem(w, http.StatusForbidden, "Cần đăng nhập", "Phiên làm việc đã hết. Xin đăng nhập lại rồi làm lại thao tác.")
			return
		}
		h(w, r, user)
	}
}

// limiter counts failed logins per key (a client address) in a sliding
// window.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked reports whether key has used up its failures as of now, and
// when it may try again.
func (l *limiter) blocked(key string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recent(key, now)
	if len(recent) < l.max {
		return false, time.Time{}
	}
	return true, recent[0].Add(l.window)
}

// fail records a failure of key at now.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > maxLimited { // many clients or names: forget the old ones
		for k := range l.fails {
			if len(l.recent(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
		if len(l.fails) > maxLimited { // a flood of them: memory stays bounded
			clear(l.fails)
		}
	}
	l.fails[key] = append(l.recent(key, now), now)
}

// forget clears key's failures, after a login that succeeded.
func (l *limiter) forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

// recent returns key's failures within the window before now, oldest
// first. l.mu must be held.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	all := l.fails[key]
	i := 0
	for i < len(all) && !all[i].After(now.Add(-l.window)) {
		i++
	}
	return all[i:]
}
