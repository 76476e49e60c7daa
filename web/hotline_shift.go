package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewHotlineShift = "hotline_shift"

// hotlineShiftView is the shift: an operator's own calls of the last day, or for a supervisor the whole
// line's or one chosen operator's. No number and no summary is on it; each row opens the call for those
// who may read it.
type hotlineShiftView struct {
	// Line is the whole line's list, which names the operator of each call.
	Line  bool
	Calls []hotlineCallRow
	Limit int
	// Operators is a supervisor's chooser: every operator of the line first, then each one by name; nil
	// for an operator, who sees their own shift only.
	Operators []option
	// OperatorName names the chosen operator in the lead.
	OperatorName string
	formState
}

// showShift lists the calls of the last 24 hours: an operator's own; for a supervisor the whole line,
// or one operator's chosen with ?operator= (an account id, which names no caller).
func (h *Handler) showShift(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	lang := langOf(r)
	v := hotlineShiftView{}
	operator := actor.UserID
	if policy.ListCalls(actor, "") {
		operators, err := h.calls.Operators(ctx, actor)
		if err != nil {
			h.Errors(w, r, err)
			return
		}
		operator = r.URL.Query().Get("operator")
		known := operator == ""
		v.Operators = []option{{Value: "", Label: h.bundle.T(lang, "hotline.shift.all_operators"), Selected: known}}
		for _, o := range operators {
			label := o.DisplayName
			if label != o.Username {
				label += " (" + o.Username + ")"
			}
			if o.ID == operator {
				known, v.OperatorName = true, label
			}
			v.Operators = append(v.Operators, option{Value: o.ID, Label: label, Selected: o.ID == operator})
		}
		if !known {
			err := aman.FieldError("operator", app.EUnknownUser)
			v.formState, _ = h.formProblem(r, err)
			h.show(w, r, statusOf(err), viewHotlineShift, "hotline.shift.title", v)
			return
		}
	}
	calls, err := h.calls.Shift(ctx, actor, operator)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	v.Line = operator == ""
	for _, c := range calls {
		v.Calls = append(v.Calls, h.newHotlineCallRow(lang, c))
	}
	h.show(w, r, http.StatusOK, viewHotlineShift, "hotline.shift.title", v)
}
