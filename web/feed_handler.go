package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/store"
)

// ErrUnknownAgency is returned by LoadFeed for an agency the database does
// not know.
var ErrUnknownAgency = errors.New("unknown agency")

// FeedQuery says which feed to make.
type FeedQuery struct {
	// Agency is the agency whose lead and supporting deadlines the feed
	// holds; with Province, every agency's lead deadlines instead.
	Agency   string
	Province bool
	// Year, when not 0, is the one reporting year the feed holds; 0 for
	// the horizon of Today (see Horizon).
	Year   int
	Today  hanchot.Date
	Config *config.Config
	Links  Links
}

// LoadFeed reads a feed's entries from the database and describes it.
func LoadFeed(ctx context.Context, db *store.DB, q FeedQuery) (Feed, []store.FeedEntry, error) {
	cfg := q.Config
	f := Feed{
		Timezone: cfg.Timezone, Province: q.Province, Today: q.Today, Location: cfg.Location,
		AgencyName: func(id string) string {
			if a, ok := cfg.Calendar.Agency(id); ok {
				return a.Name
			}
			return id
		},
		AgencyPage: q.Links.AgencyPage,
	}
	from, to, since := Horizon(q.Today)
	years := fmt.Sprintf("năm %d và %d", q.Today.Year(), q.Today.Year()+1)
	if q.Year != 0 {
		from, to, since = q.Year, q.Year, hanchot.Date{}
		years = fmt.Sprintf("năm đánh giá %d", q.Year)
	}
	filter := store.FeedFilter{Agency: q.Agency, From: from, To: to}
	if q.Province {
		filter = store.FeedFilter{Role: hanchot.Lead, From: from, To: to}
		who := "toàn tỉnh"
		if cfg.Org.Name != "" {
			who = cfg.Org.Name
		}
		f.Name = "Hạn báo cáo CCHC – " + who + " (chủ trì)"
		f.Description = fmt.Sprintf("Mọi hạn báo cáo cải cách hành chính của các cơ quan chủ trì, %s. Cập nhật tự động.", years)
	} else {
		name, known, err := db.AgencyName(ctx, q.Agency)
		if err != nil {
			return f, nil, err
		}
		if !known {
			return f, nil, fmt.Errorf("%s: %w", q.Agency, ErrUnknownAgency)
		}
		if a, ok := cfg.Calendar.Agency(q.Agency); ok {
			name = a.Name
		}
		f.Name = "Hạn báo cáo CCHC – " + name
		f.Description = fmt.Sprintf("Các hạn báo cáo cải cách hành chính của %s (chủ trì và phối hợp), %s. Cập nhật tự động.", name, years)
	}
	entries, err := db.FeedEntries(ctx, filter)
	if err != nil {
		return f, nil, err
	}
	if !since.IsZero() {
		entries = InHorizon(entries, since)
	}
	return f, entries, nil
}

// agencyFeed serves GET /lich/{token}.ics: an agency's calendar. Any token
// that does not verify, or names an agency the database does not know,
// gets the same 404 as an address that does not exist.
func (s *Server) agencyFeed(w http.ResponseWriter, r *http.Request) {
	site := s.current()
	tok, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || site.Keys == nil {
		http.NotFound(w, r)
		return
	}
	c, err := site.Keys.Verify(tok, PurposeFeed, s.now())
	if err != nil {
		http.NotFound(w, r)
		return
	}
	s.serveFeed(w, r, site, FeedQuery{Agency: c.Subject}, "lich-"+c.Subject+".ics")
}

// provinceFeed serves GET /lich/tat-ca/{token}.ics: every lead deadline,
// for the focal point. Its token names the focal point; after the focal
// point changes, the new one needs a new link.
func (s *Server) provinceFeed(w http.ResponseWriter, r *http.Request) {
	site := s.current()
	tok, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || site.Keys == nil {
		http.NotFound(w, r)
		return
	}
	c, err := site.Keys.Verify(tok, PurposeProvinceFeed, s.now())
	if err != nil || c.Subject != site.Config.Escalation.FocalPoint {
		http.NotFound(w, r)
		return
	}
	s.serveFeed(w, r, site, FeedQuery{Province: true}, "lich-tat-ca.ics")
}

// serveFeed makes the feed and answers with it, or with 304 when the
// client's copy (If-None-Match) is current.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, site *Site, q FeedQuery, filename string) {
	q.Config, q.Links, q.Today = site.Config, site.Links(), s.today()
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	f, entries, err := LoadFeed(ctx, s.db, q)
	if errors.Is(err, ErrUnknownAgency) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.log.Error("feed", "error", err.Error())
		http.Error(w, "lỗi máy chủ, xin thử lại sau", http.StatusInternalServerError)
		return
	}
	var body bytes.Buffer
	if err := Write(&body, Build(f, entries)); err != nil {
		s.log.Error("feed", "error", err.Error())
		http.Error(w, "lỗi máy chủ, xin thử lại sau", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(body.Bytes())
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	h.Set("Cache-Control", "private, no-cache") // the address holds a token: no shared cache
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	if last := LastModified(f, entries); !last.IsZero() {
		h.Set("Last-Modified", last.UTC().Format(http.TimeFormat))
	}
	// The ETag decides: ServeContent answers If-None-Match (304) and
	// HEAD. No modification time is given, so that If-Modified-Since
	// alone never hides a change the events' times do not show (a
	// renamed agency).
	http.ServeContent(w, r, filename, time.Time{}, bytes.NewReader(body.Bytes()))
}
