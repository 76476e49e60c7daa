package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
	"aman.qa/aman/store"
)

// Live alerts are polled from the notifications table by each stream, so an alert written on any node
// reaches a person connected to any other; heartbeats keep proxies from closing an idle stream.
const (
	defaultEventPoll = 2500 * time.Millisecond
	eventHeartbeat   = 20 * time.Second
)

// eventData is one alert as the page's script receives it: its kind, its label in the page's language,
// and where to look. No content.
type eventData struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Link   string `json:"link,omitempty"`
	At     string `json:"at"`
	Unread int    `json:"unread"`
}

// StopStreams ends every open event stream, so a shutdown does not wait on them.
func (h *Handler) StopStreams() { h.stopStreams.Do(func() { close(h.streamsDone) }) }

// alertLink is where an alert sends its reader.
func alertLink(n app.Notification) string {
	switch n.Entity {
	case "intake":
		return "/triage/" + n.EntityID
	case "case":
		return "/cases/" + n.EntityID
	}
	return "/dashboard"
}

// streamEvents is GET /events: the signed-in person's new alerts as server-sent events. It ends when the
// client goes away (the request's context) or the server shuts down.
func (h *Handler) streamEvents(w http.ResponseWriter, r *http.Request) {
	if h.notifications == nil {
		h.NotFound(w, r)
		return
	}
	_, actor, _ := session.From(r.Context())
	ctx := r.Context()
	cursor, err := h.notifications.CursorAt(ctx, actor, r.Header.Get("Last-Event-ID"))
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 5000\n: open\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		h.logger.Warn("event stream cannot flush", "error", err.Error())
		return
	}
	poll := h.eventPoll
	if poll <= 0 {
		poll = defaultEventPoll
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	lastWrite := time.Now()
	lang := langOf(r)
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.streamsDone:
			return
		case <-ticker.C:
		}
		// A signed-out or expired session ends the stream at its next reconnect; the gate checks it.
		news, unread, err := h.notifications.After(ctx, actor, cursor)
		if err != nil {
			if ctx.Err() == nil {
				h.logger.Warn("event stream poll failed", "error", err.Error())
			}
			return
		}
		for _, n := range news {
			cursor = app.NotificationCursor{At: store.Millis(n.At), ID: n.ID}
			data, _ := json.Marshal(eventData{ID: n.ID, Kind: n.Kind, Label: h.bundle.T(lang, alertLabelKey(n.Kind)), Link: alertLink(n),
				At: n.At.UTC().Format(time.RFC3339), Unread: unread})
			if _, err := fmt.Fprintf(w, "id: %s\nevent: notification\ndata: %s\n\n", n.ID, data); err != nil {
				return
			}
		}
		if len(news) == 0 && time.Since(lastWrite) < eventHeartbeat {
			continue
		}
		if len(news) == 0 {
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
		lastWrite = time.Now()
	}
}
