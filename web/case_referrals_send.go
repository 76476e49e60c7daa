package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// referCase refers the case to a partner (Referrals.ReferOut). Without the person's standing consent to
// share with that partner the app refuses, and the form comes back saying so; a supervisor is then
// offered the written reason that lets them refer anyway, sealed and audited.
func (h *Handler) referCase(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.ReferralInput{PartnerOrgID: formValue(r, "partner_org_id"), Purpose: formValue(r, "purpose"), OverrideReason: formValue(r, "override_reason")}
	_, err := h.referrals.ReferOut(r.Context(), actor, r.PathValue("id"), typed)
	if err == nil {
		redirectToCase(w, r, doneReferralSent)
		return
	}
	h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
		f := work.Referrals.ReferForm
		if f == nil {
			return false
		}
		choose(f.Partners, typed.PartnerOrgID)
		f.Purpose, f.OverrideReason, f.formState = typed.Purpose, typed.OverrideReason, state
		// A supervisor's referral without consent is refused for want of a reason: the first time they
		// had not written one, so the form says what is missing before asking for it.
		if supervisor := policy.Allows(actor.Role, policy.CaseApprove); supervisor && (aman.ErrorField(err) == "override_reason" || typed.OverrideReason != "") {
			f.ShowOverride = true
			if typed.OverrideReason == "" && aman.ErrorField(err) == "override_reason" {
				f.Errors = nil
				f.Error = h.bundle.T(langOf(r), "case.referral.no_consent_supervisor")
			}
		}
		return true
	})
}
