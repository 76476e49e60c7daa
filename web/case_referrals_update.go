package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// updateCaseReferral records a partner's answer to a referral (Referrals.UpdateReferral): the status it
// moved to and the feedback they gave.
func (h *Handler) updateCaseReferral(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	referralID, status, feedback := r.PathValue("referralID"), formValue(r, "status"), formValue(r, "feedback")
	if err := h.referrals.UpdateReferral(r.Context(), actor, referralID, status, feedback); err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			ref := work.Referrals.referral(referralID)
			if ref == nil || ref.Update == nil {
				return false
			}
			choose(ref.Update.Statuses, status)
			ref.Update.Feedback, ref.Update.Open, ref.Update.formState = feedback, true, state
			return true
		})
		return
	}
	redirectToCase(w, r, doneReferralUpdated)
}
