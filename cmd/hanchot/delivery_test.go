package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hanchot/internal/smtptest"
)

// smtpEnv points hanchot at an SMTP server through the environment.
func smtpEnv(db string, port int) []string {
	return []string{
		"HANCHOT_DB=" + db,
		"HANCHOT_MAIL_TRANSPORT=smtp",
		"HANCHOT_MAIL_HOST=127.0.0.1",
		fmt.Sprintf("HANCHOT_MAIL_PORT=%d", port),
		"HANCHOT_MAIL_TLS=none",
		"HANCHOT_MAIL_TIMEOUT=5s",
		"HANCHOT_WEB_LISTEN=127.0.0.1:0", // "serve" runs its web front on any free port
	}
}

// closedPort returns a port on 127.0.0.1 with nothing listening.
func closedPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

type received struct {
	to, kind, subject, messageID, text string
}

func decode(t *testing.T, msgs []smtptest.Message) []received {
	t.Helper()
	var out []received
	for _, m := range msgs {
		msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(msg.Body)
		out = append(out, received{to: strings.Join(m.To, ","), kind: msg.Header.Get("X-Hanchot-Kind"), subject: subj,
			messageID: msg.Header.Get("Message-Id"), text: decodeQP(body.String())})
	}
	return out
}

// decodeQP undoes quoted-printable soft breaks and escapes well enough to
// search the text part.
func decodeQP(s string) string {
	s = strings.ReplaceAll(s, "=\r\n", "")
	s = strings.ReplaceAll(s, "=\n", "")
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) {
			var v byte
			if _, err := fmt.Sscanf(s[i+1:i+3], "%02X", &v); err == nil {
				b = append(b, v)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// oneDigestEach fails unless each recipient got at most one message of
// each kind.
func oneDigestEach(t *testing.T, got []received) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range got {
		seen[r.kind+" "+r.to]++
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d digests", k, n)
		}
	}
}

