package hanchot

import "testing"

func TestPeriodKey(t *testing.T) {
	nfd := "Qu\u0079\u0301 I" // "Quý I" written decomposed
	same := [][]string{
		{"Quý I", "Quý 1", "quý i", " Quý   I ", nfd, "Quí I"},
		{"6 tháng", "6 Tháng", "6 tháng đầu năm", "Sáu tháng"},
		{"Cả năm", "cả  năm", "Năm", "Hằng năm"},
		{"Quý IV", "quý 4"},
	}
	for _, group := range same {
		for _, p := range group[1:] {
			if PeriodKey(p) != PeriodKey(group[0]) {
				t.Errorf("PeriodKey(%q) = %q, want %q", p, PeriodKey(p), PeriodKey(group[0]))
			}
		}
	}
	if PeriodKey("Quý I") == PeriodKey("Quý II") || PeriodKey("6 tháng") == PeriodKey("Cả năm") {
		t.Error("different periods share a key")
	}
	if Clean(nfd) != "Quý I" {
		t.Errorf("Clean(NFD) = %q", Clean(nfd))
	}
}

func TestResolveAndMembersOn(t *testing.T) {
	d := func(s string) Date { v, _ := ParseDate(s); return v }
	cal := &Calendar{
		Agencies: []Agency{
			{ID: "so-a"},
			{ID: "huyen-a", Life: Span{Until: d("2025-06-30")}, Successor: "xa"},
			{ID: "huyen-b", Life: Span{Until: d("2025-06-30")}, Successor: "xa"},
			{ID: "xa", Life: Span{From: d("2025-07-01")}},
			{ID: "gone", Life: Span{Until: d("2020-12-31")}},
		},
		Groups: []Group{{ID: "huyen", Members: []string{"huyen-a", "huyen-b", "so-a"},
			Terms: map[string]Span{"so-a": {From: d("2024-01-01"), Until: d("2024-12-31")}}}},
	}
	if got, ok := cal.Resolve("huyen-a", d("2025-06-30")); !ok || got != "huyen-a" {
		t.Errorf("on its last day: %q %v", got, ok)
	}
	if got, ok := cal.Resolve("huyen-a", d("2025-07-01")); !ok || got != "xa" {
		t.Errorf("the day after: %q %v", got, ok)
	}
	if _, ok := cal.Resolve("xa", d("2025-06-30")); ok {
		t.Error("an agency answers before it exists")
	}
	if _, ok := cal.Resolve("gone", d("2021-01-01")); ok {
		t.Error("an agency with no successor answers after its end")
	}
	for day, want := range map[string]string{
		"2023-06-01": "huyen-a,huyen-b",
		"2024-06-01": "huyen-a,huyen-b,so-a",
		"2026-06-01": "xa",
	} {
		got := ""
		for i, id := range cal.MembersOn([]string{"huyen"}, d(day)) {
			if i > 0 {
				got += ","
			}
			got += id
		}
		if got != want {
			t.Errorf("members on %s = %s, want %s", day, got, want)
		}
	}
	r := Report{Support: []string{"huyen"}}
	if !cal.Involved(r, "xa") || cal.Involved(r, "gone") {
		t.Error("Involved does not follow successors")
	}
}
