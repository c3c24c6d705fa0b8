package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openXLSX reads a workbook written by a command and returns it with its
// one sheet's name.
func openXLSX(t *testing.T, out string) (*excelize.File, string) {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	sheets := f.GetSheetList()
	if len(sheets) != 1 {
		t.Fatalf("sheets %v", sheets)
	}
	return f, sheets[0]
}

// cellFormat returns a cell's custom number format.
func cellFormat(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

func get(t *testing.T, f *excelize.File, sheet, cell string, raw bool) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: raw})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestXLSX_Calendar(t *testing.T) {
	args := []string{"--config", laocai, "calendar", "--year", "2019", "--agency", "so-tu-phap", "--format", "xlsx"}
	code, out, errs := runVI(t, nil, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, sheet := openXLSX(t, out)
	if sheet != "Lịch" {
		t.Errorf("sheet %q", sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	_, js, _ := run(t, nil, "--config", laocai, "calendar", "--year", "2019", "--agency", "so-tu-phap", "--format", "json")
	if want := len(jsonRows(t, js)) + 1; len(rows) != want {
		t.Errorf("%d rows, want %d", len(rows), want)
	}
	if got := strings.Join(rows[0], "|"); got != "mã|tên báo cáo|kỳ|năm|mã cơ quan|cơ quan|vai trò|hạn|hạn tính" {
		t.Errorf("header %q", got)
	}
	// The header row is frozen.
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, %v", panes, err)
	}
	// 1.2.2, Cả năm: due 28/02/2020, an Excel date.
	row := 0
	for i, r := range rows {
		if r[0] == "1.2.2" && r[2] == "Cả năm" {
			row = i + 1
		}
	}
	if row == 0 {
		t.Fatal("no 1.2.2 Cả năm")
	}
	cell := func(col string) string { return col + strconv.Itoa(row) }
	if raw := get(t, f, sheet, cell("H"), true); raw != "43889" {
		t.Errorf("due raw value %q, want the serial 43889", raw)
	}
	if shown := get(t, f, sheet, cell("H"), false); shown != "28/02/2020" {
		t.Errorf("due shown as %q", shown)
	}
	if typ, _ := f.GetCellType(sheet, cell("H")); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("due is text (%v)", typ)
	}
	if got := cellFormat(t, f, sheet, cell("H")); got != "dd/mm/yyyy" {
		t.Errorf("due format %q", got)
	}
	// The year is a number, the role a word, the title text.
	if typ, _ := f.GetCellType(sheet, cell("D")); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || get(t, f, sheet, cell("D"), true) != "2019" {
		t.Errorf("year: %v %q", typ, get(t, f, sheet, cell("D"), true))
	}
	if got := get(t, f, sheet, cell("G"), false); got != "chủ trì" {
		t.Errorf("role %q", got)
	}
	if got := get(t, f, sheet, cell("B"), false); !strings.HasPrefix(got, "Báo cáo năm về kiểm tra") {
		t.Errorf("title %q", got)
	}
	// Columns as wide as their content.
	title, _ := f.GetColWidth(sheet, "B")
	year, _ := f.GetColWidth(sheet, "D")
	due, _ := f.GetColWidth(sheet, "H")
	if !(title > 40 && title <= 60 && year < 10 && due >= 10 && due < 15) {
		t.Errorf("column widths: title %v, year %v, due %v", title, year, due)
	}

	// English headers with --lang en; the values stay values.
	_, out, _ = run(t, nil, args...)
	f, sheet = openXLSX(t, out)
	if sheet != "Calendar" || get(t, f, sheet, "A1", false) != "code" || get(t, f, sheet, "I1", false) != "effective due" || get(t, f, sheet, cell("G"), false) != "lead" {
		t.Errorf("English workbook: %q %q %q", sheet, get(t, f, sheet, "A1", false), get(t, f, sheet, "I1", false))
	}
}

func TestXLSX_StatsOverdueLog(t *testing.T) {
	env := laocaiEnv(t)
	if code, _, errs := run(t, env, "--config", laocai, "submit", "1.2.1", "--period", "Quý I", "--year", "2019", "--agency", "so-noi-vu", "--at", "2019-03-14"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-18T08:00"); code != 0 {
		t.Fatal(errs)
	}

	// stats: counts as numbers, the share as a percentage.
	_, out, _ := runVI(t, env, "--config", laocai, "stats", "--year", "2019", "--at", "2019-03-18", "--format", "xlsx")
	f, sheet := openXLSX(t, out)
	rows, _ := f.GetRows(sheet)
	if sheet != "Thống kê" || strings.Join(rows[0], "|") != "mã cơ quan|cơ quan|đúng hạn|trễ hạn|chưa nộp|chưa đến hạn|tỉ lệ đúng hạn|lưu trữ" {
		t.Errorf("stats sheet %q, header %q", sheet, rows[0])
	}
	if rows[1][0] != "so-noi-vu" || get(t, f, sheet, "G2", true) != "0.5" || get(t, f, sheet, "G2", false) != "50%" || cellFormat(t, f, sheet, "G2") != "0%" {
		t.Errorf("share: %v %q %q %q", rows[1], get(t, f, sheet, "G2", true), get(t, f, sheet, "G2", false), cellFormat(t, f, sheet, "G2"))
	}
	if typ, _ := f.GetCellType(sheet, "C2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || get(t, f, sheet, "C2", true) != "1" {
		t.Errorf("on_time is not the number 1: %v %q", typ, get(t, f, sheet, "C2", true))
	}
	if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("stats panes %+v", panes)
	}

	// overdue: every field, dates and times as such.
	_, out, _ = run(t, env, "--config", laocai, "overdue", "--at", "2019-03-20", "--format", "xlsx")
	f, sheet = openXLSX(t, out)
	rows, _ = f.GetRows(sheet)
	if sheet != "Overdue" || strings.Join(rows[0], "|") != "code|title|period|year|agency|agency name|role|due|since|days overdue|level|escalated at|submitted at|retired" {
		t.Errorf("overdue sheet %q, header %q", sheet, rows[0])
	}
	if got := cellFormat(t, f, sheet, "H2"); got != "dd/mm/yyyy" {
		t.Errorf("overdue due format %q", got)
	}
	esc := ""
	for i := range rows[1:] {
		if v := get(t, f, sheet, "L"+strconv.Itoa(i+2), false); v != "" {
			esc = "L" + strconv.Itoa(i+2)
			break
		}
	}
	if esc == "" || cellFormat(t, f, sheet, esc) != "dd/mm/yyyy hh:mm" {
		t.Errorf("no escalation time as a date and time (%s)", esc)
	}

	// log: the whole ledger, sent_at a date and time.
	_, js, _ := run(t, env, "--config", laocai, "log", "--format", "json")
	want := jsonRows(t, js)
	_, out, _ = runVI(t, env, "--config", laocai, "log", "--format", "xlsx")
	f, sheet = openXLSX(t, out)
	rows, _ = f.GetRows(sheet)
	if sheet != "Thư đã gửi" || len(rows) != len(want)+1 || strings.Join(rows[0], "|") != "số|loại|gửi đến|tiêu đề|trạng thái|lần thử|phản hồi|Message-ID|gửi lúc" {
		t.Fatalf("log sheet %q, %d rows, header %q", sheet, len(rows), rows[0])
	}
	if rows[1][3] != want[0]["subject"] || rows[1][7] != want[0]["message_id"] || rows[1][4] != "đã gửi" {
		t.Errorf("log row %q, want %v", rows[1], want[0])
	}
	if cellFormat(t, f, sheet, "I2") != "dd/mm/yyyy hh:mm" || get(t, f, sheet, "A2", true) != strconv.Itoa(int(want[0]["id"].(float64))) {
		t.Errorf("log cells: %q %q", cellFormat(t, f, sheet, "I2"), get(t, f, sheet, "A2", true))
	}
}

// A workbook goes to a file (or a pipe); on a terminal it is refused, as
// binary noise. A file is not a terminal, so it is written there.
func TestXLSX_ToFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ngay-nghi.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	m := &Main{Stdout: out, Stderr: &errb, Env: nil}
	code := m.Run(context.Background(), []string{"--config", laocai, "holidays", "--year", "2026", "--format", "xlsx"})
	out.Close()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Ngày nghỉ", "A2"); v != "01/01/2026" {
		t.Errorf("A2 = %q", v)
	}
	if code, _, errs := runVI(t, nil, "--config", laocai, "holidays", "--format", "ods"); code != 2 || !strings.Contains(errs, "dùng table, csv, json hoặc xlsx") {
		t.Errorf("--format ods: %d %q", code, errs)
	}
}
