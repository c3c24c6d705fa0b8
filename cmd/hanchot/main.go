// Command hanchot keeps a province's report calendar, emails each agency
// before its deadlines and escalates what is overdue. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"hanchot"
	"hanchot/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// The first signal stops gracefully; once it has come, the
		// default action is back, so a second one ends the process at
		// once. The outbox is safe either way: an interrupted delivery is
		// sent again, with the same Message-ID.
		<-ctx.Done()
		stop()
	}()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Env: os.Environ()}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main holds what every command needs: where to write, the environment,
// and the global flags.
type Main struct {
	Stdout, Stderr io.Writer
	Env            []string
	ConfigPath     string // --config, $HANCHOT_CONFIG, ./hanchot.toml
	ConfigGiven    bool   // the path was named, not the fallback
	DBPath         string // --db
}

const usage = `hanchot keeps the report calendar, reminds agencies and escalates what is overdue.

Usage:
  hanchot [--config FILE] [--db FILE] COMMAND [flags]

Commands:
  check       validate the configuration
  sync        write the calendar into the database
  calendar    list the occurrences of a reporting year
  holidays    list the days off of a year
  preview     show the notifications a window would send, sending nothing
  run         run one pass (--once) as of now or --now
  serve       run the daemon
  submit      record a submission
  extend      grant an extension
  overdue     the overdue log
  log         the notification ledger
  stats       on time, late and missing per agency
  retry       requeue mail that failed or expired
  links       an agency's page and calendar-feed addresses
  ics         an agency's calendar feed (iCalendar) on stdout
  web         serve the web front alone ("serve" serves it too)

Other:
  --version   the version of this build

Global flags (before or after the command):
  --config FILE  configuration (default $HANCHOT_CONFIG, then ./hanchot.toml)
  --db FILE      database, overriding [store] path (also $HANCHOT_DB)

Run "hanchot COMMAND -h" for a command's flags.
`

// Run runs the command line args and returns the exit code: 0 ok, 1
// failure, 2 bad usage or invalid configuration.
func (m *Main) Run(ctx context.Context, args []string) int {
	rest, err := m.globalFlags(args)
	if err == nil {
		if len(rest) == 0 {
			fmt.Fprint(m.Stderr, usage)
			return 2
		}
		err = m.dispatch(ctx, rest[0], rest[1:])
	}
	return m.exit(err)
}

func (m *Main) dispatch(ctx context.Context, cmd string, args []string) error {
	var c interface {
		Run(ctx context.Context, args []string) error
	}
	switch cmd {
	case "check":
		c = &CheckCommand{m}
	case "sync":
		c = &SyncCommand{m}
	case "calendar":
		c = &CalendarCommand{m}
	case "holidays":
		c = &HolidaysCommand{m}
	case "preview":
		c = &PreviewCommand{m}
	case "run":
		c = &RunCommand{m}
	case "serve":
		c = &ServeCommand{m}
	case "submit":
		c = &SubmitCommand{m}
	case "extend":
		c = &ExtendCommand{m}
	case "overdue":
		c = &OverdueCommand{m}
	case "log":
		c = &LogCommand{m}
	case "stats":
		c = &StatsCommand{m}
	case "retry":
		c = &RetryCommand{m}
	case "links":
		c = &LinksCommand{m}
	case "ics":
		c = &IcsCommand{m}
	case "web":
		c = &WebCommand{m}
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintf(m.Stdout, "hanchot %s %s\n", buildVersion(), runtime.Version())
		return nil
	default:
		return usageErrorf("unknown command %q", cmd).hint(`run "hanchot help" for the list`)
	}
	return c.Run(ctx, args)
}

// exit prints err and maps it to an exit code.
func (m *Main) exit(err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue *usageError
	var ce *config.Error
	switch {
	case errors.As(err, &ce):
		fmt.Fprintln(m.Stderr, ce.Error())
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "Error: %s\n", ue.msg)
		if ue.try != "" {
			fmt.Fprintf(m.Stderr, "Try: %s\n", ue.try)
		}
		return 2
	case errors.Is(err, config.ErrNotFound):
		fmt.Fprintf(m.Stderr, "Error: %v\nTry: --config FILE, $HANCHOT_CONFIG, or copy config.example.toml to hanchot.toml\n", err)
		return 2
	}
	fmt.Fprintf(m.Stderr, "Error: %v\n", err)
	return 1
}

// globalFlags takes --config and --db out of args wherever they stand and
// returns the rest.
func (m *Main) globalFlags(args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "config" && name != "db") {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, usageErrorf("flag --%s needs a file name", name)
			}
			i++
			val = args[i]
		}
		if name == "config" {
			m.ConfigPath, m.ConfigGiven = val, true
		} else {
			m.DBPath = val
		}
	}
	if m.ConfigPath == "" {
		if v := m.getenv("HANCHOT_CONFIG"); v != "" {
			m.ConfigPath, m.ConfigGiven = v, true
		} else {
			m.ConfigPath = "hanchot.toml"
		}
	}
	return rest, nil
}

func (m *Main) getenv(key string) string {
	for _, kv := range m.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// loadConfig reads and checks the configuration, with --db applied. When
// no file was named and ./hanchot.toml does not exist, it uses the built-in
// example configuration. Relative paths in a file are relative to its
// folder.
func (m *Main) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(m.ConfigPath, m.Env)
	switch {
	case errors.Is(err, config.ErrNotFound) && !m.ConfigGiven:
		// The built-in example has no folder: its paths stay relative to
		// the working directory.
		fmt.Fprintf(m.Stderr, "note: no %s; using the built-in example configuration (see config.example.toml)\n", m.ConfigPath)
		cfg, err = config.Parse("config.example.toml (built in)", hanchot.ExampleConfig, m.Env)
		if err != nil {
			return nil, err
		}
	case err != nil:
		return nil, err
	default:
		m.resolvePaths(cfg, filepath.Dir(m.ConfigPath))
	}
	if m.DBPath != "" {
		cfg.Store.Path = m.DBPath
	}
	return cfg, nil
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg, try string }

func (e *usageError) Error() string { return e.msg }

func (e *usageError) hint(try string) *usageError { e.try = try; return e }

func usageErrorf(format string, args ...any) *usageError {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}
