package main

import (
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hanchot/internal/smtptest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/digests")

// lastMessage returns the newest message of a kind to an agency, as
// queued: subject, text and HTML.
func lastMessage(t *testing.T, db, agency, kind string) (subject, text, html string) {
	t.Helper()
	sqldb, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	err = sqldb.QueryRow(`SELECT subject, body_text, body_html FROM message WHERE agency_id = ? AND kind = ? ORDER BY id DESC LIMIT 1`,
		agency, kind).Scan(&subject, &text, &html)
	if err != nil {
		t.Fatalf("no %s to %s: %v", kind, agency, err)
	}
	return subject, text, html
}

// golden compares got with testdata/digests/name, or writes it with
// -update. The files are there to be read: they are what the agencies get.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "digests", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/hanchot -run TestDigestsGolden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./cmd/hanchot -run TestDigestsGolden -update, then read the diff):\n%s", name, got)
	}
}

// Each kind of digest, as the Lào Cai calendar makes it at fixed dates, in
// text and HTML: a supporting agency's reminder, a lead's reminder and
// notice with missing inputs, an extension notice, a correction after a
// calendar edit, and the focal point's escalation.
func TestDigestsGolden(t *testing.T) {
	srv := smtptest.Start(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	// With the web front's key and address, every email carries its
	// links; the tokens depend only on the key and the items' dates.
	env := append(smtpEnv(db, srv.Port), "HANCHOT_WEB_SECRET="+webSecret, "HANCHOT_WEB_BASE_URL=https://hanchot.laocai.example")
	hc := func(cfg string, args ...string) {
		t.Helper()
		if code, out, errs := run(t, env, append([]string{"--config", cfg}, args...)...); code != 0 && code != 1 {
			t.Fatalf("%v: %d\n%s\n%s", args, code, out, errs)
		}
	}
	save := func(name, agency, kind string) {
		t.Helper()
		subject, text, html := lastMessage(t, db, agency, kind)
		golden(t, name+".txt", "Subject: "+subject+"\n\n"+text)
		golden(t, name+".html", html)
	}

	hc(laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00")
	save("support-reminder", "so-tu-phap", "reminder")
	save("lead-reminder-missing-inputs", "so-thong-tin-truyen-thong", "reminder")
	save("lead-missing-inputs", "so-thong-tin-truyen-thong", "overdue")

	hc(laocai, "extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap",
		"--due", "2019-03-20", "--reason", "Công văn số 45/UBND-NC ngày 08/03/2019")
	hc(laocai, "run", "--once", "--send", "--now", "2019-03-11T08:00")
	save("extension-notice", "so-tu-phap", "correction")

	src, _ := os.ReadFile(laocai)
	edited := filepath.Join(dir, "edited.toml")
	text := strings.Replace(string(src), `{ period = "Quý I", due = "trước ngày 15/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },
  { period = "Quý III", due = "trước ngày 15/09" },`, `{ period = "Quý I", due = "trước ngày 22/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },
  { period = "Quý III", due = "trước ngày 15/09" },`, 1)
	if text == string(src) {
		t.Fatal("the edit of 1.2.1 did not apply")
	}
	os.WriteFile(edited, []byte(text), 0o644)
	hc(edited, "run", "--once", "--send", "--now", "2019-03-12T08:00")
	save("calendar-correction", "so-noi-vu", "correction")

	hc(edited, "run", "--once", "--send", "--now", "2019-03-26T08:00")
	save("focal-point-escalation", "so-noi-vu", "escalation")
}

// A calendar edit reloaded the same day sends no second round: only the
// agencies whose dates changed hear again, in one correction each.
func TestSameDayEditSendsOnlyCorrections(t *testing.T) {
	srv := smtptest.Start(t)
	dir := t.TempDir()
	env := smtpEnv(filepath.Join(dir, "h.db"), srv.Port)
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	src, _ := os.ReadFile(laocai)
	edited := filepath.Join(dir, "edited.toml")
	os.WriteFile(edited, []byte(strings.Replace(string(src), `{ period = "Quý I", due = "trước ngày 15/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },`, `{ period = "Quý I", due = "trước ngày 20/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },`, 1)), 0o644)
	srv.Reset()
	if code, out, errs := run(t, env, "--config", edited, "run", "--once", "--send", "--now", "2019-03-08T14:00"); code != 0 {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	got := decode(t, srv.Messages())
	if len(got) == 0 {
		t.Fatal("nobody was told of the new date")
	}
	for _, r := range got {
		if r.kind != "correction" || !strings.Contains(r.text, "1.2.1 Báo cáo định kỳ về CCHC") || strings.Contains(r.text, "1.2.5") {
			t.Errorf("%s got a %s:\n%s", r.to, r.kind, r.text)
		}
	}
	oneDigestEach(t, got)
}

// An edit made and undone the same day: the agencies told of the new date
// are told again of the old one.
func TestRevertedEditIsCorrectedBack(t *testing.T) {
	srv := smtptest.Start(t)
	dir := t.TempDir()
	env := smtpEnv(filepath.Join(dir, "h.db"), srv.Port)
	src, _ := os.ReadFile(laocai)
	edited := filepath.Join(dir, "edited.toml")
	os.WriteFile(edited, []byte(strings.Replace(string(src), `{ period = "Quý I", due = "trước ngày 15/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },`, `{ period = "Quý I", due = "trước ngày 22/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },`, 1)), 0o644)
	for i, step := range []struct{ cfg, at string }{
		{laocai, "2019-03-08T08:00"}, {edited, "2019-03-08T10:00"}, {laocai, "2019-03-08T11:00"}, {edited, "2019-03-08T12:00"},
	} {
		srv.Reset()
		if code, out, errs := run(t, env, "--config", step.cfg, "run", "--once", "--send", "--now", step.at); code != 0 {
			t.Fatalf("%d %s %s", code, out, errs)
		}
		if i == 0 {
			continue
		}
		var to *received
		for _, r := range decode(t, srv.Messages()) {
			if r.to == "cchc.snv@laocai.example" {
				to = &r
			}
		}
		want := map[int]string{1: "Hạn 15/03/2019 → 22/03/2019", 2: "Hạn 22/03/2019 → 15/03/2019", 3: "Hạn 15/03/2019 → 22/03/2019"}[i]
		if to == nil || to.kind != "correction" || !strings.Contains(to.text, want) {
			t.Errorf("pass %d: the lead got %+v, want a correction %q", i+1, to, want)
		}
	}
	// And nothing more the same day.
	srv.Reset()
	run(t, env, "--config", edited, "run", "--once", "--send", "--now", "2019-03-08T13:00")
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d more messages", n)
	}
}
