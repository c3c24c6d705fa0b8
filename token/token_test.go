package token

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	keyA = []byte("0123456789abcdef0123456789abcdef-a")
	keyB = []byte("0123456789abcdef0123456789abcdef-b")
	now  = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
)

func mustKeys(t *testing.T, current, previous []byte) *Keys {
	t.Helper()
	k, err := NewKeys(current, previous)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSignVerify(t *testing.T) {
	k := mustKeys(t, keyA, nil)
	t.Run("OK", func(t *testing.T) {
		tok := k.Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"})
		c, err := k.Verify(tok, "feed", now)
		if err != nil || c.Subject != "so-tu-phap" || c.Purpose != "feed" || !c.Expires.IsZero() {
			t.Fatalf("Verify = %+v, %v", c, err)
		}
		if strings.ContainsAny(tok, "/+=?#") {
			t.Errorf("token %q is not URL-safe", tok)
		}
		if tok2 := k.Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"}); tok2 != tok {
			t.Errorf("signing twice gave %q and %q", tok, tok2)
		}
	})
	t.Run("Expiry", func(t *testing.T) {
		exp := now.Add(time.Hour)
		tok := k.Sign(Claims{Purpose: "submit", Subject: "42/so-tu-phap", Expires: exp})
		if c, err := k.Verify(tok, "submit", now); err != nil || !c.Expires.Equal(exp) {
			t.Fatalf("before expiry: %+v, %v", c, err)
		}
		c, err := k.Verify(tok, "submit", exp)
		if !errors.Is(err, ErrExpired) || c.Subject != "42/so-tu-phap" {
			t.Errorf("at expiry: %+v, %v; want ErrExpired with the claims", c, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		tok := k.Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"})
		payload, sig, _ := strings.Cut(tok, ".")
		other := k.Sign(Claims{Purpose: "feed", Subject: "so-noi-vu"})
		otherPayload, _, _ := strings.Cut(other, ".")
		flip := func(s string, i int) string {
			b := []byte(s)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			return string(b)
		}
		for name, bad := range map[string]string{
			"another purpose":       "", // checked below with the good token
			"empty":                 ".",
			"no dot":                payload + sig,
			"altered subject":       otherPayload + "." + sig,
			"altered signature":     payload + "." + flip(sig, 3),
			"truncated signature":   payload + "." + sig[:20],
			"padding":               payload + "." + sig + "=",
			"not base64":            payload + ".!!!",
			"too long":              strings.Repeat("A", 600) + "." + sig,
			"another key":           mustKeys(t, keyB, nil).Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"}),
			"two dots":              tok + ".x",
			"subject without token": "so-tu-phap",
		} {
			if bad == "" {
				bad = tok
			}
			purpose := "feed"
			if name == "another purpose" {
				purpose = "agency"
			}
			if c, err := k.Verify(bad, purpose, now); !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: Verify(%q) = %+v, %v; want ErrInvalid", name, bad, c, err)
			}
		}
	})
}

// Rotation: the new key signs, the previous one still verifies, and once
// it is dropped its tokens stop working.
func TestRotation(t *testing.T) {
	old := mustKeys(t, keyA, nil).Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"})
	rotating := mustKeys(t, keyB, keyA)
	if _, err := rotating.Verify(old, "feed", now); err != nil {
		t.Errorf("a token of the previous key during rotation: %v", err)
	}
	fresh := rotating.Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"})
	if fresh == old {
		t.Error("the rotating keys signed with the previous key")
	}
	after := mustKeys(t, keyB, nil)
	if _, err := after.Verify(fresh, "feed", now); err != nil {
		t.Errorf("a token of the new key: %v", err)
	}
	if _, err := after.Verify(old, "feed", now); !errors.Is(err, ErrInvalid) {
		t.Errorf("a token of a dropped key: %v, want ErrInvalid", err)
	}
}

func TestNewKeys_ShortKey(t *testing.T) {
	if _, err := NewKeys([]byte("short"), nil); !errors.Is(err, ErrShortKey) {
		t.Errorf("short current key: %v", err)
	}
	if _, err := NewKeys(keyA, []byte("short")); !errors.Is(err, ErrShortKey) {
		t.Errorf("short previous key: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	k, _ := NewKeys(keyA, keyB)
	f.Add(k.Sign(Claims{Purpose: "feed", Subject: "so-tu-phap"}))
	f.Add("AQ.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := k.Verify(tok, "feed", now)
		if err == nil && k.Sign(c) != tok {
			t.Errorf("%q verified but is not what Sign makes for %+v", tok, c)
		}
	})
}
