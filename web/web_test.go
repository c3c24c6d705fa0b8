package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/scheduler"
	"hanchot/store"
	"hanchot/token"
)

var (
	keyA = []byte(strings.Repeat("a", 48))
	keyB = []byte(strings.Repeat("b", 48))
)

// fixture is a web front on a real database holding the Lào Cai calendar,
// served by httptest, with a clock the test moves.
type fixture struct {
	t      *testing.T
	cfg    *config.Config
	db     *store.DB // the writer, as the daemon has it
	file   string    // its file
	reader *store.DB // the server's read-only handle
	keys   *token.Keys
	srv    *Server
	ts     *httptest.Server
	logs   *lockedBuffer
	now    time.Time
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	cfg, err := config.Load("../testdata/laocai-2019.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Web.BaseURL = "https://hanchot.laocai.example"
	cfg.Web.AdminsFile = writeAdmins(t, "thu-ky", adminPassword)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{t: t, cfg: cfg, db: db, file: path, now: now, logs: &lockedBuffer{}}
	db.Now = func() time.Time { return f.now }
	f.sync(cfg.Calendar)
	if f.reader, err = store.OpenReadOnly(ctx, path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.reader.Close() })
	if f.keys, err = token.NewKeys(keyA, nil); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.srv = New(Options{DB: f.reader, Writer: db, Site: Site{Config: cfg, Keys: f.keys}, Metrics: NewMetrics(f.reader, "test", log),
		Log: log, Now: func() time.Time { return f.now }})
	f.ts = httptest.NewServer(f.srv.Handler())
	t.Cleanup(f.ts.Close)
	return f
}

// sync writes the calendar's 2019 and 2020 occurrences as of the
// fixture's day, as "hanchot sync" would.
func (f *fixture) sync(cal *hanchot.Calendar) {
	f.t.Helper()
	wd := scheduler.NewWorkdays(f.cfg.WorkRules)
	opts := scheduler.DueOptions{SupportDays: f.cfg.Schedule.SupportDays}
	years := map[int][]hanchot.Occurrence{}
	for _, y := range []int{2019, 2020} {
		years[y] = scheduler.Occurrences(cal, y, wd, opts)
	}
	_, err := f.db.Sync(context.Background(), cal, years, store.SyncOptions{
		Today: hanchot.DateOf(f.now, f.cfg.Location), Start: f.cfg.Schedule.Start.Date, AllowRetire: true})
	if err != nil {
		f.t.Fatal(err)
	}
}

// path is the part of a link after the base address.
func (f *fixture) path(link string) string {
	p, ok := strings.CutPrefix(link, f.cfg.Web.BaseURL)
	if !ok {
		f.t.Fatalf("%q does not start with the base address", link)
	}
	return p
}

// get fetches a path with the given headers (name, value, …).
func (f *fixture) get(method, path string, header ...string) (*http.Response, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, body
}

// lockedBuffer collects the server's log lines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
