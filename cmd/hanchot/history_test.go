package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// variant writes a copy of the configuration at src with each old → new
// replacement made (each must match), and returns its path.
func variant(t *testing.T, src string, replace ...string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(s, replace[i]) {
			t.Fatalf("%s has no %q", src, replace[i])
		}
		s = strings.Replace(s, replace[i], replace[i+1], 1)
	}
	path := filepath.Join(t.TempDir(), "hanchot.toml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// hc runs hanchot on the database db with the configuration cfg.
func hc(t *testing.T, db, cfg string, args ...string) (int, string, string) {
	t.Helper()
	return run(t, []string{"HANCHOT_DB=" + db, "HANCHOT_MAIL_DIR=" + filepath.Join(filepath.Dir(db), "outbox")},
		append([]string{"--config", cfg}, args...)...)
}

func mustRun(t *testing.T, db, cfg string, args ...string) string {
	t.Helper()
	code, out, errs := hc(t, db, cfg, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errs)
	}
	return out
}

const quyIRule = `{ period = "Quý I", due = "trước ngày 15/03" },
  { period = "6 tháng", due = "trước ngày 15/06" },`

// A submission on time stays on time after the deadline is moved earlier
// in the file: the sync leaves the past occurrence as it is and says so.
func TestHistory_SubmissionStaysOnTime(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-01T08:00")
	mustRun(t, db, laocai, "submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14T10:00", "--ref", "1/BC-SNV")
	onTime := func(cfg string) float64 {
		out := mustRun(t, db, cfg, "stats", "--year", "2019", "--at", "2020-06-01", "--format", "json")
		return find(jsonRows(t, out), map[string]any{"agency": "so-noi-vu"})["on_time"].(float64)
	}
	if onTime(laocai) != 1 {
		t.Fatal("the submission is not on time to begin with")
	}
	edited := variant(t, laocai, `{ period = "Quý I", due = "trước ngày 15/03" }`, `{ period = "Quý I", due = "trước ngày 10/03" }`)
	out := mustRun(t, db, edited, "sync", "--now", "2019-03-20T08:00")
	if !strings.Contains(out, "left as they were because their date has passed") ||
		!strings.Contains(out, "1.2.1 Quý I 2019 so-tu-phap (support): due 2019-03-12, the file now says 2019-03-06") {
		t.Errorf("sync does not say what it left:\n%s", out)
	}
	mustRun(t, db, edited, "sync", "--now", "2026-12-01T08:00")
	mustRun(t, db, edited, "run", "--once", "--send", "--now", "2026-12-01T08:00")
	if onTime(edited) != 1 {
		t.Error("editing the deadline turned an on-time submission late")
	}
	// Rewriting the past is explicit, needs a reason, and then applies.
	if code, _, errs := hc(t, db, edited, "sync", "--rewrite-past"); code != 2 || !strings.Contains(errs, "--reason") {
		t.Errorf("--rewrite-past without a reason: %d %s", code, errs)
	}
	out = mustRun(t, db, edited, "sync", "--now", "2026-12-01T08:00", "--rewrite-past", "--reason", "Quyết định 12/QĐ-UBND")
	if !strings.Contains(out, "past rewritten (Quyết định 12/QĐ-UBND)") {
		t.Errorf("rewrite output:\n%s", out)
	}
	if onTime(edited) != 0 {
		t.Error("--rewrite-past did not apply the new deadline")
	}
}

