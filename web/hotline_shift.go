package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/session"
)

const viewHotlineShift = "hotline_shift"

// hotlineShiftView is the shift: an operator's own calls of the last day, or for a supervisor the whole
// line's. No number and no summary is on it; each row opens the call for those who may read it.
type hotlineShiftView struct {
	Line  bool
	Calls []hotlineCallRow
	Limit int
}

// showShift lists the calls of the last 24 hours: an operator's own, or the whole line for a supervisor.
func (h *Handler) showShift(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	operator := actor.UserID
	if actor.Role == aman.RoleSupervisor {
		operator = ""
	}
	calls, err := h.calls.Shift(r.Context(), actor, operator)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	v := hotlineShiftView{Line: operator == ""}
	for _, c := range calls {
		v.Calls = append(v.Calls, h.newHotlineCallRow(langOf(r), c))
	}
	h.show(w, r, http.StatusOK, viewHotlineShift, "hotline.shift.title", v)
}