func TestRunOnce_SMTP(t *testing.T) {
	srv := smtptest.Start(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	env := smtpEnv(db, srv.Port)

	code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	if code != 0 {
		t.Fatalf("run: %d\n%s\n%s", code, out, errs)
	}
	got := decode(t, srv.Messages())
	if len(got) < 30 {
		t.Fatalf("received %d digests, want one per recipient (>= 30)", len(got))
	}
	oneDigestEach(t, got)
	found := false
	for _, r := range got {
		if r.to == "cchc.snv@laocai.example" && r.kind == "reminder" {
			found = strings.Contains(r.text, "1.2.1 Báo cáo định kỳ về CCHC") && r.subject == "[Nhắc hạn] Báo cáo 1.2.1 đến hạn 15/03/2019 (còn 7 ngày)"
		}
	}
	if !found {
		t.Error("Sở Nội vụ's reminder for 1.2.1 (due 15/03) is missing or wrong")
	}

	// Again: nothing new.
	srv.Reset()
	if code, out, _ := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 || !strings.Contains(out, "0 new digests (0 deliveries); 0 sent") {
		t.Errorf("second run: %d %s", code, out)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("second run delivered %d messages", n)
	}

	// The next working day the server is down for hours: ten runs (as
	// the daemon's retries would be) queue, send nothing, and use up no
	// message's attempts: an outage is not the messages' fault.
	down := smtpEnv(db, closedPort(t))
	for i := 0; i < 10; i++ {
		code, out, errs = run(t, down, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-12T08:00")
		if code != 1 || !strings.Contains(out, "mail server unavailable") || !strings.Contains(errs, "not all mail was delivered") {
			t.Fatalf("run %d with the server down: %d\n%s\n%s", i+1, code, out, errs)
		}
		if strings.Count(errs, "mail server unavailable") != 1 {
			t.Errorf("the outage is not logged once per pass:\n%s", errs)
		}
	}
	code, out, _ = run(t, env, "--config", laocai, "log", "--status", "pending", "--format", "json")
	var pending []map[string]any
	if err := json.Unmarshal([]byte(out), &pending); err != nil || len(pending) == 0 {
		t.Fatalf("log --status pending: %d %v %s", code, err, out)
	}
	ids := map[string]bool{}
	for _, p := range pending {
		if p["attempts"].(float64) != 0 || !strings.Contains(p["reply"].(string), "mail server is unavailable") {
			t.Errorf("pending row = %v", p)
		}
		ids[p["message_id"].(string)] = true
	}
	if _, out, _ := run(t, env, "--config", laocai, "log", "--status", "failed", "--format", "json"); out != "[]\n" {
		t.Errorf("failed after an outage:\n%s", out)
	}

	// The server is back: the same digests go out, with the same Message-IDs.
	code, out, errs = run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-12T08:00")
	if code != 0 {
		t.Fatalf("run after the server is back: %d\n%s\n%s", code, out, errs)
	}
	got = decode(t, srv.Messages())
	if len(got) != len(pending) {
		t.Errorf("delivered %d, want the %d pending", len(got), len(pending))
	}
	oneDigestEach(t, got)
	for _, r := range got {
		if !ids[r.messageID] {
			t.Errorf("delivered %s, not one of the pending messages", r.messageID)
		}
	}
	code, out, _ = run(t, env, "--config", laocai, "log", "--status", "pending")
	if strings.Count(out, "\n") != 1 {
		t.Errorf("still pending after delivery:\n%s", out)
	}
}

// A fresh database after downtime sends only each item's current step.
func TestRunOnce_FreshDatabaseSendsCurrentStep(t *testing.T) {
	srv := smtptest.Start(t)
	env := smtpEnv(filepath.Join(t.TempDir(), "h.db"), srv.Port)
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-14T08:00"); code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	got := decode(t, srv.Messages())
	oneDigestEach(t, got)
	for _, r := range got {
		if r.kind != "reminder" {
			continue
		}
		if strings.Count(r.text, "1.2.1 Báo cáo định kỳ về CCHC") > 1 {
			t.Errorf("%s: 1.2.1 listed more than once:\n%s", r.to, r.text)
		}
		if r.to == "cchc.snv@laocai.example" && !strings.Contains(r.subject, "(còn 1 ngày)") {
			t.Errorf("Sở Nội vụ's subject = %q, want the 1-day step", r.subject)
		}
	}
}

func TestServe_StopsAndReloads(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "hanchot.toml")
	src, _ := os.ReadFile("../../config.example.toml")
	src = bytes.Replace(src, []byte(`path = "var/hanchot.db"`), []byte(fmt.Sprintf("path = %q", filepath.Join(dir, "h.db"))), 1)
	src = bytes.Replace(src, []byte(`dir = "var/outbox"`), []byte(fmt.Sprintf("dir = %q", filepath.Join(dir, "outbox"))), 1)
	src = bytes.Replace(src, []byte(`listen = "127.0.0.1:8080"`), []byte(`listen = "127.0.0.1:0"`), 1)
	os.WriteFile(cfgPath, src, 0o644)
	var logs syncBuffer
	m := &Main{Stdout: &logs, Stderr: &logs, ConfigPath: cfgPath, ConfigGiven: true}
	cfg, err := m.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hup := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ServeOptions{Config: cfg, Reload: m.loadConfig, Reloads: hup, RetryEvery: 50 * time.Millisecond, Log: newLogger(&logs, cfg)})
	}()
	waitFor(t, &logs, "msg=pass")
	// A broken configuration is refused and the running one kept.
	os.WriteFile(cfgPath, append(src, []byte("\n[mail]\nport = \"x\"\n")...), 0o644)
	hup <- syscall.SIGHUP
	waitFor(t, &logs, "reload failed")
	// A configuration that checks but cannot run (a template that does
	// not parse) is refused before it touches the database: the renamed
	// agency is not synced.
	tpl := t.TempDir()
	os.WriteFile(filepath.Join(tpl, "reminder.txt"), []byte("{{.Nope"), 0o644)
	renamed := bytes.Replace(src, []byte(`name = "Sở Tư pháp"`), []byte(`name = "Sở Tư pháp (mới)"`), 1)
	renamed = bytes.Replace(renamed, []byte(`# templates = "/etc/hanchot/templates"`), []byte(fmt.Sprintf("templates = %q", tpl)), 1)
	os.WriteFile(cfgPath, renamed, 0o644)
	hup <- syscall.SIGHUP
	waitFor(t, &logs, "reminder.txt")
	if name := agencyName(t, filepath.Join(dir, "h.db"), "so-tu-phap"); name != "Sở Tư pháp" {
		t.Errorf("a refused reload synced the calendar: %q", name)
	}
	os.WriteFile(cfgPath, bytes.Replace(src, []byte(`send_at = "0 8 * * MON-FRI"`), []byte(`send_at = "30 7 * * *"`), 1), 0o644)
	hup <- syscall.SIGHUP
	waitFor(t, &logs, "T07:30:00+07:00")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), "msg=stopped") {
		t.Errorf("no stop in the log:\n%s", logs.String())
	}
}

