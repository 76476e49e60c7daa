package web

import (
	"net/http"

	"aman.qa/aman"
)

const viewSetup = "setup"

// setupForm is the first-run page: the first administrator chooses a username and a password. There is
// no default password anywhere in Aman.
type setupForm struct {
	Token       string
	Username    string
	DisplayName string
	Errors      fieldErrors
	Error       string
}

// showSetup opens the first-run form if the link is still good; otherwise it says the link is no longer
// valid, without saying which of used, expired or unknown.
func (h *Handler) showSetup(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := h.accounts.CheckSetupLink(r.Context(), token); err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewSetup, "setup.title", setupForm{Token: token})
}

// setupErr is the page-level message for errors that are not about one field.
func (h *Handler) setupErr(r *http.Request, err error) (fieldErrors, string) {
	field, message := h.messageFor(r, err)
	if field == "" || aman.ErrorCode(err) == aman.EInternal {
		return nil, message
	}
	return fieldErrors{field: message}, ""
}
