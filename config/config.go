// Package config reads hanchot's TOML configuration: it decodes it over the
// defaults, applies the environment overrides, and checks everything a
// secretary can get wrong, reporting each problem with its line.
package config

import (
	_ "time/tzdata" // the zone database, so Asia/Ho_Chi_Minh loads on any machine

	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"hanchot"
	"hanchot/scheduler"
)

// Config is a checked configuration, ready to use.
type Config struct {
	File       string     `toml:"-"`
	Timezone   string     `toml:"timezone"`
	Store      Store      `toml:"store"`
	Schedule   Schedule   `toml:"schedule"`
	Escalation Escalation `toml:"escalation"`
	Mail       Mail       `toml:"mail"`
	Log        Log        `toml:"log"`
	Workdays   Workdays   `toml:"workdays"`
	Org        Org        `toml:"org"`
	Web        Web        `toml:"web"`
	Agencies   []Agency   `toml:"agency"`
	Groups     []Group    `toml:"group"`
	Reports    []Report   `toml:"report"`

	// Filled by Load after the checks pass.
	Location  *time.Location         `toml:"-"`
	Calendar  *hanchot.Calendar      `toml:"-"`
	WorkRules scheduler.WorkdayRules `toml:"-"`
}

// Store is the [store] section.
type Store struct {
	Path string `toml:"path"`
}

// Schedule is the [schedule] section.
type Schedule struct {
	SendAt      string `toml:"send_at"`      // cron, in the configured time zone
	RemindDays  []int  `toml:"remind_days"`  // days before the date that counts
	SupportDays int    `toml:"support_days"` // working days supporting agencies' input is due before the lead's date
	OnDayOff    string `toml:"on_day_off"`   // "next" (Civil Code art. 148) or "keep"
	FirstYear   int    `toml:"first_year"`   // first reporting year tracked; 0: the year before the current one, or start's year if earlier
	LastYear    int    `toml:"last_year"`    // last reporting year tracked; 0: no end
	// Start is the first day tracked: what is due before it is reminded,
	// escalated and counted never. Unset: the day of the first sync.
	Start ConfigDate `toml:"start"`
	// Quiet is when no mail is sent, "17:30-07:00" (across midnight);
	// "" for none. Days off are quiet too unless QuietDaysOff is false.
	Quiet        string `toml:"quiet"`
	QuietDaysOff bool   `toml:"quiet_days_off"`
}

// Escalation is the [escalation] section.
type Escalation struct {
	FocalPoint string `toml:"focal_point"` // agency id
	AfterDays  []int  `toml:"after_days"`  // days overdue at which each level is sent
	Also       []Also `toml:"also"`        // extra recipients at a level
	// SupportAfterDays is the level (days overdue) from which a supporting
	// agency's late input reaches the focal point; before it only the
	// lead agency is told. 0: the second level of after_days.
	SupportAfterDays int `toml:"support_after_days"`
}

// Org is the [org] section: who writes the emails, under which plan, and
// whom to call; shown in every email's footer.
type Org struct {
	Name    string `toml:"name"`    // "UBND tỉnh Lào Cai"
	Plan    string `toml:"plan"`    // "Kế hoạch số 221/KH-UBND ngày 17/6/2019"
	Contact string `toml:"contact"` // a person at the focal point
	Phone   string `toml:"phone"`
	Email   string `toml:"email"`
}

// Also sends a level's escalation to more agencies.
type Also struct {
	AfterDays int        `toml:"after_days"`
	To        StringList `toml:"to"`
}

// Mail is the [mail] section.
type Mail struct {
	Transport    string   `toml:"transport"` // "dir" or "smtp"
	Dir          string   `toml:"dir"`
	Host         string   `toml:"host"`
	Port         int      `toml:"port"`
	TLS          string   `toml:"tls"`  // starttls | tls | opportunistic | none
	Auth         string   `toml:"auth"` // auto | plain | login | cram-md5
	Username     string   `toml:"username"`
	Password     string   `toml:"password"` // only from HANCHOT_MAIL_PASSWORD
	PasswordFile string   `toml:"password_file"`
	From         string   `toml:"from"`
	ReplyTo      string   `toml:"reply_to"`
	Timeout      Duration `toml:"timeout"`
	KeepTrying   int      `toml:"keep_trying_days"` // days an overdue notice or escalation is retried before it expires
	Templates    string   `toml:"templates"`        // a folder whose files replace the built-in templates
}

