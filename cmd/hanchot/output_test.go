package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"hanchot"
)

// Listings go out record by record; the JSON is the indented array the
// json package writes for the whole slice, and the CSV has its header
// even when no record came.
func TestRecordWriterStreams(t *testing.T) {
	at := time.Date(2026, 3, 6, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	due, _ := hanchot.ParseDate("2026-03-05")
	rows := []overdueRow{
		{Code: "1.1", Title: `Báo cáo "A" & <B>`, Period: "Quý I", Year: 2026, Agency: "so-a", AgencyName: "Sở A", Role: hanchot.Lead, Due: due, DaysOverdue: 1, EscalatedAt: &at},
		{Code: "1.2", Title: "Báo cáo, B", Period: "Cả năm", Year: 2025, Agency: "so-b", Role: hanchot.Support, Due: due, Level: 7, Retired: "removed"},
	}
	for _, n := range []int{0, 1, 2} {
		var out bytes.Buffer
		m := &Main{Stdout: &out}
		if err := m.writeRecords(listing{format: "json"}, rows[:n]); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if n == 0 {
			want.WriteString("[]\n")
		} else {
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.Encode(rows[:n])
		}
		if out.String() != want.String() {
			t.Errorf("%d records as JSON:\n%s\nwant\n%s", n, out.String(), want.String())
		}
	}
	var out bytes.Buffer
	m := &Main{Stdout: &out}
	if err := m.writeRecords(listing{format: "csv"}, rows[:0]); err != nil {
		t.Fatal(err)
	}
	if want := "\ufeffcode,title,period,year,agency,agency_name,role,due,since,days_overdue,level,escalated_at,submitted_at,retired\r\n"; out.String() != want {
		t.Errorf("no record as CSV: %q, want %q", out.String(), want)
	}
	out.Reset()
	if err := m.writeRecords(listing{format: "csv"}, rows); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffcode,title,period,year,agency,agency_name,role,due,since,days_overdue,level,escalated_at,submitted_at,retired\r\n" +
		"1.1,\"Báo cáo \"\"A\"\" & <B>\",Quý I,2026,so-a,Sở A,lead,2026-03-05,,1,0,2026-03-06T08:00:00+07:00,,\r\n" +
		"1.2,\"Báo cáo, B\",Cả năm,2025,so-b,,support,2026-03-05,,0,7,,,removed\r\n"
	if out.String() != want {
		t.Errorf("CSV:\n%q\nwant\n%q", out.String(), want)
	}
}
