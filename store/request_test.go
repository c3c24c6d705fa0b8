package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"hanchot"
)

// A request for a later date waits; the same one again records nothing,
// another one is refused while it waits. Approving grants the extension
// in the same transaction; a refusal is found by the pass until the
// agency is told, then never again.
func TestExtensionRequests(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	now := time.Date(2019, 3, 11, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	lead, support := items[0], items[1]
	key := func(it hanchot.Item) OccurrenceKey { return OccurrenceKey{ID: it.OccurrenceID, Agency: it.Agency} }

	t.Run("ByID", func(t *testing.T) {
		o, err := db.Occurrence(ctx, key(lead))
		if err != nil || o.Code != "1.2.1" || o.Agency != "so-noi-vu" {
			t.Fatalf("%+v, %v", o, err)
		}
		// An id with another agency is not found: a link names both.
		if _, err := db.Occurrence(ctx, OccurrenceKey{ID: lead.OccurrenceID, Agency: "so-tu-phap"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("another agency's occurrence: %v", err)
		}
	})

	req := NewRequest{Key: key(lead), Due: date("2019-03-29"), Reason: "chờ số liệu", By: "B", ClientIP: "192.0.2.1", UserAgent: "UA"}
	if ok, err := db.RequestExtension(ctx, req); !ok || err != nil {
		t.Fatalf("request: %v %v", ok, err)
	}
	if ok, err := db.RequestExtension(ctx, req); ok || err != nil {
		t.Errorf("the same request again: %v %v", ok, err)
	}
	other := req
	other.Due = date("2019-04-05")
	var ke *KeyError
	if _, err := db.RequestExtension(ctx, other); !errors.Is(err, ErrConflict) || !errors.As(err, &ke) || ke.Reason != RequestWaiting || ke.Due.String() != "2019-03-29" {
		t.Errorf("another request while one waits: %v", err)
	}
	early := NewRequest{Key: key(support), Due: date("2019-03-12"), Reason: "x"}
	if _, err := db.RequestExtension(ctx, early); !errors.Is(err, ErrConflict) || !errors.As(err, &ke) || ke.Reason != NotAfterDue {
		t.Errorf("a request for the same date: %v", err)
	}
	o, _ := db.Occurrence(ctx, key(lead))
	if o.Pending == nil || o.Pending.Due.String() != "2019-03-29" || o.Pending.ClientIP != "192.0.2.1" || o.Extended {
		t.Fatalf("pending: %+v", o)
	}

	approved, err := db.DecideExtension(ctx, o.Pending.ID, Decision{Approve: true, Answer: "đồng ý", By: "dau-moi", Reason: "chờ số liệu (theo đề nghị)"})
	if err != nil || approved.Status != RequestApproved {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	o, _ = db.Occurrence(ctx, key(lead))
	if !o.Extended || o.Target.String() != "2019-03-29" || o.Pending != nil {
		t.Errorf("after approval: %+v", o)
	}
	if _, err := db.DecideExtension(ctx, approved.ID, Decision{}); !errors.Is(err, ErrConflict) {
		t.Errorf("deciding twice: %v", err)
	}
	if h, _ := db.History(ctx, key(lead)); len(h) != 2 || h[0].What != "requested" || h[1].What != "extended" ||
		h[0].Due.String() != "2019-03-29" || h[0].ClientIP != "192.0.2.1" || h[0].Reason != req.Reason || h[1].By != "dau-moi" {
		t.Errorf("history: %+v", h)
	}

	// A refusal.
	req = NewRequest{Key: key(support), Due: date("2019-03-20"), Reason: "thiếu người"}
	if _, err := db.RequestExtension(ctx, req); err != nil {
		t.Fatal(err)
	}
	x, _ := db.ExtensionRequests(ctx, RequestFilter{Status: RequestPending})
	if len(x) != 1 {
		t.Fatalf("pending: %+v", x)
	}
	if _, err := db.DecideExtension(ctx, x[0].ID, Decision{Answer: "không được", By: "dau-moi"}); err != nil {
		t.Fatal(err)
	}
	refused, err := db.Refusals(ctx, now)
	if err != nil || len(refused) != 1 || refused[0].Refused == nil || refused[0].Refused.Due.String() != "2019-03-20" ||
		refused[0].Refused.Answer != "không được" || refused[0].Target.String() != "2019-03-12" {
		t.Fatalf("refusals: %+v %v", refused, err)
	}
	// Once its notice is queued, it is not found again.
	n := hanchot.Notice{Item: refused[0], Kind: hanchot.Refusal, Step: int(refused[0].Refused.Request), Recipient: "so-tu-phap"}
	d := hanchot.Digest{Kind: hanchot.Correction, Recipient: hanchot.Agency{ID: "so-tu-phap", Emails: []string{"stp@laocai.example"}},
		Notices: []hanchot.Notice{n}, Expires: now.Add(time.Hour)}
	if _, err := db.Enqueue(ctx, []hanchot.Digest{d}, compose); err != nil {
		t.Fatal(err)
	}
	if refused, _ := db.Refusals(ctx, now); len(refused) != 0 {
		t.Errorf("told twice: %+v", refused)
	}
	// Nor is an old one after RefusalWindow.
	if refused, _ := db.Refusals(ctx, now.Add(RefusalWindow+time.Hour)); len(refused) != 0 {
		t.Errorf("an old refusal: %+v", refused)
	}

	all, _ := db.ExtensionRequests(ctx, RequestFilter{Agency: "so-tu-phap"})
	if len(all) != 1 || all[0].Status != RequestRefused || all[0].DecidedBy != "dau-moi" {
		t.Errorf("requests of so-tu-phap: %+v", all)
	}
}

// Submissions lists what was recorded, undone ones too, with where it
// came from.
func TestSubmissions(t *testing.T) {
	db, items := syncedDB(t)
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2019, 3, 20, 1, 0, 0, 0, time.UTC) }
	k := OccurrenceKey{ID: items[1].OccurrenceID, Agency: "so-tu-phap"}
	at := time.Date(2019, 3, 14, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	if _, err := db.Submit(ctx, []NewSubmission{{Key: k, At: at, Ref: "1/BC", Source: "web", ClientIP: "192.0.2.9", UserAgent: "Firefox"}}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Undo(ctx, k, "nhầm", "dau-moi"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(ctx, []NewSubmission{{Key: k, At: at, Ref: "2/BC"}}, false); err != nil {
		t.Fatal(err)
	}
	subs, err := db.Submissions(ctx, SubmissionFilter{Agency: "so-tu-phap"})
	if err != nil || len(subs) != 2 {
		t.Fatalf("%+v %v", subs, err)
	}
	if subs[0].Ref != "2/BC" || subs[0].Source != "cli" || !subs[0].UndoneAt.IsZero() {
		t.Errorf("newest: %+v", subs[0])
	}
	if subs[1].Ref != "1/BC" || subs[1].Source != "web" || subs[1].ClientIP != "192.0.2.9" || subs[1].UserAgent != "Firefox" ||
		subs[1].UndoneAt.IsZero() || subs[1].UndoReason != "nhầm (dau-moi)" {
		t.Errorf("undone: %+v", subs[1])
	}
	if subs, _ := db.Submissions(ctx, SubmissionFilter{Agency: "so-noi-vu"}); len(subs) != 0 {
		t.Errorf("another agency's: %+v", subs)
	}
}
