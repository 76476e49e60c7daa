package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// saveSafetyPlan saves a new version of the case's safety plan with its review day. Success returns to
// the plan, and the warning of a missing plan goes; a problem brings the case page back with the plan
// as typed.
func (h *Handler) saveSafetyPlan(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := safetyPlanForm{Text: r.PostFormValue("text"), ReviewOn: formValue(r, "review_on")}
	_, err := h.carePlans.SaveSafetyPlan(r.Context(), actor, id, typed.Text, typed.ReviewOn)
	if err == nil {
		redirectCare(w, r, id, doneSafetyPlan, anchorSafetyPlan)
		return
	}
	h.showCareProblem(w, r, err, []string{"text", "review_on"}, func(care *caseCareView, state formState) bool {
		if care.SafetyPlan.Form == nil {
			return false
		}
		typed.formState = state
		care.SafetyPlan.Form = &typed
		return true
	})
}
