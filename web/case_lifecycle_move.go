package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// moveCase makes a lifecycle move (Cases.Transition): a plain move, a move submitted for approval (the
// care plan, a closure), or a supervisor's reopening. Success returns to the case with what became of
// the move; a problem brings the case back with the form that was sent, as it was filled in.
func (h *Handler) moveCase(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.TransitionInput{To: aman.CaseStatus(formValue(r, "to")), Comment: formValue(r, "comment"),
		ClosureReason: aman.ClosureReason(formValue(r, "closure_reason")), ClosureOutcome: aman.ClosureOutcome(formValue(r, "closure_outcome"))}
	reopening := formValue(r, "intent") == intentReopen
	moved, err := h.cases.Transition(r.Context(), actor, r.PathValue("id"), typed)
	if err == nil {
		done := doneMoved
		switch {
		case moved.Submitted:
			done = doneSubmitted
		case reopening:
			done = doneReopened
		case typed.To == aman.CaseClosed:
			done = doneClosed
		}
		redirectToCase(w, r, done)
		return
	}
	h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
		s := work.Lifecycle
		switch {
		case typed.To == aman.CaseClosed && s.Closure != nil:
			choose(s.Closure.Reasons, string(typed.ClosureReason))
			choose(s.Closure.Outcomes, string(typed.ClosureOutcome))
			s.Closure.Comment, s.Closure.Open, s.Closure.formState = typed.Comment, true, state
		case reopening && s.Reopen != nil:
			s.Reopen.Comment, s.Reopen.formState = typed.Comment, state
		case !reopening && typed.To != aman.CaseClosed && s.Moves != nil:
			s.Moves.Comment, s.Moves.formState = typed.Comment, state
		default:
			// The case changed under the form (someone else moved it): the section says why the move
			// was refused, above what the case now offers.
			s.Problem = problemText(state)
		}
		return true
	})
}

// intentReopen marks the reopening form, which moves a closed case like any other move.
const intentReopen = "reopen"

// problemText is a refusal in one sentence, for a form that is no longer shown.
func problemText(state formState) string {
	if state.Error != "" {
		return state.Error
	}
	for _, message := range state.Errors {
		return message
	}
	return ""
}
