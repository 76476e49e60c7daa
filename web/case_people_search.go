package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/session"
)

// searchCasePeople looks a person up in the registry (Beneficiaries.Search) to add them to the case.
// The search is a post so that what was typed (a name, an ID number, a phone) never lands in an
// address, a history or a log; the case page comes back with the people found.
func (h *Handler) searchCasePeople(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	query := formValue(r, "q")
	found, err := h.beneficiaries.Search(r.Context(), actor, query)
	if err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			if work.People.Search == nil {
				return false
			}
			work.People.Search.Query, work.People.Search.formState = query, state
			return true
		})
		return
	}
	h.showCaseWith(w, r, http.StatusOK, func(work *caseWork) bool {
		if work.People.Search == nil {
			return false
		}
		work.People.showResults(query, found)
		return true
	}, aman.Errorf(aman.EForbidden, "the case takes no people from this reader"))
}
