package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hanchot/config"
	"hanchot/store"
)

// How each command opens the database:
//
//   - sync, run and serve own the calendar: they create a missing
//     database (openWrite);
//   - submit, extend and retry change what is recorded, and web serves
//     it: the database must exist and hold a calendar (openExisting);
//   - overdue, stats, log, preview, links and ics only read: they open
//     it read-only, run no migration and no sync, and never create a
//     file (openReadOnly).
//
// An existing file that is empty or holds no hanchot tables is refused by
// all of them, unless "sync --init" says to start afresh: opening it as
// new would forget what was sent and send it again.

// openWrite opens the database for sync, run and serve, creating it when
// missing (and, with init, starting afresh in an empty file).
func openWrite(ctx context.Context, l Lang, cfg *config.Config, init bool) (*store.DB, error) {
	mode := store.Create
	if init {
		mode = store.Init
	}
	db, err := store.OpenMode(ctx, cfg.Store.Path, mode)
	return db, dbError(l, cfg.Store.Path, err)
}

// openDryRun opens what "sync --dry-run" works on, leaving the database
// as it is: a throwaway empty database when there is none; a copy with
// its schema upgraded when opening the database itself would upgrade it
// (upgrades then says how many migrations it lacks); else the database
// itself, to which a dry run writes nothing. cleanup removes what was
// made for the dry run.
func openDryRun(ctx context.Context, l Lang, cfg *config.Config) (db *store.DB, upgrades int, cleanup func(), err error) {
	path := cfg.Store.Path
	_, statErr := os.Stat(path)
	exists := statErr == nil
	if statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
		// Not there for this user (a folder it may not read, a file
		// where a folder should be) is not "no database".
		return nil, 0, nil, fmt.Errorf("open database: %w", statErr)
	}
	if exists {
		if upgrades, err = store.PendingMigrations(ctx, path); err != nil {
			return nil, 0, nil, dbError(l, path, err)
		}
		if upgrades == 0 {
			db, err := store.OpenMode(ctx, path, store.Existing)
			return db, 0, func() {}, dbError(l, path, err)
		}
	}
	// The copy holds addresses and submissions: it lives in a folder only
	// this user can read, removed when the dry run ends; one left by a
	// dry run that was killed is removed by the next.
	removeStaleDryRuns(time.Now())
	dir, err := os.MkdirTemp("", dryRunPrefix)
	if err != nil {
		return nil, 0, nil, errors.New(l.T("err.dryRunTemp", err))
	}
	cleanup = func() { os.RemoveAll(dir) }
	scratch := filepath.Join(dir, "dry-run.db")
	if exists {
		db, err = store.OpenCopy(ctx, path, scratch)
	} else {
		db, err = store.Open(ctx, scratch)
	}
	if err != nil {
		cleanup()
		return nil, 0, nil, dbError(l, path, err)
	}
	return db, upgrades, cleanup, nil
}

// dryRunPrefix names the temporary folders of dry runs.
const dryRunPrefix = "hanchot-dry-run-"

// removeStaleDryRuns removes the temporary folders of dry runs that were
// killed before they could clean up: those untouched for six hours, far
// longer than any dry run takes.
func removeStaleDryRuns(now time.Time) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dryRunPrefix+"*"))
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err == nil && st.IsDir() && now.Sub(st.ModTime()) > 6*time.Hour {
			os.RemoveAll(dir)
		}
	}
}

// openExisting opens the database for a command that records something:
// it must exist and hold a synced calendar.
func openExisting(ctx context.Context, l Lang, cfg *config.Config) (*store.DB, error) {
	db, err := store.OpenMode(ctx, cfg.Store.Path, store.Existing)
	if err != nil {
		return nil, dbError(l, cfg.Store.Path, err)
	}
	if err := db.CheckSynced(ctx); err != nil {
		db.Close()
		return nil, dbError(l, cfg.Store.Path, err)
	}
	return db, nil
}

// openReadOnly opens the database for a command that only reads: it must
// exist and hold a synced calendar, and nothing is written to it.
func openReadOnly(ctx context.Context, l Lang, cfg *config.Config) (*store.DB, error) {
	db, err := store.OpenReadOnly(ctx, cfg.Store.Path)
	if err != nil {
		return nil, dbError(l, cfg.Store.Path, err)
	}
	if err := db.CheckSynced(ctx); err != nil {
		db.Close()
		return nil, dbError(l, cfg.Store.Path, err)
	}
	return db, nil
}

// dbError says what to do about the database at path that cannot be used
// (exit 1).
func dbError(l Lang, path string, err error) error {
	var schema *store.SchemaError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNoDatabase):
		return errors.New(l.T("err.noDatabase", path))
	case errors.Is(err, store.ErrNotSynced):
		return errors.New(l.T("err.notSynced", path))
	case errors.As(err, &schema) && schema.Newer():
		return errors.New(l.T("err.schemaNewer", path, strings.Join(schema.Unknown, ", ")))
	case errors.As(err, &schema):
		return errors.New(l.T("err.schemaOlder", path, schema.Have, schema.Want))
	case errors.Is(err, store.ErrNoHistory):
		what := l.T("db.noTables", path)
		if st, serr := os.Stat(path); serr == nil && st.Size() == 0 {
			what = l.T("db.empty", path)
		}
		return errors.New(l.T("err.noHistory", what))
	}
	return err
}

// resolvePaths makes the relative paths of a configuration file relative
// to the file's folder, so that a command gives the same answer from any
// working directory. Paths from the environment (HANCHOT_DB,
// HANCHOT_STORE_PATH, HANCHOT_MAIL_DIR, ...) and --db stay relative to
// the working directory, as paths typed on a command line are.
func (m *Main) resolvePaths(cfg *config.Config, base string) {
	fix := func(p *string, envs ...string) {
		for _, e := range envs {
			if m.getenv(e) != "" {
				return
			}
		}
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	fix(&cfg.Store.Path, "HANCHOT_STORE_PATH", "HANCHOT_DB")
	fix(&cfg.Mail.Dir, "HANCHOT_MAIL_DIR")
	fix(&cfg.Mail.Templates, "HANCHOT_MAIL_TEMPLATES")
	fix(&cfg.Mail.PasswordFile, "HANCHOT_MAIL_PASSWORD_FILE")
	fix(&cfg.Web.SecretFile, "HANCHOT_WEB_SECRET_FILE")
	fix(&cfg.Web.PreviousSecretFile, "HANCHOT_WEB_PREVIOUS_SECRET_FILE")
	fix(&cfg.Web.AdminsFile, "HANCHOT_WEB_ADMINS_FILE")
}
