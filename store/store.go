// Package store keeps hanchot's state in SQLite: the synced calendar and its
// occurrences, submissions and extensions, and the notification outbox. The
// schema comes from the embedded, numbered migrations.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open hanchot database.
type DB struct {
	db   *sql.DB
	path string
	// The send path's statements, prepared when opened for writing.
	stmts map[string]*sql.Stmt
	// Now returns the current time; tests pin it. It is read once per
	// write, for the timestamps the store records.
	Now func() time.Time
}

// Mode says what opening a database may do to the file.
type Mode int

const (
	// Existing opens a database that must exist and hold hanchot's
	// history; its schema is brought up to date.
	Existing Mode = iota
	// Create is Existing, except that a missing file is created.
	Create
	// Init is Create, and also starts afresh in an existing file that is
	// empty or holds no hanchot schema (sync --init).
	Init
)

// ErrNoDatabase is returned when the database file does not exist.
var ErrNoDatabase = errors.New("no database")

// SchemaError is returned for a database whose schema this hanchot cannot
// use as it is: one a newer hanchot upgraded (Unknown names the upgrades
// it does not know), or, for reading, one an older hanchot left that
// needs upgrading first.
type SchemaError struct {
	Path       string
	Have, Want int      // migrations applied, migrations this hanchot has
	Unknown    []string // for a newer database, the upgrades this hanchot lacks
}

// Newer reports whether a newer hanchot upgraded the database.
func (e *SchemaError) Newer() bool { return len(e.Unknown) > 0 || e.Have > e.Want }

func (e *SchemaError) Error() string {
	if e.Newer() {
		return fmt.Sprintf("%s has schema upgrades this hanchot does not know (%s): use a newer hanchot", e.Path, strings.Join(e.Unknown, ", "))
	}
	return fmt.Sprintf("%s has schema version %d, this hanchot needs %d: run \"hanchot sync\" once to upgrade it", e.Path, e.Have, e.Want)
}

// ErrNoHistory is returned for a file that exists but holds no hanchot
// schema: an empty (0-byte) file, or another program's database. Opening
// it as new would forget what was sent, so it is refused unless Init.
var ErrNoHistory = errors.New("the file holds no hanchot history")

// Open opens the database at path, creating it when it does not exist, and
// brings its schema up to date. It is OpenMode with Create.
func Open(ctx context.Context, path string) (*DB, error) { return OpenMode(ctx, path, Create) }

// OpenMode opens the database at path for reading and writing as mode
// allows. The database runs in WAL mode, so readers never wait for the
// writer, with synchronous=FULL, so that a commit survives a power loss
// (the outbox's record of a sent message must), foreign keys on, and a
// single connection whose transactions start IMMEDIATE and wait for other
// processes' writes.
func OpenMode(ctx context.Context, path string, mode Mode) (*DB, error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if mode == Existing {
			return nil, fmt.Errorf("%s: %w", path, ErrNoDatabase)
		}
		if mode == Create {
			if err := create(ctx, path); err != nil {
				return nil, err
			}
		} else if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			// Init makes the file in place: create uses it to build a new
			// database under a temporary name.
			return nil, fmt.Errorf("open database: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("open database: %w", err)
	case st.IsDir():
		return nil, fmt.Errorf("open database %s: is a folder", path)
	case mode != Init:
		// Look before any pragma writes to the file.
		if err := hasSchema(ctx, path, st.Size()); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqldb.SetMaxOpenConns(1)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{db: sqldb, path: path, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	if err := db.prepare(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// fileURI is the SQLite URI of the database file at path with the query
// q. The characters a URI gives a meaning to are escaped in the path, so
// that a file named "a#b.db" or "50%.db" is the file opened.
func fileURI(path string, q url.Values) string {
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + q.Encode()
}

// readOnlyQuery is the query of a read-only connection; queryOnly also
// refuses writes at the SQL level.
func readOnlyQuery(queryOnly bool) url.Values {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	if queryOnly {
		q.Add("_pragma", "query_only(1)")
	}
	return q
}

// create makes a new database at path with its whole schema, so that no
// other process ever sees it half made: it is built under another name in
// the same folder and linked into place, which fails, harmlessly, when
// another process got there first.
func create(ctx context.Context, path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("open database: %w", err)
		}
	}
	tmp := fmt.Sprintf("%s.new-%d-%d", path, os.Getpid(), time.Now().UnixNano())
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}()
	db, err := OpenMode(ctx, tmp, Init) // tmp does not exist: made in place
	if err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, os.ErrExist) {
		if _, statErr := os.Stat(path); statErr == nil {
			return nil // made by another process meanwhile
		}
		if err := os.Rename(tmp, path); err != nil { // a file system without links
			return fmt.Errorf("create database: %w", err)
		}
	}
	return nil
}

// hasSchema refuses a file that is empty or has no migrations table,
// reading it without changing it.
func hasSchema(ctx context.Context, path string, size int64) error {
	if size == 0 {
		return fmt.Errorf("%s is an empty file: %w", path, ErrNoHistory)
	}
	sqldb, err := sql.Open("sqlite", fileURI(path, readOnlyQuery(false)))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer sqldb.Close()
	return schemaIn(ctx, sqldb, path)
}

