package smtptest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// Process is the discarding sink of ./sink running in a process of its own.
type Process struct {
	Host string
	Port int
}

// StartProcess builds the sink (cached by the Go build cache), starts it on
// a free loopback port and waits until it listens. It is stopped when tb
// ends.
func StartProcess(tb testing.TB) *Process {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	bin := filepath.Join(tb.TempDir(), "sink")
	build := exec.Command("go", "build", "-o", bin, "./sink")
	build.Dir = filepath.Dir(here)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		tb.Fatalf("build the sink: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Process{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port}
	ln.Close()
	cmd := exec.Command(bin, fmt.Sprintf("%s:%d", p.Host, p.Port))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	})
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ready" {
		tb.Fatalf("the sink did not start: %q", lines.Text())
	}
	return p
}
