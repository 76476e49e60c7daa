package web

import "net/http"

const viewSignIn = "signin"

// signInForm is the sign-in page's data. The handler that checks a sign-in re-renders the page with the
// translated reason it failed and the username the person typed, so nothing they entered is lost (the
// password and code are never sent back).
type signInForm struct {
	Username string
	Error    string
}

func (h *Handler) showSignIn(w http.ResponseWriter, r *http.Request) {
	h.renderSignIn(w, r, http.StatusOK, signInForm{})
}

// renderSignIn shows the sign-in form with status, for the first visit and for every failed attempt.
func (h *Handler) renderSignIn(w http.ResponseWriter, r *http.Request, status int, form signInForm) {
	h.show(w, r, status, viewSignIn, "signin.title", form)
}
