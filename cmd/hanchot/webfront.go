package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
	"hanchot/token"
	"hanchot/web"
)

// webKeys reads the keys that sign links: HANCHOT_WEB_SECRET, else [web]
// secret_file, and [web] previous_secret_file during a rotation. Without
// a key it returns nil: the web front then serves no feed and no signed
// link. The keys are never logged.
func webKeys(cfg *config.Config) (*token.Keys, error) {
	w := cfg.Web
	var current, previous []byte
	switch {
	case w.Secret != "":
		current = []byte(strings.TrimSpace(w.Secret))
	case w.SecretFile != "":
		b, err := config.ReadSecretFile(w.SecretFile)
		if err != nil {
			return nil, fmt.Errorf("web.secret_file: %w", err)
		}
		current = b
	default:
		return nil, nil
	}
	if w.PreviousSecretFile != "" {
		b, err := config.ReadSecretFile(w.PreviousSecretFile)
		if err != nil {
			return nil, fmt.Errorf("web.previous_secret_file: %w", err)
		}
		previous = b
	}
	keys, err := token.NewKeys(current, previous)
	if err != nil {
		return nil, fmt.Errorf("[web] signing key: %w", err)
	}
	return keys, nil
}

// webFront is the web front as "serve" and "web" run it: the server, its
// listeners, and the read-only database handle its pages read. What the
// agencies and admins post is written through the command's own handle.
type webFront struct {
	srv       *web.Server
	metrics   *web.Metrics
	reader    *store.DB
	ln        net.Listener // nil when [web] listen is ""
	metricsLn net.Listener // nil unless [web] metrics_listen is set
	log       *slog.Logger
}

// openWeb binds the web front's addresses and opens what it reads; writer
// is the database the forms write to. It returns nil, nil when [web]
// listen and metrics_listen are both empty. The database must exist with
// a current schema.
func openWeb(ctx context.Context, l Lang, cfg *config.Config, keys *token.Keys, writer *store.DB, log *slog.Logger) (*webFront, error) {
	w := cfg.Web
	if w.Listen == "" && w.MetricsListen == "" {
		return nil, nil
	}
	f := &webFront{log: log.With("component", "web")}
	var err error
	if f.reader, err = store.OpenReadOnly(ctx, cfg.Store.Path); err != nil {
		return nil, dbError(l, cfg.Store.Path, err)
	}
	f.metrics = web.NewMetrics(f.reader, version(debug.ReadBuildInfo()), f.log)
	f.srv = web.New(web.Options{DB: f.reader, Writer: writer, Site: web.Site{Config: cfg, Keys: keys}, Metrics: f.metrics, Log: f.log})
	if w.Listen != "" {
		if f.ln, err = listen(l, "listen", w.Listen); err != nil {
			f.close()
			return nil, err
		}
	}
	if w.MetricsListen != "" {
		if f.metricsLn, err = listen(l, "metrics_listen", w.MetricsListen); err != nil {
			f.close()
			return nil, err
		}
	}
	attrs := []any{}
	if f.ln != nil {
		attrs = append(attrs, "addr", f.ln.Addr().String(), "base_url", web.BaseURL(w))
	}
	if f.metricsLn != nil {
		attrs = append(attrs, "metrics_addr", f.metricsLn.Addr().String())
	}
	f.log.Info("web front listening", attrs...)
	if keys == nil && f.ln != nil {
		f.log.Warn("no signing key (HANCHOT_WEB_SECRET or [web] secret_file): calendar feeds and signed links are off")
	}
	return f, nil
}

// listen binds one of the web front's addresses.
func listen(l Lang, key, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, errors.New(l.T("err.webAddrInUse", key, addr))
	}
	if err != nil {
		return nil, fmt.Errorf("[web] %s %s: %w", key, addr, err)
	}
	return ln, nil
}

// serve runs the web front until ctx is done.
func (f *webFront) serve(ctx context.Context) {
	if err := f.srv.Serve(ctx, f.ln, f.metricsLn); err != nil {
		f.log.Error("web front stopped", "error", err.Error())
	}
}

// apply puts a reloaded configuration and keys in use. The addresses it
// listens on change only at a restart.
func (f *webFront) apply(old, cfg *config.Config, keys *token.Keys) {
	if cfg.Web.Listen != old.Web.Listen || cfg.Web.MetricsListen != old.Web.MetricsListen {
		f.log.Warn("[web] listen and metrics_listen change only when hanchot restarts")
	}
	f.srv.SetSite(web.Site{Config: cfg, Keys: keys})
}

// close releases what openWeb opened, when serve never ran.
func (f *webFront) close() {
	for _, ln := range []net.Listener{f.ln, f.metricsLn} {
		if ln != nil {
			ln.Close()
		}
	}
	f.reader.Close()
}

// recordPass keeps the result of a pass in the database, where /readyz and
// the metrics read it (from this process or another).
func recordPass(db *store.DB, r scheduler.Report, log *slog.Logger) {
	if r.Retry {
		return
	}
	rec := store.PassRecord{Started: r.Started, Finished: r.Started.Add(r.Duration), AsOf: r.AsOf, OK: r.Err == nil, Outage: r.Result.Outage}
	if r.Err != nil {
		rec.Error = r.Err.Error()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.RecordPass(ctx, rec); err != nil {
		log.Error("could not record the pass for /readyz and the metrics", "error", err.Error())
	}
}
