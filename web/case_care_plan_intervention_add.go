package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// addIntervention adds an intervention to a goal of the case's plan. Success returns to the goal; a
// problem brings the case page back with the goal's intervention form open, as typed.
func (h *Handler) addIntervention(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id, goalID := r.PathValue("id"), r.PathValue("goal")
	typed := app.InterventionInput{Description: r.PostFormValue("description"), ResponsibleUserID: formValue(r, "responsible_user_id"),
		DueOn: formValue(r, "due_on"), Status: formValue(r, "status")}
	_, err := h.carePlans.AddIntervention(r.Context(), actor, id, goalID, typed)
	if err == nil {
		redirectGoal(w, r, id, goalID, doneIntervention)
		return
	}
	h.showCareProblem(w, r, err, []string{"description", "responsible_user_id", "due_on", "status"}, func(care *caseCareView, state formState) bool {
		g := care.CarePlan.goalOnPage(goalID)
		if g == nil || g.InterventionForm == nil {
			return false
		}
		g.InterventionForm = care.build.newInterventionForm(goalID, typed)
		g.InterventionForm.Open, g.InterventionForm.formState = true, state
		return true
	})
}
