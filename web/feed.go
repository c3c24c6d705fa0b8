package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"hanchot"
	"hanchot/store"
)

// What the big calendar clients do decides the shape of a feed: they
// ignore VTODO and the alarms of subscribed calendars, refresh every few
// hours, and show an event twice when its UID changes. So each occurrence
// is one all-day VEVENT on the date that counts, with a UID that never
// changes, a SEQUENCE that grows when its date changes, and
// STATUS:CANCELLED once it leaves the calendar; the summary says its state
// and the event does not make anyone busy.

// refresh is how often a client is asked to fetch the feed again.
const refresh = "PT6H"

// Feed describes one calendar feed.
type Feed struct {
	Name        string // X-WR-CALNAME, in Vietnamese
	Description string
	Timezone    string // the configured zone's name
	// Province marks the focal point's feed of every agency's lead
	// deadlines: each summary names its agency.
	Province bool
	Today    hanchot.Date   // the day the feed is made: what is overdue
	Location *time.Location // the configured zone
	// AgencyName names an agency by its id (for a successor); it may
	// return the id.
	AgencyName func(id string) string
	// AgencyPage returns the address of an agency's page, or "" when
	// none can be given (no signing key, or the province feed).
	AgencyPage func(id string) string
}

// Horizon returns the reporting years a feed made on day today covers, and
// the first day of its events: the current reporting year and the next,
// and of the year before only what falls in the current calendar year or
// later (the annual report of last year, due in January).
func Horizon(today hanchot.Date) (from, to int, since hanchot.Date) {
	y := today.Year()
	return y - 1, y + 1, hanchot.NewDate(y, time.January, 1)
}

// InHorizon keeps the entries whose date that counts is on or after since:
// those of the year before the current one that still matter.
func InHorizon(entries []store.FeedEntry, since hanchot.Date) []store.FeedEntry {
	var out []store.FeedEntry
	for _, e := range entries {
		if !e.Target.Before(since) {
			out = append(out, e)
		}
	}
	return out
}

// UID returns an occurrence's event UID: built from its identity (report
// code, deadline, reporting year, agency, role), so it stays the same
// whatever its date or state, across syncs and for ever. The deadline is
// its explicit id when the configuration gives one, else its period as
// compared by hanchot.PeriodKey ("Quý 1" is "Quý I").
func UID(e store.FeedEntry) string {
	deadline := hanchot.PeriodKey(e.Period)
	if e.Ident != "" {
		deadline = "id:" + hanchot.IDKey(e.Ident)
	}
	sum := sha256.Sum256([]byte(deadline))
	return fmt.Sprintf("%d-%s-%s-%s-%s@hanchot", e.Year, e.Code, hex.EncodeToString(sum[:4]), e.Agency, e.Role)
}

// state is where an occurrence stands on the feed's day.
type state int

const (
	open state = iota
	extended
	overdue
	submitted
	cancelled
)

func stateOf(e store.FeedEntry, today hanchot.Date) state {
	switch {
	case !e.Retired.IsZero():
		return cancelled
	case e.Submission != nil:
		return submitted
	case e.Tracked && e.Target.Before(today):
		return overdue
	case e.Extended:
		return extended
	}
	return open
}

var stateLabel = map[state]string{
	extended:  "[Gia hạn] ",
	overdue:   "[Quá hạn] ",
	submitted: "[Đã gửi] ",
	cancelled: "[Đã hủy] ",
}

// Modified returns when an occurrence's event last changed: its date or
// retirement, a submission recorded or undone, or its going overdue (at
// the start of the day after its date).
func Modified(e store.FeedEntry, f Feed) time.Time {
	m := e.Changed
	if e.SubmissionChanged.After(m) {
		m = e.SubmissionChanged
	}
	if stateOf(e, f.Today) == overdue {
		if t := e.Target.AddDays(1).At(0, 0, f.Location); t.After(m) {
			m = t
		}
	}
	return m.UTC().Truncate(time.Second)
}

// Build makes the calendar of the entries. It depends only on them and on
// f, never on the clock, so that the same data gives the same bytes (and
// the same ETag).
func Build(f Feed, entries []store.FeedEntry) *ics.Calendar {
	cal := ics.NewCalendarFor("hanchot")
	cal.SetProductId("-//hanchot//Lich han bao cao CCHC//VI")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(f.Name) // NAME and X-WR-CALNAME
	if f.Description != "" {
		cal.SetXWRCalDesc(f.Description)
	}
	cal.SetXWRTimezone(f.Timezone)
	cal.SetRefreshInterval(refresh) // the library writes ;VALUE=DURATION
	cal.SetXPublishedTTL(refresh)
	if last := LastModified(f, entries); !last.IsZero() {
		cal.SetLastModified(last)
	}
	for _, e := range entries {
		modified := Modified(e, f)
		st := stateOf(e, f.Today)
		ev := cal.AddEvent(UID(e))
		ev.SetSequence(e.Revision)
		ev.SetDtStampTime(modified)
		ev.SetLastModifiedAt(modified)
		ev.SetAllDayStartAt(e.Target.At(0, 0, time.UTC))
		ev.SetAllDayEndAt(e.Target.AddDays(1).At(0, 0, time.UTC))
		ev.SetSummary(summary(e, st, f))
		ev.SetDescription(description(e, st, f))
		ev.SetTimeTransparency(ics.TransparencyTransparent)
		if st == cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
		if page := agencyPage(e, f); page != "" {
			ev.SetURL(page)
		}
	}
	return cal
}

