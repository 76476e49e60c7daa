package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// signOut ends this session. It is a POST, so a link on another site cannot sign anyone out.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	s, _, _ := session.From(r.Context())
	if err := h.accounts.SignOut(r.Context(), session.Meta(r), s); err != nil {
		h.Errors(w, r, err)
		return
	}
	session.Clear(w, r)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

// signOutEverywhere ends every session of the user: for a lost phone or a shared computer.
func (h *Handler) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	s, _, _ := session.From(r.Context())
	if err := h.accounts.SignOutEverywhere(r.Context(), session.Meta(r), s); err != nil {
		h.Errors(w, r, err)
		return
	}
	session.Clear(w, r)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}