// Web is the [web] section: the web front (health, metrics, calendar
// feeds and signed links).
type Web struct {
	// Listen is the address the web front listens on; "" serves no web
	// front.
	Listen string `toml:"listen"`
	// BaseURL is the public address of the web front, used in the links
	// given to agencies ("https://hanchot.laocai.example"); "" for
	// http://Listen.
	BaseURL string `toml:"base_url"`
	// AdminsFile holds the admins' logins, "user:bcrypt-hash" lines as
	// htpasswd -B writes them.
	AdminsFile string `toml:"admins_file"`
	// Secret is the key that signs links; only from HANCHOT_WEB_SECRET,
	// never in the file. SecretFile holds it otherwise.
	Secret     string `toml:"secret"`
	SecretFile string `toml:"secret_file"`
	// PreviousSecretFile holds the key being rotated out: links signed
	// with it are still accepted, never made.
	PreviousSecretFile string `toml:"previous_secret_file"`
	// TrustedProxies are the addresses (or networks) of reverse proxies
	// whose X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxies StringList `toml:"trusted_proxies"`
	// MetricsListen, when set, serves /metrics on this address instead of
	// Listen (e.g. an address only the monitoring network reaches).
	MetricsListen string `toml:"metrics_listen"`
}

// Log is the [log] section.
type Log struct {
	Format string `toml:"format"` // text | json
	Level  string `toml:"level"`  // debug | info | warn | error
}

// Workdays is the [workdays] section.
type Workdays struct {
	TetBefore   int        `toml:"tet_before"`
	TetAfter    int        `toml:"tet_after"`
	Compensate  bool       `toml:"compensate"`
	DaysOff     []DayEntry `toml:"days_off"`
	WorkingDays []DayEntry `toml:"working_days"`
}

// Agency is an [[agency]] table.
type Agency struct {
	ID        string     `toml:"id"`
	Name      string     `toml:"name"`
	Email     StringList `toml:"email"`
	From      ConfigDate `toml:"from"`      // the first day it exists
	Until     ConfigDate `toml:"until"`     // the last day it exists
	Successor string     `toml:"successor"` // the agency that takes over after until
}

// Group is a [[group]] table.
type Group struct {
	ID      string     `toml:"id"`
	Name    string     `toml:"name"`
	Members MemberList `toml:"members"`
}

// Report is a [[report]] table.
type Report struct {
	Code      string     `toml:"code"`
	Title     string     `toml:"title"`
	Points    float64    `toml:"points"`
	Evidence  string     `toml:"evidence"`
	Lead      StringList `toml:"lead"`
	Support   StringList `toml:"support"`
	Deadlines []Deadline `toml:"deadlines"`
	FromYear  int        `toml:"from_year"`  // the first reporting year it applies to
	UntilYear int        `toml:"until_year"` // the last reporting year it applies to
}

// Deadline is one entry of a report's deadlines.
type Deadline struct {
	ID       string `toml:"id"` // optional identity that survives relabelling the period
	Period   string `toml:"period"`
	Due      string `toml:"due"`
	OnDayOff string `toml:"on_day_off"`
	// Cutoff is the day the report's data runs to, "14/03"; "" for the
	// default of Decree 09/2019/NĐ-CP for the standard periods, "không" for
	// none.
	Cutoff string `toml:"cutoff"`
}

// StringList is one string or a list of strings.
type StringList []string

// readTOML accepts "a" or ["a", "b"].
func (l *StringList) readTOML(c *checker, place string, v any) {
	switch v := v.(type) {
	case string:
		if s, ok := c.text(place, v); ok {
			*l = StringList{s}
		}
	case []any:
		out := make(StringList, 0, len(v))
		for i, e := range v {
			if s, ok := c.text(elemPlace(place, i), e); ok {
				out = append(out, s)
			}
		}
		*l = out
	default:
		c.bad(place, "wantTextList", label(place), keyOf(place), textListExample(place))
	}
}

// DayEntry is a dated day in [workdays]: "2019-04-15", "15/04/2019", a
// TOML date 2019-04-15, or { date = "2019-04-15", name = "Nghỉ bù" }.
type DayEntry struct {
	Date hanchot.Date `toml:"date"`
	Name string       `toml:"name"`
}

// readTOML reads a DayEntry.
func (e *DayEntry) readTOML(c *checker, place string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		if d, ok := c.date(place, v); ok {
			e.Date = d
		}
		return
	}
	c.table(place, m, reflect.ValueOf(e).Elem())
	if _, ok := m["date"]; !ok {
		c.bad(place, "dayNoDate", keyOf(place))
	}
}

// Duration is a time.Duration written "30s" or "2m".
type Duration struct{ time.Duration }

// readTOML reads a Duration.
func (d *Duration) readTOML(c *checker, place string, v any) {
	s, ok := v.(string)
	if !ok {
		c.bad(place, "wantDuration", label(place))
		return
	}
	if err := d.UnmarshalText([]byte(s)); err != nil {
		c.bad(place, "wantDuration", label(place))
	}
}

// UnmarshalText reads a Duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q is not a duration (write 30s, 2m)", string(b))
	}
	d.Duration = v
	return nil
}