// Write writes cal in RFC 5545 form: CRLF line ends, lines folded at 75
// octets without splitting a UTF-8 character.
func Write(w io.Writer, cal *ics.Calendar) error {
	return cal.SerializeTo(w, ics.WithNewLine("\r\n"))
}

// LastModified returns when the newest event of the entries changed; zero
// for none.
func LastModified(f Feed, entries []store.FeedEntry) time.Time {
	var last time.Time
	for _, e := range entries {
		if m := Modified(e, f); m.After(last) {
			last = m
		}
	}
	return last
}

func agencyPage(e store.FeedEntry, f Feed) string {
	if f.AgencyPage == nil || f.Province {
		return ""
	}
	return f.AgencyPage(e.Agency)
}

func periodText(e store.FeedEntry) string {
	return fmt.Sprintf("%s năm %d", e.Period, e.Year)
}

// summary is the event's title: its state, the report and the period;
// "[Đã gửi] 1.2.1 Báo cáo định kỳ về CCHC (Quý I năm 2026)".
func summary(e store.FeedEntry, st state, f Feed) string {
	var b strings.Builder
	b.WriteString(stateLabel[st])
	fmt.Fprintf(&b, "%s %s (%s", e.Code, e.Title, periodText(e))
	if e.Role == hanchot.Support {
		b.WriteString(", phối hợp")
	}
	b.WriteString(")")
	if f.Province {
		b.WriteString(" – " + e.AgencyName)
	}
	return b.String()
}

// description says what the event is about, in full.
func description(e store.FeedEntry, st state, f Feed) string {
	lines := []string{
		e.Code + " " + e.Title,
		"Kỳ báo cáo: " + periodText(e),
		"Cơ quan: " + e.AgencyName,
	}
	if e.Role == hanchot.Lead {
		lines = append(lines, "Vai trò: chủ trì")
	} else {
		lines = append(lines, "Vai trò: phối hợp (gửi số liệu, ý kiến cho cơ quan chủ trì để tổng hợp)")
		for _, l := range e.Leads {
			lines = append(lines, fmt.Sprintf("Cơ quan chủ trì: %s (hạn %s)", l.Name, l.Target.VN()))
		}
	}
	lines = append(lines, "Hạn theo kế hoạch: "+e.Due.VN())
	if !e.EffectiveDue.Equal(e.Due) {
		why := "dời sang ngày làm việc kế tiếp"
		if e.Role == hanchot.Support {
			why = "trước hạn của cơ quan chủ trì, để kịp tổng hợp"
		}
		lines = append(lines, fmt.Sprintf("Hạn của cơ quan: %s (%s)", e.EffectiveDue.VN(), why))
	}
	if e.Extended {
		lines = append(lines, "Được gia hạn đến: "+e.Target.VN())
	}
	lines = append(lines, "Tình trạng: "+stateText(e, st, f))
	if page := agencyPage(e, f); page != "" {
		lines = append(lines, "Trang của cơ quan (xác nhận đã gửi, đề nghị gia hạn): "+page)
	}
	lines = append(lines, "", "Lịch này do hệ thống theo dõi hạn báo cáo cập nhật tự động; sửa trên lịch sẽ không được ghi nhận.")
	return strings.Join(lines, "\n")
}

func stateText(e store.FeedEntry, st state, f Feed) string {
	switch st {
	case cancelled:
		if e.MovedTo != "" {
			name := e.MovedTo
			if f.AgencyName != nil {
				name = f.AgencyName(e.MovedTo)
			}
			return "đã chuyển cho cơ quan kế nhiệm " + name
		}
		return "đã hủy: không còn trong lịch báo cáo (từ ngày " + hanchot.DateOf(e.Retired, f.Location).VN() + ")"
	case submitted:
		s := "đã gửi ngày " + hanchot.DateOf(e.Submission.At, f.Location).VN()
		if e.Submission.Ref != "" {
			s += ", văn bản số " + e.Submission.Ref
		}
		return s
	case overdue:
		return "quá hạn từ ngày " + e.Target.AddDays(1).VN() + ", chưa gửi"
	}
	return "chưa gửi"
}
