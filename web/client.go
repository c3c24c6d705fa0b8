package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// client is what a request says about who sent it.
type client struct {
	IP string // the client's address
	// HTTPS tells that the client reached the site over https, directly
	// or through a trusted proxy: cookies are then marked Secure.
	HTTPS     bool
	UserAgent string
}

// clientOf returns the client of r. X-Forwarded-For and
// X-Forwarded-Proto are believed only when the connection comes from one
// of [web] trusted_proxies: anyone else could write them. The client is
// then the nearest address in X-Forwarded-For that is not a trusted
// proxy.
func (s *Server) clientOf(r *http.Request) client {
	c := client{HTTPS: r.TLS != nil, UserAgent: truncate(r.UserAgent(), 300)}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	c.IP = host
	trusted := s.trustedProxies()
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return c
	}
	if proto := r.Header.Get("X-Forwarded-Proto"); proto != "" {
		c.HTTPS = strings.EqualFold(strings.TrimSpace(lastOf(proto)), "https")
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a hop that is not an address: believe nothing further
		}
		c.IP = a.Unmap().String()
		if !isTrusted(a, trusted) {
			break
		}
	}
	return c
}

// trustedProxies reads [web] trusted_proxies: addresses and networks.
// The configuration check refuses entries that are neither.
func (s *Server) trustedProxies() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range s.current().Config.Web.TrustedProxies {
		if pr, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pr.Masked())
		} else if a, err := netip.ParseAddr(p); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// lastOf returns the last of comma-separated values: the one the nearest
// proxy wrote.
func lastOf(v string) string {
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		return v[i+1:]
	}
	return v
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
