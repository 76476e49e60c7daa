package api

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

type partnerBody struct {
	ID     string `json:"id,omitempty"`
	NameAR string `json:"name_ar"`
	NameEN string `json:"name_en"`
	Kind   string `json:"kind"`
}

// listPartners is GET /api/v1/partners.
func (h *Handler) listPartners(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	orgs, err := h.partners.List(r.Context(), actor)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	items := make([]partnerBody, len(orgs))
	for i, o := range orgs {
		items[i] = partnerBody{ID: o.ID, NameAR: o.NameAR, NameEN: o.NameEN, Kind: o.Kind}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

// createPartner is POST /api/v1/partners: 201.
func (h *Handler) createPartner(w http.ResponseWriter, r *http.Request) {
	var body partnerBody
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	org, err := h.partners.Create(r.Context(), actor, app.PartnerOrg{NameAR: body.NameAR, NameEN: body.NameEN, Kind: body.Kind})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, partnerBody{ID: org.ID, NameAR: org.NameAR, NameEN: org.NameEN, Kind: org.Kind})
}

type consentBody struct {
	Kind            string `json:"kind"`
	PartnerOrgID    string `json:"partner_org_id,omitempty"`
	Given           bool   `json:"given"`
	ChildAssent     bool   `json:"child_assent,omitempty"`
	GuardianID      string `json:"guardian_id,omitempty"`
	GuardianConsent bool   `json:"guardian_consent,omitempty"`
}

// recordConsent is POST /api/v1/cases/{id}/consents: 201.
func (h *Handler) recordConsent(w http.ResponseWriter, r *http.Request) {
	var body consentBody
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	c, err := h.referrals.RecordConsent(r.Context(), actor, r.PathValue("id"), app.ConsentInput{Kind: body.Kind, PartnerOrgID: body.PartnerOrgID,
		Given: body.Given, ChildAssent: body.ChildAssent, GuardianID: body.GuardianID, GuardianConsent: body.GuardianConsent})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"id": c.ID, "child": c.Child, "obtained_at": c.ObtainedAt.Format(timeFormat)})
}

type referralOut struct {
	ID             string `json:"id"`
	PartnerOrgID   string `json:"partner_org_id"`
	Purpose        string `json:"purpose,omitempty"`
	Status         string `json:"status"`
	Feedback       string `json:"feedback,omitempty"`
	ConsentID      string `json:"consent_id,omitempty"`
	Overridden     bool   `json:"overridden"`
	OverrideReason string `json:"override_reason,omitempty"`
	CreatedAt      string `json:"created_at"`
	UpdatedAt      string `json:"updated_at"`
}

func referralJSON(ref app.Referral) referralOut {
	return referralOut{ID: ref.ID, PartnerOrgID: ref.PartnerOrgID, Purpose: ref.Purpose, Status: ref.Status, Feedback: ref.Feedback,
		ConsentID: ref.ConsentID, Overridden: ref.Overridden, OverrideReason: ref.OverrideReason,
		CreatedAt: ref.CreatedAt.Format(timeFormat), UpdatedAt: ref.UpdatedAt.Format(timeFormat)}
}

// referOut is POST /api/v1/cases/{id}/referrals {"partner_org_id","purpose","override_reason"?}: 201.
func (h *Handler) referOut(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PartnerOrgID   string `json:"partner_org_id"`
		Purpose        string `json:"purpose"`
		OverrideReason string `json:"override_reason"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	ref, err := h.referrals.ReferOut(r.Context(), actor, r.PathValue("id"), app.ReferralInput{PartnerOrgID: body.PartnerOrgID, Purpose: body.Purpose, OverrideReason: body.OverrideReason})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, referralJSON(ref))
}

// listReferrals is GET /api/v1/cases/{id}/referrals.
func (h *Handler) listReferrals(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	refs, err := h.referrals.ListReferrals(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, refs, referralJSON)
}

// updateReferral is PATCH /api/v1/referrals/{id} {"status","feedback"}: 204.
func (h *Handler) updateReferral(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status   string `json:"status"`
		Feedback string `json:"feedback"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	if err := h.referrals.UpdateReferral(r.Context(), actor, r.PathValue("id"), body.Status, body.Feedback); err != nil {
		h.errors(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
