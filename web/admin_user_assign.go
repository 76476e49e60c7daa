package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// assignUser changes an account's role, unit and partner organisation. A new role ends the account's
// sessions (app.Accounts.Assign), so its owner signs in again under the new permissions.
func (h *Handler) assignUser(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := app.Assignment{Role: aman.Role(formValue(r, "role")), UnitID: formValue(r, "unit_id"), OrgID: formValue(r, "org_id")}
	err := h.accounts.Assign(r.Context(), actor, id, typed)
	if err == nil {
		redirectDone(w, r, "/admin/users/"+id, doneAssignment)
		return
	}
	h.showUserProblem(w, r, err, &typed, func(v *userDetailView) *formState { return &v.Assignment.formState })
}
