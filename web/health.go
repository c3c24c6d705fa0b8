package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/robfig/cron/v3"

	"hanchot/config"
	"hanchot/store"
)

// ReadyGrace is how long after a scheduled time a pass may take before
// readiness expects it: until then the one before is enough.
const ReadyGrace = time.Hour

// healthz answers whether the process is up and the database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("health: the database does not answer", "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error", "database": "not answering"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}

// Readiness is the answer of /readyz.
type Readiness struct {
	Ready   bool     `json:"ready"`
	Reasons []string `json:"reasons"` // why not; empty when ready
	// Schedule is send_at; Expected the latest scheduled pass (an hour's
	// grace given) that should have succeeded by now.
	Schedule string     `json:"schedule"`
	Expected *time.Time `json:"expected_pass,omitempty"`
	LastPass *passJSON  `json:"last_pass,omitempty"`
}

type passJSON struct {
	Started     time.Time  `json:"started_at"`
	Finished    time.Time  `json:"finished_at"`
	AsOf        time.Time  `json:"as_of"`
	OK          bool       `json:"ok"`
	Error       string     `json:"error,omitempty"`
	Outage      string     `json:"mail_outage,omitempty"`
	LastSuccess *time.Time `json:"last_success_at,omitempty"`
}

// readyz answers whether the daemon does its job: the last pass succeeded
// and is not older than the schedule allows. It reads the last pass from
// the database, so "hanchot web" serving alone judges the daemon (or the
// "run --once" of a timer) that writes to the same database.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	cfg := s.current().Config
	last, found, err := s.db.LastPass(ctx)
	var rd Readiness
	if err != nil {
		s.log.Warn("readiness: the database does not answer", "error", err.Error())
		rd = Readiness{Reasons: []string{"the database does not answer"}, Schedule: cfg.Schedule.SendAt}
	} else {
		rd = Ready(last, found, cfg, s.now())
	}
	code := http.StatusOK
	if !rd.Ready {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, rd)
}

// Ready judges, as of now, from the last pass recorded, whether the
// daemon is doing its job: a pass was recorded, the last one succeeded,
// and one succeeded at or after the latest time send_at asked for (as of
// an hour ago, so that the pass has time to run).
func Ready(last store.PassRecord, found bool, cfg *config.Config, now time.Time) Readiness {
	rd := Readiness{Schedule: cfg.Schedule.SendAt, Reasons: []string{}}
	if sched, err := config.CronParser.Parse(cfg.Schedule.SendAt); err == nil {
		if t := LastTick(sched, now.Add(-ReadyGrace).In(cfg.Location)); !t.IsZero() {
			rd.Expected = &t
		}
	}
	if !found {
		rd.Reasons = append(rd.Reasons, "no pass recorded yet")
		return rd
	}
	in := func(t time.Time) time.Time { return t.In(cfg.Location) }
	p := &passJSON{Started: in(last.Started), Finished: in(last.Finished), AsOf: in(last.AsOf), OK: last.OK, Error: last.Error, Outage: last.Outage}
	if !last.LastOK.IsZero() {
		t := in(last.LastOK)
		p.LastSuccess = &t
	}
	rd.LastPass = p
	if !last.OK {
		rd.Reasons = append(rd.Reasons, fmt.Sprintf("the last pass (%s) failed: %s", p.Finished.Format(time.RFC3339), last.Error))
	}
	if rd.Expected != nil && (last.LastOK.IsZero() || last.LastOK.Before(*rd.Expected)) {
		rd.Reasons = append(rd.Reasons, fmt.Sprintf("no pass succeeded since %s, when send_at %q asked for one",
			rd.Expected.Format(time.RFC3339), cfg.Schedule.SendAt))
	}
	rd.Ready = len(rd.Reasons) == 0
	return rd
}

// LastTick returns the latest time at or before t that sched fires, in
// t's zone; zero when there is none in the two years before t.
func LastTick(sched cron.Schedule, t time.Time) time.Time {
	for back := 25 * time.Hour; back <= 2*366*24*time.Hour; back *= 2 {
		n := sched.Next(t.Add(-back))
		if n.IsZero() || n.After(t) {
			continue
		}
		var last time.Time
		for !n.IsZero() && !n.After(t) {
			last = n
			n = sched.Next(n)
		}
		return last
	}
	return time.Time{}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
