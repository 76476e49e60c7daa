package web

import (
	"net/http"

	"aman.qa/aman/session"
)

const viewRecoveryCodes = "recovery_codes"

// confirmEnrol checks the first code from the new authenticator. A wrong code shows the same QR code
// again with the message; a right one shows the recovery codes, once.
func (h *Handler) confirmEnrol(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	s, _, _ := session.From(r.Context())
	full, codes, err := h.accounts.ConfirmEnrolment(r.Context(), session.Meta(r), s, formValue(r, "otp"))
	if err != nil {
		view, startErr := h.newEnrolment(r)
		if startErr != nil {
			h.Errors(w, r, startErr)
			return
		}
		_, view.Error = h.messageFor(r, err)
		h.show(w, r, statusOf(err), viewEnrol, "enrol.title", view)
		return
	}
	session.Set(w, r, full)
	h.show(w, r, http.StatusOK, viewRecoveryCodes, "recovery.title", codes)
}
