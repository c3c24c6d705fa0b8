package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
)

func TestHealthz(t *testing.T) {
	f := newFixture(t, march1)
	if resp, body := f.get("GET", "/healthz"); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"database": "ok"`) {
		t.Errorf("healthz: %s %s", resp.Status, body)
	}
	f.reader.Close()
	if resp, body := f.get("GET", "/healthz"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"database": "not answering"`) {
		t.Errorf("healthz with the database closed: %s %s", resp.Status, body)
	}
}

// readyz returns the answer of /readyz.
func (f *fixture) readyz() (int, Readiness) {
	f.t.Helper()
	resp, body := f.get("GET", "/readyz")
	var rd Readiness
	if err := json.Unmarshal(body, &rd); err != nil {
		f.t.Fatalf("readyz: %v\n%s", err, body)
	}
	return resp.StatusCode, rd
}

// /readyz is 503 until a pass is recorded, when the last pass failed, and
// when the schedule asked for a pass that did not come.
func TestReadyz(t *testing.T) {
	// Monday 4 March 2019, 10:00 in Hà Nội; send_at is 08:00 Monday to Friday.
	f := newFixture(t, time.Date(2019, 3, 4, 3, 0, 0, 0, time.UTC))
	if code, rd := f.readyz(); code != http.StatusServiceUnavailable || rd.Ready || len(rd.Reasons) != 1 || rd.Reasons[0] != "no pass recorded yet" {
		t.Errorf("before any pass: %d %+v", code, rd)
	}

	// A pass that fails, observed as the daemon observes it.
	record := func(r scheduler.Report) {
		rec := store.PassRecord{Started: r.Started, Finished: r.Started.Add(r.Duration), AsOf: r.AsOf, OK: r.Err == nil}
		if r.Err != nil {
			rec.Error = r.Err.Error()
		}
		if err := f.db.RecordPass(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	pass := &scheduler.Pass{
		Store:    f.db,
		Settings: scheduler.PlanSettings{Location: f.cfg.Location},
		Prepare:  func(context.Context, time.Time) error { return errors.New("the calendar could not be synced") },
		Clock:    func() time.Time { return f.now },
		Log:      slog.New(slog.DiscardHandler),
		Observe:  record,
	}
	if _, err := pass.Run(context.Background(), f.now, false); err == nil {
		t.Fatal("the pass did not fail")
	}
	code, rd := f.readyz()
	if code != http.StatusServiceUnavailable || rd.LastPass == nil || rd.LastPass.OK ||
		!strings.Contains(strings.Join(rd.Reasons, "; "), "failed: prepare: the calendar could not be synced") {
		t.Errorf("after a failed pass: %d %+v", code, rd)
	}

	// A pass that succeeds.
	record(scheduler.Report{AsOf: f.now, Started: f.now, Duration: time.Second})
	if code, rd := f.readyz(); code != http.StatusOK || !rd.Ready || len(rd.Reasons) != 0 || rd.Expected == nil || !rd.Expected.Equal(time.Date(2019, 3, 4, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("after a pass: %d %+v", code, rd)
	}
	// Tuesday 10:00 without Tuesday's pass.
	f.now = f.now.Add(24 * time.Hour)
	if code, rd := f.readyz(); code != http.StatusServiceUnavailable || len(rd.Reasons) != 1 || !strings.Contains(rd.Reasons[0], "no pass succeeded since 2019-03-05T08:00:00+07:00") {
		t.Errorf("a day later: %d %+v", code, rd)
	}
}

func TestReady(t *testing.T) {
	cfg := &config.Config{Schedule: config.Schedule{SendAt: "0 8 * * MON-FRI"}}
	var err error
	if cfg.Location, err = time.LoadLocation("Asia/Ho_Chi_Minh"); err != nil {
		t.Fatal(err)
	}
	at := func(day, hour, min int) time.Time { return time.Date(2026, 3, day, hour, min, 0, 0, cfg.Location) } // 2 March 2026 is a Monday
	ok := func(lastOK time.Time) store.PassRecord {
		return store.PassRecord{Started: lastOK, Finished: lastOK, AsOf: lastOK, OK: true, LastOK: lastOK}
	}
	tests := []struct {
		name  string
		last  store.PassRecord
		now   time.Time
		ready bool
	}{
		{"Monday's pass, Monday noon", ok(at(2, 8, 1)), at(2, 12, 0), true},
		{"Friday's pass, Monday 08:30: within the grace", ok(at(6, 8, 1)), at(9, 8, 30), true},
		{"Friday's pass, Monday 09:30: Monday's is missing", ok(at(6, 8, 1)), at(9, 9, 30), false},
		{"Friday's pass, Sunday", ok(at(6, 8, 1)), at(8, 20, 0), true},
		{"a start-up pass at 07:00 counts for the day before", ok(at(3, 7, 0)), at(3, 7, 30), true},
		{"the last pass failed", store.PassRecord{Finished: at(2, 12, 0), Error: "x", LastOK: at(2, 8, 1)}, at(2, 12, 5), false},
	}
	for _, tt := range tests {
		rd := Ready(tt.last, true, cfg, tt.now)
		if rd.Ready != tt.ready {
			t.Errorf("%s: ready = %v, want %v (%v)", tt.name, rd.Ready, tt.ready, rd.Reasons)
		}
	}
}

func TestLastTick(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	for _, tt := range []struct {
		spec string
		at   time.Time
		want time.Time
	}{
		{"0 8 * * MON-FRI", time.Date(2026, 3, 2, 8, 0, 0, 0, loc), time.Date(2026, 3, 2, 8, 0, 0, 0, loc)},
		{"0 8 * * MON-FRI", time.Date(2026, 3, 2, 7, 59, 0, 0, loc), time.Date(2026, 2, 27, 8, 0, 0, 0, loc)},
		{"@monthly", time.Date(2026, 3, 20, 0, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc)},
		{"0 9 1 1 *", time.Date(2026, 3, 20, 0, 0, 0, 0, loc), time.Date(2026, 1, 1, 9, 0, 0, 0, loc)},
	} {
		sched, err := config.CronParser.Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := LastTick(sched, tt.at); !got.Equal(tt.want) {
			t.Errorf("LastTick(%q, %s) = %s, want %s", tt.spec, tt.at, got, tt.want)
		}
	}
}
