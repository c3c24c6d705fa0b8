package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"hanchot"
	"hanchot/store"
	"hanchot/token"
)

// march1 is the fixture's day: 1 March 2019, 08:00 in Hà Nội.
var march1 = time.Date(2019, 3, 1, 1, 0, 0, 0, time.UTC)

// event is what a test reads of a VEVENT.
type event struct {
	uid, summary, description, status, transp, url string
	start                                          time.Time
	sequence                                       int
}

// parseFeed parses a feed with the library and returns its calendar and
// its events by UID.
func parseFeed(t *testing.T, body []byte) (*ics.Calendar, map[string]event) {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	events := map[string]event{}
	for _, ev := range cal.Events() {
		prop := func(p ics.ComponentProperty) string {
			if v := ev.GetProperty(p); v != nil {
				return v.Value
			}
			return ""
		}
		e := event{uid: ev.Id(), summary: prop(ics.ComponentPropertySummary), description: prop(ics.ComponentPropertyDescription),
			status: prop(ics.ComponentPropertyStatus), transp: prop(ics.ComponentPropertyTransp), url: prop(ics.ComponentPropertyUrl)}
		if e.start, err = ev.GetAllDayStartAt(); err != nil {
			t.Fatalf("%s: DTSTART: %v", e.uid, err)
		}
		if e.sequence, err = strconv.Atoi(prop(ics.ComponentPropertySequence)); err != nil {
			t.Fatalf("%s: SEQUENCE %q", e.uid, prop(ics.ComponentPropertySequence))
		}
		if _, dup := events[e.uid]; dup {
			t.Fatalf("UID %s twice", e.uid)
		}
		events[e.uid] = e
	}
	return cal, events
}

// calProp returns a calendar property's value.
func calProp(cal *ics.Calendar, name string) string {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == name {
			return p.Value
		}
	}
	return ""
}

func (f *fixture) agencyFeed(agency string) (*http.Response, []byte) {
	f.t.Helper()
	resp, body := f.get("GET", f.path(f.srv.current().Links().AgencyFeed(agency)))
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("feed of %s: %s\n%s", agency, resp.Status, body)
	}
	return resp, body
}

// findEvent returns the one event whose summary holds all of parts.
func findEvent(t *testing.T, events map[string]event, parts ...string) event {
	t.Helper()
	var found []event
	for _, e := range events {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(e.summary, p)
		}
		if ok {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d events have %q", len(found), parts)
	}
	return found[0]
}

