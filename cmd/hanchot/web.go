package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// WebCommand serves the web front alone, beside a daemon (or a timer
// running "run --once") that writes to the same database. It makes no
// pass and sends no mail.
type WebCommand struct{ *Main }

// Run runs the command until SIGINT or SIGTERM; SIGHUP reloads the
// configuration and the signing keys.
func (c *WebCommand) Run(ctx context.Context, args []string) error {
	fs := c.newFlagSet("web")
	if _, err := c.parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	if cfg.Web.Listen == "" && cfg.Web.MetricsListen == "" {
		return c.usageError("err.webNothing").hint(c.T("hint.webListen"))
	}
	keys, err := webKeys(cfg)
	if err != nil {
		return err
	}
	// The database must exist and hold a calendar; opening it brings its
	// schema up to date. The pages read it through a read-only handle;
	// what agencies and admins post is written through this one.
	db, err := openExisting(ctx, c.Lang, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(c.Stderr, cfg)
	front, err := openWeb(ctx, c.Lang, cfg, keys, db, log)
	if err != nil {
		return err
	}
	defer front.reader.Close()
	front.metrics.ObserveReload(true, time.Now())

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	done := make(chan struct{})
	go func() {
		defer close(done)
		front.serve(ctx)
	}()
	for {
		select {
		case <-done:
			log.Info("stopped")
			return nil
		case <-hup:
			next, err := c.loadConfig()
			nextKeys := keys
			if err == nil && next.Store.Path != cfg.Store.Path {
				err = fmt.Errorf("[store] path changed from %s to %s: restart to serve another database", cfg.Store.Path, next.Store.Path)
			}
			if err == nil {
				nextKeys, err = webKeys(next)
			}
			front.metrics.ObserveReload(err == nil, time.Now())
			if err != nil {
				log.Error("reload failed; keeping the running configuration", "error", err.Error())
				continue
			}
			front.apply(cfg, next, nextKeys)
			cfg, keys = next, nextKeys
			log.Info("configuration reloaded")
		}
	}
}
