package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"hanchot/internal/smtptest"
)

// statuses returns the ledger's status of each address's deliveries, as
// one word when all are the same ("sent"), else all of them.
func statuses(t *testing.T, env []string) map[string]string {
	t.Helper()
	_, out, errs := run(t, env, "--config", laocai, "log", "--format", "json")
	if strings.TrimSpace(out) == "" {
		t.Fatal(errs)
	}
	all := map[string][]string{}
	for _, r := range jsonRows(t, out) {
		all[r["to"].(string)] = append(all[r["to"].(string)], r["status"].(string))
	}
	got := map[string]string{}
	for addr, ss := range all {
		got[addr] = ss[0]
		for _, s := range ss[1:] {
			if s != ss[0] {
				got[addr] = fmt.Sprint(ss)
			}
		}
	}
	return got
}

// One agency, two addresses: a 550 for one never blocks the other, and a
// 450 for a third holds back nobody. The dead address is reported to the
// focal point and can be requeued once fixed.
func TestDelivery_PerAddress(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRcpt(func(addr string) error {
		switch addr {
		case "kstt.vpubnd@laocai.example":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case "stp@laocai.example":
			return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "mailbox busy"}
		}
		return nil
	})
	env := smtpEnv(filepath.Join(t.TempDir(), "h.db"), srv.Port)
	code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	// A reminder and an overdue notice each: two 550s, two 450s.
	if code != 1 || !strings.Contains(out, "2 to retry, 2 failed") {
		t.Fatalf("run: %d\n%s\n%s", code, out, errs)
	}
	st := statuses(t, env)
	if st["vpubnd@laocai.example"] != "sent" || st["kstt.vpubnd@laocai.example"] != "failed" || st["stp@laocai.example"] != "pending" {
		t.Errorf("statuses: vpubnd %v, kstt.vpubnd %v, stp %v", st["vpubnd@laocai.example"], st["kstt.vpubnd@laocai.example"], st["stp@laocai.example"])
	}
	for addr, s := range st {
		if addr != "kstt.vpubnd@laocai.example" && addr != "stp@laocai.example" && s != "sent" {
			t.Errorf("%s: %v, want sent", addr, s)
		}
	}
	got := decode(t, srv.Messages())
	oneDigestEach(t, got)
	for _, r := range got {
		if r.to == "vpubnd@laocai.example" && r.kind == "reminder" {
			if !strings.Contains(r.text, "Văn phòng UBND tỉnh") {
				t.Errorf("the working address got:\n%s", r.text)
			}
		}
	}

	// The mailbox is fixed; the focal point's next digest tells of the
	// mail that did not reach it.
	srv.RejectRcpt(nil)
	srv.Reset()
	run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-12T08:00")
	told := false
	for _, r := range decode(t, srv.Messages()) {
		if r.to == "cchc.snv@laocai.example" && strings.Contains(r.text, "kstt.vpubnd@laocai.example") && strings.Contains(r.text, "550") {
			told = true
		}
	}
	if !told {
		t.Error("the focal point was not told of the dead address")
	}

	// It is requeued by hand, with who and why, and goes out.
	_, out, _ = run(t, env, "--config", laocai, "log", "--status", "failed", "--format", "json")
	failed := jsonRows(t, out)
	if len(failed) != 2 {
		t.Fatalf("failed = %v", failed)
	}
	id := fmt.Sprint(failed[0]["id"])
	if code, out, errs := run(t, env, "--config", laocai, "retry", "--id", id, "--by", "Quản trị", "--reason", "hộp thư đã mở lại"); code != 0 || !strings.Contains(out, "1 requeued") {
		t.Fatalf("retry: %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, env, "--config", laocai, "retry", "--status", "failed", "--agency", "van-phong-ubnd-tinh", "--by", "Quản trị"); code != 0 || !strings.Contains(out, "1 requeued") {
		t.Fatalf("retry --status failed: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, env, "--config", laocai, "retry", "--id", id); code != 2 || !strings.Contains(errs, "not failed or expired") {
		t.Errorf("retry of a pending delivery: %d %s", code, errs)
	}
	srv.Reset()
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-12T08:00"); code != 0 {
		t.Fatalf("run after retry: %d %s %s", code, out, errs)
	}
	resent := decode(t, srv.Messages())
	if len(resent) != 2 || resent[0].to != "kstt.vpubnd@laocai.example" || resent[1].to != "kstt.vpubnd@laocai.example" {
		t.Errorf("after retry the server got %+v", resent)
	}
	for _, r := range resent {
		if r.messageID != failed[0]["message_id"] && r.messageID != failed[1]["message_id"] {
			t.Errorf("resent with a new Message-ID %s", r.messageID)
		}
	}
	_, out, _ = run(t, env, "--config", laocai, "log", "--id", id)
	for _, want := range []string{"status:     sent", "failed     RCPT TO: 550", "requeued   by Quản trị (was failed): hộp thư đã mở lại", "sent       250 2.0.0 OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("log --id lacks %q:\n%s", want, out)
		}
	}
}

