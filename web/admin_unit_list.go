package web

import (
	"net/http"

	"aman.qa/aman/app"
)

const viewAdminUnits = "admin_units"

// unitsView lists the units and holds the form that adds one.
type unitsView struct {
	Units  []app.Unit
	NameAR string
	NameEN string
	Notice string
	formState
}

// showUnits lists the units, with the confirmation of the one just added, if any.
func (h *Handler) showUnits(w http.ResponseWriter, r *http.Request) {
	h.showUnitsPage(w, r, http.StatusOK, unitsView{Notice: h.doneNotice(r)})
}

// showUnitsPage fills view with the units and shows it with status.
func (h *Handler) showUnitsPage(w http.ResponseWriter, r *http.Request, status int, view unitsView) {
	units, err := h.accounts.ListUnits(r.Context())
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	view.Units = units
	h.show(w, r, status, viewAdminUnits, "admin.units.title", view)
}
