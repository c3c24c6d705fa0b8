// Package notify turns digests into email and delivers it: composing is a
// pure function of the digest and the templates; delivery goes to an SMTP
// server or, as .eml files, to a folder.
package notify

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"

	"hanchot"
)

//go:embed templates/*
var builtin embed.FS

// Composer renders digests with the built-in templates, or with the files
// of a folder where it has them.
type Composer struct {
	domain  string // for Message-IDs
	subject map[hanchot.Kind]*texttemplate.Template
	text    map[hanchot.Kind]*texttemplate.Template
	html    map[hanchot.Kind]*htmltemplate.Template
}

var funcs = map[string]any{
	"daysLeft": daysLeft,
	"table": func(items []ItemView, overdue, showAgency bool) map[string]any {
		return map[string]any{"Items": items, "Overdue": overdue, "ShowAgency": showAgency}
	},
}

// daysLeft says how long is left in Vietnamese.
func daysLeft(n int) string {
	switch {
	case n == 0:
		return "hạn chót là hôm nay"
	case n == 1:
		return "còn 1 ngày"
	case n < 0:
		return fmt.Sprintf("quá %d ngày", -n)
	}
	return fmt.Sprintf("còn %d ngày", n)
}

// NewComposer loads the templates. dir, when not empty, is a folder whose
// files (reminder.subject, reminder.txt, reminder.html, layout.html, and
// the same for overdue and escalation) replace the built-in ones. from is
// the sender's address; its domain names the Message-IDs.
func NewComposer(dir, from string) (*Composer, error) {
	c := &Composer{
		domain:  "hanchot.invalid",
		subject: map[hanchot.Kind]*texttemplate.Template{},
		text:    map[hanchot.Kind]*texttemplate.Template{},
		html:    map[hanchot.Kind]*htmltemplate.Template{},
	}
	if at := strings.LastIndex(from, "@"); at >= 0 {
		c.domain = strings.TrimRight(from[at+1:], "> ")
	}
	read := func(name string) (string, error) {
		if dir != "" {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err == nil {
				return string(b), nil
			}
			if !os.IsNotExist(err) {
				return "", err
			}
		}
		b, err := builtin.ReadFile("templates/" + name)
		return string(b), err
	}
	layout, err := read("layout.html")
	if err != nil {
		return nil, err
	}
	for _, k := range []hanchot.Kind{hanchot.Reminder, hanchot.Overdue, hanchot.Escalation} {
		src, err := read(string(k) + ".subject")
		if err != nil {
			return nil, err
		}
		if c.subject[k], err = texttemplate.New(string(k) + ".subject").Funcs(funcs).Parse(strings.TrimSpace(src)); err != nil {
			return nil, fmt.Errorf("template %s.subject: %w", k, err)
		}
		if src, err = read(string(k) + ".txt"); err != nil {
			return nil, err
		}
		if c.text[k], err = texttemplate.New(string(k) + ".txt").Funcs(funcs).Parse(src); err != nil {
			return nil, fmt.Errorf("template %s.txt: %w", k, err)
		}
		if src, err = read(string(k) + ".html"); err != nil {
			return nil, err
		}
		t, err := htmltemplate.New(string(k) + ".html").Funcs(funcs).Parse(layout)
		if err == nil {
			t, err = t.Parse(src)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s.html: %w", k, err)
		}
		c.html[k] = t
	}
	return c, nil
}

// View is what templates see.
type View struct {
	Kind      hanchot.Kind
	Recipient hanchot.Agency
	Today     string // dd/mm/yyyy
	Count     int
	First     ItemView    // the nearest (reminders) or oldest (overdue) item
	Groups    []DateGroup // items by date: reminders and overdue notices
	Agencies  []AgencyGroup
	Failures  []FailureView
	Subject   string
}

// DateGroup holds the items due on one date.
type DateGroup struct {
	Date  string
	Days  int
	Items []ItemView
}

// AgencyGroup holds one late agency's items, for escalations.
type AgencyGroup struct {
	ID, Name string
	Items    []ItemView
}

