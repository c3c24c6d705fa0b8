package main

import (
	"bytes"
	"context"
	"io"
	"os/exec"
	"path/filepath"
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

var _ = filepath.Join
