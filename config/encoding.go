package config

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// readText turns the bytes of a configuration file into the text the TOML
// reader gets: without a byte-order mark, and with every Vietnamese letter
// in one normal form (NFC), so that "Quý I" typed on two machines is the
// same period. A file that is not UTF-8 gets one problem that says how to
// save it as UTF-8; guessing its code page would risk wrong names in the
// emails.
func readText(src []byte) (string, *Problem) {
	switch {
	case bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}):
		src = src[3:]
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}), bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		return "", &Problem{1, text("utf16")}
	}
	if looksUTF16(src) {
		return "", &Problem{1, text("utf16")}
	}
	if !utf8.Valid(src) {
		line := 1 + bytes.Count(src[:firstInvalid(src)], []byte("\n"))
		if name := legacyEncoding(src); name != "" {
			return "", &Problem{line, text("legacyEnc", name)}
		}
		return "", &Problem{line, text("unknownEnc")}
	}
	s := string(src)
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s, nil
}

// looksUTF16 spots UTF-16 without a byte-order mark: ASCII text in UTF-16
// has a zero byte in every other place.
func looksUTF16(src []byte) bool {
	n := min(len(src), 200)
	zeros := bytes.Count(src[:n], []byte{0})
	return n >= 2 && zeros*4 >= n
}

func firstInvalid(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}

// legacyEncoding guesses which old Vietnamese code page a file that is
// not UTF-8 was saved in, or returns "". Windows-1258 writes tone marks as
// separate bytes (0xCC, 0xEC, 0xD2, 0xDE, 0xF2) after a vowel, and has its
// own bytes for ă, â, đ, ê, ô, ơ, ư. TCVN3 (ABC) puts its letters with
// tone marks in 0xA1–0xFE, many of them below 0xC0, where Windows-1258 has
// only symbols that Vietnamese text rarely uses.
// (TCVN3 shows in Windows as "Së Néi vô" for "Sở Nội vụ".)
func legacyEncoding(src []byte) string {
	var tones, letters1258, low, high int
	for i, b := range src {
		if b < 0x80 {
			continue
		}
		switch {
		case b == 0xCC || b == 0xEC || b == 0xD2 || b == 0xDE || b == 0xF2:
			if i > 0 && strings.IndexByte("aeiouyAEIOUY\xe2\xea\xf4\xe3\xf5\xfd\xc2\xca\xd4\xc3\xd5\xdd", src[i-1]) >= 0 {
				tones++
			}
		case strings.IndexByte("\xe3\xe2\xf0\xea\xf4\xf5\xfd\xc3\xc2\xd0\xca\xd4\xd5\xdd", b) >= 0:
			letters1258++
		}
		if b >= 0xA1 && b < 0xC0 {
			low++
		} else if b >= 0xC0 {
			high++
		}
	}
	switch {
	case low > tones && low*4 > high:
		return "TCVN3 (ABC)"
	case tones > 0 || letters1258 > 0:
		return "Windows-1258"
	}
	return ""
}
