package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// decideCase is a supervisor's answer to the request the case waits for (Cases.Decide): approval makes
// the move, rejection sends the case back to its worker with the comments, which they then read on
// the case. A rejection without comments comes back with the form as it was filled in.
func (h *Handler) decideCase(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.DecisionInput{Decision: aman.Decision(formValue(r, "decision")), Comment: formValue(r, "comment")}
	if _, err := h.cases.Decide(r.Context(), actor, r.PathValue("id"), typed); err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			s := work.Lifecycle
			if s.Decision == nil {
				s.Problem = problemText(state)
				return true
			}
			s.Decision.Comment, s.Decision.formState = typed.Comment, state
			return true
		})
		return
	}
	done := doneApproved
	if typed.Decision == aman.DecisionReject {
		done = doneRejected
	}
	redirectToCase(w, r, done)
}
