package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/session"
)

// setCasePriority is a supervisor setting the case's priority (Cases.SetPriority), never below what
// the latest risk result set.
func (h *Handler) setCasePriority(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := aman.Priority(formValue(r, "priority"))
	if _, err := h.cases.SetPriority(r.Context(), actor, r.PathValue("id"), typed); err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			if work.Lifecycle.Priority == nil {
				return false
			}
			choose(work.Lifecycle.Priority.Options, string(typed))
			work.Lifecycle.Priority.formState = state
			return true
		})
		return
	}
	redirectToCase(w, r, donePriority)
}
