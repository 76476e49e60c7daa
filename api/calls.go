package api

import (
	"net/http"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

// callBody is a call as POST /api/v1/calls takes it; CONTRACT.md fixes the first eight fields.
type callBody struct {
	StartedAt          string   `json:"started_at"`
	EndedAt            string   `json:"ended_at"`
	CallerType         string   `json:"caller_type"`
	ContactKind        string   `json:"contact_kind"`
	NonCounsellingKind string   `json:"non_counselling_kind"`
	Reasons            []string `json:"reasons"`
	Outcome            string   `json:"outcome"`
	ImmediateDanger    bool     `json:"immediate_danger"`
	Weapon             bool     `json:"weapon"`
	ChildrenPresent    bool     `json:"children_present"`
	SuicideRisk        bool     `json:"suicide_risk"`
	Summary            string   `json:"summary"`
	CallerNumber       string   `json:"caller_number"`
	SafeToCallBack     string   `json:"safe_to_call_back"`
	BeneficiaryID      string   `json:"beneficiary_id"`
	CaseID             string   `json:"case_id"`
	// DraftID completes a call the telephone system opened instead of logging a new one.
	DraftID string `json:"draft_id"`
}

// safetyIn reads the API's "unknown" as the domain's empty (unknown) answer.
func safetyIn(s string) string {
	if s == "unknown" {
		return ""
	}
	return s
}

func safetyOut(s aman.CallbackSafety) string {
	if s == aman.SafetyUnknown {
		return "unknown"
	}
	return string(s)
}

func (b callBody) input() app.CallInput {
	return app.CallInput{DraftID: b.DraftID, StartedAt: b.StartedAt, EndedAt: b.EndedAt, CallerType: b.CallerType, ContactKind: b.ContactKind,
		NonCounsellingKind: b.NonCounsellingKind, Reasons: b.Reasons, Outcome: b.Outcome, Summary: b.Summary, CallerNumber: b.CallerNumber,
		SafeToCallBack: safetyIn(b.SafeToCallBack), BeneficiaryID: b.BeneficiaryID, CaseID: b.CaseID,
		Risk: aman.CallRisk{ImmediateDanger: b.ImmediateDanger, Weapon: b.Weapon, ChildrenPresent: b.ChildrenPresent, SuicideRisk: b.SuicideRisk}}
}

// callOut is a call as the API shows it. It never carries the caller's number: has_caller_number says
// one is on record, and only the callback reveal opens it.
type callOut struct {
	ID                 string   `json:"id"`
	Status             string   `json:"status"`
	CallRef            string   `json:"call_ref,omitempty"`
	StartedAt          string   `json:"started_at"`
	EndedAt            string   `json:"ended_at,omitempty"`
	DurationSeconds    int64    `json:"duration_seconds"`
	CallerType         string   `json:"caller_type"`
	ContactKind        string   `json:"contact_kind"`
	NonCounsellingKind string   `json:"non_counselling_kind,omitempty"`
	Reasons            []string `json:"reasons"`
	Outcome            string   `json:"outcome"`
	ImmediateDanger    bool     `json:"immediate_danger"`
	Weapon             bool     `json:"weapon"`
	ChildrenPresent    bool     `json:"children_present"`
	SuicideRisk        bool     `json:"suicide_risk"`
	// Summary is present when one call is opened, never on a list.
	Summary         string `json:"summary,omitempty"`
	OperatorID      string `json:"operator_id,omitempty"`
	BeneficiaryID   string `json:"beneficiary_id,omitempty"`
	CaseID          string `json:"case_id,omitempty"`
	HasCallerNumber bool   `json:"has_caller_number"`
	RepeatCalls     int    `json:"repeat_calls"`
	SafeToCallBack  string `json:"safe_to_call_back"`
	KnownSafety     string `json:"known_callback_safety"`
	IntakeID        string `json:"intake_id,omitempty"`
	Urgency         string `json:"urgency,omitempty"`
	LoggedAt        string `json:"logged_at,omitempty"`
	AccessBasis     string `json:"access_basis,omitempty"`
}

func formatOptional(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(timeFormat)
}

func callJSON(c aman.Call) callOut {
	reasons := make([]string, len(c.Reasons))
	for i, r := range c.Reasons {
		reasons[i] = string(r)
	}
	return callOut{ID: c.ID, Status: string(c.Status), CallRef: c.CallRef, StartedAt: c.StartedAt.Format(timeFormat), EndedAt: formatOptional(c.EndedAt),
		DurationSeconds: int64(c.Duration / time.Second), CallerType: string(c.CallerType), ContactKind: string(c.ContactKind),
		NonCounsellingKind: string(c.NonCounsellingKind), Reasons: reasons, Outcome: string(c.Outcome), ImmediateDanger: c.Risk.ImmediateDanger,
		Weapon: c.Risk.Weapon, ChildrenPresent: c.Risk.ChildrenPresent, SuicideRisk: c.Risk.SuicideRisk, Summary: c.Summary,
		OperatorID: c.OperatorID, BeneficiaryID: c.BeneficiaryID, CaseID: c.CaseID, HasCallerNumber: c.HasCallerNumber,
		RepeatCalls: c.RepeatCalls, SafeToCallBack: safetyOut(c.SafeToCallBack), KnownSafety: safetyOut(c.KnownSafety),
		IntakeID: c.IntakeID, Urgency: string(c.Urgency), LoggedAt: formatOptional(c.LoggedAt), AccessBasis: c.AccessBasis}
}

// logCall is POST /api/v1/calls: 201 with the logged call.
func (h *Handler) logCall(w http.ResponseWriter, r *http.Request) {
	var body callBody
	if !h.decode(w, r, &body) {
		return
	}
	call, err := h.calls.Log(r.Context(), actorOf(r), body.input())
	if err != nil {
		h.errors(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/calls/"+call.ID)
	httpx.WriteJSON(w, http.StatusCreated, callJSON(call))
}

// getCall is GET /api/v1/calls/{id}.
func (h *Handler) getCall(w http.ResponseWriter, r *http.Request) {
	call, err := h.calls.Get(r.Context(), actorOf(r), r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, callJSON(call))
}

// listCalls is GET /api/v1/calls: ?mine=1 is the caller's own shift, ?operator=ID one operator's, and
// nothing the whole line (supervisors only).
func (h *Handler) listCalls(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	operator := r.URL.Query().Get("operator")
	if r.URL.Query().Get("mine") == "1" {
		operator = actor.UserID
	}
	calls, err := h.calls.Shift(r.Context(), actor, operator)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, calls, callJSON)
}

// listCallbacks is GET /api/v1/callbacks: missed calls waiting to be called back, without numbers.
func (h *Handler) listCallbacks(w http.ResponseWriter, r *http.Request) {
	calls, err := h.calls.Callbacks(r.Context(), actorOf(r))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, calls, callJSON)
}

// revealCallback is POST /api/v1/callbacks/{id}/reveal: the number, to the operator calling back, when
// calling back is known to be safe.
func (h *Handler) revealCallback(w http.ResponseWriter, r *http.Request) {
	number, err := h.calls.RevealNumber(r.Context(), actorOf(r), r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id"), "caller_number": number})
}

// closeCallback is POST /api/v1/callbacks/{id}/close: the missed call leaves the list.
func (h *Handler) closeCallback(w http.ResponseWriter, r *http.Request) {
	if err := h.calls.CloseCallback(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		h.errors(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