// Stats of a past year are byte-identical before and after syncing an
// edited file: a new rule, periods relabelled ("Quý 1") and re-saved in
// NFD, an agency added to a group, a new report.
func TestHistory_PastStatsByteIdentical(t *testing.T) {
	setup := func() string {
		db := filepath.Join(t.TempDir(), "h.db")
		mustRun(t, db, laocai, "sync", "--now", "2019-03-01T08:00")
		mustRun(t, db, laocai, "submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14T10:00")
		mustRun(t, db, laocai, "submit", "1.2.1", "--period", "6 tháng", "--year", "2019", "--agency", "so-tu-phap", "--at", "2019-06-20T10:00")
		mustRun(t, db, laocai, "run", "--once", "--send", "--now", "2019-03-18T08:00")
		return db
	}
	var db string
	stats := func(cfg string) string {
		return mustRun(t, db, cfg, "stats", "--year", "2019", "--at", "2020-06-01", "--format", "csv")
	}
	db = setup()
	before := stats(laocai)
	b, _ := os.ReadFile(laocai)
	nfd := filepath.Join(t.TempDir(), "nfd.toml")
	os.WriteFile(nfd, norm.NFD.Bytes(b), 0o644)
	edits := map[string]string{
		"rule": variant(t, laocai, quyIRule, `{ period = "Quý I", due = "trước ngày 10/03" },
  { period = "6 tháng", due = "trước ngày 30/06" },`),
		"relabel": variant(t, laocai, quyIRule, `{ period = "Quý 1", due = "trước ngày 15/03" },
  { period = "6 tháng đầu năm", due = "trước ngày 15/06" },`),
		"nfd": nfd,
		"member": variant(t, laocai, `"thanh-tra-tinh", "ban-dan-toc", "ban-quan-ly-khu-kinh-te",`,
			`"thanh-tra-tinh", "ban-dan-toc", "ban-quan-ly-khu-kinh-te", "so-moi",`,
			"[[agency]]\n", "[[agency]]\nid = \"so-moi\"\nname = \"Sở Mới\"\nemail = \"somoi@laocai.example\"\n\n[[agency]]\n"),
		"report": variant(t, laocai, `[[report]]
code = "1.2.1"`, `[[report]]
code = "1.2.9"
title = "Báo cáo mới"
lead = "so-noi-vu"
support = "cac-so-ban-nganh"
deadlines = [{ period = "Cả năm", due = "trước ngày 01/03" }]

[[report]]
code = "1.2.1"`),
	}
	for _, name := range []string{"rule", "relabel", "nfd", "member", "report"} {
		cfg := edits[name]
		db = setup()
		if got := stats(cfg); got != before {
			t.Errorf("%s: stats of 2019 with the edited file, before its sync, differ", name)
		}
		for _, now := range []string{"2020-06-01T08:00", "2026-12-01T08:00"} {
			out := mustRun(t, db, cfg, "sync", "--now", now)
			if strings.Contains(out, "retired") && !strings.Contains(out, " 0 retired, 0 restored; occurrences of years") {
				t.Errorf("%s: the sync retired something:\n%s", name, out)
			}
			mustRun(t, db, cfg, "run", "--once", "--send", "--now", now)
			if got := stats(cfg); got != before {
				t.Errorf("%s, synced as of %s: stats of 2019 changed\nbefore:\n%s\nafter:\n%s", name, now, before, got)
			}
		}
	}
}

// An agency added to a group later has no past occurrences: it owes
// nothing in past years and is in no overdue log, only what is due after
// the sync that added it.
func TestHistory_AgencyAddedLater(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-01T08:00")
	cfg := variant(t, laocai, `"thanh-tra-tinh", "ban-dan-toc", "ban-quan-ly-khu-kinh-te",`,
		`"thanh-tra-tinh", "ban-dan-toc", "ban-quan-ly-khu-kinh-te", "so-moi",`,
		"[[agency]]\n", "[[agency]]\nid = \"so-moi\"\nname = \"Sở Mới\"\nemail = \"somoi@laocai.example\"\n\n[[agency]]\n")
	out := mustRun(t, db, cfg, "sync", "--now", "2026-12-01T08:00")
	if !strings.Contains(out, "added    agency   so-moi") || !strings.Contains(out, "tracked from 2026-12-01") {
		t.Errorf("sync:\n%s", out)
	}
	for _, y := range []string{"2019", "2025", "2026"} {
		out := mustRun(t, db, cfg, "stats", "--year", y, "--at", "2026-12-01T09:00", "--format", "json")
		s := find(jsonRows(t, out), map[string]any{"agency": "so-moi"})
		if y != "2026" && s != nil {
			t.Errorf("so-moi has %s statistics: %v", y, s)
		}
		if y == "2026" && (s == nil || s["missing"] != 0.0 || s["late"] != 0.0 || s["not_due"] == 0.0) {
			t.Errorf("so-moi in 2026: %v", s)
		}
	}
	out = mustRun(t, db, cfg, "overdue", "--all", "--agency", "so-moi", "--at", "2026-12-01T09:00", "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("so-moi is in the overdue log:\n%s", out)
	}
}

