package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/session"
)

// markNotificationRead marks one of the signed-in person's alerts read and opens what it is about, so
// following an alert and dismissing it are one step. Someone else's alert is not found.
func (h *Handler) markNotificationRead(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	// The target is looked up before marking, while the alert is still among the unread. An alert
	// that was already read elsewhere still gets marked (or refused) below, and lands on the dashboard.
	unread, err := h.notifications.Unread(r.Context(), actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	target := "/dashboard"
	for _, n := range unread {
		if n.ID == id && n.Entity == "case" {
			target = "/cases/" + url.PathEscape(n.EntityID)
		}
	}
	if err := h.notifications.MarkRead(r.Context(), actor, id); err != nil {
		h.Errors(w, r, err)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
