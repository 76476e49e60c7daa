package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// addIncident records an incident on the case; app classifies it by GBVIMS and seals its narrative.
// Success returns to the case's incidents; a problem brings the case page back with the form as typed.
func (h *Handler) addIncident(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := app.IncidentInput{OccurredOn: formValue(r, "occurred_on"), Place: formValue(r, "place_type"), Acts: r.PostForm["acts"],
		PerpetratorRelationships: r.PostForm["perpetrator_relationships"], Harms: r.PostForm["harms"],
		// The narrative is kept as typed, line breaks and all.
		Narrative: r.PostFormValue("narrative")}
	_, err := h.incidents.Record(r.Context(), actor, id, typed)
	if err == nil {
		redirectCare(w, r, id, doneIncident, anchorIncidents)
		return
	}
	h.showCareProblem(w, r, err, []string{"occurred_on", "place_type", "acts", "perpetrator_relationships", "harms", "narrative"}, func(care *caseCareView, state formState) bool {
		if care.Incidents.Form == nil {
			return false
		}
		care.Incidents.Form = newIncidentForm(typed, len(care.Incidents.Form.Harms) > 0)
		care.Incidents.Form.formState = state
		return true
	})
}