// Re-saving the file in NFD or writing "Quý 1" for "Quý I" retires
// nothing: the deadline is relabelled, its submissions stay, and
// submit --period finds it by either label.
func TestHistory_RelabelRetiresNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-01T08:00")
	mustRun(t, db, laocai, "submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14T10:00", "--ref", "1/BC")
	b, _ := os.ReadFile(laocai)
	nfd := filepath.Join(t.TempDir(), "nfd.toml")
	os.WriteFile(nfd, norm.NFD.Bytes(b), 0o644)
	if out := mustRun(t, db, nfd, "sync", "--now", "2019-03-02T08:00"); !strings.Contains(out, "up to date, nothing changed") {
		t.Errorf("an NFD copy changed something:\n%s", out)
	}
	q1 := variant(t, laocai, `{ period = "Quý I", due = "trước ngày 15/03" }`, `{ period = "Quý 1", due = "trước ngày 15/03", id = "bc-quy-1" }`)
	out := mustRun(t, db, q1, "sync", "--now", "2019-03-02T08:00")
	if !strings.Contains(out, "relabelled deadline 1.2.1 Quý I → Quý 1") || !strings.Contains(out, "occurrences of years [2019 2020]: 0 added, 0 changed, 0 retired") {
		t.Errorf("relabelling:\n%s", out)
	}
	// Renamed again, the id keeps it.
	renamed := variant(t, laocai, `{ period = "Quý I", due = "trước ngày 15/03" }`, `{ period = "Báo cáo quý I", due = "trước ngày 15/03", id = "BC-quy-1" }`)
	if out := mustRun(t, db, renamed, "sync", "--now", "2019-03-02T08:00"); !strings.Contains(out, "0 retired") {
		t.Errorf("renaming with an id:\n%s", out)
	}
	for _, p := range []string{"Báo cáo quý I", "bc-quy-1"} {
		code, _, errs := hc(t, db, renamed, "submit", "1.2.1", "--period", p, "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14T10:00", "--ref", "2/BC")
		if code != 2 || !strings.Contains(errs, "already submitted") {
			t.Errorf("--period %q: %d %s", p, code, errs)
		}
	}
	code, _, errs := hc(t, db, q1, "submit", "1.2.1", "--period", "quý i", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14T10:00", "--ref", "2/BC")
	if code != 2 || !strings.Contains(errs, "already submitted") {
		t.Errorf("--period \"quý i\" against \"Quý 1\": %d %s", code, errs)
	}
	// Two periods of one report that are the same period: refused.
	dup := variant(t, laocai, quyIRule, `{ period = "Quý I", due = "trước ngày 15/03" },
  { period = "Quý 1", due = "trước ngày 15/06" },`)
	if code, _, errs := hc(t, db, dup, "check"); code != 2 || !strings.Contains(errs, `kỳ "Quý 1" là cùng một kỳ với "Quý I"`) {
		t.Errorf("check of a duplicate period: %d %s", code, errs)
	}
}