// A dropped connection or a stall past the timeout spoils one message,
// not the rest of the pass: the connection is opened again and everything
// is delivered in the same run.
func TestDelivery_ReconnectsWithinAPass(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault func(*smtptest.Server)
	}{
		{"drop", func(s *smtptest.Server) { s.DropNext(1) }},
		{"stall", func(s *smtptest.Server) { s.StallNext(1, 3*time.Second) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t)
			tt.fault(srv)
			env := append(smtpEnv(filepath.Join(t.TempDir(), "h.db"), srv.Port), "HANCHOT_MAIL_TIMEOUT=1s")
			code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
			if code != 0 {
				t.Fatalf("run: %d\n%s\n%s", code, out, errs)
			}
			if !strings.Contains(errs, "reconnecting") {
				t.Errorf("no reconnection logged:\n%s", errs)
			}
			for addr, s := range statuses(t, env) {
				if s != "sent" {
					t.Errorf("%s: %v", addr, s)
				}
			}
			time.Sleep(3 * time.Second) // let a stalled message land
			byKey := map[string]int{}
			for _, r := range decode(t, srv.Messages()) {
				byKey[r.messageID+" "+r.to]++
			}
			dups := 0
			for k, n := range byKey {
				if n > 1 {
					dups++
					t.Logf("%s arrived %d times (the stalled one: same Message-ID)", k, n)
				}
			}
			if dups > 1 {
				t.Errorf("%d deliveries arrived twice", dups)
			}
			if srv.Sessions() < 2 {
				t.Errorf("%d sessions: no reconnection", srv.Sessions())
			}
		})
	}
}