// agencyName reads an agency's name as synced, read-only.
func agencyName(t *testing.T, path, id string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name string
	if err := db.QueryRow(`SELECT name FROM agency WHERE id = ?`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// A first SIGTERM waits for the message being sent; a second one ends the
// process at once.
func TestServe_SecondSignalStopsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildHanchot(t)
	srv := smtptest.Start(t)
	srv.Delay(20 * time.Second)
	cmd := exec.Command(bin, "--config", laocai, "serve")
	cmd.Env = append(append(os.Environ(), smtpEnv(filepath.Join(t.TempDir(), "h.db"), srv.Port)...), "HANCHOT_MAIL_TIMEOUT=60s")
	var logs syncBuffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, &logs, "next pass")
	for srv.Sessions() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // the first message is at DATA now
	cmd.Process.Signal(syscall.SIGTERM)
	waitFor(t, &logs, "a second signal stops at once")
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		t.Logf("stopped %s after the second signal", time.Since(start).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("a second SIGTERM did not stop the daemon")
	}
}

// syncBuffer is a bytes.Buffer safe for the daemon's goroutines; its zero
// value is ready to use from any of them.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

func waitFor(t *testing.T, b *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never appeared in:\n%s", s, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// buildHanchot builds the command once per test binary.
func buildHanchot(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hanchot")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return bin
}

// The daemon killed in the middle of a pass loses nothing and resends at
// most the one message it was sending, with the same Message-ID.
func TestKilledMidPass(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildHanchot(t)
	srv := smtptest.Start(t)
	srv.Delay(150 * time.Millisecond)
	db := filepath.Join(t.TempDir(), "h.db")
	args := []string{"--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), smtpEnv(db, srv.Port)...)
	cmd.Env = append(cmd.Env, "HANCHOT_MAIL_TIMEOUT=2s")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(srv.Messages()) < 10 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill() // SIGKILL: no chance to record anything
	cmd.Wait()
	before := len(srv.Messages())
	if before < 10 {
		t.Fatalf("only %d messages before the kill", before)
	}
	// The interrupted claim expires after twice the send timeout.
	time.Sleep(4500 * time.Millisecond)
	srv.Delay(0)
	cmd = exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), smtpEnv(db, srv.Port)...)
	cmd.Env = append(cmd.Env, "HANCHOT_MAIL_TIMEOUT=2s")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	got := decode(t, srv.Messages())
	// One delivery is a Message-ID to one address.
	byID := map[string]int{}
	for _, r := range got {
		byID[r.messageID+" "+r.to]++
	}
	dups := 0
	for id, n := range byID {
		if n > 2 {
			t.Errorf("%s received %d times", id, n)
		}
		if n == 2 {
			dups++
		}
	}
	if dups > 1 {
		t.Errorf("%d deliveries received twice, want at most one", dups)
	}
	// Nothing lost: every digest of the pass arrived, as in a clean run.
	clean := smtptest.Start(t)
	if code, _, errs := run(t, smtpEnv(filepath.Join(t.TempDir(), "c.db"), clean.Port), "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 {
		t.Fatal(errs)
	}
	if want := len(clean.Messages()); len(byID) != want {
		t.Errorf("after the kill %d distinct deliveries arrived, a clean run sends %d", len(byID), want)
	}
	t.Logf("killed after %d messages; %d distinct deliveries, %d duplicated", before, len(byID), dups)
}

// Stopping the daemon lets the message being sent finish and be recorded;
// the rest stay queued for the next start.
func TestServe_StopFinishesInFlightSend(t *testing.T) {
	srv := smtptest.Start(t)
	srv.Delay(400 * time.Millisecond)
	db := filepath.Join(t.TempDir(), "h.db")
	var logs syncBuffer
	m := &Main{Stdout: &logs, Stderr: &logs, Env: smtpEnv(db, srv.Port), ConfigPath: laocai, ConfigGiven: true}
	cfg, err := m.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ServeOptions{Config: cfg, Reload: m.loadConfig, RetryEvery: time.Hour, Log: newLogger(&logs, cfg)})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for len(srv.Messages()) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel() // a third message is on its way to the server now
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	received := len(srv.Messages())
	_, out, _ := run(t, m.Env, "--config", laocai, "log", "--format", "json")
	rows := jsonRows(t, out)
	sent, pending := 0, 0
	for _, r := range rows {
		switch r["status"] {
		case "sent":
			sent++
		case "pending":
			pending++
		default:
			t.Errorf("message left %v", r["status"])
		}
	}
	if sent != received || pending == 0 {
		t.Errorf("server received %d, ledger says %d sent and %d pending", received, sent, pending)
	}
}
