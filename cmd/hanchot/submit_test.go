package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"hanchot/internal/smtptest"
)

func jsonRows(t *testing.T, out string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	return rows
}

func find(rows []map[string]any, kv map[string]any) map[string]any {
	for _, r := range rows {
		match := true
		for k, v := range kv {
			if r[k] != v {
				match = false
			}
		}
		if match {
			return r
		}
	}
	return nil
}

// The walk-through: escalation at 2019-03-18, the overdue log, a
// late submission, and the statistics.
func TestOverdueEscalationSubmitStats(t *testing.T) {
	srv := smtptest.Start(t)
	db := filepath.Join(t.TempDir(), "h.db")
	env := smtpEnv(db, srv.Port)
	hc := func(args ...string) (int, string, string) {
		return run(t, env, append([]string{"--config", laocai}, args...)...)
	}
	if code, out, errs := hc("run", "--once", "--send", "--now", "2019-03-18T08:00"); code != 0 {
		t.Fatalf("run: %s %s", out, errs)
	}
	var escalation *received
	for _, r := range decode(t, srv.Messages()) {
		if r.kind == "escalation" && r.to == "cchc.snv@laocai.example" {
			escalation = &r
		}
	}
	if escalation == nil {
		t.Fatal("the focal point received no escalation")
	}
	if !strings.Contains(escalation.text, "1.2.1 Báo cáo định kỳ về CCHC — Quý I năm 2019 (Chủ trì); hạn 15/03/2019, quá 3 ngày (mức 1)") {
		t.Errorf("escalation lacks 1.2.1 Quý I:\n%s", escalation.text)
	}
	_, out, _ := hc("overdue", "--at", "2019-03-18", "--format", "json")
	row := find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I", "agency": "so-noi-vu"})
	if row == nil || row["days_overdue"] != 3.0 || row["level"] != 1.0 || row["escalated_at"] == nil || row["submitted_at"] != nil || row["due"] != "2019-03-15" {
		t.Fatalf("overdue row = %v", row)
	}
	for _, field := range []string{"code", "period", "year", "agency", "due", "days_overdue", "level", "escalated_at", "submitted_at"} {
		if _, ok := row[field]; !ok {
			t.Errorf("overdue JSON lacks %q", field)
		}
	}
	srv.Reset()
	if code, out, _ := hc("run", "--once", "--send", "--now", "2019-03-18T08:00"); code != 0 || len(srv.Messages()) != 0 {
		t.Errorf("second pass: %s, %d messages", out, len(srv.Messages()))
	}

	code, out, errs := hc("submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-19T10:00", "--ref", "12/BC-SNV")
	if code != 0 || !strings.Contains(out, "late by 4 days") {
		t.Fatalf("submit: %d %s %s", code, out, errs)
	}
	_, out, _ = hc("overdue", "--at", "2019-03-19T12:00", "--format", "json")
	if find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I", "agency": "so-noi-vu"}) != nil {
		t.Error("1.2.1 Quý I is still in the open log after its submission")
	}
	_, out, _ = hc("overdue", "--at", "2019-03-19T12:00", "--all", "--format", "json")
	if r := find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I", "agency": "so-noi-vu"}); r == nil || r["submitted_at"] != "2019-03-19T10:00:00+07:00" {
		t.Errorf("--all row = %v", r)
	}
	// Before the submission, the log as of the 18th is unchanged.
	_, out, _ = hc("overdue", "--at", "2019-03-18", "--format", "json")
	if find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I", "agency": "so-noi-vu"}) == nil {
		t.Error("overdue --at 2019-03-18 lost 1.2.1 after a later submission")
	}
	_, out, _ = hc("stats", "--year", "2019", "--format", "json")
	s := find(jsonRows(t, out), map[string]any{"agency": "so-noi-vu"})
	if s == nil || s["late"] != 1.0 || s["on_time"] != 0.0 {
		t.Errorf("stats = %v", s)
	}
	// A later pass no longer escalates the submitted item.
	srv.Reset()
	hc("run", "--once", "--send", "--now", "2019-03-22T08:00")
	for _, r := range decode(t, srv.Messages()) {
		if r.kind == "escalation" && strings.Contains(r.text, "1.2.1 Báo cáo định kỳ về CCHC — Quý I năm 2019 (Chủ trì)") {
			t.Error("a submitted item was escalated again")
		}
	}
}

