package web

import (
	"bytes"
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"hanchot"
	"hanchot/scheduler"
	"hanchot/store"
)

// scrape fetches /metrics and parses it as Prometheus does.
func (f *fixture) scrape() map[string]*dto.MetricFamily {
	f.t.Helper()
	resp, body := f.get("GET", "/metrics")
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("/metrics: %s\n%s", resp.Status, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		f.t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// value returns the value of the family's series with the given label
// (name, value), or of its only series.
func value(t *testing.T, fams map[string]*dto.MetricFamily, family string, label ...string) float64 {
	t.Helper()
	fam, ok := fams[family]
	if !ok {
		t.Fatalf("no %s", family)
	}
	for _, m := range fam.GetMetric() {
		if len(label) == 2 {
			match := false
			for _, l := range m.GetLabel() {
				match = match || (l.GetName() == label[0] && l.GetValue() == label[1])
			}
			if !match {
				continue
			}
		}
		switch {
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	t.Fatalf("no %s%v", family, label)
	return 0
}

// metricNames lists the hanchot series the metrics export.
func metricNames(t *testing.T) []string {
	f := newFixture(t, march1)
	var names []string
	for name := range f.scrape() {
		if strings.HasPrefix(name, "hanchot_") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// The metrics a web front shows: what the database holds, read at each
// scrape, and what the daemon observes.
func TestMetrics(t *testing.T) {
	f := newFixture(t, march1)
	fams := f.scrape()
	for _, status := range []string{"pending", "sending", "sent", "failed", "expired"} {
		if v := value(t, fams, "hanchot_messages", "status", status); v != 0 {
			t.Errorf("hanchot_messages{status=%q} = %v on a new database", status, v)
		}
	}
	for _, result := range []string{"sent", "temporary", "permanent"} {
		value(t, fams, "hanchot_delivery_attempts_total", "result", result)
	}
	for _, kind := range []string{"reminder", "overdue", "escalation"} {
		value(t, fams, "hanchot_notices_total", "kind", kind)
	}
	if v := value(t, fams, "hanchot_pass_last_success_timestamp_seconds"); v != 0 {
		t.Errorf("last success before any pass = %v", v)
	}
	if v := value(t, fams, "hanchot_build_info", "version", "test"); v != 1 {
		t.Errorf("hanchot_build_info = %v", v)
	}
	// On 1 March 2019 nothing tracked is overdue yet; on 20 March the
	// first quarter's open items are, none escalated.
	if v := value(t, fams, "hanchot_overdue_items", "level", "0"); v != 0 {
		t.Errorf("overdue on 1 March = %v", v)
	}
	f.now = time.Date(2019, 3, 20, 3, 0, 0, 0, time.UTC)
	st, err := f.db.Stats(context.Background(), f.today())
	if err != nil || st.Overdue[0] == 0 {
		t.Fatalf("stats on 20 March: %+v %v", st, err)
	}
	if v := value(t, f.scrape(), "hanchot_overdue_items", "level", "0"); v != float64(st.Overdue[0]) {
		t.Errorf("overdue on 20 March = %v, want %d", v, st.Overdue[0])
	}

	// What the daemon observes.
	finished := f.now.Add(3 * time.Second)
	if err := f.db.RecordPass(context.Background(), store.PassRecord{Started: f.now, Finished: finished, AsOf: f.now, OK: true}); err != nil {
		t.Fatal(err)
	}
	f.srv.metrics.ObservePass(scheduler.Report{Started: f.now, Duration: 3 * time.Second})
	f.srv.metrics.ObservePass(scheduler.Report{Retry: true, Started: f.now, Duration: time.Second}) // not a pass
	f.srv.metrics.ObserveReload(false, f.now)
	fams = f.scrape()
	if v := value(t, fams, "hanchot_pass_last_success_timestamp_seconds"); v != float64(finished.Unix()) {
		t.Errorf("last success = %v, want %d", v, finished.Unix())
	}
	if v := value(t, fams, "hanchot_pass_duration_seconds"); v != 1 {
		t.Errorf("%v passes observed, want 1", v)
	}
	if v := value(t, fams, "hanchot_config_reload_success"); v != 0 {
		t.Errorf("reload success after a refused reload = %v", v)
	}
	if v := value(t, fams, "hanchot_pass_last_failed"); v != 0 {
		t.Errorf("last failed = %v", v)
	}
}

// today is the fixture's day in the configured zone.
func (f *fixture) today() hanchot.Date { return f.srv.today() }
