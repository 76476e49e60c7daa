package web

import "net/http"

const viewHome = "home"

// showHome is the landing page: what Aman is, the hotline, and the way in for staff. Its title is the
// tagline, because the layout already appends the product name to every title.
func (h *Handler) showHome(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, http.StatusOK, viewHome, "app.tagline", nil)
}