func TestSubmitStopsReminders(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	env := []string{"HANCHOT_DB=" + db}
	hc := func(args ...string) (int, string, string) {
		return run(t, env, append([]string{"--config", laocai}, args...)...)
	}
	if code, _, errs := hc("sync", "--now", "2019-01-01"); code != 0 {
		t.Fatal(errs)
	}
	preview := func() []map[string]any {
		_, out, errs := hc("preview", "--from", "2019-03-01", "--to", "2019-03-15", "--agency", "so-tu-phap", "--format", "json")
		if strings.TrimSpace(out) == "" {
			t.Fatal(errs)
		}
		return jsonRows(t, out)
	}
	if r := find(preview(), map[string]any{"code": "1.2.2", "kind": "reminder"}); r != nil {
		t.Fatalf("1.2.2 is not due in March: %v", r)
	}
	before := find(preview(), map[string]any{"code": "1.2.1", "kind": "reminder", "agency": "so-tu-phap"})
	if before == nil {
		t.Fatal("no reminder for so-tu-phap's input to 1.2.1 before the submission")
	}
	for _, f := range []string{"at", "kind", "step", "to", "code", "period", "year", "agency", "due"} {
		if _, ok := before[f]; !ok {
			t.Errorf("preview JSON lacks %q", f)
		}
	}
	if code, out, errs := hc("submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--at", "2019-02-28T09:00", "--ref", "30/BC-STP"); code != 0 {
		t.Fatalf("submit: %s %s", out, errs)
	}
	if r := find(preview(), map[string]any{"code": "1.2.1", "agency": "so-tu-phap"}); r != nil {
		t.Errorf("preview still shows %v after the submission", r)
	}
	// Undo brings the reminders back; the history keeps both.
	if code, _, errs := hc("submit", "--undo", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--reason", "nhập nhầm"); code != 0 {
		t.Fatal(errs)
	}
	if find(preview(), map[string]any{"code": "1.2.1", "agency": "so-tu-phap"}) == nil {
		t.Error("undo did not bring the reminders back")
	}
	if code, _, errs := hc("submit", "--undo", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--reason", "again"); code != 2 || !strings.Contains(errs, "no submission to undo") {
		t.Errorf("second undo: %d %s", code, errs)
	}
	_, out, _ := hc("submit", "--history", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap")
	if !strings.Contains(out, "2019-02-28 09:00  submitted  ref '30/BC-STP'") || !strings.Contains(out, "undone     the submission of 2019-02-28T09:00:00+07:00: nhập nhầm") {
		t.Errorf("history:\n%s", out)
	}
}

func TestExtend(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	hc := func(args ...string) (int, string, string) {
		return run(t, []string{"HANCHOT_DB=" + db}, append([]string{"--config", laocai}, args...)...)
	}
	if code, _, errs := hc("sync", "--now", "2019-01-01"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := hc("extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--due", "2019-03-29", "--reason", "Công văn 45/UBND-NC")
	if code != 0 || !strings.Contains(out, "due 2019-03-15, now 2019-03-29") {
		t.Fatalf("extend: %d %s %s", code, out, errs)
	}
	_, out, _ = hc("preview", "--from", "2019-03-14", "--to", "2019-03-29", "--agency", "so-noi-vu", "--format", "json")
	rows := jsonRows(t, out)
	if r := find(rows, map[string]any{"code": "1.2.1", "agency": "so-noi-vu", "kind": "reminder", "step": 1.0}); r == nil || r["due"] != "2019-03-29" {
		t.Errorf("no reminder against the new date: %v", r)
	}
	if r := find(rows, map[string]any{"code": "1.2.1", "agency": "so-noi-vu", "kind": "overdue"}); r != nil {
		t.Errorf("escalated despite the extension: %v", r)
	}
	_, out, _ = hc("overdue", "--at", "2019-03-20", "--agency", "so-noi-vu", "--format", "json")
	if find(jsonRows(t, out), map[string]any{"code": "1.2.1", "period": "Quý I"}) != nil {
		t.Error("an extended item is in the overdue log before its new date")
	}
	for _, bad := range [][]string{
		{"extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--due", "2019-03-20", "--reason", "x"},
		{"extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--due", "2019-04-31", "--reason", "x"},
		{"extend", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--due", "2019-05-01"},
	} {
		if code, _, errs := hc(bad...); code != 2 {
			t.Errorf("%v: exit %d %s", bad, code, errs)
		}
	}
}

func TestSubmitCSV(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	hc := func(args ...string) (int, string, string) {
		return run(t, []string{"HANCHOT_DB=" + db}, append([]string{"--config", laocai}, args...)...)
	}
	if code, _, errs := hc("sync", "--now", "2019-01-01"); code != 0 {
		t.Fatal(errs)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("\ufeffcode,period,year,agency,submitted_at,ref\r\n"+
		"1.2.1,Quý I,2019,so-noi-vu,2019-03-14T16:30,125/BC-SNV\r\n"+
		"1.2.2,Cả năm,2019,so-tu-phap,27/02/2020,15/BC-STP\r\n"+
		"1.2.5,Quý I,2019,so-thong-tin-truyen-thong,12/03/2019 09:00,20/BC-STTTT\r\n"), 0o644)
	code, out, errs := hc("submit", "--csv", good, "--by", "Văn thư")
	if code != 0 || !strings.Contains(out, "3 recorded, 0 already recorded") || !strings.Contains(out, "late by 1 day\n") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	// The same spreadsheet again: nothing new, nothing refused.
	if code, out, _ = hc("submit", "--csv", good); code != 0 || !strings.Contains(out, "0 recorded, 3 already recorded") {
		t.Errorf("re-import: %d %s", code, out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("mã;kỳ;năm;cơ quan;ngày gửi;số văn bản\n"+
		"1.2.3;Cả năm;2019;so-tu-phap;2019-10-10;1/BC\n"+ // fine on its own
		"9.9;Cả năm;2019;so-tu-phap;2019-10-10;2/BC\n"+ // unknown code
		"1.2.3;Quý IX;2019;so-tu-phap;2019-10-10;3/BC\n"+ // unknown period
		"1.2.3;Cả năm;2019;so-khong-co;2019-10-10;4/BC\n"+ // unknown agency
		"1.2.3;Cả năm;2019;so-tu-phap;2019-02-30;5/BC\n"+ // impossible date
		"1.2.3;Cả năm;2019;so-tu-phap;2016-10-10;6/BC\n"+ // outside the window
		"1.2.3;Cả năm;2019;so-tu-phap;2019-10-11;7/BC\n"), 0o644) // duplicate of line 2
	code, _, errs = hc("submit", "--csv", bad)
	if code != 2 {
		t.Fatalf("bad import: exit %d", code)
	}
	for _, want := range []string{"6 bad rows, nothing recorded", "bad.csv:3:", "bad.csv:4:", "bad.csv:5:", "bad.csv:6:", "bad.csv:7:", "bad.csv:8: 1.2.3 Cả năm 2019 for so-tu-phap is also on line 2"} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	_, out, _ = hc("stats", "--year", "2019", "--format", "json")
	if s := find(jsonRows(t, out), map[string]any{"agency": "so-tu-phap"}); s["on_time"] != 1.0 || s["late"] != 0.0 {
		t.Errorf("the bad file changed the record: %v", s)
	}
	// A comma inside an unquoted note shifts the row past the header: the
	// row is refused, not cut short, even when its shifted last cell is
	// empty; a header padded with empty cells, as spreadsheets save it,
	// allows as many empty cells in each row, and nothing else.
	shifted := filepath.Join(dir, "shifted.csv")
	os.WriteFile(shifted, []byte("code,period,year,agency,submitted_at,note,ref\n"+
		"1.2.4,Cả năm,2019,so-tu-phap,2019-10-10,gửi bản giấy, bản điện tử sau,2/BC\n"+
		"1.2.4,Cả năm,2019,so-tu-phap,2019-10-10,gửi bản giấy, bản điện tử sau,\n"), 0o644)
	code, _, errs = hc("submit", "--csv", shifted)
	if code != 2 || !strings.Contains(errs, "2 bad rows, nothing recorded") ||
		!strings.Contains(errs, `shifted.csv:2: the row has 8 fields but the header has 7 columns (a value with a "," in it must be in quotes)`) ||
		!strings.Contains(errs, `shifted.csv:3: the row has 8 fields but the header has 7 columns`) {
		t.Errorf("shifted rows: exit %d\n%s", code, errs)
	}
	padded := filepath.Join(dir, "padded.csv")
	os.WriteFile(padded, []byte("code,period,year,agency,submitted_at,ref,,\n"+
		"1.2.3,Cả năm,2019,so-tu-phap,2019-10-10,1/BC,,\n"+
		"1.2.4,Cả năm,2019,so-tu-phap,2019-10-10,2/BC,bản điện tử sau,\n"), 0o644)
	code, _, errs = hc("submit", "--csv", padded)
	if code != 2 || !strings.Contains(errs, "1 bad row, nothing recorded") ||
		!strings.Contains(errs, `padded.csv:3: the row has a value past the header's 6 columns`) {
		t.Errorf("padded header: exit %d\n%s", code, errs)
	}
	twice := filepath.Join(dir, "twice.csv")
	os.WriteFile(twice, []byte("code,period,year,agency,submitted_at,mã\n1.2.3,Cả năm,2019,so-tu-phap,2019-10-10,1.2.4\n"), 0o644)
	if code, _, errs = hc("submit", "--csv", twice); code != 2 || !strings.Contains(errs, `twice.csv:1: columns "code" and "mã" are the same column`) {
		t.Errorf("a column twice: exit %d\n%s", code, errs)
	}
	// A row that contradicts a recorded submission stops the whole file.
	conflict := filepath.Join(dir, "conflict.csv")
	os.WriteFile(conflict, []byte("code,period,year,agency,submitted_at,ref\n1.2.3,Cả năm,2019,so-tu-phap,2019-10-10,1/BC\n1.2.1,Quý I,2019,so-noi-vu,2019-03-15,999/BC\n"), 0o644)
	if code, _, errs = hc("submit", "--csv", conflict); code != 2 || !strings.Contains(errs, "already submitted") {
		t.Errorf("conflict: %d %s", code, errs)
	}
	_, out, _ = hc("stats", "--year", "2019", "--format", "json")
	if s := find(jsonRows(t, out), map[string]any{"agency": "so-tu-phap"}); s["on_time"] != 1.0 {
		t.Errorf("a refused file recorded its good rows: %v", s)
	}
	// A padded spreadsheet with good rows is recorded.
	os.WriteFile(padded, []byte("code,period,year,agency,submitted_at,ref,,\n1.2.4,Cả năm,2019,so-tu-phap,2019-10-10,2/BC,,\n"), 0o644)
	if code, out, errs := hc("submit", "--csv", padded); code != 0 || !strings.Contains(out, "1 recorded") {
		t.Errorf("padded header, good row: exit %d\n%s%s", code, out, errs)
	}
}

func TestSubmitBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	hc := func(args ...string) (int, string, string) {
		return run(t, []string{"HANCHOT_DB=" + db}, append([]string{"--config", laocai}, args...)...)
	}
	if code, _, errs := hc("sync", "--now", "2019-01-01"); code != 0 {
		t.Fatal(errs)
	}
	ok := []string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14T09:00"}
	if code, _, errs := hc(ok...); code != 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"submit", "9.9", "--period", "Cả năm", "--year", "2019", "--agency", "so-noi-vu"}, `"9.9" is not a report code`},
		{[]string{"submit", "1.2.1", "--period", "Quý 5", "--year", "2019", "--agency", "so-noi-vu"}, `has no period "Quý 5"`},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-khong-co"}, `"so-khong-co" is not an agency`},
		{[]string{"submit", "3.4.2", "--period", "Cả năm", "--year", "2019", "--agency", "so-tu-phap"}, "neither leads nor supports"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--at", "2019-02-30"}, "not a time"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--at", "2021-03-01"}, "outside reporting year 2019"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--at", "2099-01-01"}, "in the future"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2015", "--agency", "so-tu-phap"}, "not tracked"},
		{ok, "already submitted"},
		{[]string{"submit", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap"}, "name one report code"},
	}
	// A rejected command changes nothing: the file is the same to the byte.
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		code, _, errs := hc(tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
		if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
			t.Errorf("%v: the rejected command changed the database", tt.args)
		}
	}
	// The shared rules' refusals (package record) are said in Vietnamese
	// by default.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"submit", "9.9", "--period", "Cả năm", "--year", "2019", "--agency", "so-noi-vu"}, `"9.9" không phải là mã báo cáo nào trong`},
		{[]string{"submit", "1.2.1", "--year", "2019", "--agency", "so-noi-vu"}, "cần --period; báo cáo 1.2.1 có các kỳ Quý I,"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so tu phapp"}, `có phải ý bạn là so-tu-phap (Sở Tư pháp)?`},
		{[]string{"submit", "3.4.2", "--period", "Cả năm", "--year", "2019", "--agency", "Sở Tư pháp"}, "so-tu-phap không chủ trì cũng không phối hợp báo cáo 3.4.2"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--at", "2021-03-01"}, "--at: 2021-03-01 nằm ngoài khoảng của năm báo cáo 2019 (01/01/2018 đến 31/12/2020)"},
		{[]string{"submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-tu-phap", "--at", "2099-01-01"}, "--at: 2099-01-01 00:00 là thời điểm trong tương lai"},
	} {
		code, _, errs := runVI(t, []string{"HANCHOT_DB=" + db}, append([]string{"--config", laocai}, tt.args...)...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
	_, out, _ := hc("stats", "--year", "2019", "--format", "json")
	total := 0.0
	for _, r := range jsonRows(t, out) {
		total += r["on_time"].(float64) + r["late"].(float64)
	}
	if total != 1 {
		t.Errorf("%v submissions recorded, want only the first", total)
	}
}

// Mail refused for good is shown in the ledger and on the focal point's
// next digest.
func TestPermanentFailureReportedToFocalPoint(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectWith(func(to []string) error {
		if strings.Join(to, ",") == "stp@laocai.example" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	env := smtpEnv(filepath.Join(t.TempDir(), "h.db"), srv.Port)
	if code, _, _ := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 1 {
		t.Errorf("a pass with a failure should exit 1, got %d", code)
	}
	_, out, _ := run(t, env, "--config", laocai, "log", "--status", "failed", "--format", "json")
	rows := jsonRows(t, out)
	if len(rows) != 2 || !strings.Contains(rows[0]["reply"].(string), "550") {
		t.Fatalf("failed = %v", rows)
	}
	srv.Reset()
	run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-12T08:00")
	found := false
	for _, r := range decode(t, srv.Messages()) {
		if r.to == "cchc.snv@laocai.example" && strings.Contains(r.text, "Thư không gửi được") && strings.Contains(r.text, "stp@laocai.example") {
			found = true
		}
	}
	if !found {
		t.Error("the focal point was not told of the undeliverable mail")
	}
}
