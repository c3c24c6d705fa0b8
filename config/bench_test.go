package config

import (
	"fmt"
	"strings"
	"testing"
)

// bigCalendar writes a valid configuration of at least size bytes: a few
// thousand agencies, groups of them, and reports with several deadlines
// each, in the shapes the secretariat uses (inline deadlines and
// [[report.deadlines]] tables).
func bigCalendar(size int) []byte {
	var b strings.Builder
	b.WriteString("timezone = \"Asia/Ho_Chi_Minh\"\n[schedule]\nfirst_year = 2019\nremind_days = [14, 7, 3, 1, 0]\n")
	b.WriteString("[escalation]\nfocal_point = \"co-quan-0\"\nafter_days = [1, 7, 15]\n")
	b.WriteString("[mail]\nfrom = \"Sở Nội vụ tỉnh Lào Cai <cchc@laocai.example>\"\n")
	const agencies = 3000
	for i := 0; i < agencies; i++ {
		fmt.Fprintf(&b, "\n[[agency]]\nid = \"co-quan-%d\"\nname = \"Ủy ban nhân dân xã số %d\"\nemail = [\"ubnd%d@laocai.example\", \"vanthu%d@laocai.example\"]\n", i, i, i, i)
	}
	for g := 0; g < 30; g++ {
		fmt.Fprintf(&b, "\n[[group]]\nid = \"nhom-%d\"\nname = \"Nhóm %d\"\nmembers = [", g, g)
		for m := 0; m < 100; m++ {
			if m > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "\"co-quan-%d\"", g*100+m)
		}
		b.WriteString("]\n")
	}
	for r := 0; b.Len() < size; r++ {
		fmt.Fprintf(&b, "\n[[report]]\ncode = \"%d.%d.%d\"\ntitle = \"Báo cáo định kỳ về công tác cải cách hành chính số %d\"\npoints = 0.25\n", r/100+1, r/10%10, r%10, r)
		fmt.Fprintf(&b, "lead = \"co-quan-%d\"\nsupport = [\"nhom-%d\", \"co-quan-%d\"]\nevidence = \"Báo cáo của UBND tỉnh; văn bản chỉ đạo, đôn đốc\"\n", r%agencies, r%30, (r+7)%agencies)
		if r%2 == 0 {
			b.WriteString("deadlines = [\n  { period = \"Quý I\", due = \"trước ngày 15/03\" },\n  { period = \"6 tháng\", due = \"15/06\" },\n  { period = \"Quý III\", due = \"quý III\" },\n  { period = \"Cả năm\", due = \"28/02 năm sau\" },\n]\n")
		} else {
			b.WriteString("\n[[report.deadlines]]\nperiod = \"Cả năm\"\ndue = \"trong quý IV năm trước\"\non_day_off = \"keep\"\n")
		}
	}
	return []byte(b.String())
}

// BenchmarkCheck5MB measures checking a 5 MB configuration, which must take
// well under a second:
//
//	go test -run XXX -bench Check5MB -benchmem ./config
func BenchmarkCheck5MB(b *testing.B) {
	src := bigCalendar(5 << 20)
	if _, err := Parse("big.toml", src, nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("big.toml", src, nil); err != nil {
			b.Fatal(err)
		}
	}
}
