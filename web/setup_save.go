package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// completeSetup creates the first administrator from the setup link and signs them in to enrol their
// second factor. Any problem re-renders the form with what they typed (never the password).
func (h *Handler) completeSetup(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	form := setupForm{Token: r.PathValue("token"), Username: formValue(r, "username"), DisplayName: formValue(r, "display_name")}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password_confirm") {
		form.Errors = fieldErrors{"password_confirm": h.bundle.T(langOf(r), "passwords_differ")}
		h.show(w, r, http.StatusUnprocessableEntity, viewSetup, "setup.title", form)
		return
	}
	s, err := h.accounts.CompleteFirstRun(r.Context(), session.Meta(r), form.Token, app.NewUser{
		Username: form.Username, DisplayName: form.DisplayName, Password: password,
	})
	if aman.ErrorCode(err) == app.ESetupLinkInvalid {
		h.Errors(w, r, err)
		return
	}
	if err != nil {
		form.Errors, form.Error = h.setupErr(r, err)
		if form.Error != "" && aman.ErrorCode(err) == aman.EInternal {
			h.Errors(w, r, err)
			return
		}
		h.show(w, r, statusOf(err), viewSetup, "setup.title", form)
		return
	}
	session.Set(w, r, s)
	http.Redirect(w, r, "/enrol", http.StatusSeeOther)
}
