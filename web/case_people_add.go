package web

import (
	"net/http"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// addCasePerson adds a person found in the registry to the case (Cases.AddPerson), with a role and a
// relationship to the beneficiary, chosen together as "role/relationship". A problem brings the search
// back, run again, with the choice beside the person it was for.
func (h *Handler) addCasePerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	personID, link, query := formValue(r, "person_id"), formValue(r, "link"), formValue(r, "q")
	role, relationship, _ := strings.Cut(link, "/")
	var err error
	if link == "" {
		err = aman.FieldError("link", aman.ERequired)
	} else {
		err = h.cases.AddPerson(r.Context(), actor, r.PathValue("id"), personID, role, relationship)
	}
	if err == nil {
		redirectToCase(w, r, donePersonAdded)
		return
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	// Role and relationship are one choice on the form.
	if field := aman.ErrorField(err); field == "role" || field == "relationship" {
		state.Errors = fieldErrors{"link": state.Errors[field]}
	}
	var found []app.Match
	if query != "" {
		var searchErr error
		if found, searchErr = h.beneficiaries.Search(r.Context(), actor, query); searchErr != nil {
			h.Errors(w, r, searchErr)
			return
		}
	}
	h.showCaseWith(w, r, statusOf(err), func(work *caseWork) bool {
		if work.People.Search == nil {
			return false
		}
		work.People.showResults(query, found)
		for i := range work.People.Search.Results {
			if m := &work.People.Search.Results[i]; m.ID == personID {
				m.Form = &addPersonForm{Link: link, formState: state}
				return true
			}
		}
		// The person is no longer among the results: the problem shows above them.
		work.People.Search.formState = formState{Error: problemText(state)}
		return true
	}, err)
}
