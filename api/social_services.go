package api

import (
	"net/http"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

// listServices is GET /api/v1/services: the catalogue, {"items":[{"code","name_ar","name_en","active"}]}.
func (h *Handler) listServices(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	list, err := h.socialServices.Catalogue(r.Context(), actor)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	type serviceOut struct {
		Code   string `json:"code"`
		NameAR string `json:"name_ar"`
		NameEN string `json:"name_en"`
		Active bool   `json:"active"`
	}
	items := make([]serviceOut, len(list))
	for i, s := range list {
		items[i] = serviceOut{Code: s.Code, NameAR: s.NameAR, NameEN: s.NameEN, Active: s.Active}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

type deliveryOut struct {
	ID             string `json:"id"`
	CaseID         string `json:"case_id"`
	BeneficiaryID  string `json:"beneficiary_id"`
	Service        string `json:"service"`
	DeliveredAt    string `json:"delivered_at"`
	ProviderUserID string `json:"provider_user_id,omitempty"`
	ProviderOrg    string `json:"provider_org,omitempty"`
	Outcome        string `json:"outcome"`
	Note           string `json:"note,omitempty"`
	CreatedBy      string `json:"created_by"`
	CreatedAt      string `json:"created_at"`
}

func deliveryJSON(d aman.ServiceDelivery) deliveryOut {
	return deliveryOut{ID: d.ID, CaseID: d.CaseID, BeneficiaryID: d.BeneficiaryID, Service: d.ServiceCode, DeliveredAt: d.DeliveredAt.Format(timeFormat),
		ProviderUserID: d.ProviderUserID, ProviderOrg: d.ProviderOrg, Outcome: string(d.Outcome), Note: d.Note, CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt.Format(timeFormat)}
}

// recordDelivery is POST /api/v1/cases/{id}/service-deliveries: 201 with the record.
func (h *Handler) recordDelivery(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Service        string `json:"service"`
		BeneficiaryID  string `json:"beneficiary_id"`
		DeliveredAt    string `json:"delivered_at"`
		ProviderUserID string `json:"provider_user_id"`
		ProviderOrg    string `json:"provider_org"`
		Outcome        string `json:"outcome"`
		Note           string `json:"note"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	d, err := h.socialServices.RecordDelivery(r.Context(), actor, r.PathValue("id"), app.DeliveryInput{ServiceCode: body.Service,
		BeneficiaryID: body.BeneficiaryID, DeliveredAt: body.DeliveredAt, ProviderUserID: body.ProviderUserID, ProviderOrg: body.ProviderOrg,
		Outcome: body.Outcome, Note: body.Note})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, deliveryJSON(d))
}

// listDeliveries is GET /api/v1/cases/{id}/service-deliveries: {"items":[…]}, most recent first.
func (h *Handler) listDeliveries(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	list, err := h.socialServices.Deliveries(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, list, deliveryJSON)
}

// socialServiceBeneficiaries is GET /api/v1/stats/social-service-beneficiaries?year=YYYY:
// {"year","beneficiaries"}, counted as app.SocialServices.BeneficiariesServed defines.
func (h *Handler) socialServiceBeneficiaries(w http.ResponseWriter, r *http.Request) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil {
		h.errors(w, r, aman.FieldError("year", aman.EInvalid))
		return
	}
	actor := actorOf(r)
	n, err := h.socialServices.BeneficiariesServed(r.Context(), actor, year)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]int{"year": year, "beneficiaries": n})
}
