package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewCaseBreakGlass = "case_break_glass"

// breakGlassForm asks for the reason that opens a case not one's own. It shows nothing of the case:
// until the glass is broken, the case is not open to the person reading it, not even its number.
type breakGlassForm struct {
	CaseID    string
	Reason    string
	MinReason int
	formState
}

func (h *Handler) newBreakGlassForm(r *http.Request, reason string) breakGlassForm {
	return breakGlassForm{CaseID: r.PathValue("id"), Reason: reason, MinReason: app.MinBreakGlassReason}
}

func (h *Handler) showBreakGlass(w http.ResponseWriter, r *http.Request, status int, form breakGlassForm) {
	h.show(w, r, status, viewCaseBreakGlass, "case.break_glass.title", form)
}

// showCaseRefusal answers a page of a case that could not be opened: a colleague to whom the case is
// not open is offered break-glass, with the status (403) that tells a script it was refused; any other
// refusal gets the error page.
func (h *Handler) showCaseRefusal(w http.ResponseWriter, r *http.Request, err error) {
	if aman.ErrorCode(err) == policy.EBreakGlassRequired {
		h.showBreakGlass(w, r, http.StatusForbidden, h.newBreakGlassForm(r, ""))
		return
	}
	h.Errors(w, r, err)
}

// breakGlass grants the signed-in person an hour on a case outside their work, on a written reason;
// app.Cases.BreakGlass alerts the unit's supervisors and flags the audit. Success opens the case. A
// reason that is too short brings the form back with what was typed.
func (h *Handler) breakGlass(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	// The reason is kept as typed, spaces and all, so the form gives back exactly what was written.
	reason := r.PostFormValue("reason")
	_, err := h.cases.BreakGlass(r.Context(), actor, id, reason)
	// A second submit, or a grant that already came through another tab, has nothing left to do.
	if err == nil || aman.ErrorCode(err) == app.EBreakGlassNeedless {
		http.Redirect(w, r, "/cases/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	form := h.newBreakGlassForm(r, reason)
	form.formState = state
	h.showBreakGlass(w, r, statusOf(err), form)
}
