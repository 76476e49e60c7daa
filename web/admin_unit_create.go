package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// createUnit adds a unit with its Arabic and English names. A problem brings the list back with the
// names as typed.
func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.Unit{NameAR: formValue(r, "name_ar"), NameEN: formValue(r, "name_en")}
	_, err := h.accounts.CreateUnit(r.Context(), actor, typed)
	if err == nil {
		redirectDone(w, r, "/admin/units", doneUnitCreated)
		return
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	h.showUnitsPage(w, r, statusOf(err), unitsView{NameAR: typed.NameAR, NameEN: typed.NameEN, formState: state})
}