// ItemView is one line of a digest.
type ItemView struct {
	Code, Title, Period string
	Year                int
	Due                 string // the date that counts, dd/mm/yyyy
	Days                int    // left, or overdue
	Role                string // Chủ trì | Phối hợp
	AgencyName          string
	Level               int
	Extended            bool
}

// FailureView is an undeliverable message.
type FailureView struct {
	To, Subject, Reply string
	Status             string // failed | expired
}

func view(d hanchot.Digest) View {
	v := View{Kind: d.Kind, Recipient: d.Recipient, Today: d.Today.VN(), Count: len(d.Notices)}
	byAgency := map[string]int{}
	for _, n := range d.Notices {
		role := "Chủ trì"
		if n.Role == hanchot.Support {
			role = "Phối hợp"
		}
		iv := ItemView{Code: n.Code, Title: n.Title, Period: n.Period, Year: n.Year, Due: n.Target.VN(), Days: n.Days,
			Role: role, AgencyName: n.AgencyName, Level: n.Step, Extended: n.Extended}
		if d.Kind == hanchot.Escalation {
			i, ok := byAgency[n.Agency]
			if !ok {
				i = len(v.Agencies)
				byAgency[n.Agency] = i
				v.Agencies = append(v.Agencies, AgencyGroup{ID: n.Agency, Name: n.AgencyName})
			}
			v.Agencies[i].Items = append(v.Agencies[i].Items, iv)
			continue
		}
		if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Date != iv.Due {
			v.Groups = append(v.Groups, DateGroup{Date: iv.Due, Days: iv.Days})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Items = append(g.Items, iv)
	}
	if len(v.Groups) > 0 {
		v.First = v.Groups[0].Items[0]
	}
	for _, f := range d.Failures {
		v.Failures = append(v.Failures, FailureView{To: f.Address, Subject: f.Subject, Reply: f.Reply, Status: f.Status})
	}
	return v
}

// Compose renders a digest into a message with a new Message-ID. The
// notices must be sorted by date (scheduler.Digests does).
func (c *Composer) Compose(d hanchot.Digest) (hanchot.Message, error) {
	v := view(d)
	var subj, text, html bytes.Buffer
	if err := c.subject[d.Kind].Execute(&subj, v); err != nil {
		return hanchot.Message{}, fmt.Errorf("subject: %w", err)
	}
	v.Subject = strings.Join(strings.Fields(subj.String()), " ")
	if err := c.text[d.Kind].Execute(&text, v); err != nil {
		return hanchot.Message{}, fmt.Errorf("text: %w", err)
	}
	if err := c.html[d.Kind].Execute(&html, v); err != nil {
		return hanchot.Message{}, fmt.Errorf("html: %w", err)
	}
	return hanchot.Message{
		Kind: d.Kind, Agency: d.Recipient.ID, To: d.Recipient.Emails, ToName: d.Recipient.Name,
		Subject: v.Subject, Text: text.String(), HTML: html.String(),
		MessageID: c.messageID(d),
	}, nil
}

// messageID returns the digest's Message-ID (without angle brackets),
// derived from its key: the same digest always gets the same one, so that
// a resend, even from a restored backup, is folded with the first copy.
func (c *Composer) messageID(d hanchot.Digest) string {
	return fmt.Sprintf("hanchot.%s.%s.%s@%s", d.Kind, d.Recipient.ID, d.Key(), c.domain)
}

// Check renders each kind of digest once with sample items, so that a
// template that parses but fails when it runs (a misspelt field, a wrong
// function argument) is found by "hanchot check" rather than by a pass.
func (c *Composer) Check(sample hanchot.Digest) error {
	var errs []error
	for _, k := range []hanchot.Kind{hanchot.Reminder, hanchot.Overdue, hanchot.Escalation} {
		d := sample
		d.Kind = k
		d.Notices = make([]hanchot.Notice, len(sample.Notices))
		for i, n := range sample.Notices {
			n.Kind = k
			if k != hanchot.Reminder {
				n.Days, n.Step = 3, 1
			}
			d.Notices[i] = n
		}
		if _, err := c.Compose(d); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k, err))
		}
	}
	return errors.Join(errs...)
}
