package api

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

// transitionCase is POST /api/v1/cases/{id}/transitions {"to","comment","closure_reason","closure_outcome"}:
// 200 with the case when it moved, 202 with the case (and its pending_approval) when the move waits for
// a supervisor.
func (h *Handler) transitionCase(w http.ResponseWriter, r *http.Request) {
	var body struct {
		To             string `json:"to"`
		Comment        string `json:"comment"`
		ClosureReason  string `json:"closure_reason"`
		ClosureOutcome string `json:"closure_outcome"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	res, err := h.cases.Transition(r.Context(), actor, r.PathValue("id"), app.TransitionInput{To: aman.CaseStatus(body.To), Comment: body.Comment,
		ClosureReason: aman.ClosureReason(body.ClosureReason), ClosureOutcome: aman.ClosureOutcome(body.ClosureOutcome)})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	status := http.StatusOK
	if res.Submitted {
		status = http.StatusAccepted
	}
	httpx.WriteJSON(w, status, caseJSON(res.Case))
}

// decideApproval is POST /api/v1/cases/{id}/approvals {"decision":"approve"|"reject","comment"}: 200 with
// the case as the decision left it.
func (h *Handler) decideApproval(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	k, err := h.cases.Decide(r.Context(), actor, r.PathValue("id"), app.DecisionInput{Decision: aman.Decision(body.Decision), Comment: body.Comment})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, caseJSON(k))
}

// setCasePriority is PUT /api/v1/cases/{id}/priority {"priority"}: 200 with the case.
func (h *Handler) setCasePriority(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Priority string `json:"priority"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	k, err := h.cases.SetPriority(r.Context(), actor, r.PathValue("id"), aman.Priority(body.Priority))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, caseJSON(k))
}

type caseEventOut struct {
	ID             string `json:"id"`
	At             string `json:"at"`
	ActorID        string `json:"actor_id"`
	Event          string `json:"event"`
	FromStatus     string `json:"from_status,omitempty"`
	ToStatus       string `json:"to_status,omitempty"`
	FromPriority   string `json:"from_priority,omitempty"`
	ToPriority     string `json:"to_priority,omitempty"`
	Approval       string `json:"approval,omitempty"`
	ClosureReason  string `json:"closure_reason,omitempty"`
	ClosureOutcome string `json:"closure_outcome,omitempty"`
	Comment        string `json:"comment,omitempty"`
}

// caseHistory is GET /api/v1/cases/{id}/history: {"events":[…]}, oldest first. The read is audited.
func (h *Handler) caseHistory(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	events, err := h.cases.History(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	out := make([]caseEventOut, 0, len(events))
	for _, e := range events {
		out = append(out, caseEventOut{ID: e.ID, At: e.At.Format(timeFormat), ActorID: e.ActorID, Event: string(e.Kind),
			FromStatus: string(e.FromStatus), ToStatus: string(e.ToStatus), FromPriority: string(e.FromPriority), ToPriority: string(e.ToPriority),
			Approval: string(e.Approval), ClosureReason: string(e.ClosureReason), ClosureOutcome: string(e.ClosureOutcome), Comment: e.Comment})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"events": out})
}
