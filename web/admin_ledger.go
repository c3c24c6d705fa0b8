package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"hanchot/store"
)

// ledgerView is the notification ledger.
type ledgerView struct {
	view
	Status, Kind, Search string
	Statuses, Kinds      []option
	Rows                 []ledgerRow
	Limit                int
}

// ledgerRow is one delivery.
type ledgerRow struct {
	ID                            int64
	Kind, To, Agency, Subject     string
	Status, StatusLabel           string
	Attempts                      int
	Reply, Created, Sent, Expires string
}

var statusLabels = map[string]string{
	"pending": "chờ gửi", "sending": "đang gửi", "sent": "đã gửi", "failed": "bị từ chối", "expired": "quá thời hạn gửi",
}

var kindLabels = map[string]string{
	"reminder": "nhắc hạn", "overdue": "quá hạn", "escalation": "đôn đốc", "correction": "điều chỉnh",
}

// ledgerLimit bounds the rows of the ledger page, newest first.
const ledgerLimit = 300

// ledgerPage serves the notification ledger: every delivery, newest
// first, by status and kind, with a search in addresses and subjects.
func (s *Server) ledgerPage(w http.ResponseWriter, r *http.Request, user string) {
	q := r.URL.Query()
	v := ledgerView{view: s.adminView(w, r, user, "Thư đã gửi"), Status: q.Get("status"), Kind: q.Get("kind"),
		Search: truncate(strings.TrimSpace(q.Get("q")), 200), Limit: ledgerLimit}
	v.Nav = "thu"
	if _, ok := statusLabels[v.Status]; !ok {
		v.Status = ""
	}
	if _, ok := kindLabels[v.Kind]; !ok {
		v.Kind = ""
	}
	v.Statuses = []option{{Value: "", Label: "tất cả", Selected: v.Status == ""}}
	for _, st := range []string{"pending", "sending", "sent", "failed", "expired"} {
		v.Statuses = append(v.Statuses, option{Value: st, Label: statusLabels[st], Selected: st == v.Status})
	}
	v.Kinds = []option{{Value: "", Label: "tất cả", Selected: v.Kind == ""}}
	for _, k := range []string{"reminder", "overdue", "escalation", "correction"} {
		v.Kinds = append(v.Kinds, option{Value: k, Label: kindLabels[k], Selected: k == v.Kind})
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	ds, err := s.db.Deliveries(ctx, store.LogFilter{Status: v.Status, Kind: v.Kind, Search: v.Search, Limit: ledgerLimit})
	if err != nil {
		s.serverError(w, "ledger page", err)
		return
	}
	loc := s.current().Config.Location
	for _, d := range ds {
		row := ledgerRow{ID: d.ID, Kind: kindLabels[string(d.Kind)], To: d.Address, Agency: s.agencyName(d.Agency), Subject: d.Subject,
			Status: d.Status, StatusLabel: statusLabels[d.Status], Attempts: d.Attempts, Reply: d.Reply,
			Created: d.CreatedAt.In(loc).Format("02/01/2006 15:04"), Expires: d.ExpiresAt.In(loc).Format("02/01/2006 15:04")}
		if !d.SentAt.IsZero() {
			row.Sent = d.SentAt.In(loc).Format("02/01/2006 15:04")
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, http.StatusOK, "ledger", v)
}