// Default returns the configuration every file is decoded over.
func Default() Config {
	return Config{
		Timezone: "Asia/Ho_Chi_Minh",
		Store:    Store{Path: "var/hanchot.db"},
		Schedule: Schedule{
			SendAt:       "0 8 * * MON-FRI",
			RemindDays:   []int{14, 7, 3, 1, 0},
			SupportDays:  3,
			OnDayOff:     "next",
			Quiet:        "17:30-07:00",
			QuietDaysOff: true,
		},
		Escalation: Escalation{AfterDays: []int{1, 7, 15}},
		Mail: Mail{
			Transport:  "dir",
			Dir:        "var/outbox",
			Host:       "localhost",
			Port:       25,
			TLS:        "starttls",
			Auth:       "auto",
			Timeout:    Duration{30 * time.Second},
			KeepTrying: 7,
		},
		Log:      Log{Format: "text", Level: "info"},
		Web:      Web{Listen: "127.0.0.1:8080"},
		Workdays: Workdays{TetBefore: 1, TetAfter: 3, Compensate: true},
	}
}

// Problem is one thing wrong with a configuration.
type Problem struct {
	Line    int
	Message string
}

// Error lists every problem of a configuration file. Its text has one
// "FILE:LINE: message" per line ("FILE: message" for a problem that comes
// from the environment rather than a line).
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Line == 0 { // not from a line of the file: the environment
			fmt.Fprintf(&b, "%s: %s", e.File, p.Message)
			continue
		}
		fmt.Fprintf(&b, "%s:%d: %s", e.File, p.Line, p.Message)
	}
	return b.String()
}

// ErrNotFound is returned (wrapped) when the configuration file is missing.
var ErrNotFound = errors.New("configuration file not found")

// Load reads, overrides from env and checks the file at path. env is
// usually os.Environ(). Any problem with the file is an *Error.
func Load(path string, env []string) (*Config, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, src, env)
}

// Parse decodes and checks a configuration held in memory; name is used in
// error messages.
func Parse(name string, src []byte, env []string) (*Config, error) {
	cerr := &Error{File: name}
	text, p := readText(src)
	if p != nil {
		cerr.Problems = append(cerr.Problems, *p)
		return nil, cerr
	}
	var tree map[string]any
	var rest *recovered
	if _, err := toml.Decode(text, &tree); err != nil {
		// The syntax mistakes, then the other problems of the lines
		// that could be read.
		cerr.Problems, rest = syntaxProblems(text, err)
		if rest == nil {
			return nil, cerr
		}
		text, tree = rest.text, rest.tree
	}

	cfg := Default()
	cfg.File = name
	c := &checker{src: text, err: cerr, failed: map[string]bool{}}
	if rest != nil {
		c.aside = newAside(c.lines(), rest)
	}
	c.decode(tree, &cfg)
	if mail, ok := tree["mail"].(map[string]any); ok {
		if _, ok := mail["password"]; ok {
			c.bad("mail.password", "passwordInFile")
		}
	}
	if web, ok := tree["web"].(map[string]any); ok {
		if _, ok := web["secret"]; ok {
			c.bad("web.secret", "secretInFile")
			cfg.Web.Secret = "" // only the environment gives it
		}
	}
	cerr.Problems = append(cerr.Problems, applyEnv(&cfg, env)...)
	check(&cfg, c)
	if len(cerr.Problems) > 0 {
		cerr.Problems = tidy(cerr.Problems)
		return nil, cerr
	}
	return &cfg, nil
}

// tidy puts problems in line order and drops repeats.
func tidy(probs []Problem) []Problem {
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	seen := map[Problem]bool{}
	out := probs[:0]
	for _, p := range probs {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// applyEnv applies HANCHOT_STORE_*, HANCHOT_MAIL_* and HANCHOT_WEB_*
// overrides to the scalar keys of [store], [mail] and [web] (so
// HANCHOT_MAIL_PASSWORD and HANCHOT_WEB_SECRET), and HANCHOT_DB to the
// store path.
func applyEnv(cfg *Config, env []string) []Problem {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "HANCHOT_") {
			vars[k] = v
		}
	}
	var probs []Problem
	for _, sec := range []struct {
		name string
		v    reflect.Value
	}{{"STORE", reflect.ValueOf(&cfg.Store).Elem()}, {"MAIL", reflect.ValueOf(&cfg.Mail).Elem()},
		{"WEB", reflect.ValueOf(&cfg.Web).Elem()}} {
		t := sec.v.Type()
		for i := 0; i < t.NumField(); i++ {
			name := "HANCHOT_" + sec.name + "_" + strings.ToUpper(t.Field(i).Tag.Get("toml"))
			val, ok := vars[name]
			if !ok {
				continue
			}
			f := sec.v.Field(i)
			switch f.Interface().(type) {
			case string:
				f.SetString(val)
			case int:
				n, err := strconv.Atoi(strings.TrimSpace(val))
				if err != nil {
					probs = append(probs, Problem{0, text("envNotInt", name, val)})
					continue
				}
				f.SetInt(int64(n))
			case Duration:
				var d Duration
				if err := d.UnmarshalText([]byte(val)); err != nil {
					probs = append(probs, Problem{0, text("envDuration", name, val)})
					continue
				}
				f.Set(reflect.ValueOf(d))
			}
		}
	}
	if v, ok := vars["HANCHOT_DB"]; ok && v != "" {
		cfg.Store.Path = v
	}
	return probs
}