// A sync that would retire an occurrence with a submission is refused,
// names it and writes nothing, unless --allow-retire.
func TestHistory_RetireWithSubmissionRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-01T08:00")
	mustRun(t, db, laocai, "submit", "1.2.1", "--period", "Quý III", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-01T10:00", "--ref", "9/BC")
	cut := variant(t, laocai, `  { period = "Quý III", due = "trước ngày 15/09" },
  { period = "Cả năm", due = "trước ngày 10/12" },
]

# "Trước ngày 28/02`, `  { period = "Cả năm", due = "trước ngày 10/12" },
]

# "Trước ngày 28/02`)
	for _, args := range [][]string{
		{"sync", "--now", "2019-03-02T08:00"},
		{"sync", "--now", "2019-03-02T08:00", "--dry-run"},
		{"run", "--once", "--send", "--now", "2019-03-02T08:00"},
	} {
		code, _, errs := hc(t, db, cut, args...)
		if code != 2 || !strings.Contains(errs, "1.2.1 Quý III 2019 so-noi-vu (lead), due 2019-09-16: submitted") || !strings.Contains(errs, "--allow-retire") {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
	if out := mustRun(t, db, laocai, "sync", "--now", "2019-03-02T08:00"); !strings.Contains(out, "up to date") {
		t.Errorf("a refused sync wrote something:\n%s", out)
	}
	out := mustRun(t, db, cut, "sync", "--now", "2019-03-02T08:00", "--dry-run", "--allow-retire")
	if !strings.Contains(out, "dry run: nothing is written") || !strings.Contains(out, "retired  deadline 1.2.1 Quý III") {
		t.Errorf("dry run:\n%s", out)
	}
	out = mustRun(t, db, cut, "sync", "--now", "2019-03-02T08:00", "--allow-retire")
	if !strings.Contains(out, "retired  deadline 1.2.1 Quý III") {
		t.Errorf("--allow-retire:\n%s", out)
	}
	// The dry run wrote nothing: the real sync did the retiring, and a
	// dry run on no database creates none.
	fresh := filepath.Join(t.TempDir(), "none.db")
	mustRun(t, fresh, laocai, "sync", "--dry-run")
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("sync --dry-run created %s", fresh)
	}
}

// yearAfterNextConfig is the smallest configuration, tracked from 2019,
// with its one report due "trong năm sau": 2019's date is 31/12/2020.
func yearAfterNextConfig(t *testing.T) string {
	return variant(t, "../../testdata/good-minimal.toml", `[escalation]`, `[schedule]
first_year = 2019
start = 2019-01-01

[escalation]`, `deadlines = [{ period = "Quý I", due = "15/03" }]`, `deadlines = [{ period = "Cả năm", due = "trong năm sau" }]`)
}

// A 2019 deadline "trong năm sau" (31/12/2020) is escalated in 2021.
func TestHistory_DeadlineInTheYearAfterNext(t *testing.T) {
	cfg := yearAfterNextConfig(t)
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, cfg, "sync", "--now", "2019-03-01T08:00")
	mustRun(t, db, cfg, "run", "--once", "--send", "--now", "2021-01-04T08:00")
	out := mustRun(t, db, cfg, "overdue", "--at", "2021-01-04T09:00", "--format", "json")
	row := find(jsonRows(t, out), map[string]any{"code": "1.2.1", "year": 2019.0})
	if row == nil || row["due"] != "2020-12-31" || row["level"] != 1.0 || row["escalated_at"] == nil {
		t.Errorf("2019's item due 2020-12-31 as of 2021-01-04: %v\n%s", row, out)
	}
	out = mustRun(t, db, cfg, "preview", "--from", "2021-01-11", "--to", "2021-01-11", "--format", "json")
	if find(jsonRows(t, out), map[string]any{"kind": "escalation", "step": 7.0, "year": 2019.0}) == nil {
		t.Errorf("preview of the 7-day level:\n%s", out)
	}
}

// An item extended past the last possible date of its year keeps that
// year open: a later edit that would retire it is still seen by the sync,
// which refuses it, and the item goes on being reminded.
func TestHistory_ExtendedItemKeepsItsYearOpen(t *testing.T) {
	cfg := yearAfterNextConfig(t)
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, cfg, "sync", "--now", "2019-03-01T08:00")
	mustRun(t, db, cfg, "run", "--once", "--send", "--now", "2020-12-30T08:00")
	mustRun(t, db, cfg, "extend", "1.2.1", "--period", "Cả năm", "--year", "2019", "--agency", "so-noi-vu",
		"--due", "2021-03-31", "--reason", "chờ số liệu")
	// 2021-01-11: 2019's last possible date (31/12/2020) has passed.
	from2020 := variant(t, cfg, `lead = "so-noi-vu"`, `lead = "so-noi-vu"
from_year = 2020`)
	code, _, errs := hc(t, db, from2020, "sync", "--now", "2021-01-11T08:00")
	if code != 2 || !strings.Contains(errs, "1.2.1 Cả năm 2019 so-noi-vu") || !strings.Contains(errs, "--allow-retire") {
		t.Errorf("sync retiring the extended 2019 item: exit %d\n%s", code, errs)
	}
	out := mustRun(t, db, cfg, "preview", "--from", "2021-03-24", "--to", "2021-03-31", "--format", "json")
	if find(jsonRows(t, out), map[string]any{"kind": "reminder", "year": 2019.0}) == nil {
		t.Errorf("the extended 2019 item is not reminded before its new date:\n%s", out)
	}
}

