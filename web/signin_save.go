package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// signIn checks the form. A failure re-renders the page with the typed username and the translated
// reason, with the status the API would give (401 or 423). Success starts a session and goes on to the
// dashboard, or to enrolment when the account has no second factor yet.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	in := app.SignInInput{Username: formValue(r, "username"), Password: r.PostFormValue("password"), OTP: formValue(r, "otp"), Previous: session.Token(r)}
	s, err := h.accounts.SignIn(r.Context(), session.Meta(r), in)
	if err != nil {
		code := aman.ErrorCode(err)
		if code != aman.EInvalidCredentials && code != aman.EAccountLocked {
			h.Errors(w, r, err)
			return
		}
		_, message := h.messageFor(r, err)
		h.renderSignIn(w, r, statusOf(err), signInForm{Username: in.Username, Error: message})
		return
	}
	session.Set(w, r, s)
	if s.Stage == app.StageEnrol {
		http.Redirect(w, r, "/enrol", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}
