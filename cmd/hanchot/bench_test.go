package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// BenchmarkServeIdleRSS starts the daemon on the example configuration 16
// times, each on a fresh database, lets it make its start-up pass, and
// reports its resident memory once idle, read from /proc (Linux): the
// median and the largest.
func BenchmarkServeIdleRSS(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "hanchot")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	src, _ := os.ReadFile("../../config.example.toml")
	src = []byte(strings.Replace(string(src), `listen = "127.0.0.1:8080"`, `listen = "127.0.0.1:0"`, 1))
	var rss []float64
	for b.Loop() {
		rss = rss[:0]
		for i := 0; i < 16; i++ {
			run := filepath.Join(dir, fmt.Sprint(i))
			os.MkdirAll(run, 0o755)
			cfg := filepath.Join(run, "hanchot.toml")
			os.WriteFile(cfg, src, 0o644)
			rss = append(rss, idleRSS(b, bin, cfg))
		}
	}
	sort.Float64s(rss)
	b.ReportMetric(rss[len(rss)/2], "MiB-median-RSS")
	b.ReportMetric(rss[len(rss)-1], "MiB-max-RSS")
}

// idleRSS starts serve, waits for its start-up pass and two idle seconds,
// and returns its resident memory in MiB.
func idleRSS(b *testing.B, bin, cfg string) float64 {
	cmd := exec.Command(bin, "--config", cfg, "serve")
	cmd.Dir = filepath.Dir(cfg)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "msg=pass ") {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	time.Sleep(2 * time.Second)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	if err != nil {
		b.Skip("no /proc here")
	}
	var rssKB float64
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			fmt.Sscanf(strings.TrimPrefix(line, "VmRSS:"), "%f", &rssKB)
		}
	}
	return rssKB / 1024
}
