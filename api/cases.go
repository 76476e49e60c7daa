package api

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

type caseOut struct {
	ID               string   `json:"id"`
	Number           string   `json:"number"`
	Status           string   `json:"status"`
	Priority         string   `json:"priority"`
	BeneficiaryID    string   `json:"beneficiary_id"`
	UnitID           string   `json:"unit_id,omitempty"`
	AssignedWorkerID string   `json:"assigned_worker_id,omitempty"`
	Team             []string `json:"team"`
	OpenedAt         string   `json:"opened_at"`
	UpdatedAt        string   `json:"updated_at"`
	ClosedAt         string   `json:"closed_at,omitempty"`
	// AccessBasis says why the caller may see the case: assigned, team, unit_supervisor or break_glass.
	AccessBasis         string `json:"access_basis,omitempty"`
	BreakGlassExpiresAt string `json:"break_glass_expires_at,omitempty"`
	// RiskPriority is the floor the latest risk result sets under Priority.
	RiskPriority string `json:"risk_priority,omitempty"`
	// PendingApproval is the move waiting for a supervisor: care_plan or closure.
	PendingApproval string `json:"pending_approval,omitempty"`
}

func caseJSON(k aman.Case) caseOut {
	out := caseOut{ID: k.ID, Number: k.Number, Status: string(k.Status), Priority: string(k.Priority), BeneficiaryID: k.BeneficiaryID,
		UnitID: k.UnitID, AssignedWorkerID: k.AssignedWorkerID, Team: k.TeamUserIDs, OpenedAt: k.OpenedAt.Format(timeFormat),
		UpdatedAt: k.UpdatedAt.Format(timeFormat), AccessBasis: k.AccessBasis}
	out.RiskPriority, out.PendingApproval = string(k.RiskPriority), string(k.PendingApproval)
	if out.Team == nil {
		out.Team = []string{}
	}
	if !k.ClosedAt.IsZero() {
		out.ClosedAt = k.ClosedAt.Format(timeFormat)
	}
	if !k.BreakGlassExpireAt.IsZero() {
		out.BreakGlassExpiresAt = k.BreakGlassExpireAt.Format(timeFormat)
	}
	return out
}

// openCase is POST /api/v1/cases {"beneficiary_id"}: 201 with the case, status "new".
func (h *Handler) openCase(w http.ResponseWriter, r *http.Request) {
	var body struct {
		BeneficiaryID string `json:"beneficiary_id"`
		UnitID        string `json:"unit_id"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	k, err := h.cases.Open(r.Context(), actor, app.OpenCaseInput{BeneficiaryID: body.BeneficiaryID, UnitID: body.UnitID})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+k.ID)
	httpx.WriteJSON(w, http.StatusCreated, caseJSON(k))
}

// getCase is GET /api/v1/cases/{id}. A stranger to the case gets 403 break_glass_required.
func (h *Handler) getCase(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	k, err := h.cases.Get(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, caseJSON(k))
}

// breakGlass is POST /api/v1/cases/{id}/break-glass {"reason"}: 201 with when the access ends.
func (h *Handler) breakGlass(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	expires, err := h.cases.BreakGlass(r.Context(), actor, r.PathValue("id"), body.Reason)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]string{"expires_at": expires.Format(timeFormat)})
}

// assignCase is PUT /api/v1/cases/{id}/assignment {"worker_id","team":[…]}: 204.
func (h *Handler) assignCase(w http.ResponseWriter, r *http.Request) {
	var body struct {
		WorkerID string   `json:"worker_id"`
		Team     []string `json:"team"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	if err := h.cases.Assign(r.Context(), actor, r.PathValue("id"), app.CaseAssignment{WorkerID: body.WorkerID, TeamIDs: body.Team}); err != nil {
		h.errors(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
