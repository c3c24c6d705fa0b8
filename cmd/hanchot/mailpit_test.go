package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	mailpitsrv "hanchot/internal/mailpit"
)

// mailpit is a real mail server for end-to-end tests, with helpers to
// read what it received through its API.
type mailpit struct {
	smtpPort int
	api      string
}

func startMailpit(t *testing.T) *mailpit {
	t.Helper()
	s := mailpitsrv.Start(t)
	return &mailpit{smtpPort: s.Port, api: s.API}
}

type mailpitMessage struct {
	ID        string
	MessageID string
	Subject   string
	To        []struct{ Address string }
}

func (m *mailpit) messages(t *testing.T) []mailpitMessage {
	t.Helper()
	resp, err := http.Get(m.api + "/api/v1/messages?limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Total    int
		Messages []mailpitMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Messages
}

func (m *mailpit) text(t *testing.T, id string) string {
	t.Helper()
	resp, err := http.Get(m.api + "/api/v1/message/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Text string }
	json.NewDecoder(resp.Body).Decode(&body)
	return body.Text
}

// htmlCheck returns Mailpit's score of how widely the message's HTML is
// supported by mail clients, and the features it warns about.
func (m *mailpit) htmlCheck(t *testing.T, id string) (float64, []string) {
	t.Helper()
	resp, err := http.Get(m.api + "/api/v1/message/" + id + "/html-check")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Total struct {
			Supported, Partial, Unsupported float64
		}
		Warnings []struct {
			Title string
			Score struct{ Supported, Partial, Unsupported float64 }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, w := range body.Warnings {
		warnings = append(warnings, fmt.Sprintf("%s (%.0f%% unsupported)", w.Title, w.Score.Unsupported))
	}
	return body.Total.Supported, warnings
}

func (m *mailpit) clear(t *testing.T) {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, m.api+"/api/v1/messages", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// The Lào Cai calendar, delivered to Mailpit through the environment
// overrides: one digest per recipient, readable Vietnamese subjects, and
// nothing new on a second run.
func TestMailpit_EndToEnd(t *testing.T) {
	mp := startMailpit(t)
	env := smtpEnv(filepath.Join(t.TempDir(), "h.db"), mp.smtpPort)
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	msgs := mp.messages(t)
	if len(msgs) < 30 {
		t.Fatalf("mailpit holds %d messages", len(msgs))
	}
	perRecipient := map[string]int{}
	var snv *mailpitMessage
	for i, m := range msgs {
		kind := strings.SplitN(m.Subject, "]", 2)[0]
		perRecipient[kind+" "+m.To[0].Address]++
		if m.To[0].Address == "cchc.snv@laocai.example" && strings.HasPrefix(m.Subject, "[Nhắc hạn]") {
			snv = &msgs[i]
		}
	}
	for k, n := range perRecipient {
		if n != 1 {
			t.Errorf("%s: %d digests", k, n)
		}
	}
	if snv == nil {
		t.Fatal("no reminder to Sở Nội vụ")
	}
	if want := "[Nhắc hạn] Báo cáo 1.2.1 đến hạn 15/03/2019 (còn 7 ngày)"; snv.Subject != want {
		t.Errorf("subject = %q, want %q", snv.Subject, want)
	}
	if text := mp.text(t, snv.ID); !strings.Contains(text, "Kính gửi: Sở Nội vụ") || !strings.Contains(text, "1.2.1 Báo cáo định kỳ về CCHC") {
		t.Errorf("text:\n%s", text)
	}
	// Mailpit's HTML check: how well mail clients render the HTML part.
	for _, m := range msgs {
		if m.To[0].Address == "stp@laocai.example" && strings.HasPrefix(m.Subject, "[Nhắc hạn]") {
			score, warnings := mp.htmlCheck(t, m.ID)
			t.Logf("Mailpit HTML check of a supporting agency's reminder: %.1f%% supported; %s", score, strings.Join(warnings, "; "))
			if score < 80 {
				t.Errorf("HTML check score %.1f%% is below 80%%: %s", score, strings.Join(warnings, "; "))
			}
		}
	}
	mp.clear(t)
	if code, _, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-08T08:00"); code != 0 {
		t.Fatal(errs)
	}
	if n := len(mp.messages(t)); n != 0 {
		t.Errorf("second run delivered %d", n)
	}

	// Nothing submitted: the pass of 18/03 escalates 1.2.1 Quý I to the
	// focal point.
	env = smtpEnv(filepath.Join(t.TempDir(), "h2.db"), mp.smtpPort)
	if code, out, errs := run(t, env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-18T08:00"); code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	var esc *mailpitMessage
	for i, m := range mp.messages(t) {
		if m.To[0].Address == "cchc.snv@laocai.example" && strings.HasPrefix(m.Subject, "[Đôn đốc]") {
			esc = &mp.messages(t)[i]
		}
	}
	if esc == nil {
		t.Fatal("no escalation to the focal point in Mailpit")
	}
	if text := mp.text(t, esc.ID); !strings.Contains(text, "1.2.1 Báo cáo định kỳ về CCHC — Quý I năm 2019 (Chủ trì); hạn 15/03/2019, quá 3 ngày") {
		t.Errorf("escalation text:\n%s", text)
	}
	if score, warnings := mp.htmlCheck(t, esc.ID); score < 80 {
		t.Errorf("escalation HTML check %.1f%%: %s", score, strings.Join(warnings, "; "))
	} else {
		t.Logf("Mailpit HTML check of the focal point's escalation: %.1f%% supported; %s", score, strings.Join(warnings, "; "))
	}
}
