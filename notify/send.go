package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"path/filepath"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"hanchot"
	"hanchot/scheduler"
)

// Envelope is what every message shares: sender, reply address and the
// zone of its Date header.
type Envelope struct {
	From     string // "Name <addr>"
	ReplyTo  string
	Location *time.Location
}

// Build turns a delivery into a go-mail message to its one address:
// plain text with an HTML alternative, the stored Message-ID, and a Date
// of when it was queued, so that a resend is the same email.
func (e Envelope) Build(d hanchot.Delivery) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(e.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", e.From, err)
	}
	if err := msg.AddToFormat(d.ToName, d.Address); err != nil {
		return nil, fmt.Errorf("to %q: %w", d.Address, err)
	}
	if e.ReplyTo != "" {
		if err := msg.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", e.ReplyTo, err)
		}
	}
	msg.Subject(d.Subject)
	msg.SetMessageIDWithValue(d.MessageID)
	msg.SetDateWithValue(d.CreatedAt.In(e.Location))
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(mail.Header("X-Hanchot-Kind"), string(d.Kind))
	msg.SetUserAgent("hanchot")
	msg.SetBodyString(mail.TypeTextPlain, d.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, d.HTML)
	return msg, nil
}

// Dir writes each message as an .eml file into a folder.
type Dir struct {
	Path     string
	Envelope Envelope
}

// Open makes the folder.
func (d *Dir) Open(ctx context.Context) (scheduler.Conn, error) {
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return nil, err
	}
	return d, nil
}

// Send writes one delivery, atomically (a temporary file renamed). The
// rename is the point after which the message is out: ready (when not
// nil) is called before it, and false leaves no file.
func (d *Dir) Send(ctx context.Context, m hanchot.Delivery, ready func() bool) hanchot.SendResult {
	msg, err := d.Envelope.Build(m)
	if err != nil {
		return hanchot.SendResult{Reply: err.Error()}
	}
	name := fmt.Sprintf("%s-%06d-%s-%s.eml", m.CreatedAt.In(d.Envelope.Location).Format("20060102-150405"), m.ID, m.Kind, m.Agency)
	path := filepath.Join(d.Path, name)
	tmp := path + ".tmp"
	if err := msg.WriteToFile(tmp); err != nil {
		return hanchot.SendResult{Temporary: true, Reply: err.Error()}
	}
	if ready != nil && !ready() {
		os.Remove(tmp)
		return hanchot.SendResult{Temporary: true, Reply: "given up before it was written"}
	}
	if err := os.Rename(tmp, path); err != nil {
		return hanchot.SendResult{Temporary: true, Reply: err.Error()}
	}
	return hanchot.SendResult{OK: true, Reply: "written to " + path}
}

// Close does nothing.
func (d *Dir) Close() error { return nil }

// SMTP sends through an SMTP server, one connection per pass.
type SMTP struct {
	Host     string
	Port     int
	TLS      string // starttls | tls | opportunistic | none
	Auth     string // auto | plain | login | cram-md5, used when Username is set
	Username string
	Password string
	Timeout  time.Duration
	Envelope Envelope
	// TLSConfig overrides the TLS settings (tests use it to trust their
	// own certificate).
	TLSConfig *tls.Config
}

type smtpConn struct {
	client  *mail.Client // the settings: TLS, authentication, timeouts
	c       *smtp.Client // the session
	env     Envelope
	timeout time.Duration
}

// Open connects and, with a user name, authenticates. Any error here is
// a transport outage (refused, DNS, timeout, TLS handshake, 421 at the
// greeting, AUTH rejected): it says nothing about a message.
func (s *SMTP) Open(ctx context.Context) (scheduler.Conn, error) {
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(s.Timeout)}
	switch s.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if s.TLSConfig != nil {
		opts = append(opts, mail.WithTLSConfig(s.TLSConfig))
	} else {
		opts = append(opts, mail.WithTLSConfig(&tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}))
	}
	if s.Username != "" {
		// "auto" picks the strongest mechanism the server offers and, on a
		// connection without TLS, none that sends the password in clear.
		auth := map[string]mail.SMTPAuthType{"plain": mail.SMTPAuthPlain, "login": mail.SMTPAuthLogin,
			"cram-md5": mail.SMTPAuthCramMD5}[s.Auth]
		if auth == "" {
			auth = mail.SMTPAuthAutoDiscover
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(s.Username), mail.WithPassword(s.Password))
	}
	client, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, err
	}
	c, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", net.JoinHostPort(s.Host, fmt.Sprint(s.Port)), err)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	return &smtpConn{client: client, c: c, env: s.Envelope, timeout: timeout}, nil
}

