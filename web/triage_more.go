package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/app"
)

// More of the queue. The triage page shows the head of the open queue (app.Triage.QueuePage), with the
// size of the whole queue above it; the "More" link opens /triage?after=<cursor>, the page that follows
// in queue order. A plain GET link works without script, survives the page's refresh, and can be
// bookmarked; the cursor holds an urgency, a time and an id only (app.QueueCursor), so the address
// carries no personal data. This follows the case page's earlier notes (case_notes_earlier.go).

// paramQueueAfter names the cursor in the triage page's address.
const paramQueueAfter = "after"

// queuePage is the page of the queue the request asks for. A cursor is only ever written by the More
// link; one that does not parse shows the head of the queue rather than failing a page the person did
// not type.
func queuePage(r *http.Request) app.QueuePage {
	after, err := app.ParseQueueCursor(r.URL.Query().Get(paramQueueAfter))
	if err != nil {
		return app.QueuePage{}
	}
	return app.QueuePage{After: after}
}

// moreQueueURL opens the page of the queue that follows next.
func moreQueueURL(next app.QueueCursor) string {
	return "/triage?" + url.Values{paramQueueAfter: {next.String()}}.Encode()
}

// firstQueueURL returns to the head of the queue from a later page.
const firstQueueURL = "/triage"
