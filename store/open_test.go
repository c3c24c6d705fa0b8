package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestOpen_RefusesAFileWithoutHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	for _, mode := range []Mode{Existing, Create} {
		if _, err := OpenMode(ctx, empty, mode); !errors.Is(err, ErrNoHistory) {
			t.Errorf("mode %d on a 0-byte file: %v, want ErrNoHistory", mode, err)
		}
	}
	if _, err := OpenReadOnly(ctx, empty); !errors.Is(err, ErrNoHistory) {
		t.Errorf("read-only on a 0-byte file: %v", err)
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Errorf("the refused file was written to: %d bytes", st.Size())
	}

	// Another program's database: refused, untouched.
	other := filepath.Join(dir, "other.db")
	sqldb, _ := sql.Open("sqlite", "file:"+other)
	sqldb.Exec(`CREATE TABLE notes (x TEXT)`)
	sqldb.Close()
	before, _ := os.ReadFile(other)
	if _, err := Open(ctx, other); !errors.Is(err, ErrNoHistory) {
		t.Errorf("a schema-less database: %v", err)
	}
	if after, _ := os.ReadFile(other); !bytes.Equal(before, after) {
		t.Error("the refused database was changed")
	}

	// Told to start afresh, it does.
	db, err := OpenMode(ctx, empty, Init)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err := OpenMode(ctx, empty, Existing); err != nil {
		t.Errorf("after init: %v", err)
	} else {
		db.Close()
	}
}

func TestOpen_MissingFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "none.db")
	if _, err := OpenReadOnly(ctx, path); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("read-only: %v", err)
	}
	if _, err := OpenMode(ctx, path, Existing); !errors.Is(err, ErrNoDatabase) {
		t.Errorf("existing: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused open created %s", filepath.Dir(path))
	}
}

func TestOpenReadOnly_WritesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := syncedDB(t)
	path := db.Path()
	db.Close()
	before := snapshot(t, path)
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.Deliveries(ctx, LogFilter{}); err != nil {
		t.Fatal(err)
	}
	if err := ro.CheckSynced(ctx); err != nil {
		t.Error(err)
	}
	if _, err := ro.db.ExecContext(ctx, `DELETE FROM agency`); err == nil {
		t.Error("a read-only database accepted a write")
	}
	ro.Close()
	if after := snapshot(t, path); !bytes.Equal(before, after) {
		t.Error("opening read-only changed the file")
	}
}

// snapshot returns the database file's bytes (a closed database has its WAL folded in).
func snapshot(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A database made by the release before per-address delivery (schema
// 001–003) upgrades in place: each message becomes one delivery per
// address, keeping its state, and its attempts follow.
func TestMigrate_FromSchema3(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	sqldb, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := sqldb.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range names[:3] {
		src, _ := fs.ReadFile(migrations, name)
		mustExec(string(src))
		mustExec(`INSERT INTO migrations VALUES (?, '2026-11-01T00:00:00Z')`, name)
	}
	mustExec(`INSERT INTO agency (id, name, emails) VALUES ('so-tu-phap', 'Sở Tư pháp', 'a@laocai.example,b@laocai.example')`)
	mustExec(`INSERT INTO message (id, kind, agency_id, to_addrs, subject, body_text, body_html, message_id, status, attempts,
		next_attempt_at, reply, created_at, sent_at) VALUES
		(1, 'reminder', 'so-tu-phap', 'a@laocai.example,b@laocai.example', 's1', 't', 'h', 'm1@x', 'sent', 1, '2019-03-08', '250 ok', '2019-03-08T01:00:00Z', '2019-03-08T01:00:01Z'),
		(2, 'overdue', 'so-tu-phap', 'a@laocai.example', 's2', 't', 'h', 'm2@x', 'failed', 10, '2019-03-09', '550 no', '2019-03-09T01:00:00Z', NULL)`)
	mustExec(`INSERT INTO attempt (message_id, at, ok, temporary, reply) VALUES (1, '2019-03-08T01:00:01Z', 1, 0, '250 ok'), (2, '2019-03-09T01:00:01Z', 0, 0, '550 no')`)
	sqldb.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Date(2019, 3, 10, 0, 0, 0, 0, time.UTC) }
	got, err := db.Deliveries(ctx, LogFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("deliveries = %+v, want 3", got)
	}
	byAddr := map[string]string{}
	for _, d := range got {
		byAddr[d.Subject+" "+d.Address] = d.Status
	}
	if byAddr["s1 a@laocai.example"] != "sent" || byAddr["s1 b@laocai.example"] != "sent" || byAddr["s2 a@laocai.example"] != "failed" {
		t.Errorf("statuses = %v", byAddr)
	}
	for _, d := range got {
		if d.Subject == "s2" {
			if hist, _ := db.Attempts(ctx, d.ID); len(hist) != 1 || hist[0].Reply != "550 no" {
				t.Errorf("attempts of the failed one = %+v", hist)
			}
		}
	}
	if applied, _ := db.Migrations(ctx); len(applied) != len(names) {
		t.Errorf("migrations = %v", applied)
	}
}

// Processes that start together on a missing database never see it half
// made: each opens the one database, with its whole schema.
func TestOpen_ConcurrentCreation(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "h.db")
	errs := make(chan error, 12)
	for i := 0; i < 12; i++ {
		go func() {
			db, err := Open(ctx, path)
			if err == nil {
				_, err = db.Migrations(ctx)
				db.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 12; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.new-*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// A database that a newer hanchot upgraded is refused for writing, as it
// is for reading, and left as it was: this hanchot could misread it.
func TestOpen_RefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO migrations VALUES ('migrations/099_future.sql', '2027-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := snapshot(t, path)
	for name, open := range map[string]func(context.Context, string) (*DB, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		_, err := open(ctx, path)
		var se *SchemaError
		if !errors.As(err, &se) || !se.Newer() || strings.Join(se.Unknown, ",") != "099_future.sql" ||
			!strings.Contains(err.Error(), "(099_future.sql): use a newer hanchot") {
			t.Errorf("%s: %v", name, err)
		}
	}
	var se *SchemaError
	if _, err := PendingMigrations(ctx, path); !errors.As(err, &se) || !se.Newer() {
		t.Errorf("PendingMigrations: %v", err)
	}
	if string(snapshot(t, path)) != string(before) {
		t.Error("the database changed")
	}
}

// A file name with the characters a URI gives a meaning to is the file
// opened, by every way of opening it, and no other file is made.
func TestOpen_NameWithURICharacters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "50% a#b?c.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = OpenReadOnly(ctx, path); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if n, err := PendingMigrations(ctx, path); err != nil || n != 0 {
		t.Fatalf("PendingMigrations = %d, %v", n, err)
	}
	copied := filepath.Join(dir, "copy.db")
	if db, err = OpenCopy(ctx, path, copied); err != nil {
		t.Fatal(err)
	}
	db.Close()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "-wal") && !strings.HasSuffix(e.Name(), "-shm") {
			names = append(names, e.Name())
		}
	}
	if strings.Join(names, "|") != "50% a#b?c.db|copy.db" {
		t.Errorf("files: %q", names)
	}
}
