package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/bad/*.golden")

// Every file of testdata/bad holds one kind of mistake; its .golden file
// holds the exact output of check. Run "go test ./config -update" to
// rewrite the golden files after changing a message, and read the diff.
func TestBadFilesGolden(t *testing.T) {
	defer fixClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))()
	files, err := filepath.Glob("../testdata/bad/*.toml")
	if err != nil || len(files) < 30 {
		t.Fatalf("only %d bad files (%v)", len(files), err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(strings.TrimSuffix(name, ".toml"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(name, src, nil)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse = %v, want *config.Error", err)
			}
			for _, p := range ce.Problems {
				if p.Line < 1 {
					t.Errorf("problem without a line: %q", p.Message)
				}
			}
			got := ce.Error() + "\n"
			golden := strings.TrimSuffix(f, ".toml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./config -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\ngot:\n%swant:\n%s", golden, got, want)
			}
		})
	}
}

// fixClock sets the checks' clock and returns the function that puts it back.
func fixClock(at time.Time) func() {
	old := now
	now = func() time.Time { return at }
	return func() { now = old }
}
