package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// addGoal adds a goal to the case's care plan. Success returns to the plan; a problem brings the case
// page back with the goal form as typed.
func (h *Handler) addGoal(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := app.GoalInput{Track: formValue(r, "track"), Description: r.PostFormValue("description"),
		ResponsibleUserID: formValue(r, "responsible_user_id"), DueOn: formValue(r, "due_on"), Status: formValue(r, "status")}
	_, err := h.carePlans.AddGoal(r.Context(), actor, id, typed)
	if err == nil {
		redirectCare(w, r, id, doneGoal, anchorCarePlan)
		return
	}
	h.showCareProblem(w, r, err, []string{"track", "description", "responsible_user_id", "due_on", "status"}, func(care *caseCareView, state formState) bool {
		if care.CarePlan.GoalForm == nil {
			return false
		}
		care.CarePlan.GoalForm = care.build.newGoalForm(typed)
		care.CarePlan.GoalForm.formState = state
		return true
	})
}
