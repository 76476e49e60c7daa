package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// setPlanReview sets, or with an empty day clears, the day the case's care plan is next reviewed.
// Success returns to the plan; a problem brings the case page back with the day as typed.
func (h *Handler) setPlanReview(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	day := formValue(r, "review_on")
	_, err := h.carePlans.SetReviewDate(r.Context(), actor, id, day)
	if err == nil {
		redirectCare(w, r, id, donePlanReview, anchorCarePlan)
		return
	}
	h.showCareProblem(w, r, err, []string{"review_on"}, func(care *caseCareView, state formState) bool {
		if care.CarePlan.Review == nil {
			return false
		}
		care.CarePlan.Review = &planReviewForm{ReviewOn: day, formState: state}
		return true
	})
}
