package api_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// GET /api/v1/triage still answers {"items":[…]} with the whole queue when asked as before (no
// parameters, fewer than 200 open intakes); with limit it pages, and following next_after reaches every
// open intake once, in queue order, each page counting the whole queue in total.
func TestTriageAPIPagesWithAfterAndLimit(t *testing.T) {
	a := newNotesAPI(t)
	ctx := context.Background()
	signals := []aman.IntakeSignals{{}, {HighRisk: true}, {}, {ChildInDanger: true}, {}, {}, {HighRisk: true}}
	for i, s := range signals {
		if err := a.env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			_, err := a.env.Triage.Enqueue(ctx, tx, aman.ChannelReport, "report-"+strconv.Itoa(i), s, "")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		a.env.Clock.Advance(time.Minute)
	}
	page, err := a.env.Triage.QueuePage(ctx, a.worker, app.QueuePage{Limit: app.MaxQueue})
	if err != nil {
		t.Fatal(err)
	}
	queue := page.Intakes
	var want []string
	for _, in := range queue {
		want = append(want, in.ID)
	}

	status, all := a.getJSON("/api/v1/triage", url.Values{})
	items, _ := all["items"].([]any)
	if status != http.StatusOK || len(items) != len(signals) || all["total"] != float64(len(signals)) || all["next_after"] != nil {
		t.Fatalf("the queue as before: %d %v", status, all)
	}
	if first := items[0].(map[string]any); first["urgency"] != "critical" || first["channel"] != "report" || first["received_at"] == nil {
		t.Fatalf("the first item %v", first)
	}

	var walked []string
	query := url.Values{"limit": {"3"}}
	for pages := 1; ; pages++ {
		status, page := a.getJSON("/api/v1/triage", query)
		items, _ := page["items"].([]any)
		if status != http.StatusOK || page["total"] != float64(len(signals)) {
			t.Fatalf("page %d: %d %v", pages, status, page)
		}
		if _, present := page["next_after"]; !present {
			t.Fatalf("page %d has no next_after: %v", pages, page)
		}
		for _, item := range items {
			walked = append(walked, item.(map[string]any)["id"].(string))
		}
		next, more := page["next_after"].(string)
		if !more {
			break
		}
		if len(items) != 3 || pages > len(signals) {
			t.Fatalf("page %d holds %d intakes, want 3", pages, len(items))
		}
		query.Set("after", next)
	}
	if !slices.Equal(walked, want) {
		t.Fatalf("walked %q, want the queue in order %q", walked, want)
	}
}

// A limit outside 1..200 or a cursor the server did not write is a 422 in CONTRACT.md's error body,
// with its field, and a message in the caller's language.
func TestTriageAPIRefusesABadPage(t *testing.T) {
	a := newNotesAPI(t)
	tests := []struct {
		name  string
		query url.Values
		code  string
		field string
	}{
		{"limit zero", url.Values{"limit": {"0"}}, app.EInvalidQueueLimit, "limit"},
		{"limit over the most", url.Values{"limit": {"201"}}, app.EInvalidQueueLimit, "limit"},
		{"limit not a number", url.Values{"limit": {"ten"}}, app.EInvalidQueueLimit, "limit"},
		{"a cursor not ours", url.Values{"after": {"bm90IGEgY3Vyc29y"}}, app.EInvalidQueueCursor, "after"},
		{"a notes cursor", url.Values{"after": {app.NoteCursor{At: time.Unix(1700000000, 0), ID: "n1"}.String()}}, app.EInvalidQueueCursor, "after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a.refusesPage(t, "/api/v1/triage", tc.query, tc.code, tc.field)
		})
	}
	for _, limit := range []string{"1", "200"} {
		if status, body := a.getJSON("/api/v1/triage", url.Values{"limit": {limit}}); status != http.StatusOK {
			t.Errorf("limit %s: %d %v", limit, status, body)
		}
	}
}
