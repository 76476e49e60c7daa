package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// ePasswordsDiffer is the code of a confirmation that does not match its password.
const ePasswordsDiffer = "passwords_differ"

// createUser creates an account from the form. The account has no second factor yet: its owner sets up
// their authenticator at their first sign-in, on their own phone, so the secret is never seen by the
// administrator. Success goes to the new account's page; a problem brings the form back with what was
// typed, passwords excepted.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.NewUser{
		Username: formValue(r, "username"), DisplayName: formValue(r, "display_name"), Role: aman.Role(formValue(r, "role")),
		UnitID: formValue(r, "unit_id"), OrgID: formValue(r, "org_id"), Email: formValue(r, "email"), Password: r.PostFormValue("password"),
	}
	var err error
	if typed.Password != r.PostFormValue("password_confirm") {
		err = aman.FieldError("password_confirm", ePasswordsDiffer)
	} else {
		var created app.User
		if created, _, err = h.accounts.CreateUser(r.Context(), actor, typed); err == nil {
			redirectDone(w, r, "/admin/users/"+created.ID, doneUserCreated)
			return
		}
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	form, loadErr := h.newUserForm(r, typed)
	if loadErr != nil {
		h.Errors(w, r, loadErr)
		return
	}
	form.formState = state
	h.show(w, r, statusOf(err), viewAdminUserNew, "admin.user.new.title", form)
}
