package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds the loader any bytes: it must never panic; it either
// accepts the file with its calendar built, or returns a *Error whose every
// problem is on a line of the file or says why it has none. The seeds (the
// good and bad files of testdata) run as a normal test; "go test -fuzz
// FuzzParse ./config" explores further.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/bad/*.toml")
	seeds = append(seeds, "../testdata/good-minimal.toml", "../config.example.toml")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, err := Parse("f.toml", src, nil)
		if err == nil {
			if cfg.Calendar == nil || cfg.Location == nil {
				t.Fatal("accepted without a calendar")
			}
			return
		}
		var ce *Error
		if !errors.As(err, &ce) || len(ce.Problems) == 0 {
			t.Fatalf("error %v is not a *config.Error with problems", err)
		}
		lines := strings.Count(string(src), "\n") + 1
		for _, p := range ce.Problems {
			switch {
			case p.Line == 0 && !strings.HasSuffix(p.Message, text("noLine")):
				t.Errorf("problem without a line nor a reason: %q", p.Message)
			case p.Line < 0 || p.Line > lines:
				t.Errorf("line %d of a %d-line file: %q", p.Line, lines, p.Message)
			case p.Message == "" || (strings.Contains(p.Message, "%!") && !strings.Contains(string(src), "%!")):
				t.Errorf("bad message %q", p.Message)
			}
		}
	})
}
