package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewPersonSearch = "person_search"

// peopleSearchView is the registry's search: one box, and after a search its results, best first.
type peopleSearchView struct {
	Query string
	// Searched is set once a search has run, so "nobody found" is told apart from "nothing asked yet".
	Searched bool
	Results  []personRow
	// Limited tells that the results were cut at app.MaxSearchResults.
	Limited bool
	Limit   int
	Notice  string
	// MayCreate offers registration; Prefill is what it carries over from the search.
	MayCreate bool
	Prefill   personPrefill
	formState
}

func (h *Handler) newPeopleSearch(r *http.Request) peopleSearchView {
	_, actor, _ := session.From(r.Context())
	return peopleSearchView{MayCreate: policy.Allows(actor.Role, policy.BeneficiaryCreate), Limit: app.MaxSearchResults}
}

// showPeopleSearch opens the empty search. Registration is offered only after a search, so that
// nobody is registered twice for want of looking.
func (h *Handler) showPeopleSearch(w http.ResponseWriter, r *http.Request) {
	view := h.newPeopleSearch(r)
	switch done := r.URL.Query().Get("done"); done {
	case doneRegistered, doneRegisteredDuplicates:
		view.Notice = h.bundle.T(langOf(r), "people.done."+done)
	}
	h.show(w, r, http.StatusOK, viewPersonSearch, "people.title", view)
}

// backToPeopleSearch answers a GET on the search's address, as the language switch of a results page
// sends: the results are not kept anywhere, so the empty search opens in the chosen language.
func (h *Handler) backToPeopleSearch(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/people", http.StatusSeeOther)
}

// searchPeople runs a search posted from the box. The text is a POST body, never part of an address,
// and the audit records only that a search ran and how many people it showed.
func (h *Handler) searchPeople(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	view := h.newPeopleSearch(r)
	view.Query = formValue(r, "q")
	matches, err := h.beneficiaries.Search(r.Context(), actor, view.Query)
	if err != nil {
		state, ok := h.formProblem(r, err)
		if !ok {
			h.Errors(w, r, err)
			return
		}
		view.formState = state
		h.show(w, r, statusOf(err), viewPersonSearch, "people.title", view)
		return
	}
	lang, mayView := langOf(r), policy.Allows(actor.Role, policy.BeneficiaryView)
	view.Searched, view.Prefill, view.Limited = true, prefillFrom(view.Query), len(matches) >= app.MaxSearchResults
	for _, m := range matches {
		row := h.newPersonRow(lang, m.Beneficiary, mayView)
		row.Exact = m.ExactIdentifier
		view.Results = append(view.Results, row)
	}
	h.show(w, r, http.StatusOK, viewPersonSearch, "people.title", view)
}
