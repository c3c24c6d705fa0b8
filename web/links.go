package web

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"hanchot"
	"hanchot/config"
	"hanchot/token"
)

// The purposes of the tokens in links. A token signed for one never opens
// another.
const (
	PurposeFeed         = "feed"     // an agency's calendar feed; subject: the agency id
	PurposeProvinceFeed = "feed-all" // the focal point's feed of every lead deadline; subject: the focal point's id
	PurposeAgency       = "agency"   // an agency's page; subject: the agency id
	PurposeSubmit       = "submit"   // confirm an item was sent; subject: "occurrence-id/agency-id"
	PurposeExtend       = "extend"   // ask for a later date; subject: "occurrence-id/agency-id"
)

// ActionDays is how long after an item's date that counts its action
// links keep working: long enough for a late report, short enough that an
// old email does not act for ever.
const ActionDays = 60

// Links makes the addresses given to agencies. Feed and page tokens do
// not expire: a subscribed calendar must keep working. Action tokens
// (confirm an item was sent, ask for a later date) expire ActionDays after
// the item's date. Rotating the key ([web] secret_file, with
// previous_secret_file for a grace period) revokes them all.
type Links struct {
	Base string      // the public address, without a trailing slash
	Keys *token.Keys // nil: no key, no links
	// Location is the configured zone, in which an action link's last
	// day ends; nil for UTC.
	Location *time.Location
}

// NewLinks returns the links of a configuration signed with keys (which
// may be nil).
func NewLinks(w config.Web, keys *token.Keys) Links {
	return Links{Base: BaseURL(w), Keys: keys}
}

// BaseURL is the public address of the web front: base_url, or else
// http:// and the address it listens on (localhost for all interfaces).
func BaseURL(w config.Web) string {
	if w.BaseURL != "" {
		return strings.TrimRight(w.BaseURL, "/")
	}
	host, port, err := net.SplitHostPort(w.Listen)
	if err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// AgencyPage is the address of an agency's page; "" without a key.
func (l Links) AgencyPage(agency string) string {
	if l.Keys == nil {
		return ""
	}
	return l.Base + "/co-quan/" + l.Keys.Sign(token.Claims{Purpose: PurposeAgency, Subject: agency})
}

// AgencyFeed is the address of an agency's calendar feed; "" without a
// key.
func (l Links) AgencyFeed(agency string) string {
	if l.Keys == nil {
		return ""
	}
	return l.Base + "/lich/" + l.Keys.Sign(token.Claims{Purpose: PurposeFeed, Subject: agency}) + ".ics"
}

// ProvinceFeed is the address of the focal point's feed of every lead
// deadline; "" without a key.
func (l Links) ProvinceFeed(focalPoint string) string {
	if l.Keys == nil {
		return ""
	}
	return l.Base + "/lich/tat-ca/" + l.Keys.Sign(token.Claims{Purpose: PurposeProvinceFeed, Subject: focalPoint}) + ".ics"
}

// Submit is the address where an item's agency confirms it has sent it;
// "" without a key.
func (l Links) Submit(it hanchot.Item) string { return l.action("/xac-nhan/", PurposeSubmit, it) }

// Extend is the address where an item's agency asks for a later date; ""
// without a key.
func (l Links) Extend(it hanchot.Item) string { return l.action("/gia-han/", PurposeExtend, it) }

func (l Links) action(path, purpose string, it hanchot.Item) string {
	if l.Keys == nil {
		return ""
	}
	return l.Base + path + l.Keys.Sign(ActionClaims(purpose, it, l.Location))
}

// ActionClaims are the claims of an item's action token: the purpose, the
// occurrence and its agency, and an expiry at the end of the ActionDays-th
// day after its date that counts, in zone loc (nil for UTC). They carry
// no name and no address.
func ActionClaims(purpose string, it hanchot.Item, loc *time.Location) token.Claims {
	if loc == nil {
		loc = time.UTC
	}
	return token.Claims{Purpose: purpose, Subject: fmt.Sprintf("%d/%s", it.OccurrenceID, it.Agency),
		Expires: it.Target.AddDays(ActionDays+1).At(0, 0, loc)}
}

// parseAction reads an action token's subject: the occurrence id and the
// agency id.
func parseAction(subject string) (int64, string, bool) {
	id, agency, ok := strings.Cut(subject, "/")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || agency == "" {
		return 0, "", false
	}
	return n, agency, true
}