// The feed is RFC 5545 as the library reads it: CRLF, lines of at most 75
// octets that never split a character, one all-day transparent event per
// occurrence of the horizon; and what the library reads it writes back
// the same.
func TestFeed_ParsesAndRoundTrips(t *testing.T) {
	f := newFixture(t, march1)
	resp, body := f.agencyFeed("so-tu-phap")
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if !bytes.HasSuffix(body, []byte("END:VCALENDAR\r\n")) {
		t.Errorf("the feed does not end with END:VCALENDAR CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(body), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %.200q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a character: %q", i+1, l)
		}
	}

	cal, events := parseFeed(t, body)
	entries, err := f.db.FeedEntries(context.Background(), store.FeedFilter{Agency: "so-tu-phap", From: 2018, To: 2020})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 || len(events) != len(entries) {
		t.Fatalf("%d events for %d occurrences of 2019-2020", len(events), len(entries))
	}
	roles := map[hanchot.Role]int{}
	for _, e := range entries {
		roles[e.Role]++
		ev, ok := events[UID(e)]
		if !ok {
			t.Fatalf("no event %s", UID(e))
		}
		if !ev.start.Equal(e.Target.At(0, 0, time.UTC)) || ev.sequence != 0 || ev.status != "CONFIRMED" || ev.transp != "TRANSPARENT" {
			t.Errorf("%s: %+v", UID(e), ev)
		}
		if !strings.Contains(ev.summary, e.Code+" "+e.Title) || !strings.Contains(ev.description, "Kỳ báo cáo: "+e.Period+" năm "+strconv.Itoa(e.Year)) {
			t.Errorf("%s: summary %q, description %q", UID(e), ev.summary, ev.description)
		}
		if ev.url == "" || !strings.HasPrefix(ev.url, "https://hanchot.laocai.example/co-quan/") {
			t.Errorf("%s: URL %q", UID(e), ev.url)
		}
	}
	if roles[hanchot.Lead] == 0 || roles[hanchot.Support] == 0 {
		t.Errorf("roles in the feed: %v", roles)
	}
	support := findEvent(t, events, "1.2.1 Báo cáo định kỳ về CCHC (Quý I năm 2019, phối hợp)")
	for _, want := range []string{"Cơ quan chủ trì: Sở Nội vụ (hạn 15/03/2019)", "Hạn theo kế hoạch: 15/03/2019", "Hạn của cơ quan: 12/03/2019", "Tình trạng: chưa gửi"} {
		if !strings.Contains(support.description, want) {
			t.Errorf("the support event's description lacks %q:\n%s", want, support.description)
		}
	}
	for name, want := range map[string]string{
		"X-WR-CALNAME": "Hạn báo cáo CCHC – Sở Tư pháp", "NAME": "Hạn báo cáo CCHC – Sở Tư pháp",
		"X-PUBLISHED-TTL": "PT6H", "REFRESH-INTERVAL": "PT6H", "X-WR-TIMEZONE": "Asia/Ho_Chi_Minh", "METHOD": "PUBLISH",
	} {
		if got := calProp(cal, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	var again bytes.Buffer
	if err := Write(&again, cal); err != nil || again.String() != string(body) {
		t.Errorf("written back, the parsed feed differs (%v)", err)
	}
}

// UIDs never change: not between two fetches, not across a sync that
// relabels a period. An extension moves the event and raises its
// SEQUENCE; a submission changes its summary; an occurrence that leaves
// the calendar stays, CANCELLED; one past its date shows overdue.
func TestFeed_ChangesKeepUIDs(t *testing.T) {
	f := newFixture(t, march1)
	resp1, body1 := f.agencyFeed("so-tu-phap")
	resp2, body2 := f.agencyFeed("so-tu-phap")
	if !bytes.Equal(body1, body2) || resp1.Header.Get("ETag") != resp2.Header.Get("ETag") {
		t.Error("two fetches of an unchanged feed differ")
	}
	_, before := parseFeed(t, body1)

	// "Quý I" written "Quý 1" is the same deadline: nothing moves.
	cal := *f.cfg.Calendar
	cal.Reports = append([]hanchot.Report(nil), cal.Reports...)
	for i, r := range cal.Reports {
		if r.Code == "1.2.1" {
			r.Deadlines = append([]hanchot.Deadline(nil), r.Deadlines...)
			r.Deadlines[0].Period = "Quý 1"
			cal.Reports[i] = r
		}
	}
	f.now = f.now.Add(time.Hour)
	f.sync(&cal)
	_, relabelled := parseFeed(t, f.fetch("so-tu-phap"))
	if len(relabelled) != len(before) {
		t.Fatalf("%d events after the sync, %d before", len(relabelled), len(before))
	}
	for uid, e := range before {
		if got, ok := relabelled[uid]; !ok || got.sequence != e.sequence || !got.start.Equal(e.start) {
			t.Errorf("%s after a sync that relabels a period: %+v", uid, got)
		}
	}

	// An extension.
	support := findEvent(t, before, "1.2.1 Báo cáo định kỳ về CCHC (Quý I năm 2019, phối hợp)")
	key := store.OccurrenceKey{Code: "1.2.1", Period: "Quý I", Year: 2019, Agency: "so-tu-phap"}
	if _, err := f.db.Extend(context.Background(), key, hanchot.NewDate(2019, 3, 20), "chờ số liệu", "snv"); err != nil {
		t.Fatal(err)
	}
	_, extended := parseFeed(t, f.fetch("so-tu-phap"))
	e := extended[support.uid]
	if e.sequence != support.sequence+1 || !e.start.Equal(time.Date(2019, 3, 20, 0, 0, 0, 0, time.UTC)) ||
		!strings.HasPrefix(e.summary, "[Gia hạn] ") || !strings.Contains(e.description, "Được gia hạn đến: 20/03/2019") {
		t.Errorf("after the extension: %+v", e)
	}

	// A submission.
	if _, err := f.db.Submit(context.Background(), []store.NewSubmission{{Key: key, At: f.now, Ref: "12/BC-STP"}}, false); err != nil {
		t.Fatal(err)
	}
	_, submitted := parseFeed(t, f.fetch("so-tu-phap"))
	if e := submitted[support.uid]; e.sequence != support.sequence+1 || !strings.HasPrefix(e.summary, "[Đã gửi] 1.2.1 ") ||
		!strings.Contains(e.description, "đã gửi ngày 01/03/2019, văn bản số 12/BC-STP") {
		t.Errorf("after the submission: %+v", e)
	}

	// Report 1.2.5 leaves the calendar: its events stay, cancelled.
	removed := findEvent(t, before, "1.2.5 ", "Quý II năm 2019")
	cal.Reports = append([]hanchot.Report(nil), cal.Reports...)
	for i, r := range cal.Reports {
		if r.Code == "1.2.5" {
			cal.Reports = append(cal.Reports[:i], cal.Reports[i+1:]...)
			break
		}
	}
	f.sync(&cal)
	_, retired := parseFeed(t, f.fetch("so-tu-phap"))
	if len(retired) != len(before) {
		t.Errorf("%d events after the retirement, %d before", len(retired), len(before))
	}
	if e := retired[removed.uid]; e.status != "CANCELLED" || e.sequence != removed.sequence+1 || !strings.HasPrefix(e.summary, "[Đã hủy] ") {
		t.Errorf("the retired occurrence: %+v", e)
	}

	// Past its date, an open item shows overdue, and only then.
	f.now = time.Date(2019, 6, 20, 3, 0, 0, 0, time.UTC)
	_, later := parseFeed(t, f.fetch("so-tu-phap"))
	six := findEvent(t, later, "1.2.1 Báo cáo định kỳ về CCHC (6 tháng năm 2019, phối hợp)")
	if !strings.HasPrefix(six.summary, "[Quá hạn] ") || !strings.Contains(six.description, "quá hạn từ ngày 13/06/2019, chưa gửi") {
		t.Errorf("an open item past its date: %+v", six)
	}
	for _, e := range later {
		if past := e.start.Before(time.Date(2019, 6, 20, 0, 0, 0, 0, time.UTC)); strings.HasPrefix(e.summary, "[Quá hạn] ") != (past && e.status != "CANCELLED" && !strings.HasPrefix(e.summary, "[Đã gửi]")) {
			t.Errorf("overdue or not on 20/06/2019: %s %s", e.start.Format("2006-01-02"), e.summary)
		}
	}
}

// fetch returns the body of an agency's feed.
func (f *fixture) fetch(agency string) []byte {
	f.t.Helper()
	_, body := f.agencyFeed(agency)
	return body
}

// A matching ETag gets 304; HEAD gets the headers; the focal point's feed
// holds every lead deadline, named by agency.
func TestFeed_ConditionalAndProvince(t *testing.T) {
	f := newFixture(t, march1)
	path := f.path(f.srv.current().Links().AgencyFeed("so-tu-phap"))
	resp, body := f.get("GET", path)
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Last-Modified") == "" || resp.Header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("headers: %v", resp.Header)
	}
	if resp, body := f.get("GET", path, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("matching If-None-Match: %s, %d bytes", resp.Status, len(body))
	}
	if resp, _ := f.get("GET", path, "If-None-Match", `"other", `+etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match listing the ETag: %s", resp.Status)
	}
	if resp, got := f.get("GET", path, "If-None-Match", `"stale"`); resp.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
		t.Errorf("stale If-None-Match: %s", resp.Status)
	}
	if resp, got := f.get("HEAD", path); resp.StatusCode != http.StatusOK || len(got) != 0 || resp.Header.Get("ETag") != etag {
		t.Errorf("HEAD: %s, %d bytes, ETag %q", resp.Status, len(got), resp.Header.Get("ETag"))
	}

	resp, body = f.get("GET", f.path(f.srv.current().Links().ProvinceFeed("so-noi-vu")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("province feed: %s", resp.Status)
	}
	cal, events := parseFeed(t, body)
	entries, _ := f.db.FeedEntries(context.Background(), store.FeedFilter{Role: hanchot.Lead, From: 2018, To: 2020})
	if len(events) != len(entries) {
		t.Errorf("province feed: %d events, %d lead occurrences", len(events), len(entries))
	}
	if name := calProp(cal, "X-WR-CALNAME"); name != "Hạn báo cáo CCHC – UBND tỉnh Lào Cai (chủ trì)" {
		t.Errorf("province feed name %q", name)
	}
	e := findEvent(t, events, "1.2.2 ", "Cả năm năm 2019")
	if !strings.HasSuffix(e.summary, " – Sở Tư pháp") || e.url != "" {
		t.Errorf("a province event: %+v", e)
	}
}