// The 2025 reorganisation: a district committee's open items move to its
// successor at the sync of 2025-07-01, recorded in submit --history; its
// 2024 statistics and its past items stay under its own name.
func TestHistory_DistrictHandsOverToSuccessor(t *testing.T) {
	example := "../../config.example.toml"
	strip := []string{"# start = 2026-01-01", "start = 2024-01-01"}
	for _, d := range []string{"ubnd-tp-lao-cai", "ubnd-bat-xat", "ubnd-bao-thang", "ubnd-bao-yen", "ubnd-bac-ha",
		"ubnd-muong-khuong", "ubnd-sa-pa", "ubnd-si-ma-cai", "ubnd-van-ban", "xa-phuong-thi-tran"} {
		strip = append(strip, "id = \""+d+"\"", "id = \""+d+"\"#")
	}
	newCfg := variant(t, example, strip[:2]...)
	// Before the reorganisation: no lifetimes, the old commune level only.
	b, _ := os.ReadFile(newCfg)
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "until = 20") && !strings.HasPrefix(l, "successor = ") && !strings.HasPrefix(l, "from = 20") {
			lines = append(lines, l)
		}
	}
	old := strings.Join(lines, "\n")
	old = strings.Replace(old, `  { id = "xa-phuong-thi-tran", until = 2025-06-30 },
  { id = "ubnd-xa-phuong", from = 2025-07-01 },`, `  "xa-phuong-thi-tran",`, 1)
	old = strings.Replace(old, "[[agency]]\nid = \"ubnd-xa-phuong\"", "[[agency]]\nid = \"ubnd-xa-phuong-unused\"", 1)
	oldCfg := filepath.Join(t.TempDir(), "old.toml")
	os.WriteFile(oldCfg, []byte(old), 0o644)

	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, oldCfg, "sync", "--now", "2024-01-02T08:00")
	mustRun(t, db, oldCfg, "submit", "1.2.1", "--period", "Quý I", "--year", "2024", "--agency", "ubnd-bat-xat", "--at", "2024-03-11T10:00")
	mustRun(t, db, oldCfg, "submit", "1.2.1", "--period", "6 tháng", "--year", "2024", "--agency", "ubnd-bat-xat", "--at", "2024-06-20T10:00")
	mustRun(t, db, oldCfg, "run", "--once", "--send", "--now", "2025-03-20T08:00")
	counts := func(cfg string) map[string]any {
		out := mustRun(t, db, cfg, "stats", "--year", "2024", "--at", "2025-07-01T09:00", "--format", "json")
		s := find(jsonRows(t, out), map[string]any{"agency": "ubnd-bat-xat"})
		if s == nil {
			t.Fatalf("no 2024 statistics for ubnd-bat-xat:\n%s", out)
		}
		delete(s, "retired")
		return s
	}
	before := counts(oldCfg)

	out := mustRun(t, db, newCfg, "sync", "--now", "2025-07-01T08:00")
	if !strings.Contains(out, "moved    ") || !strings.Contains(out, "moved to a successor") {
		t.Errorf("sync of the reorganisation:\n%s", out)
	}
	after := counts(newCfg)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("2024 statistics of ubnd-bat-xat: %s was %v, now %v", k, v, after[k])
		}
	}
	out = mustRun(t, db, newCfg, "submit", "--history", "1.2.1", "--period", "Quý III", "--year", "2025", "--agency", "ubnd-xa-phuong")
	if !strings.Contains(out, "taken over  from ubnd-bat-xat (UBND huyện Bát Xát), which ceased") {
		t.Errorf("the successor's history:\n%s", out)
	}
	out = mustRun(t, db, newCfg, "submit", "--history", "1.2.1", "--period", "Quý III", "--year", "2025", "--agency", "ubnd-bat-xat")
	if !strings.Contains(out, "handed over  to ubnd-xa-phuong") {
		t.Errorf("the district's history:\n%s", out)
	}
	code, _, errs := hc(t, db, newCfg, "submit", "1.2.1", "--period", "Quý III", "--year", "2025", "--agency", "ubnd-bat-xat", "--at", "2025-07-02T09:00")
	if code != 2 || !strings.Contains(errs, "handed over to ubnd-xa-phuong") {
		t.Errorf("submitting a handed-over item: %d %s", code, errs)
	}
	// Its own past stays: 2025 Quý I, never submitted, is its own.
	out = mustRun(t, db, newCfg, "overdue", "--all", "--agency", "ubnd-bat-xat", "--at", "2025-07-01T09:00", "--format", "json")
	row := find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I", "year": 2025.0})
	if row == nil || row["retired"] != "until 2025-06-30" {
		t.Errorf("ubnd-bat-xat's 2025 Quý I: %v", row)
	}
	out = mustRun(t, db, newCfg, "calendar", "--year", "2026", "--format", "json")
	for _, r := range jsonRows(t, out) {
		if a := r["agency"].(string); strings.HasPrefix(a, "ubnd-") && a != "ubnd-xa-phuong" || a == "xa-phuong-thi-tran" {
			t.Fatalf("the 2026 calendar lists %s", a)
		}
	}
}

