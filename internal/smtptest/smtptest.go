// Package smtptest runs an SMTP server on 127.0.0.1 inside a test process.
// It records what it receives and can be told to answer 4xx or 5xx (at
// RCPT for chosen addresses, or at DATA), to greet with 421, to drop the
// connection, or to be slow, always or for the next few messages.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	netmail "net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one received message.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Header parses the message's header.
func (m Message) Header() netmail.Header {
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return netmail.Header{}
	}
	return msg.Header
}

// Server is a running test server.
type Server struct {
	Addr string
	Host string
	Port int

	mu       sync.Mutex
	messages []Message
	// Reject, when set, answers DATA (after reading it) for the recipients
	// it returns an error for: return &smtp.SMTPError{Code: 450, ...}.
	reject func(to []string) error
	// Drop closes the connection instead of answering DATA.
	drop bool
	// Delay holds each DATA answer back this long.
	delay time.Duration
	// rcpt, when set, answers RCPT TO for the addresses it returns an
	// error for.
	rcpt func(addr string) error
	// dropNext and stallNext spoil the next so many messages at DATA:
	// the connection is closed, or the answer held back by stall.
	dropNext, stallNext int
	stall               time.Duration
	// greet421 greets every new connection with "421" and closes it.
	greet421 bool
	// sessions counts the connections that reached the SMTP session.
	sessions int
	// Users, when not nil, requires AUTH PLAIN with one of these.
	users  map[string]string
	logins int

	srv *smtp.Server
	ln  net.Listener
	tls bool
	// TLSSeen counts messages received over TLS.
	tlsSeen int
}

// TLSMessages counts the messages that arrived over TLS.
func (s *Server) TLSMessages() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tlsSeen
}

// Start starts a plain server on 127.0.0.1:0, closed at the end of the
// test.
func Start(tb testing.TB) *Server { return start(tb, nil, false) }

// StartTLS starts a server with a fresh self-signed certificate for
// 127.0.0.1: offering STARTTLS, or speaking TLS from the first byte when
// implicit. It returns the pool that trusts the certificate.
func StartTLS(tb testing.TB, implicit bool) (*Server, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return start(tb, cfg, implicit), pool
}

func start(tb testing.TB, tlsConfig *tls.Config, implicit bool) *Server {
	tb.Helper()
	s := &Server{}
	srv := smtp.NewServer(&backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.TLSConfig = tlsConfig
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ln = listener{ln, s}
	if implicit {
		ln = tls.NewListener(ln, tlsConfig)
	}
	s.srv, s.ln = srv, ln
	s.Addr = ln.Addr().String()
	s.Host = "127.0.0.1"
	s.Port = ln.Addr().(*net.TCPAddr).Port // the listener's address is the TCP one
	s.tls = tlsConfig != nil
	go srv.Serve(ln)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() {
	s.ln.Close()
	s.srv.Close()
}

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Reset forgets what was received.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = nil
}

// RejectWith makes DATA fail with err for messages f picks (nil f: none).
func (s *Server) RejectWith(f func(to []string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = f
}

// Drop makes the server close connections at DATA.
func (s *Server) Drop(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop = on
}

// Delay holds each DATA answer back by d.
func (s *Server) Delay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// RequireAuth makes the server demand AUTH PLAIN with the given users.
func (s *Server) RequireAuth(users map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = users
}

// Logins counts successful logins.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

type backend struct{ s *Server }

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	b.s.sessions++
	return &session{s: b.s, conn: c}, nil
}

// listener greets connections with 421 and closes them while the server
// is told to.
type listener struct {
	net.Listener
	s *Server
}

func (l listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.s.mu.Lock()
		refuse := l.s.greet421
		l.s.mu.Unlock()
		if !refuse {
			return c, nil
		}
		io.WriteString(c, "421 4.3.2 service not available, try later\r\n")
		c.Close()
	}
}

// RejectRcpt makes RCPT TO fail with the error f returns for an address
// (nil f, or a nil error: accepted).
func (s *Server) RejectRcpt(f func(addr string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpt = f
}

// DropNext closes the connection at DATA for the next n messages.
func (s *Server) DropNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropNext = n
}

// StallNext holds back the DATA answer of the next n messages by d.
func (s *Server) StallNext(n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stallNext, s.stall = n, d
}

// Greet421 makes the server greet new connections with "421" and close
// them, as a server does that is overloaded or going down.
func (s *Server) Greet421(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.greet421 = on
}

// Sessions counts the connections that were greeted.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		x.s.mu.Lock()
		defer x.s.mu.Unlock()
		if want, ok := x.s.users[username]; !ok || want != password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		x.s.logins++
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, opts *smtp.MailOptions) error {
	x.s.mu.Lock()
	needAuth := x.s.users != nil
	x.s.mu.Unlock()
	if needAuth && !x.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	if x.from != "" {
		// As real servers do: a transaction left open (a refused RCPT
		// without RSET) refuses the next MAIL.
		return &smtp.SMTPError{Code: 503, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "nested MAIL command"}
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, opts *smtp.RcptOptions) error {
	x.s.mu.Lock()
	rcpt := x.s.rcpt
	x.s.mu.Unlock()
	if rcpt != nil {
		if err := rcpt(to); err != nil {
			return err
		}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	reject, drop, delay := x.s.reject, x.s.drop, x.s.delay
	if x.s.dropNext > 0 {
		x.s.dropNext--
		drop = true
	}
	if x.s.stallNext > 0 {
		x.s.stallNext--
		delay = x.s.stall
	}
	x.s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if drop {
		x.conn.Conn().Close()
		return errors.New("dropped")
	}
	if reject != nil {
		if err := reject(x.to); err != nil {
			return err
		}
	}
	_, overTLS := x.conn.TLSConnectionState()
	x.s.mu.Lock()
	x.s.messages = append(x.s.messages, Message{From: x.from, To: append([]string(nil), x.to...), Data: data})
	if overTLS {
		x.s.tlsSeen++
	}
	x.s.mu.Unlock()
	return nil
}

func (x *session) Reset() { x.from, x.to = "", nil }

func (x *session) Logout() error { return nil }