// A token that does not verify gets the 404 of an address that does not
// exist, whatever is wrong with it, and is never logged.
func TestFeed_WrongTokens(t *testing.T) {
	f := newFixture(t, march1)
	_, notFound := f.get("GET", "/khong-co-trang-nay")
	links := f.srv.current().Links()
	good := strings.TrimSuffix(strings.TrimPrefix(f.path(links.AgencyFeed("so-tu-phap")), "/lich/"), ".ics")
	other, _ := token.NewKeys(keyB, nil)
	bad := map[string]string{
		"garbage":              "/lich/khong-phai-token.ics",
		"altered":              "/lich/" + good[:len(good)-2] + "AA.ics",
		"no .ics":              "/lich/" + good,
		"page token":           "/lich/" + strings.TrimPrefix(f.path(links.AgencyPage("so-tu-phap")), "/co-quan/") + ".ics",
		"another key":          f.path(Links{Base: f.cfg.Web.BaseURL, Keys: other}.AgencyFeed("so-tu-phap")),
		"unknown agency":       f.path(links.AgencyFeed("so-khong-co")),
		"agency token, all":    "/lich/tat-ca/" + good + ".ics",
		"not the focal point":  f.path(links.ProvinceFeed("so-tu-phap")),
		"empty":                "/lich/.ics",
		"province, no .ics":    strings.TrimSuffix(f.path(links.ProvinceFeed("so-noi-vu")), ".ics"),
		"province, other key":  f.path(Links{Base: f.cfg.Web.BaseURL, Keys: other}.ProvinceFeed("so-noi-vu")),
		"token in a subfolder": "/lich/x/" + good + ".ics",
	}
	for name, path := range bad {
		resp, body := f.get("GET", path)
		if resp.StatusCode != http.StatusNotFound || !bytes.Equal(body, notFound) {
			t.Errorf("%s: %s %q; want the plain 404", name, resp.Status, body)
		}
	}
	// Rotation: the old key's links work while it is the previous key.
	old := f.path(links.AgencyFeed("so-tu-phap"))
	rotated, _ := token.NewKeys(keyB, keyA)
	f.srv.SetSite(Site{Config: f.cfg, Keys: rotated})
	if resp, _ := f.get("GET", old); resp.StatusCode != http.StatusOK {
		t.Errorf("a link of the previous key during rotation: %s", resp.Status)
	}
	f.srv.SetSite(Site{Config: f.cfg, Keys: other})
	if resp, _ := f.get("GET", old); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a link of a dropped key: %s", resp.Status)
	}
	// Without a key nothing is served.
	f.srv.SetSite(Site{Config: f.cfg})
	if resp, _ := f.get("GET", old); resp.StatusCode != http.StatusNotFound {
		t.Errorf("without a key: %s", resp.Status)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "route=\"GET /lich/{file}\"") {
		t.Errorf("the requests were not logged:\n%s", logs)
	}
	if strings.Contains(logs, good) || strings.Contains(logs, "khong-phai-token") {
		t.Errorf("a token is in the log:\n%s", logs)
	}
}
