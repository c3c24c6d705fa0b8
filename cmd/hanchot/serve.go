package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"

	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
	"hanchot/token"
)

// ServeCommand runs the daemon.
type ServeCommand struct{ *Main }

// Run runs the command until SIGINT or SIGTERM; SIGHUP reloads the
// configuration.
func (c *ServeCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("serve")
	retry := fs.Duration("retry-every", time.Minute, c.T("flag.serve.retryEvery"))
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	if *retry <= 0 {
		return c.usageError("err.retryEveryPositive")
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return Serve(ctx, ServeOptions{Config: cfg, Reload: c.loadConfig, Reloads: hup, RetryEvery: *retry, Log: newLogger(c.Stderr, cfg), Lang: c.Lang})
}

// ServeOptions is what the daemon needs; tests build it directly.
type ServeOptions struct {
	Config     *config.Config
	Reload     func() (*config.Config, error) // re-reads the configuration on SIGHUP
	Reloads    <-chan os.Signal
	RetryEvery time.Duration
	Log        *slog.Logger
	Lang       Lang // of the errors that stop it before it starts; the log is in English
}

// daemon is the running state of serve.
type daemon struct {
	opts  ServeOptions
	db    *store.DB
	log   *slog.Logger
	front *webFront  // nil when [web] serves nothing
	mu    sync.Mutex // one pass or retry at a time
	cfg   *config.Config
	keys  *token.Keys // sign the web front's links; nil without a key
	pass  *scheduler.Pass
	cron  *cron.Cron
}

// Serve runs the daemon until ctx is done: a pass at start-up that catches
// up what was missed, a pass at every send_at, retries in between, and a
// reload on each value from Reloads. The web front ([web] listen) runs
// beside it. On stop it lets the message being sent finish.
func Serve(ctx context.Context, opts ServeOptions) error {
	cfg := opts.Config
	db, err := openWrite(ctx, opts.Lang, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	d := &daemon{opts: opts, db: db, log: opts.Log.With("component", "serve")}
	if err := d.apply(ctx, cfg); err != nil {
		return err
	}
	// The web front starts once the database holds the calendar; an
	// address in use stops the start-up here, before any mail is sent.
	if d.front, err = openWeb(ctx, opts.Lang, cfg, d.keys, db, opts.Log); err != nil {
		d.stopCron()
		return err
	}
	webDone := make(chan struct{})
	if d.front != nil {
		defer d.front.reader.Close()
		d.front.metrics.ObserveReload(true, time.Now())
		go func() {
			defer close(webDone)
			d.front.serve(ctx)
		}()
	} else {
		close(webDone)
	}
	d.log.Info("started", "config", cfg.File, "db", cfg.Store.Path, "send_at", cfg.Schedule.SendAt,
		"timezone", cfg.Timezone, "transport", cfg.Mail.Transport, "pid", os.Getpid())
	go func() {
		<-ctx.Done()
		d.log.Info("stopping: waiting for the message being sent; a second signal stops at once")
	}()
	d.runPass(ctx, "start-up")

	retry := time.NewTicker(opts.RetryEvery)
	defer retry.Stop()
	for {
		select {
		case <-ctx.Done():
			d.stopCron()
			d.mu.Lock() // a retry in flight finishes first
			d.mu.Unlock()
			<-webDone
			d.log.Info("stopped")
			return nil
		case <-opts.Reloads:
			d.reload(ctx)
		case <-retry.C:
			d.retry(ctx)
		}
	}
}

// apply checks that cfg can run (templates, transport, schedule) before
// it touches anything, then, under the daemon's lock, syncs it into the
// database and swaps it in with its schedule. On any error the running
// configuration stays as it was.
func (d *daemon) apply(ctx context.Context, cfg *config.Config) error {
	if d.cfg != nil && cfg.Store.Path != d.cfg.Store.Path {
		return fmt.Errorf("[store] path changed from %s to %s: restart the daemon to use another database", d.cfg.Store.Path, cfg.Store.Path)
	}
	pass, err := newPass(cfg, d.db, d.opts.Log)
	if err != nil {
		return err
	}
	pass.Observe = d.observe
	keys, err := webKeys(cfg)
	if err != nil {
		return err
	}
	cl := cronLogger{d.log}
	c := cron.New(cron.WithLocation(cfg.Location), cron.WithParser(config.CronParser),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	if _, err := c.AddFunc(cfg.Schedule.SendAt, func() { d.runPass(ctx, "schedule") }); err != nil {
		return fmt.Errorf("schedule %q: %w", cfg.Schedule.SendAt, err)
	}

	d.mu.Lock()
	res, err := syncCalendar(ctx, d.db, cfg, time.Now().In(cfg.Location))
	if err != nil {
		d.mu.Unlock()
		return err
	}
	old, oldCfg := d.cron, d.cfg
	d.cfg, d.keys, d.pass, d.cron = cfg, keys, pass, c
	d.mu.Unlock()
	if d.front != nil {
		d.front.apply(oldCfg, cfg, keys)
	}
	if !res.Empty() {
		d.log.Info("calendar synced", "changes", len(res.Changes), "occurrences_added", res.Occurrences.Added,
			"occurrences_changed", res.Occurrences.Changed, "occurrences_retired", res.Occurrences.Retired)
	}
	if old != nil {
		<-old.Stop().Done()
	}
	c.Start()
	d.log.Info("next pass", "at", c.Entries()[0].Next.Format(time.RFC3339))
	return nil
}

// reload re-reads the configuration; a bad one is reported and the
// running one kept.
func (d *daemon) reload(ctx context.Context) {
	d.log.Info("reloading configuration")
	cfg, err := d.opts.Reload()
	if err == nil {
		err = d.apply(ctx, cfg)
	}
	if d.front != nil {
		d.front.metrics.ObserveReload(err == nil, time.Now())
	}
	if err != nil {
		d.log.Error("reload failed; keeping the running configuration", "error", err.Error())
		return
	}
	d.runPass(ctx, "reload")
}

// observe is told of every pass and retry: the metrics, and the last
// pass kept in the database for /readyz.
func (d *daemon) observe(r scheduler.Report) {
	if d.front != nil {
		d.front.metrics.ObservePass(r)
	}
	recordPass(d.db, r, d.log)
}

// stopCron stops the schedule and waits for a pass it started.
func (d *daemon) stopCron() {
	<-d.cron.Stop().Done()
}

func (d *daemon) runPass(ctx context.Context, why string) {
	if ctx.Err() != nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now().In(d.cfg.Location)
	if _, err := d.pass.Run(ctx, now, false); err != nil {
		d.log.Error("pass failed", "why", why, "error", err.Error())
	}
	// The daemon sleeps until the next pass: give back what this one used
	// (SQLite's page cache, the Go heap) rather than hold it all day.
	d.db.ShrinkMemory(ctx)
	debug.FreeOSMemory()
}

func (d *daemon) retry(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.pass.Deliver(ctx); err != nil && ctx.Err() == nil {
		d.log.Error("retry failed", "error", err.Error())
	}
}

// cronLogger lets cron's Recover and SkipIfStillRunning log through slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Info("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append([]any{"error", err}, kv...)...)
}