// A server that greets with 421, refuses the sender (530 at MAIL FROM) or
// refuses the login is an outage like a refused connection: nothing is
// charged, everything waits.
func TestDelivery_OutageAtGreetingAndLogin(t *testing.T) {
	srv := smtptest.Start(t)
	db := filepath.Join(t.TempDir(), "h.db")
	env := smtpEnv(db, srv.Port)
	srv.Greet421(true)
	code, out, _ := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	if code != 1 || !strings.Contains(out, "421") {
		t.Fatalf("421 at greeting: %d %s", code, out)
	}
	srv.Greet421(false)
	srv.RequireAuth(map[string]string{"cchc": "dung"})
	// No user name set: the server answers 530 at MAIL FROM, about the
	// sender and so about every message.
	code, out, _ = run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	if code != 1 || !strings.Contains(out, "530") || !strings.Contains(out, "mail server unavailable") {
		t.Fatalf("530 at MAIL FROM: %d %s", code, out)
	}
	auth := append(env, "HANCHOT_MAIL_USERNAME=cchc", "HANCHOT_MAIL_PASSWORD=sai", "HANCHOT_MAIL_AUTH=plain")
	code, out, _ = run(t, auth, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	if code != 1 || !strings.Contains(out, "535") {
		t.Fatalf("AUTH rejected: %d %s", code, out)
	}
	if strings.Contains(out, "sai") {
		t.Error("the password was printed")
	}
	for addr, s := range statuses(t, env) {
		if s != "pending" {
			t.Errorf("%s: %v, want pending", addr, s)
		}
	}
	_, out, _ = run(t, env, "--config", laocai, "log", "--format", "json")
	for _, r := range jsonRows(t, out) {
		if r["attempts"].(float64) != 0 {
			t.Errorf("an outage used up an attempt: %v", r)
		}
	}
	good := append(env, "HANCHOT_MAIL_USERNAME=cchc", "HANCHOT_MAIL_PASSWORD=dung", "HANCHOT_MAIL_AUTH=plain")
	if code, out, errs := run(t, good, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 {
		t.Fatalf("after the outage: %d %s %s", code, out, errs)
	}
	oneDigestEach(t, decode(t, srv.Messages()))
}

// 32 commands run by admins' scripts while the daemon's pass is sending:
// none fails with "database is locked". Readers never wait for the
// writer; writers wait for each other.
func TestConcurrentCommandsDuringAPass(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildHanchot(t)
	srv := smtptest.Start(t)
	srv.Delay(30 * time.Millisecond) // a pass of about two seconds
	db := filepath.Join(t.TempDir(), "h.db")
	env := append(os.Environ(), smtpEnv(db, srv.Port)...)
	hc := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--config", laocai}, args...)...)
		cmd.Env = env
		return cmd
	}
	if out, err := hc("sync", "--now", "2019-01-01").CombinedOutput(); err != nil {
		t.Fatalf("sync: %v %s", err, out)
	}
	pass := hc("run", "--once", "--send", "--now", "2019-03-08T08:00")
	var passOut strings.Builder
	pass.Stdout, pass.Stderr = &passOut, &passOut
	if err := pass.Start(); err != nil {
		t.Fatal(err)
	}
	for len(srv.Messages()) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	agencies := []string{"so-noi-vu", "so-tu-phap", "so-tai-chinh", "so-ke-hoach-dau-tu"}
	var cmds [][]string
	for i := 0; i < 32; i++ {
		switch i % 8 {
		case 0, 1:
			cmds = append(cmds, []string{"log", "--format", "json"})
		case 2, 3:
			cmds = append(cmds, []string{"overdue", "--at", "2019-03-20", "--format", "csv"})
		case 4:
			cmds = append(cmds, []string{"stats", "--year", "2019"})
		case 5:
			cmds = append(cmds, []string{"preview", "--from", "2019-03-11", "--to", "2019-03-15"})
		case 6:
			cmds = append(cmds, []string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", agencies[i/8], "--at", "2019-03-08T09:00", "--ref", fmt.Sprintf("%d/BC", i)})
		case 7:
			cmds = append(cmds, []string{"retry", "--status", "failed"})
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failures := 0
	start := time.Now()
	for _, args := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := hc(args...).CombinedOutput()
			if err != nil {
				mu.Lock()
				failures++
				mu.Unlock()
				t.Errorf("%v: %v\n%s", args, err, out)
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	during := len(srv.Messages())
	if err := pass.Wait(); err != nil {
		t.Errorf("the pass: %v\n%s", err, passOut.String())
	}
	// The commands ran while the pass was sending: it went on after them.
	if after := len(srv.Messages()); during >= after {
		t.Errorf("the pass had sent all %d messages before the commands finished: no overlap", after)
	}
	t.Logf("32 commands during the pass: %d failed, %s", failures, took)
}

// A template that parses but fails when it runs: check finds it, and a
// pass records the digests it spoils as failed and delivers the rest.
func TestBrokenTemplate(t *testing.T) {
	tpl := t.TempDir()
	os.WriteFile(filepath.Join(tpl, "overdue.txt"), []byte("Kính gửi {{.Recipient.Ten}}\n"), 0o644)
	srv := smtptest.Start(t)
	env := append(smtpEnv(filepath.Join(t.TempDir(), "h.db"), srv.Port), "HANCHOT_MAIL_TEMPLATES="+tpl)
	code, _, errs := run(t, env, "--config", laocai, "check")
	if code != 2 || !strings.Contains(errs, "mail templates: overdue: text: template: overdue.txt:1") {
		t.Errorf("check: %d %s", code, errs)
	}
	code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	if code != 1 || !strings.Contains(errs, "could not be composed") {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	kinds := map[string]int{}
	for _, r := range decode(t, srv.Messages()) {
		kinds[r.kind]++
	}
	if kinds["reminder"] == 0 || kinds["escalation"] == 0 || kinds["overdue"] != 0 {
		t.Errorf("delivered %v, want reminders and escalations but no overdue notices", kinds)
	}
	_, out, _ = run(t, env, "--config", laocai, "log", "--status", "failed", "--kind", "overdue", "--format", "json")
	rows := jsonRows(t, out)
	if len(rows) == 0 || !strings.Contains(rows[0]["reply"].(string), "could not compose the message") {
		t.Errorf("failed overdue notices: %v", rows)
	}
	// Fixed, the next pass composes them after all.
	os.Remove(filepath.Join(tpl, "overdue.txt"))
	srv.Reset()
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:30"); code != 0 {
		t.Fatalf("run after the fix: %d %s %s", code, out, errs)
	}
	for _, r := range decode(t, srv.Messages()) {
		if r.kind != "overdue" {
			t.Errorf("after the fix a %s went out again", r.kind)
		}
	}
	if len(srv.Messages()) == 0 {
		t.Error("the overdue notices never went out")
	}
}
