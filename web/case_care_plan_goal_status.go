package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// changeGoalStatus moves a goal of the case's plan to another status. Success returns to the goal; a
// problem brings the case page back with the goal's status form showing it.
func (h *Handler) changeGoalStatus(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id, goalID := r.PathValue("id"), r.PathValue("goal")
	status := formValue(r, "status")
	_, err := h.carePlans.ChangeGoal(r.Context(), actor, id, goalID, app.GoalChange{Status: &status})
	if err == nil {
		redirectGoal(w, r, id, goalID, doneGoalStatus)
		return
	}
	h.showCareProblem(w, r, err, []string{"status"}, func(care *caseCareView, state formState) bool {
		g := care.CarePlan.goalOnPage(goalID)
		if g == nil || g.StatusForm == nil {
			return false
		}
		g.StatusForm = &goalStatusForm{Statuses: care.build.codeOptions("care.status.", goalStatusCodes(), status), formState: state}
		return true
	})
}

// redirectGoal ends a successful post on one goal: 303 to the case, at the goal, with its confirmation.
func redirectGoal(w http.ResponseWriter, r *http.Request, caseID, goalID, done string) {
	query := url.Values{"done": {done}, "goal": {goalID}}
	http.Redirect(w, r, "/cases/"+url.PathEscape(caseID)+"?"+query.Encode()+"#goal-"+url.PathEscape(goalID), http.StatusSeeOther)
}
