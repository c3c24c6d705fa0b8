// Package mailpit starts Mailpit, a real mail server, for tests and
// benchmarks: built from the pinned tools module and run on free loopback
// ports, with its database in the test's temporary folder.
package mailpit

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	Host string // of its SMTP port
	Port int
	API  string // the address of its web API, "http://127.0.0.1:port"
}

// Start builds Mailpit (once per machine, cached by the Go build cache),
// starts it and waits until it is ready. It is stopped when tb ends. Under
// -short, Start skips tb.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and starts Mailpit")
	}
	_, here, _, _ := runtime.Caller(0)
	bin := filepath.Join(os.TempDir(), "hanchot-test-mailpit")
	build := exec.Command("go", "build", "-o", bin, "github.com/axllent/mailpit")
	build.Dir = filepath.Join(filepath.Dir(here), "..", "..", "tools")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		tb.Fatalf("build mailpit: %v", err)
	}
	s := &Server{Host: "127.0.0.1", Port: freePort(tb)}
	httpPort := freePort(tb)
	s.API = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	cmd := exec.Command(bin, "--smtp", fmt.Sprintf("127.0.0.1:%d", s.Port), "--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
		"--disable-version-check", "--database", filepath.Join(tb.TempDir(), "mailpit.db"), "-q")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
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
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(s.API + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit not ready: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freePort returns a loopback port nothing listens on.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
