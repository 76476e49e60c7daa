package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// createPerson registers a person. Registration never waits on a doubt: possible duplicates and QID
// warnings are shown on the person's page, duplicates first. Someone who may register but not open
// records (the hotline) goes back to the search instead, told whether the record looks like others. A
// problem brings the form back with everything typed and the problem beside its field.
func (h *Handler) createPerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := readTypedPerson(r)
	in, err := typed.input()
	if err == nil {
		created, createErr := h.beneficiaries.Create(r.Context(), actor, in)
		if err = createErr; err == nil {
			switch {
			case policy.Allows(actor.Role, policy.BeneficiaryView):
				redirectDone(w, r, "/people/"+url.PathEscape(created.ID), donePersonCreated)
			case len(created.PossibleDuplicates) > 0:
				redirectDone(w, r, "/people", doneRegisteredDuplicates)
			default:
				redirectDone(w, r, "/people", doneRegistered)
			}
			return
		}
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	form := h.newPersonForm(r, typed)
	form.formState = state
	h.show(w, r, statusOf(err), viewPersonNew, "person.new.title", form)
}
