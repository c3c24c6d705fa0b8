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

// Build turns a message into a go-mail message: plain text with an HTML
// alternative, the stored Message-ID, and a Date of when it was queued, so
// that a resend is the same email.
func (e Envelope) Build(m hanchot.Message) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(e.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", e.From, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("to %v: %w", m.To, err)
	}
	if e.ReplyTo != "" {
		if err := msg.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", e.ReplyTo, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.CreatedAt.In(e.Location))
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(mail.Header("X-Hanchot-Kind"), string(m.Kind))
	msg.SetUserAgent("hanchot")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
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

// Send writes one message, atomically (a temporary file renamed).
func (d *Dir) Send(ctx context.Context, m hanchot.Message) hanchot.SendResult {
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

// Open connects and, with a user name, authenticates.
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

// Send sends one message and classifies the outcome.
func (s *smtpConn) Send(ctx context.Context, m hanchot.Message) hanchot.SendResult {
	msg, err := s.env.Build(m)
	if err != nil {
		return hanchot.SendResult{Reply: err.Error()} // a bad address never gets better
	}
	done := make(chan error, 1)
	go func() { done <- s.c.Send(msg) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		s.c.Close()
		return hanchot.SendResult{Temporary: true, Reply: "timeout: " + ctx.Err().Error()}
	}
	if err == nil {
		reply := msg.ServerResponse()
		if reply == "" {
			reply = "250 accepted"
		}
		return hanchot.SendResult{OK: true, Reply: reply}
	}
	return classify(err)
}

// classify tells temporary failures (4xx replies, network trouble) from
// permanent ones (5xx replies, addresses that cannot be used).
func classify(err error) hanchot.SendResult {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case code >= 500:
			return hanchot.SendResult{Reply: err.Error()}
		case code >= 400:
			return hanchot.SendResult{Temporary: true, Reply: err.Error()}
		case se.Reason == mail.ErrGetSender || se.Reason == mail.ErrGetRcpts:
			return hanchot.SendResult{Reply: err.Error()}
		}
		return hanchot.SendResult{Temporary: true, Reply: err.Error()}
	}
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return hanchot.SendResult{Reply: err.Error()}
	}
	return hanchot.SendResult{Temporary: true, Reply: err.Error()}
}

// Close ends the session.
func (s *smtpConn) Close() error { return s.c.Close() }
