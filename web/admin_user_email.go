package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// setUserEmail sets, changes or clears the address an account's alert emails go to. A bad address
// brings the page back with what was typed beside the field.
func (h *Handler) setUserEmail(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id, typed := r.PathValue("id"), formValue(r, "email")
	err := h.accounts.SetEmail(r.Context(), actor, id, typed)
	if err == nil {
		redirectDone(w, r, "/admin/users/"+id, doneEmail)
		return
	}
	h.showUserProblem(w, r, err, nil, func(v *userDetailView) *formState {
		v.Email.Address = typed
		return &v.Email.formState
	})
}