// The built-in example on a fresh database shows upcoming reminders and an
// empty overdue log: tracking starts on the day of the first sync.
func TestHistory_ExampleFreshDatabase(t *testing.T) {
	dir := t.TempDir()
	env := []string{"HANCHOT_DB=" + filepath.Join(dir, "h.db"), "HANCHOT_MAIL_DIR=" + filepath.Join(dir, "outbox")}
	m := func(args ...string) string {
		code, out, errs := run(t, env, args...)
		if code != 0 {
			t.Fatalf("%v: %d %s", args, code, errs)
		}
		return out
	}
	m("run", "--once", "--send", "--now", "2026-12-01T08:00")
	if out := m("overdue", "--at", "2026-12-01T09:00", "--format", "json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("overdue log of a fresh installation:\n%.2000s", out)
	}
	kinds := map[string]int{}
	for _, r := range jsonRows(t, m("log", "--format", "json")) {
		kinds[r["kind"].(string)]++
	}
	if kinds["reminder"] == 0 || kinds["overdue"]+kinds["escalation"] != 0 {
		t.Errorf("mail of the first pass: %v", kinds)
	}
	out := m("stats", "--year", "2025", "--at", "2026-12-01T09:00", "--format", "json")
	for _, r := range jsonRows(t, out) {
		if r["missing"] != 0.0 {
			t.Errorf("2025 statistics count what was due before tracking started: %v", r)
		}
	}
}

// The calendar shows the dates the database holds: after an edit, the past
// keeps its date, and a date the file moves into the past is left as it
// was (it would be overdue at once).
func TestHistory_CalendarShowsFrozenDates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-01T08:00")
	edited := variant(t, laocai, `{ period = "Quý I", due = "trước ngày 15/03" }`, `{ period = "Quý I", due = "trước ngày 10/03" }`)
	out := mustRun(t, db, edited, "sync", "--now", "2019-03-12T08:00")
	if !strings.Contains(out, "(support): due 2019-03-12, the file moves it to 2019-03-06, already past") {
		t.Errorf("sync does not say it left the lead's date:\n%s", out)
	}
	out = mustRun(t, db, edited, "calendar", "--year", "2019", "--agency", "so-noi-vu", "--role", "lead", "--format", "json")
	row := find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I"})
	if row == nil || row["effective_due"] != "2019-03-15" {
		t.Errorf("calendar shows %v, want the date the database holds, 2019-03-15", row)
	}
	// Without a database the file's dates stand.
	out = mustRun(t, filepath.Join(t.TempDir(), "none.db"), edited, "calendar", "--year", "2019", "--agency", "so-noi-vu", "--role", "lead", "--format", "json")
	if row := find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I"}); row == nil || row["effective_due"] != "2019-03-11" {
		t.Errorf("calendar from the file alone: %v", row)
	}
}

