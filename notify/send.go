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

// Send writes one delivery, atomically (a temporary file renamed).
func (d *Dir) Send(ctx context.Context, m hanchot.Delivery) hanchot.SendResult {
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
	c   *mail.Client
	env Envelope
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
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", net.JoinHostPort(s.Host, fmt.Sprint(s.Port)), err)
	}
	return &smtpConn{c: c, env: s.Envelope}, nil
}

// Send sends one delivery and classifies the outcome.
func (s *smtpConn) Send(ctx context.Context, d hanchot.Delivery) hanchot.SendResult {
	msg, err := s.env.Build(d)
	if err != nil {
		return hanchot.SendResult{Reply: err.Error()} // a bad address never gets better
	}
	done := make(chan error, 1)
	go func() { done <- s.c.Send(msg) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		s.c.Close()
		return hanchot.SendResult{Temporary: true, Broken: true, Reply: "timeout: " + ctx.Err().Error()}
	}
	if err == nil || msg.IsDelivered() {
		// The server took it; a failure after that (RSET) only means the
		// connection is not fit for the next message.
		reply := "250 " + msg.ServerResponse() // go-mail keeps the text of the final reply, without its code
		if reply == "250 " {
			reply = "250 accepted"
		}
		return hanchot.SendResult{OK: true, Broken: err != nil, Reply: reply}
	}
	return classify(err)
}

// classify tells what a failed send means: an error at MAIL FROM is about
// the sender, an outage; a 5xx about the message or the address is final; a 4xx is worth retrying later; a lost connection, a
// reply without a code or a 421 (the server closing) breaks the session,
// and the message is tried again on a new one.
func classify(err error) hanchot.SendResult {
	reply := err.Error()
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case se.Reason == mail.ErrSMTPMailFrom && code != 421 && code != 0:
			// About the sender (530 authentication required, 550 sender
			// refused): every message would meet it.
			return hanchot.SendResult{Temporary: true, Outage: true, Reply: reply}
		case se.Reason == mail.ErrGetSender || se.Reason == mail.ErrGetRcpts:
			return hanchot.SendResult{Reply: reply}
		case se.Reason == mail.ErrConnCheck || code == 421 || code == 0:
			return hanchot.SendResult{Temporary: true, Broken: true, Reply: reply}
		case code >= 500:
			return hanchot.SendResult{Reply: reply}
		default:
			return hanchot.SendResult{Temporary: true, Reply: reply}
		}
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		switch {
		case tp.Code == 421:
			return hanchot.SendResult{Temporary: true, Broken: true, Reply: reply}
		case tp.Code >= 500:
			return hanchot.SendResult{Reply: reply}
		case tp.Code >= 400:
			return hanchot.SendResult{Temporary: true, Reply: reply}
		}
	}
	return hanchot.SendResult{Temporary: true, Broken: true, Reply: reply}
}

// Close ends the session.
func (s *smtpConn) Close() error { return s.c.Close() }
