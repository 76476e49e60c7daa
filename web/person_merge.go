package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/session"
)

// mergePerson folds a duplicate record into the one whose page the supervisor is on. The form says in
// words what a merge does and asks the supervisor to confirm that both records are the same person;
// without that tick nothing is merged. A problem brings the page back with the message beside that
// duplicate's form.
func (h *Handler) mergePerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id, duplicateID := r.PathValue("id"), formValue(r, "duplicate_id")
	status, message := http.StatusUnprocessableEntity, ""
	if formValue(r, "confirm") != "yes" {
		message = h.bundle.T(langOf(r), "person.merge.confirm_required")
	} else {
		err := h.beneficiaries.Merge(r.Context(), actor, id, duplicateID)
		if err == nil {
			redirectDone(w, r, "/people/"+url.PathEscape(id), donePersonMerged)
			return
		}
		state, ok := h.formProblem(r, err)
		if !ok {
			h.Errors(w, r, err)
			return
		}
		status, message = statusOf(err), state.Error
		for _, m := range state.Errors {
			message = m
		}
	}
	view, err := h.personPage(r)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	view.MergeError = message
	for _, d := range view.Duplicates {
		if d.ID == duplicateID {
			view.MergeErrors, view.MergeError = map[string]string{duplicateID: message}, ""
		}
	}
	h.show(w, r, status, viewPersonShow, "person.title", view)
}
