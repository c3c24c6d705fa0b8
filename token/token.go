// Package token signs and verifies the capability tokens of hanchot's web
// links: an agency's calendar feed, its page, and signed actions.
//
// A token says what it allows (a purpose, such as "feed"), about what (a
// subject, such as an agency id) and until when (an optional expiry). It
// is an HMAC-SHA256 over all three with the configured key. The purpose
// is not written in the token, only signed: a token made for one purpose
// never verifies for another. A token is not encrypted: its subject can be
// read from it, so a subject must carry no personal data (an agency id or
// an occurrence number, never a name or an address).
//
// Rotating the key revokes every token signed with the old one; while the
// old key is given as the previous key, its tokens are still accepted, so
// links already in people's mailboxes keep working for a grace period.
//
// The wire form is two base64url parts joined by a dot:
//
//	payload = version (1 byte) | expiry (uvarint Unix seconds, 0: none) | subject
//	mac     = HMAC-SHA256(key, "hanchot-token" NUL purpose NUL payload)
//
// Tokens are bearer secrets: never log them.
package token

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MinKeyLen is the shortest key accepted, in bytes.
const MinKeyLen = 32

// maxSubject bounds a subject, and maxToken a token read from a request.
const (
	maxSubject = 256
	maxToken   = 512
	version    = 1
)

var (
	// ErrInvalid is returned for a token that is malformed, forged,
	// altered, signed with an unknown key or made for another purpose.
	// Callers answer all of these the same way, so that nothing is
	// learnt by trying.
	ErrInvalid = errors.New("token: invalid")
	// ErrExpired is returned for a genuine token past its expiry; the
	// claims are returned with it, so that a page can say what the link
	// was for.
	ErrExpired = errors.New("token: expired")
	// ErrShortKey is returned by NewKeys for a key shorter than MinKeyLen.
	ErrShortKey = fmt.Errorf("token: the key must be at least %d bytes", MinKeyLen)
)

// Claims is what a token says.
type Claims struct {
	Purpose string    // what it allows: "feed", "agency", "submit", …
	Subject string    // what about: an agency id, "occurrence-id/agency", …
	Expires time.Time // the first instant it is no longer valid; zero: never
}

// Keys signs with the current key and verifies with the current and the
// previous one.
type Keys struct {
	current  []byte
	previous []byte // nil when there is none
}

// NewKeys returns the keys to sign and verify with. previous may be nil;
// it is the key being rotated out, accepted but never used to sign.
func NewKeys(current, previous []byte) (*Keys, error) {
	if len(current) < MinKeyLen || (previous != nil && len(previous) < MinKeyLen) {
		return nil, ErrShortKey
	}
	k := &Keys{current: bytes.Clone(current)}
	if previous != nil {
		k.previous = bytes.Clone(previous)
	}
	return k, nil
}

// Sign returns the token for c. Its purpose must be non-empty and its
// subject at most 256 bytes, neither holding a NUL byte, and its expiry
// zero or after 1970: those are programming errors, and Sign panics.
func (k *Keys) Sign(c Claims) string {
	if c.Purpose == "" || strings.ContainsRune(c.Purpose, 0) || strings.ContainsRune(c.Subject, 0) || len(c.Subject) > maxSubject {
		panic(fmt.Sprintf("token: cannot sign purpose %q, subject %q", c.Purpose, c.Subject))
	}
	var exp uint64
	if !c.Expires.IsZero() {
		if c.Expires.Unix() <= 0 {
			panic("token: expiry before 1970")
		}
		exp = uint64(c.Expires.Unix())
	}
	payload := []byte{version}
	payload = binary.AppendUvarint(payload, exp)
	payload = append(payload, c.Subject...)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(mac(k.current, c.Purpose, payload))
}

// Verify checks tok for purpose as of now and returns its claims. Any
// token that does not verify is ErrInvalid; a genuine one past its expiry
// is ErrExpired, with its claims. The signature is compared in constant
// time.
func (k *Keys) Verify(tok, purpose string, now time.Time) (Claims, error) {
	if len(tok) > maxToken || purpose == "" {
		return Claims{}, ErrInvalid
	}
	p, s, ok := strings.Cut(tok, ".")
	if !ok {
		return Claims{}, ErrInvalid
	}
	payload, err := base64.RawURLEncoding.Strict().DecodeString(p)
	if err != nil {
		return Claims{}, ErrInvalid
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return Claims{}, ErrInvalid
	}
	good := hmac.Equal(sig, mac(k.current, purpose, payload))
	if !good && k.previous != nil {
		good = hmac.Equal(sig, mac(k.previous, purpose, payload))
	}
	if !good {
		return Claims{}, ErrInvalid
	}
	// Only a payload this package signed gets here.
	if len(payload) < 2 || payload[0] != version {
		return Claims{}, ErrInvalid
	}
	exp, n := binary.Uvarint(payload[1:])
	if n <= 0 {
		return Claims{}, ErrInvalid
	}
	c := Claims{Purpose: purpose, Subject: string(payload[1+n:])}
	if exp != 0 {
		c.Expires = time.Unix(int64(exp), 0).UTC()
		if !now.Before(c.Expires) {
			return c, ErrExpired
		}
	}
	return c, nil
}

// mac signs a payload for a purpose.
func mac(key []byte, purpose string, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("hanchot-token\x00"))
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write(payload)
	return h.Sum(nil)
}
