package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hanchot/internal/smtptest"
)

// withQuiet writes a copy of the Lào Cai calendar with the default quiet
// hours (17:30–07:00 and days off) and the given outbox folder.
func withQuiet(t *testing.T, outbox string) string {
	t.Helper()
	src, err := os.ReadFile(laocai)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "quiet = \"\"\n", "", 1)
	if text == string(src) {
		t.Fatal("testdata/laocai-2019.toml no longer turns quiet hours off")
	}
	text += "\n[store]\npath = \"h.db\"\n"
	text = strings.Replace(text, "[mail]\n", "[mail]\ntransport = \"dir\"\ndir = "+`"`+filepath.ToSlash(outbox)+`"`+"\n", 1)
	path := filepath.Join(t.TempDir(), "hanchot.toml")
	os.WriteFile(path, []byte(text), 0o644)
	return path
}

func emlCount(t *testing.T, dir string) int {
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	return len(files)
}

// A start-up in the night queues what it catches up and sends nothing;
// the window opens at 07:00 and the queued mail goes out then.
func TestQuietHours_StartUpAtNight(t *testing.T) {
	outbox := filepath.Join(t.TempDir(), "outbox")
	cfg := withQuiet(t, outbox)
	code, out, errs := run(t, nil, "--config", cfg, "run", "--once", "--now", "2019-03-08T00:30")
	if code != 0 || !strings.Contains(out, "quiet hours") || !strings.Contains(out, "sent from 2019-03-08 07:00") {
		t.Fatalf("run at 00:30: %d\n%s\n%s", code, out, errs)
	}
	if n := emlCount(t, outbox); n != 0 {
		t.Fatalf("%d messages written at 00:30", n)
	}
	_, queued, _ := run(t, nil, "--config", cfg, "log", "--status", "pending", "--format", "json")
	pending := len(jsonRows(t, queued))
	if pending == 0 {
		t.Fatal("nothing was queued at 00:30")
	}
	code, out, _ = run(t, nil, "--config", cfg, "run", "--once", "--now", "2019-03-08T06:59")
	if code != 0 || emlCount(t, outbox) != 0 {
		t.Fatalf("sent before 07:00: %d %s", code, out)
	}
	code, out, errs = run(t, nil, "--config", cfg, "run", "--once", "--now", "2019-03-08T07:00")
	if code != 0 || strings.Contains(out, "quiet hours") {
		t.Fatalf("run at 07:00: %d\n%s\n%s", code, out, errs)
	}
	if n := emlCount(t, outbox); n != pending {
		t.Errorf("at 07:00 %d messages went out, want the %d queued in the night", n, pending)
	}
	// The pass at night planned what the 08:00 pass would: at 08:00
	// nothing is new, and nobody gets two reminders for one item that
	// morning.
	code, out, _ = run(t, nil, "--config", cfg, "run", "--once", "--now", "2019-03-08T08:00")
	if code != 0 || !strings.Contains(out, "0 new digests") || emlCount(t, outbox) != pending {
		t.Errorf("at 08:00: %d %s; %d messages in all, %d queued in the night", code, out, emlCount(t, outbox), pending)
	}
	// Saturday is quiet all day.
	code, out, _ = run(t, nil, "--config", cfg, "run", "--once", "--now", "2019-03-09T10:00")
	if code != 0 || (!strings.Contains(out, "sent from 2019-03-11 07:00") && !strings.Contains(out, "0 new digests")) {
		t.Errorf("Saturday: %d %s", code, out)
	}
}

// With SMTP, a pass as of another day says what it would send and sends
// nothing, unless --send.
func TestRunOnce_AnotherDayNeedsSend(t *testing.T) {
	srv := smtptest.Start(t)
	db := filepath.Join(t.TempDir(), "h.db")
	env := smtpEnv(db, srv.Port)
	if code, _, errs := run(t, env, "--config", laocai, "sync", "--now", "2019-01-01"); code != 0 {
		t.Fatal(errs)
	}
	before, _ := os.ReadFile(db)
	code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--now", "2019-03-08T08:00")
	if code != 2 || !strings.Contains(errs, "is not today") || !strings.Contains(errs, "--send") {
		t.Fatalf("run as of 2019: %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "would send") || !strings.Contains(out, "reminder   to so-noi-vu <cchc.snv@laocai.example>: [Nhắc hạn]") {
		t.Errorf("it does not say what it would send:\n%s", out)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent", n)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("the refused run changed the database")
	}
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 || len(srv.Messages()) == 0 {
		t.Errorf("with --send: %d %s %s", code, out, errs)
	}
}
