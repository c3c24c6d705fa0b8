package web

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hanchot"
	"hanchot/scheduler"
	"hanchot/store"
)

// Metrics holds hanchot's Prometheus metrics. What the database knows
// (the outbox, the overdue log, the last pass) is read from it at each
// scrape, so every process that serves /metrics, "serve" or "web", shows
// the same and nothing is lost at a restart; what only the running daemon
// knows (how long its passes take, its reloads) is observed by it.
type Metrics struct {
	reg          *prometheus.Registry
	db           *dbCollector
	passDuration prometheus.Histogram
	reloadOK     prometheus.Gauge
	reloadAt     prometheus.Gauge
}

// NewMetrics returns the metrics of the database db (read at each scrape),
// for a build of the given version. The server they are given to tells
// them the day in the configured zone (what is overdue).
func NewMetrics(db *store.DB, version string, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		db:  &dbCollector{db: db, log: log, today: func() hanchot.Date { return hanchot.DateOf(time.Now(), time.UTC) }},
		reg: prometheus.NewRegistry(),
		passDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hanchot_pass_duration_seconds",
			Help:    "How long the daemon's passes took (planning, queueing and sending), since it started.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800},
		}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hanchot_config_reload_success",
			Help: "1 when the last configuration (re)load succeeded, 0 when it was refused.",
		}),
		reloadAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hanchot_config_last_reload_success_timestamp_seconds",
			Help: "When the configuration was last loaded successfully (Unix time).",
		}),
	}
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "hanchot_build_info",
		Help: "Always 1; the labels say which build of hanchot runs.",
	}, []string{"version", "goversion"})
	info.WithLabelValues(version, runtime.Version()).Set(1)
	m.reg.MustRegister(m.passDuration, m.reloadOK, m.reloadAt, info,
		m.db,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format. A scrape
// during which the database cannot be read still shows the rest.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// ObservePass records a pass of the daemon (not a delivery between
// passes).
func (m *Metrics) ObservePass(r scheduler.Report) {
	if r.Retry {
		return
	}
	m.passDuration.Observe(r.Duration.Seconds())
}

// ObserveReload records a load of the configuration, at start or on
// SIGHUP.
func (m *Metrics) ObserveReload(ok bool, at time.Time) {
	if !ok {
		m.reloadOK.Set(0)
		return
	}
	m.reloadOK.Set(1)
	m.reloadAt.Set(float64(at.Unix()))
}

// dbCollector reads the metrics the database holds at each scrape.
type dbCollector struct {
	db    *store.DB
	today func() hanchot.Date
	log   *slog.Logger
}

var (
	descMessages = prometheus.NewDesc("hanchot_messages",
		"Deliveries in the outbox (one per message and address), by status: pending, sending, sent, failed, expired.", []string{"status"}, nil)
	descAttempts = prometheus.NewDesc("hanchot_delivery_attempts_total",
		"Delivery attempts the mail server answered, by result: sent, temporary (4xx, retried), permanent (5xx, failed).", []string{"result"}, nil)
	descNotices = prometheus.NewDesc("hanchot_notices_total",
		"Notices queued (one item for one recipient, of one kind, at one step), by kind.", []string{"kind"}, nil)
	descOverdue = prometheus.NewDesc("hanchot_overdue_items",
		"Open overdue items (not submitted, date passed), by the highest escalation level sent, in days overdue; 0: none yet.", []string{"level"}, nil)
	descLastSuccess = prometheus.NewDesc("hanchot_pass_last_success_timestamp_seconds",
		"When the last pass that succeeded finished (Unix time); 0 when none did.", nil, nil)
	descLastFailed = prometheus.NewDesc("hanchot_pass_last_failed",
		"1 when the last pass failed, 0 when it succeeded (or none was made yet).", nil, nil)
)

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMessages, descAttempts, descNotices, descOverdue, descLastSuccess, descLastFailed} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.db.Stats(ctx, c.today())
	if err != nil {
		c.log.Warn("metrics: cannot read the database", "error", err.Error())
		for _, d := range []*prometheus.Desc{descMessages, descAttempts, descNotices, descOverdue} {
			ch <- prometheus.NewInvalidMetric(d, err)
		}
	} else {
		counts(ch, descMessages, prometheus.GaugeValue, st.Deliveries)
		counts(ch, descAttempts, prometheus.CounterValue, st.Attempts)
		counts(ch, descNotices, prometheus.CounterValue, st.Notices)
		overdue := map[string]int{}
		for level, n := range st.Overdue {
			overdue[strconv.Itoa(level)] = n
		}
		counts(ch, descOverdue, prometheus.GaugeValue, overdue)
	}
	last, found, err := c.db.LastPass(ctx)
	if err != nil {
		c.log.Warn("metrics: cannot read the last pass", "error", err.Error())
		ch <- prometheus.NewInvalidMetric(descLastSuccess, err)
		return
	}
	var success float64
	if !last.LastOK.IsZero() {
		success = float64(last.LastOK.Unix())
	}
	ch <- prometheus.MustNewConstMetric(descLastSuccess, prometheus.GaugeValue, success)
	failed := 0.0
	if found && !last.OK {
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(descLastFailed, prometheus.GaugeValue, failed)
}

// counts sends one series per label value, in order.
func counts(ch chan<- prometheus.Metric, d *prometheus.Desc, t prometheus.ValueType, by map[string]int) {
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ch <- prometheus.MustNewConstMetric(d, t, float64(by[k]), k)
	}
}
