package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// openCaseForPerson opens a case for the person whose page the button is on, and goes to it. Case
// staff who open a case are its worker at once (app.Cases.Open decides that); a problem brings the
// person's page back with the message beside the button.
func (h *Handler) openCaseForPerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	k, err := h.cases.Open(r.Context(), actor, app.OpenCaseInput{BeneficiaryID: r.PathValue("id")})
	if err == nil {
		http.Redirect(w, r, "/cases/"+url.PathEscape(k.ID), http.StatusSeeOther)
		return
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	view, loadErr := h.personPage(r)
	if loadErr != nil {
		h.Errors(w, r, loadErr)
		return
	}
	view.OpenCaseError = state.Error
	for _, m := range state.Errors {
		view.OpenCaseError = m
	}
	h.show(w, r, statusOf(err), viewPersonShow, "person.title", view)
}