// The steps of one SMTP transaction, for telling what a failure means.
type step string

const (
	stepMail step = "MAIL FROM"   // about the sender
	stepRcpt step = "RCPT TO"     // about the address
	stepData step = "DATA"        // the server refused to take the text
	stepEnd  step = "end of data" // about the message
)

// Send sends one delivery over the session and classifies the outcome.
// It takes the message through MAIL, RCPT, DATA and its text, then calls
// ready (when not nil) before the final dot, the point after which the
// server has the message. When ready returns false the message is given
// up: the connection is dropped before the dot, so that the server
// discards it, and the result is Broken. Each wait for the server's reply
// is bounded by the session's timeout, and the whole by ctx's deadline.
//
// Each message is one transaction with no NOOP before it and no RSET
// after it when it was accepted (the server's answer to the dot ends the
// transaction), so a message costs four round trips.
func (s *smtpConn) Send(ctx context.Context, d hanchot.Delivery, ready func() bool) hanchot.SendResult {
	msg, err := s.env.Build(d)
	if err != nil {
		return hanchot.SendResult{Reply: err.Error()} // a bad address never gets better
	}
	// The envelope's addresses, as go-mail writes them ("<addr>").
	from, err := msg.GetSender(false)
	if err != nil {
		return hanchot.SendResult{Reply: err.Error()}
	}
	rcpts, err := msg.GetRecipients()
	if err != nil {
		return hanchot.SendResult{Reply: err.Error()}
	}
	s.deadline(ctx)
	if err := s.c.Mail(from); err != nil {
		return s.failed(stepMail, err)
	}
	for _, rcpt := range rcpts {
		if err := s.c.Rcpt(rcpt); err != nil {
			return s.failed(stepRcpt, err)
		}
	}
	w, err := s.c.Data()
	if err != nil {
		return s.failed(stepData, err)
	}
	if _, err := msg.WriteTo(w); err != nil {
		return s.broken(err)
	}
	if ready != nil {
		if !ready() {
			return s.broken(errors.New("given up before the end of its data"))
		}
		if ctx.Err() != nil {
			// The wait took the message's time: its claim may run out
			// before the server answers the dot.
			return s.broken(errors.New("timeout: no time left for the end of its data after waiting for the outbox"))
		}
		s.deadline(ctx) // the dot's reply gets a full wait, whatever the wait for ready took
	}
	if err := w.Close(); err != nil {
		return s.failed(stepEnd, err)
	}
	reply := "250 accepted"
	if dc, ok := w.(*smtp.DataCloser); ok && dc.ServerResponse() != "" {
		reply = "250 " + dc.ServerResponse() // the text of the final reply, without its code
	}
	return hanchot.SendResult{OK: true, Reply: reply}
}

// deadline bounds the next exchanges with the server by the session's
// timeout, and never past the context's deadline.
func (s *smtpConn) deadline(ctx context.Context) {
	timeout := s.timeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = time.Until(dl)
	}
	s.c.UpdateDeadline(timeout)
}

// broken drops the connection after a failure that leaves it unusable.
func (s *smtpConn) broken(err error) hanchot.SendResult {
	s.c.Close()
	return hanchot.SendResult{Temporary: true, Broken: true, Reply: errorText(err)}
}

// failed tells what a failed step means: a refusal at MAIL FROM is about
// the sender, an outage; a 5xx about the address or the message is final;
// a 4xx is worth retrying later; a lost connection, a timeout or a 421
// (the server closing) breaks the session, and the message is tried again
// on a new one. A refused transaction is reset for the next message.
func (s *smtpConn) failed(at step, err error) hanchot.SendResult {
	var tp *textproto.Error
	if !errors.As(err, &tp) || tp.Code == 421 {
		return s.broken(fmt.Errorf("%s: %w", at, err))
	}
	r := hanchot.SendResult{Reply: string(at) + ": " + err.Error()}
	switch {
	case at == stepMail:
		// About the sender (530 authentication required, 550 sender
		// refused): every message would meet it.
		r.Temporary, r.Outage = true, true
	case tp.Code < 500:
		r.Temporary = true
	}
	if at != stepEnd {
		if err := s.c.Reset(); err != nil {
			s.c.Close()
			r.Broken = true
		}
	}
	return r
}

// errorText is an error as the log and the outbox show it: a timeout says
// so.
func errorText(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout: " + err.Error()
	}
	return err.Error()
}

// Close ends the session with QUIT, or, when QUIT fails, by closing the
// connection.
func (s *smtpConn) Close() error {
	if err := s.client.CloseWithSMTPClient(s.c); err != nil {
		s.c.Close()
		return err
	}
	return nil
}
