package web

import (
	"net/http"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/session"
)

// setUserDisabled disables an account (ending its sessions at once) or enables it again, as the form's
// "disabled" value says. The value is explicit rather than a toggle, so a form posted twice, or from a
// page older than the last change, cannot flip the account back.
func (h *Handler) setUserDisabled(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	disabled, err := strconv.ParseBool(formValue(r, "disabled"))
	if err != nil {
		err = aman.FieldError("disabled", aman.EInvalid)
	} else if err = h.accounts.SetDisabled(r.Context(), actor, id, disabled); err == nil {
		done := doneEnabled
		if disabled {
			done = doneDisabled
		}
		redirectDone(w, r, "/admin/users/"+id, done)
		return
	}
	h.showUserProblem(w, r, err, nil, func(v *userDetailView) *formState { return &v.Access })
}
