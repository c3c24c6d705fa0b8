package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// provinceDB is a generated province synced as of 2026-01-01, tracked from
// 2025, in a temp folder; it returns the configuration's path.
func provinceDB(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	cfg := province(b, dir, 2025)
	if code, out, errs := run(b, nil, "--config", cfg, "sync", "--now", "2026-01-01"); code != 0 {
		b.Fatalf("sync: %d %s %s", code, out, errs)
	}
	return cfg
}

// quietRun runs hanchot with its output thrown away; it returns how many
// lines it printed.
func quietRun(b *testing.B, args ...string) int {
	b.Helper()
	var lines lineCounter
	m := &Main{Stdout: &lines, Stderr: io.Discard}
	if code := m.Run(context.Background(), args); code != 0 {
		b.Fatalf("%v: exit %d", args, code)
	}
	return int(lines)
}

type lineCounter int

func (c *lineCounter) Write(p []byte) (int, error) {
	*c += lineCounter(bytes.Count(p, []byte("\n")))
	return len(p), nil
}

// A year's preview of the generated province, beside remind(1) computing
// the same year's reminders from the equivalent REM file (skipped where
// remind is not installed).
func BenchmarkPreviewYear(b *testing.B) {
	cfg := provinceDB(b)
	b.Run("hanchot", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			rows = quietRun(b, "--config", cfg, "preview", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv")
		}
		b.ReportMetric(float64(rows), "rows")
	})
	b.Run("remind", func(b *testing.B) {
		bin, err := exec.LookPath("remind")
		if err != nil {
			b.Skip("remind is not installed (apt-get install remind)")
		}
		rem, n := remFile(b, cfg, 2025, 2026, 2027)
		b.ReportMetric(float64(n), "REMs")
		for b.Loop() {
			cmd := exec.Command(bin, "-sa12", rem, "1", "Jan", "2026")
			cmd.Stdout = io.Discard
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A week's preview, the daemon having made its pass of the Friday
// before (what was due then is recorded), and, beside it, on a database
// where no pass ever ran (the preview then shows every overdue item).
func BenchmarkPreviewWeek(b *testing.B) {
	cfg := provinceDB(b)
	b.Run("after-passes", func(b *testing.B) {
		cfg := provinceDB(b)
		quietRun(b, "--config", cfg, "run", "--once", "--now", "2026-03-06T08:00")
		rows := 0
		for b.Loop() {
			rows = quietRun(b, "--config", cfg, "preview", "--from", "2026-03-09", "--to", "2026-03-15", "--format", "csv")
		}
		b.ReportMetric(float64(rows), "rows")
	})
	b.Run("never-run", func(b *testing.B) { benchPreviewWeek(b, cfg) })
}

func benchPreviewWeek(b *testing.B, cfg string) {
	rows := 0
	for b.Loop() {
		rows = quietRun(b, "--config", cfg, "preview", "--from", "2026-03-09", "--to", "2026-03-15", "--format", "csv")
	}
	b.ReportMetric(float64(rows), "rows")
}

// millionDB is the generated province with 98 more years of history
// copied from its 2026 (1897–2024): a little over a million occurrences,
// all submitted on time but those of 2025 (about 7,600). Built once per benchmark
// binary run, under a temp folder.
func millionDB(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	cfg := province(b, dir, 2025)
	if code, out, errs := run(b, nil, "--config", cfg, "sync", "--now", "2026-01-01"); code != 0 {
		b.Fatalf("sync: %d %s %s", code, out, errs)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "h.db")+"?_pragma=synchronous(OFF)&_pragma=journal_mode(WAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`WITH RECURSIVE y(n) AS (SELECT 1897 UNION ALL SELECT n + 1 FROM y WHERE n < 2024)
		 INSERT INTO occurrence (deadline_id, year, agency_id, role, due, effective_due, tracked_from)
		 SELECT o.deadline_id, y.n, o.agency_id, o.role, date(o.due, printf('%+d years', y.n - 2026)),
		        date(o.effective_due, printf('%+d years', y.n - 2026)), '0000-01-01'
		   FROM occurrence o, y WHERE o.year = 2026`,
		`INSERT INTO submission (occurrence_id, submitted_at, ref, recorded_at)
		 SELECT id, effective_due || 'T09:00:00+07:00', 'BC', '2026-01-01T00:00:00Z' FROM occurrence WHERE year != 2025`,
	} {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	var n, open int
	db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE submitted_on IS NULL) FROM occurrence`).Scan(&n, &open)
	b.Logf("%d occurrences, %d open", n, open)
	return cfg
}

// The overdue log and a year's statistics on a million-occurrence history,
// as separate processes: time, and the peak resident memory the kernel
// reports.
func BenchmarkMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a million-occurrence database")
	}
	cfg := millionDB(b)
	bin := buildHanchot(b)
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"overdue", []string{"overdue", "--at", "2026-12-01", "--format", "csv"}},
		{"overdue-all", []string{"overdue", "--all", "--at", "2026-12-01", "--format", "csv"}},
		{"stats-year", []string{"stats", "--year", "2025", "--format", "csv"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var maxRSS int64
			lines := 0
			for b.Loop() {
				cmd := exec.Command(bin, append([]string{"--config", cfg}, tt.args...)...)
				var out bytes.Buffer
				cmd.Stdout = &out
				if err := cmd.Run(); err != nil {
					b.Fatalf("%v: %v", tt.args, err)
				}
				maxRSS = max(maxRSS, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
				lines = bytes.Count(out.Bytes(), []byte("\n"))
			}
			b.ReportMetric(float64(maxRSS)/1024, "MiB-maxRSS")
			b.ReportMetric(float64(lines), "lines")
		})
	}
}

