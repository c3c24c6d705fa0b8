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
	"runtime/debug"
	"slices"
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
// the global flags and the language of the output.
type Main struct {
	Stdout, Stderr io.Writer
	Env            []string
	ConfigPath     string // --config, $HANCHOT_CONFIG, ./hanchot.toml
	ConfigGiven    bool   // the path was named, not the fallback
	DBPath         string // --db
	Lang           Lang   // --lang, $HANCHOT_LANG, $LANG; Vietnamese by default
}

// T says message id in the output's language.
func (m *Main) T(id string, args ...any) string { return m.Lang.T(id, args...) }

// commands lists the commands in the order the help shows them.
var commands = []string{"check", "sync", "calendar", "holidays", "preview", "run", "serve",
	"submit", "extend", "overdue", "log", "stats", "retry", "links", "ics", "web"}

// Run runs the command line args and returns the exit code: 0 ok, 1
// failure, 2 bad usage or invalid configuration.
func (m *Main) Run(ctx context.Context, args []string) int {
	rest, err := m.globalFlags(args)
	if err == nil {
		if len(rest) == 0 {
			fmt.Fprint(m.Stderr, m.usage())
			return 2
		}
		err = m.dispatch(ctx, rest[0], rest[1:])
	}
	return m.exit(err)
}

// usage is the general help.
func (m *Main) usage() string {
	var b strings.Builder
	b.WriteString(m.T("usage.head"))
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-10s  %s\n", c, m.T("summary."+c))
	}
	b.WriteString(m.T("usage.tail"))
	return b.String()
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
	case "help", "-h", "-help", "--help":
		return m.help(ctx, args)
	case "--version", "-version":
		fmt.Fprintf(m.Stdout, "hanchot %s\n", version(debug.ReadBuildInfo()))
		return nil
	default:
		return m.unknownCommand(cmd)
	}
	return c.Run(ctx, args)
}

// help prints the general help, or with a command's name that command's.
func (m *Main) help(ctx context.Context, args []string) error {
	switch {
	case len(args) == 0, len(args) == 1 && args[0] == "help":
		fmt.Fprint(m.Stdout, m.usage())
		return nil
	case len(args) > 1:
		return m.usageError("err.helpOne").hint("hanchot help submit")
	case !slices.Contains(commands, args[0]):
		return m.unknownCommand(args[0])
	}
	return m.dispatch(ctx, args[0], []string{"-h"})
}

func (m *Main) unknownCommand(cmd string) error {
	best, bestD := "", 3
	for _, c := range slices.Concat(commands, []string{"help"}) {
		if d := hanchot.EditDistance(strings.ToLower(cmd), c); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		return m.usageError("err.unknownCommandMean", cmd, best).hint("hanchot help")
	}
	return m.usageError("err.unknownCommand", cmd).hint("hanchot help")
}

// version says which build this is: the module's version, or the
// revision and time of the checkout it was built from, or "(devel)".
func version(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "(devel)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return "(devel)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if at != "" {
		return fmt.Sprintf("%s%s (%s)", rev, dirty, at)
	}
	return rev + dirty
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
		fmt.Fprintln(m.Stderr, m.T("exit.error", ue.msg))
		if ue.try != "" {
			fmt.Fprintln(m.Stderr, m.T("exit.try", ue.try))
		}
		return 2
	case errors.Is(err, config.ErrNotFound):
		fmt.Fprintln(m.Stderr, m.T("exit.error", m.T("err.configNotFound", m.ConfigPath)))
		fmt.Fprintln(m.Stderr, m.T("exit.try", m.T("hint.configNotFound")))
		return 2
	}
	fmt.Fprintln(m.Stderr, m.T("exit.error", err))
	return 1
}

// globalFlags takes --config, --db and --lang out of args wherever they
// stand, settles the language, and returns the rest.
func (m *Main) globalFlags(args []string) ([]string, error) {
	var rest []string
	var langFlag string
	var missing string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "config" && name != "db" && name != "lang") {
			rest = append(rest, a)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				missing = name
				break
			}
			i++
			val = args[i]
		}
		switch name {
		case "config":
			m.ConfigPath, m.ConfigGiven = val, true
		case "db":
			m.DBPath = val
		default:
			langFlag = val
		}
	}
	lang, err := chooseLang(langFlag, m.getenv)
	m.Lang = lang
	if err != nil {
		return nil, err
	}
	if missing == "lang" {
		return nil, m.usageError("err.langNeedsValue")
	}
	if missing != "" {
		return nil, m.usageError("err.flagNeedsFile", missing)
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
		fmt.Fprintln(m.Stderr, m.T("note.builtinConfig", m.ConfigPath))
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

// usageErrorf makes a usage error of a text already in the output's
// language.
func usageErrorf(format string, args ...any) *usageError {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// usageError makes a usage error of message id, in the output's language.
func (l Lang) usageError(id string, args ...any) *usageError {
	return &usageError{msg: l.T(id, args...)}
}

func (m *Main) usageError(id string, args ...any) *usageError { return m.Lang.usageError(id, args...) }
