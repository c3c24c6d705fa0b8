// Package web is hanchot's HTTP front: health and readiness for the
// operator, Prometheus metrics, the agencies' calendar feeds and pages
// behind signed links, where they confirm what they sent and ask for more
// time, and the pages of the focal point and the admins behind a login.
// It uses the store, the scheduler and the configuration; nothing imports
// it but the command, which wires it into "serve" and "web".
//
// A Server holds one ServeMux; routes lists every route in one place and
// each handler lives in its own file. What a reload changes (the
// configuration, the signing keys) is a Site, swapped whole.
//
// GET and HEAD only read, through a read-only database handle: a mail
// scanner that opens every link of an email changes nothing. Only a POST
// writes, through the writer, and every POST carries a CSRF token.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/store"
	"hanchot/token"
)

// Site is what a reload replaces.
type Site struct {
	Config *config.Config
	// Keys sign and verify links; nil when no key is configured, and
	// then every signed route answers 404.
	Keys *token.Keys
}

// Links returns the site's link maker.
func (s Site) Links() Links {
	l := NewLinks(s.Config.Web, s.Keys)
	l.Location = s.Config.Location
	return l
}

// Options are a server's dependencies.
type Options struct {
	// DB is the database the pages read, opened read-only so that a
	// request never waits for the daemon's writes.
	DB *store.DB
	// Writer is the database a POST writes to (a submission, a request
	// for a later date, a decision); nil serves the pages read-only.
	Writer *store.DB
	Site   Site
	// Metrics is served at /metrics: on the main listener unless
	// [web] metrics_listen names another. Nil: no metrics.
	Metrics *Metrics
	Log     *slog.Logger
	Now     func() time.Time // the clock; time.Now when nil
}

// Server is the web front.
type Server struct {
	db      *store.DB
	writer  *store.DB
	site    atomic.Pointer[Site]
	metrics *Metrics
	log     *slog.Logger
	now     func() time.Time
	mux     *http.ServeMux
	pages   *pages
	admins  *adminsFile
	// Failed logins, by client address and by name.
	clients, names *limiter
}

// New returns a server with its routes.
func New(o Options) *Server {
	s := &Server{db: o.DB, writer: o.Writer, metrics: o.Metrics, log: o.Log, now: o.Now, mux: http.NewServeMux(),
		pages: loadPages(), admins: &adminsFile{},
		clients: newLimiter(loginFailures, loginWindow), names: newLimiter(loginFailures, loginWindow)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.SetSite(o.Site)
	if s.metrics != nil {
		s.metrics.db.today = s.today
	}
	s.routes(o.Site.Config.Web.MetricsListen == "")
	return s
}

// routes registers every route. GET patterns answer HEAD too; they only
// read. Every POST goes through s.post, which checks its CSRF token, and
// the admins' pages through s.admin, which asks for a login.
func (s *Server) routes(metricsHere bool) {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if metricsHere && s.metrics != nil {
		s.mux.Handle("GET /metrics", s.metrics.Handler())
	}
	s.mux.Handle("GET /tai-nguyen/", staticHandler())

	// The agencies' signed links.
	s.mux.HandleFunc("GET /lich/{file}", s.agencyFeed)
	s.mux.HandleFunc("GET /lich/tat-ca/{file}", s.provinceFeed)
	s.mux.HandleFunc("GET /co-quan/{token}", s.agencyPage)
	s.mux.HandleFunc("GET /xac-nhan/{token}", s.confirmPage)
	s.mux.HandleFunc("POST /xac-nhan/{token}", s.post(s.confirmSubmit))
	s.mux.HandleFunc("GET /gia-han/{token}", s.requestPage)
	s.mux.HandleFunc("POST /gia-han/{token}", s.post(s.requestSubmit))

	// The focal point's and the admins' pages.
	s.mux.HandleFunc("GET /dang-nhap", s.loginPage)
	s.mux.HandleFunc("POST /dang-nhap", s.post(s.loginSubmit))
	s.mux.HandleFunc("POST /dang-xuat", s.post(s.logout))
	s.mux.HandleFunc("GET /quan-tri/{$}", s.admin(s.adminHome))
	s.mux.HandleFunc("GET /quan-tri/qua-han", s.admin(s.overduePage))
	s.mux.HandleFunc("GET /quan-tri/thong-ke", s.admin(s.statsPage))
	s.mux.HandleFunc("GET /quan-tri/thu", s.admin(s.ledgerPage))
	s.mux.HandleFunc("GET /quan-tri/gia-han", s.admin(s.requestsPage))
	s.mux.HandleFunc("POST /quan-tri/gia-han/{id}", s.post(s.admin(s.decide)))
	s.mux.HandleFunc("GET /quan-tri/da-gui", s.admin(s.submissionsPage))
	s.mux.HandleFunc("GET /quan-tri/viec/{id}", s.admin(s.itemPage))
	s.mux.HandleFunc("POST /quan-tri/viec/{id}/huy", s.post(s.admin(s.undo)))
}

// SetSite puts a reloaded configuration and keys in use for the next
// requests.
func (s *Server) SetSite(site Site) { s.site.Store(&site) }

// current returns the site in use.
func (s *Server) current() *Site { return s.site.Load() }

// today is the current day in the configured zone.
func (s *Server) today() hanchot.Date {
	return hanchot.DateOf(s.now(), s.current().Config.Location)
}

// Handler returns the main listener's handler.
func (s *Server) Handler() http.Handler { return s.wrap(s.mux) }

// MetricsHandler returns the handler of the separate metrics listener.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics.Handler())
	}
	return s.wrap(mux)
}

// contentSecurity is the Content-Security-Policy of every response: no
// script at all, style sheets and images from this site only (no inline
// style), forms posted only here, no framing.
const contentSecurity = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// wrap adds what every response needs: headers that keep tokens in
// addresses from leaking through referrers, a strict Content-Security-
// Policy, and a log line that names the route, never the address itself
// (it may hold a token).
func (s *Server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		hdr := w.Header()
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		hdr.Set("X-Frame-Options", "DENY")
		hdr.Set("Content-Security-Policy", contentSecurity)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "(no route)"
		}
		s.log.Debug("http", "method", r.Method, "route", route, "status", rec.status,
			"duration", time.Since(start).Round(time.Microsecond))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Serve serves ln (the main listener) and, when not nil, metricsLn (the
// metrics listener) until ctx is done, then shuts down gracefully: the
// requests in flight get a few seconds to finish. It returns an error
// only when a listener fails.
func (s *Server) Serve(ctx context.Context, ln, metricsLn net.Listener) error {
	var servers []*http.Server
	errc := make(chan error, 2)
	start := func(ln net.Listener, h http.Handler) {
		srv := &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		}
		servers = append(servers, srv)
		go func() { errc <- srv.Serve(ln) }()
	}
	if ln != nil {
		start(ln, s.Handler())
	}
	if metricsLn != nil {
		start(metricsLn, s.MetricsHandler())
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	}
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		srv.Shutdown(stop)
	}
	return err
}