// A pass as of 2026-03-06 08:00 on the generated province, tracked for one
// year or for a hundred (first_year and start 1927: the first sync writes
// every year, and every occurrence before 2026 is then submitted on time,
// a history fully reported): the same notices are due, which the benchmark
// checks by the emails written, and the pass should cost about the same.
// Each run starts from a copy of the database, as a process: time, and
// peak memory.
func BenchmarkRunOnceYears(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a database of a hundred years")
	}
	bin := buildHanchot(b)
	emails := map[int]int{}
	for _, years := range []int{1, 100} {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) {
			dir := b.TempDir()
			first := 2027 - years
			cfg := province(b, dir, first)
			// The work is done in child processes, so that this process
			// stays small: a child's peak memory as the kernel reports it
			// includes what it shared with its parent before exec.
			if out, err := exec.Command(bin, "--config", cfg, "sync", "--now", "2026-01-01").CombinedOutput(); err != nil {
				b.Fatalf("sync: %v %s", err, out)
			}
			db := filepath.Join(dir, "h.db")
			submitBefore(b, db, 2026)
			if err := copyFile(db, db+".orig"); err != nil {
				b.Fatal(err)
			}
			var maxRSS int64
			for b.Loop() {
				b.StopTimer()
				os.RemoveAll(filepath.Join(dir, "outbox"))
				if err := copyFile(db+".orig", db); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				cmd := exec.Command(bin, "--config", cfg, "run", "--once", "--now", "2026-03-06T08:00")
				var out bytes.Buffer
				cmd.Stdout = &out
				if err := cmd.Run(); err != nil {
					b.Fatalf("run: %v %s", err, out.String())
				}
				maxRSS = max(maxRSS, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
			}
			b.ReportMetric(float64(maxRSS)/1024, "MiB-maxRSS")
			written, _ := filepath.Glob(filepath.Join(dir, "outbox", "*.eml"))
			emails[years] = len(written)
			b.ReportMetric(float64(len(written)), "emails")
			if years != 1 && emails[1] != 0 && emails[years] != emails[1] {
				b.Fatalf("%d emails with %d years tracked, %d with one: not the same notices due", emails[years], years, emails[1])
			}
		})
	}
}

// submitBefore records every occurrence of a year before y as submitted on
// its date, straight in the database at path.
func submitBefore(b *testing.B, path string, y int) {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO submission (occurrence_id, submitted_at, ref, recorded_at)
		SELECT id, effective_due || 'T09:00:00+07:00', 'BC', '2026-01-01T00:00:00Z' FROM occurrence WHERE year < ?`, y); err != nil {
		b.Fatal(err)
	}
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