// A dry run by a newer hanchot on a database of an older schema works on
// an upgraded copy and leaves the file as it was: an admin can see what
// an upgrade's first sync would do before letting it change anything.
func TestHistory_DryRunLeavesAnOldSchemaAlone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-02T08:00")
	downgradeToSchema7(t, db)
	migrations := func() int {
		t.Helper()
		sqldb, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer sqldb.Close()
		var n int
		if err := sqldb.QueryRow(`SELECT count(*) FROM migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if n := migrations(); n != 7 {
		t.Fatalf("%d migrations before, want 7", n)
	}

	// A command that only reads asks for the upgrade.
	if code, _, errs := hc(t, db, laocai, "overdue", "--at", "2019-03-02"); code != 1 ||
		!strings.Contains(errs, "has schema version 7, this hanchot needs 8; run \"hanchot sync\" once") {
		t.Errorf("overdue on the old schema: exit %d\n%s", code, errs)
	}

	out := mustRun(t, db, laocai, "sync", "--now", "2020-01-06T08:00", "--dry-run")
	if !strings.Contains(out, "dry run on a copy: "+db+" needs 1 schema upgrade,") || !strings.Contains(out, "dry run: nothing is written") ||
		!strings.Contains(out, "added") {
		t.Errorf("dry run:\n%s", out)
	}
	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("the dry run changed the database file")
	}
	if wal, err := os.Stat(db + "-wal"); err == nil && wal.Size() > 0 {
		t.Errorf("the dry run wrote %d bytes to the write-ahead log", wal.Size())
	}
	if n := migrations(); n != 7 {
		t.Errorf("%d migrations after the dry run, want 7", n)
	}

	// The real sync upgrades and does what the dry run showed.
	real := mustRun(t, db, laocai, "sync", "--now", "2020-01-06T08:00")
	if n := migrations(); n != 8 {
		t.Errorf("%d migrations after sync, want 8", n)
	}
	if strings.Contains(real, "dry run") || lastLine(real) != lastLine(out) {
		t.Errorf("the sync's summary differs from the dry run's:\n%s\n---\n%s", out, real)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// A database a newer hanchot upgraded is refused by writing and reading
// commands alike, in the user's language, and left as it was.
func TestHistory_NewerSchemaRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-02T08:00")
	sqldb, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.Exec(`INSERT INTO migrations VALUES ('migrations/099_future.sql', '2027-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	sqldb.Close()
	before, _ := os.ReadFile(db)
	for _, args := range [][]string{
		{"sync", "--now", "2019-03-02T08:00"},
		{"run", "--once", "--now", "2019-03-02T08:00"},
		{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-01T10:00"},
		{"overdue", "--at", "2019-03-02"},
		{"sync", "--now", "2019-03-02T08:00", "--dry-run"},
	} {
		code, _, errs := hc(t, db, laocai, args...)
		if code != 1 || !strings.Contains(errs, "was upgraded by a newer hanchot (099_future.sql)") {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
	code, _, errs := runVI(t, []string{"HANCHOT_DB=" + db}, "--config", laocai, "overdue", "--at", "2019-03-02")
	if code != 1 || !strings.Contains(errs, "đã được một bản hanchot mới hơn nâng cấp (099_future.sql)") {
		t.Errorf("in Vietnamese: exit %d\n%s", code, errs)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("the database changed")
	}
}

// downgradeToSchema7 takes the database at db back to the schema before
// the web front (migration 008), as the release before it left it.
func downgradeToSchema7(t *testing.T, db string) {
	t.Helper()
	sqldb, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	for _, q := range []string{
		`DROP TABLE extension_request`,
		`ALTER TABLE submission DROP COLUMN source`,
		`ALTER TABLE submission DROP COLUMN client_ip`,
		`ALTER TABLE submission DROP COLUMN user_agent`,
		`DELETE FROM migrations WHERE name = 'migrations/008_web.sql'`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A database path this user cannot reach is not "no database": a dry run
// on it fails as the sync would, instead of showing a fresh calendar.
func TestDryRun_UnreachablePath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	os.WriteFile(file, []byte("x"), 0o644)
	code, out, errs := hc(t, filepath.Join(file, "h.db"), laocai, "sync", "--now", "2019-03-02T08:00", "--dry-run")
	if code != 1 || !strings.Contains(errs, "not a directory") || strings.Contains(out, "added") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

// A dry run whose output is cut short (piped into head) still removes its
// copy of the database, and one left by a killed dry run is removed by the
// next after six hours.
func TestDryRun_LeavesNoCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildHanchot(t)
	tmp := t.TempDir()
	db := filepath.Join(t.TempDir(), "h.db")
	mustRun(t, db, laocai, "sync", "--now", "2019-03-02T08:00")
	downgradeToSchema7(t, db)
	stale := filepath.Join(tmp, "hanchot-dry-run-stale")
	fresh := filepath.Join(tmp, "hanchot-dry-run-fresh")
	for _, d := range []string{stale, fresh} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-7 * time.Hour)
	os.Chtimes(stale, old, old)

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // the reader is gone before the first line
	cmd := exec.Command(bin, "--config", laocai, "sync", "--now", "2020-01-06T08:00", "--dry-run")
	cmd.Env = append(os.Environ(), "HANCHOT_DB="+db, "TMPDIR="+tmp)
	cmd.Stdout = w
	var errs strings.Builder
	cmd.Stderr = &errs
	runErr := cmd.Run()
	w.Close()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Errorf("the dry run was killed by %v: %v %s", ws.Signal(), runErr, errs.String())
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "hanchot-dry-run-*"))
	if len(left) != 1 || left[0] != fresh {
		t.Errorf("left %v, want only %s", left, fresh)
	}
}
