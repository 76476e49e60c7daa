package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// assignCase gives a case its worker and team; app.Cases.Assign alerts whoever is new on it. Success
// returns to the case with a confirmation; a problem brings the case page back with the choices made.
func (h *Handler) assignCase(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := app.CaseAssignment{WorkerID: formValue(r, "worker_id"), TeamIDs: r.PostForm["team"]}
	err := h.cases.Assign(r.Context(), actor, id, typed)
	if err == nil {
		redirectDone(w, r, "/cases/"+url.PathEscape(id), doneCaseAssignment)
		return
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	view, loadErr := h.casePage(r, &typed)
	if loadErr != nil {
		h.Errors(w, r, loadErr)
		return
	}
	if view.Assignment == nil {
		// The right to assign went away between the post and the reload: the refusal is the answer.
		h.Errors(w, r, err)
		return
	}
	view.Assignment.formState = state
	h.show(w, r, statusOf(err), viewCase, "case.title", view)
}
