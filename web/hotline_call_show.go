package web

import (
	"net/http"

	"aman.qa/aman/session"
)

const viewHotlineCall = "hotline_call"

// hotlineCallView is one call opened by someone policy.ViewCall lets in, summary included. The number
// is not on it: a call is read for what was said and done, and the number serves only a callback.
type hotlineCallView struct {
	hotlineCallRow
	Status   string
	Ended    shownTime
	Risks    []string
	Safety   string
	Summary  string
	CaseID   string
	IntakeID string
}

// showCall opens one call.
func (h *Handler) showCall(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	c, err := h.calls.Get(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	lang := langOf(r)
	v := hotlineCallView{hotlineCallRow: h.newHotlineCallRow(lang, c), Status: h.bundle.T(lang, "call.status."+string(c.Status)),
		Ended: showTime(c.EndedAt, h.zone), Summary: c.Summary, CaseID: c.CaseID, IntakeID: c.IntakeID,
		Safety: h.bundle.T(lang, "call.safety."+callSafetyName(c.SafeToCallBack))}
	for _, item := range callRiskItems {
		if map[string]bool{"immediate_danger": c.Risk.ImmediateDanger, "weapon": c.Risk.Weapon, "children_present": c.Risk.ChildrenPresent,
			"suicide_risk": c.Risk.SuicideRisk}[item.name] {
			v.Risks = append(v.Risks, h.bundle.T(lang, "call.risk."+item.name))
		}
	}
	h.show(w, r, http.StatusOK, viewHotlineCall, "hotline.call.title", v)
}
