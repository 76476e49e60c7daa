package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// recordCaseConsent records a consent on the case (Referrals.RecordConsent): its kind, the partner a
// sharing consent is for, whether it was given, and for a child the child's assent and the guardian's
// consent.
func (h *Handler) recordCaseConsent(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.ConsentInput{Kind: formValue(r, "kind"), PartnerOrgID: formValue(r, "partner_org_id"), Given: formValue(r, "given") == "yes",
		ChildAssent: formValue(r, "child_assent") == "yes", GuardianID: formValue(r, "guardian_id"), GuardianConsent: formValue(r, "guardian_consent") == "yes"}
	if _, err := h.referrals.RecordConsent(r.Context(), actor, r.PathValue("id"), typed); err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			f := work.Referrals.ConsentForm
			if f == nil {
				return false
			}
			choose(f.Kinds, typed.Kind)
			choose(f.Partners, typed.PartnerOrgID)
			choose(f.Guardians, typed.GuardianID)
			f.Given, f.ChildAssent, f.GuardianConsent, f.formState = typed.Given, typed.ChildAssent, typed.GuardianConsent, state
			return true
		})
		return
	}
	redirectToCase(w, r, doneConsentRecorded)
}
