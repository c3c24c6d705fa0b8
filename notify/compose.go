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
	ctx     Context
	subject map[hanchot.Kind]*texttemplate.Template
	text    map[hanchot.Kind]*texttemplate.Template
	html    map[hanchot.Kind]*htmltemplate.Template
}

// Context is what every email says besides its items: who writes, under
// which plan, whom to call.
type Context struct {
	FocalPoint  hanchot.Agency // the standing body that follows the plan
	Org         Org
	SupportDays int // working days a supporting agency's input is due before the lead's date
	// Links, when set, gives the addresses an email carries: beside each
	// of the recipient's own items, where to confirm it was sent and
	// where to ask for a later date; in the footer, the recipient's page
	// and calendar feed.
	Links Links
}

// Links makes the addresses an email carries. Any method may return ""
// when it has no address to give.
type Links interface {
	// AgencyPage is the address of an agency's own page.
	AgencyPage(agency string) string
	// AgencyFeed is the address of an agency's calendar feed.
	AgencyFeed(agency string) string
	// Submit is where an item's agency confirms it has sent it, and
	// Extend where it asks for a later date.
	Submit(it hanchot.Item) string
	Extend(it hanchot.Item) string
}

// Org is the footer of every email: the issuing body, the plan, a contact.
type Org struct {
	Name    string // "UBND tỉnh Lào Cai"
	Plan    string // "Kế hoạch số 221/KH-UBND ngày 28/5/2019"
	Contact string // a person
	Phone   string
	Email   string
}

// Kinds are the digests a composer renders, in the order of their
// templates.
var Kinds = []hanchot.Kind{hanchot.Reminder, hanchot.Overdue, hanchot.Escalation, hanchot.Correction}

// NewComposer loads the templates. dir, when not empty, is a folder whose
// files (reminder.subject, reminder.txt, reminder.html, layout.html, and
// the same for overdue, escalation and correction) replace the built-in
// ones. from is the sender's address; its domain names the Message-IDs.
func NewComposer(dir, from string, ctx Context) (*Composer, error) {
	c := &Composer{
		domain:  "hanchot.invalid",
		ctx:     ctx,
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
	// The shared parts: the built-in ones first, so that a folder made
	// for an earlier release, which lacks a part added since (the links
	// of an item), still has it; then the folder's, which replace them.
	builtinLayout, _ := builtin.ReadFile("templates/layout.html")
	builtinFooter, _ := builtin.ReadFile("templates/footer.txt")
	layout, err := read("layout.html")
	if err != nil {
		return nil, err
	}
	footer, err := read("footer.txt")
	if err != nil {
		return nil, err
	}
	for _, k := range Kinds {
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
		t, err := texttemplate.New(string(k) + ".txt").Funcs(funcs).Parse(string(builtinFooter))
		if err == nil {
			t, err = t.Parse(footer)
		}
		if err == nil {
			t, err = t.Parse(src)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s.txt: %w", k, err)
		}
		c.text[k] = t
		if src, err = read(string(k) + ".html"); err != nil {
			return nil, err
		}
		h, err := htmltemplate.New(string(k) + ".html").Funcs(funcs).Parse(string(builtinLayout))
		if err == nil {
			h, err = h.Parse(layout)
		}
		if err == nil {
			h, err = h.Parse(src)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s.html: %w", k, err)
		}
		c.html[k] = h
	}
	return c, nil
}

// Compose renders a digest into a message whose Message-ID comes from the
// digest's key. The notices must be sorted by date (scheduler.Digests
// does).
func (c *Composer) Compose(d hanchot.Digest) (hanchot.Message, error) {
	v := c.view(d)
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
	for _, k := range Kinds {
		d := sample
		d.Kind = k
		d.Notices = make([]hanchot.Notice, len(sample.Notices))
		for i, n := range sample.Notices {
			n.Kind = k
			switch k {
			case hanchot.Overdue, hanchot.Escalation:
				n.Days, n.Step, n.Escalated = 3, 1, true
			case hanchot.Correction:
				n.Kind, n.OldTarget = hanchot.Reminder, n.Target.AddDays(-3)
				if i > 0 {
					n.Kind, n.Removed = hanchot.Removal, true
				}
			}
			d.Notices[i] = n
		}
		if k == hanchot.Correction && len(sample.Notices) > 0 {
			// And the answer to a request for a later date.
			n := sample.Notices[0]
			n.Kind, n.Refused = hanchot.Refusal, &hanchot.RefusedRequest{Request: 1, Due: n.Target.AddDays(14), Answer: "Không đủ căn cứ"}
			d.Notices = append(d.Notices, n)
		}
		if _, err := c.Compose(d); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", k, err))
		}
	}
	return errors.Join(errs...)
}
