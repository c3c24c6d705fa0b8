package main

import (
	"errors"
	"strings"
	"testing"

	"hanchot/config"
)

// FuzzSubmissionsCSV feeds the reader of submit --csv any bytes: it must
// never panic, and whatever it refuses is a usage error (exit code 2) with
// the file's name. The seeds run as a normal test; "go test -fuzz
// FuzzSubmissionsCSV ./cmd/hanchot" explores further.
func FuzzSubmissionsCSV(f *testing.F) {
	cfg, err := config.Load(laocai, nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"code,period,year,agency,submitted_at,ref\n1.2.1,Quý I,2019,so-noi-vu,10/03/2019,12/BC-SNV\n",
		"mã;kỳ;năm;cơ quan;ngày gửi\n1.2.1;Quý I;2019;so-noi-vu;10/03/2019 09:30\n",
		"\ufeffcode,period,year,agency,submitted_at\r\n1.2.1,Quý I,2019,so-noi-vu,2019-03-10\r\n",
		"code,period,year,agency,submitted_at\n1.2.1,\"Quý I,2019,so-noi-vu,10/03/2019\n", // unterminated quote
		"code,period,year,agency,submitted_at\n1.2.1,Qu\"ý I,2019,so-noi-vu,10/03/2019\n",
		"code,period,year,agency,submitted_at\n\"1.2.1\"x,Quý I,2019,so-noi-vu,10/03/2019\n",
		"code,period,year,agency,submitted_at\n",
		"\"",
		"",
		"code\n1\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, l := range []Lang{English, Vietnamese} {
			subs, err := parseSubmissionsCSV(l, "fuzz.csv", data, cfg, "fuzz")
			if err == nil {
				if len(subs) == 0 {
					t.Fatal("no error and no rows")
				}
				continue
			}
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(ue.msg, "fuzz.csv") {
				t.Fatalf("error %v (%s) is not a usage error naming the file", err, l)
			}
		}
	})
}

// The row after an unterminated quote used to make the reader panic.
func TestSubmissionsCSV_UnterminatedQuote(t *testing.T) {
	cfg, err := config.Load(laocai, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := "code,period,year,agency,submitted_at\n1.2.1,Quý I,2019,so-noi-vu,10/03/2019\n1.2.1,\"6 tháng,2019,so-noi-vu,10/07/2019\n"
	_, err = parseSubmissionsCSV(English, "nop.csv", []byte(src), cfg, "")
	if err == nil || !strings.Contains(err.Error(), "nop.csv:3:") {
		t.Fatalf("err = %v, want a problem on nop.csv:3", err)
	}
}
