package config

import (
	"bufio"
	"bytes"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"

	"hanchot/token"
)

// checkWeb checks the [web] section. The signing key itself is never
// shown in a message, only where it comes from.
func (c *checker) checkWeb(w *Web) {
	for _, place := range []string{"web.listen", "web.metrics_listen"} {
		v := w.Listen
		if place == "web.metrics_listen" {
			v = w.MetricsListen
		}
		if v != "" && !validListen(v) {
			c.add(place, "listen", label(place), v)
		}
	}
	if w.MetricsListen != "" && w.MetricsListen == w.Listen {
		c.add("web.metrics_listen", "metricsSame", w.MetricsListen)
	}
	if w.BaseURL != "" {
		u, err := url.Parse(w.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			c.add("web.base_url", "baseURL", w.BaseURL)
		}
	}
	if w.AdminsFile != "" {
		c.checkAdmins(w.AdminsFile)
	}

	// The current key: HANCHOT_WEB_SECRET, else secret_file.
	hasKey := false
	switch {
	case w.Secret != "":
		hasKey = true
		if len(strings.TrimSpace(w.Secret)) < token.MinKeyLen {
			c.err.Problems = append(c.err.Problems, Problem{0, text("secretEnvShort", token.MinKeyLen)})
		}
	case w.SecretFile != "":
		hasKey = true
		c.checkSecretFile("web.secret_file", w.SecretFile)
	}
	if w.AdminsFile != "" && !hasKey {
		c.add("web.admins_file", "adminsNoKey")
	}
	if w.PreviousSecretFile != "" {
		c.checkSecretFile("web.previous_secret_file", w.PreviousSecretFile)
		if !hasKey {
			c.add("web.previous_secret_file", "previousAlone")
		}
	}
	for i, p := range w.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			c.add(elemPlace("web.trusted_proxies", i), "proxy", p)
		}
	}
}

// validListen reports whether s is a host:port to listen on: ":8080",
// "127.0.0.1:8080", "[::1]:8080", or port 0 for any free port.
func validListen(s string) bool {
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

// checkSecretFile checks that the file at path holds a key long enough;
// what it holds is never shown.
func (c *checker) checkSecretFile(place, path string) {
	key, err := ReadSecretFile(path)
	switch {
	case os.IsNotExist(err):
		c.add(place, "fileMissing", label(place), path)
	case err != nil:
		c.add(place, "fileUnreadable", label(place), path)
	case len(key) < token.MinKeyLen:
		c.add(place, "secretShort", label(place), token.MinKeyLen, path)
	}
}

// ReadSecretFile reads a signing key from a file, without the white space
// around it (a file written by echo ends with a newline).
func ReadSecretFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return bytes.TrimSpace(b), nil
}

// checkAdmins checks that the admins file exists and that each of its
// lines is "user:bcrypt-hash" as htpasswd -B writes it.
func (c *checker) checkAdmins(path string) {
	f, err := os.Open(path)
	if err != nil {
		c.add("web.admins_file", "fileMissing", label("web.admins_file"), path)
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if !ok || user == "" || !isBcrypt(hash) {
			c.add("web.admins_file", "adminsLine", path, n, path)
		}
	}
	if sc.Err() != nil {
		c.add("web.admins_file", "fileUnreadable", label("web.admins_file"), path)
	}
}

// isBcrypt reports whether s looks like a bcrypt hash: $2a$, $2b$ or $2y$,
// a cost, and 53 characters of salt and hash.
func isBcrypt(s string) bool {
	if len(s) != 60 || s[0] != '$' || s[1] != '2' || s[3] != '$' || s[6] != '$' {
		return false
	}
	return strings.ContainsRune("aby", rune(s[2])) && s[4:6] >= "04" && s[4:6] <= "31"
}
