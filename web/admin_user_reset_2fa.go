package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/session"
)

// resetUserTOTP removes an account's second factor and recovery codes and ends its sessions; its owner
// sets up a new authenticator at the next sign-in. The form asks the administrator to tick that they
// have confirmed who is asking: a reset is what someone who stole a password would ask for. The tick
// is checked here because pages carry no script to ask "are you sure?".
func (h *Handler) resetUserTOTP(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	var err error
	if formValue(r, "confirm") != "yes" {
		err = aman.FieldError("confirm", aman.ERequired)
	} else if err = h.accounts.ResetTOTP(r.Context(), actor, id); err == nil {
		redirectDone(w, r, "/admin/users/"+id, doneReset2FA)
		return
	}
	h.showUserProblem(w, r, err, nil, func(v *userDetailView) *formState { return &v.Reset })
}
