package web

import (
	"net"
	"strings"

	"hanchot/config"
	"hanchot/token"
)

// The purposes of the tokens in links. A token signed for one never opens
// another.
const (
	PurposeFeed         = "feed"     // an agency's calendar feed; subject: the agency id
	PurposeProvinceFeed = "feed-all" // the focal point's feed of every lead deadline; subject: the focal point's id
	PurposeAgency       = "agency"   // an agency's page; subject: the agency id
)

// Links makes the addresses given to agencies. Feed and page tokens do
// not expire: a subscribed calendar must keep working. Rotating the key
// ([web] secret_file, with previous_secret_file for a grace period)
// revokes them.
type Links struct {
	Base string      // the public address, without a trailing slash
	Keys *token.Keys // nil: no key, no links
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