// schemaIn refuses a database, opened from path, that has no migrations
// table.
func schemaIn(ctx context.Context, sqldb *sql.DB, path string) error {
	var n int
	if err := sqldb.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	if n == 0 {
		return fmt.Errorf("%s has no hanchot tables: %w", path, ErrNoHistory)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	for _, s := range db.stmts {
		s.Close()
	}
	return db.db.Close()
}

// ShrinkMemory releases what SQLite holds in memory that it can read back
// from the file (its page cache): for a daemon between passes.
func (db *DB) ShrinkMemory(ctx context.Context) {
	db.db.ExecContext(ctx, `PRAGMA shrink_memory`)
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// migrate applies, in order, each embedded migration not yet recorded in
// the migrations table, each in its own transaction. When every one is
// applied it only reads, so that opening a current database takes no
// write lock.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	var applied []string
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'`).Scan(&n); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		if applied, err = db.Migrations(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	// A database a newer hanchot upgraded may hold what this one would
	// misread or break: refused, as OpenReadOnly refuses it.
	pending, err := schemaState(db.path, applied)
	if err != nil || pending == 0 {
		return err
	}
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// migrateFile applies one migration. Foreign keys are off while it runs,
// so that a migration can rebuild a table others point at, and checked
// before it commits.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil // another process applied it meanwhile
	}
	src, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(src)); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return err
	}
	broken := rows.Next()
	rows.Close()
	if broken {
		return errors.New("the migration leaves rows that point at nothing")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, db.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrations lists the migrations applied to the database, in order.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	return queryAll(ctx, db.db, "migrations", `SELECT name FROM migrations ORDER BY name`, nil, func(r scanner) (s string, err error) {
		return s, r.Scan(&s)
	})
}

// withTx runs fn in a write transaction, committing when it returns nil.
// When another process holds the write lock past the busy timeout, or a
// commit finds the database busy, the whole transaction is tried again a
// few times, so that concurrent commands wait instead of failing.
func (db *DB) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var err error
	for try := 0; try < 5; try++ {
		if err = db.tryTx(ctx, fn); !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(try+1) * 100 * time.Millisecond):
		}
	}
	return err
}

func (db *DB) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// isBusy reports whether err is SQLITE_BUSY (or one of its extended codes).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// isUnique reports whether err is a UNIQUE constraint violation.
func isUnique(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

// stamp formats a time for storage: UTC with a fixed-width fraction, so
// that stored times compare correctly as text.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// ErrNotSynced is returned by CheckSynced for a database that holds no
// calendar yet.
var ErrNotSynced = errors.New("no calendar in the database")

// OpenReadOnly opens an existing database for reading only: nothing is
// created, migrated or written, and in WAL mode it never waits for a
// writer. The schema must be current.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNoDatabase)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("%s is an empty file: %w", path, ErrNoHistory)
	}
	sqldb, err := sql.Open("sqlite", fileURI(path, readOnlyQuery(true)))
	if err != nil {
		return nil, err
	}
	// This connection only reads: it can look at the schema itself, which
	// a connection reads from the file before its first query.
	if err := schemaIn(ctx, sqldb, path); err != nil {
		sqldb.Close()
		return nil, err
	}
	db := &DB{db: sqldb, path: path, Now: time.Now}
	applied, err := db.Migrations(ctx)
	if err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	pending, err := schemaState(path, applied)
	if err == nil && pending > 0 {
		err = &SchemaError{Path: path, Have: len(applied), Want: len(applied) + pending}
	}
	if err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// PendingMigrations reports how many of this hanchot's migrations the
// database at path has not had yet, reading it without changing it.
func PendingMigrations(ctx context.Context, path string) (int, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("open database: %w", err)
	}
	if err := hasSchema(ctx, path, st.Size()); err != nil {
		return 0, err
	}
	sqldb, err := sql.Open("sqlite", fileURI(path, readOnlyQuery(true)))
	if err != nil {
		return 0, fmt.Errorf("open database: %w", err)
	}
	defer sqldb.Close()
	applied, err := (&DB{db: sqldb, path: path}).Migrations(ctx)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	return schemaState(path, applied)
}

// schemaState compares the migrations applied to the database at path
// with this hanchot's: how many it has not had yet, or a *SchemaError
// when a newer hanchot applied some this one does not know.
func schemaState(path string, applied []string) (pending int, err error) {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	have, known := map[string]bool{}, map[string]bool{}
	for _, name := range applied {
		have[name] = true
	}
	for _, name := range names {
		known[name] = true
		if !have[name] {
			pending++
		}
	}
	var unknown []string
	for _, name := range applied {
		if !known[name] {
			unknown = append(unknown, strings.TrimPrefix(name, "migrations/"))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return 0, &SchemaError{Path: path, Have: len(applied), Want: len(names), Unknown: unknown}
	}
	return pending, nil
}

// OpenCopy copies the database at path to dest (which must not exist)
// with SQLite's VACUUM INTO, reading the original without changing it,
// and opens the copy, bringing its schema up to date: what a dry run
// works on when opening the database itself would upgrade it.
func OpenCopy(ctx context.Context, path, dest string) (*DB, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := hasSchema(ctx, path, st.Size()); err != nil {
		return nil, err
	}
	sqldb, err := sql.Open("sqlite", fileURI(path, readOnlyQuery(false)))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	_, err = sqldb.ExecContext(ctx, `VACUUM INTO ?`, dest)
	sqldb.Close()
	if err != nil {
		return nil, fmt.Errorf("copy database %s: %w", path, err)
	}
	return OpenMode(ctx, dest, Existing)
}

// CheckSynced returns ErrNotSynced when no calendar was ever written.
func (db *DB) CheckSynced(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM calendar_year`).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", db.path, ErrNotSynced)
	}
	return nil
}

// scanner is what a row scan function reads from.
type scanner interface{ Scan(...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, db *sql.DB, what, q string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
