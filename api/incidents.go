package api

import (
	"net/http"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

// dayJSON writes a calendar day (app keeps days at midnight in Qatar) as YYYY-MM-DD; "" for none.
func dayJSON(day time.Time) string {
	if day.IsZero() {
		return ""
	}
	return day.Format(time.DateOnly)
}

// nonNil makes a nil list marshal as [] rather than null, so clients need no special case.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

type incidentOut struct {
	ID                       string      `json:"id"`
	CaseID                   string      `json:"case_id"`
	OccurredOn               string      `json:"occurred_on"`
	PlaceType                string      `json:"place_type"`
	Acts                     []string    `json:"acts"`
	Type                     string      `json:"type"`
	PerpetratorRelationships []string    `json:"perpetrator_relationships"`
	Contexts                 []string    `json:"contexts"`
	SurvivorAge              *int        `json:"survivor_age"`
	Harms                    []aman.Harm `json:"harms"`
	Narrative                string      `json:"narrative,omitempty"`
	CreatedBy                string      `json:"created_by"`
	CreatedAt                string      `json:"created_at"`
}

func incidentJSON(x aman.Incident) incidentOut {
	out := incidentOut{ID: x.ID, CaseID: x.CaseID, OccurredOn: dayJSON(x.OccurredOn), PlaceType: string(x.Place), Acts: nonNil(x.Acts),
		Type: x.Type, PerpetratorRelationships: nonNil(x.PerpetratorRelationships), Contexts: nonNil(x.Contexts), Harms: nonNil(x.Harms),
		Narrative: x.Narrative, CreatedBy: x.CreatedBy, CreatedAt: x.CreatedAt.Format(timeFormat)}
	if x.SurvivorAge >= 0 {
		age := x.SurvivorAge
		out.SurvivorAge = &age
	}
	return out
}

// recordIncident is POST /api/v1/cases/{id}/incidents: 201 with the incident, classified.
func (h *Handler) recordIncident(w http.ResponseWriter, r *http.Request) {
	var body struct {
		OccurredOn               string   `json:"occurred_on"`
		PlaceType                string   `json:"place_type"`
		Acts                     []string `json:"acts"`
		PerpetratorRelationships []string `json:"perpetrator_relationships"`
		Harms                    []string `json:"harms"`
		Narrative                string   `json:"narrative"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	x, err := h.incidents.Record(r.Context(), actor, r.PathValue("id"), app.IncidentInput{OccurredOn: body.OccurredOn, Place: body.PlaceType,
		Acts: body.Acts, PerpetratorRelationships: body.PerpetratorRelationships, Harms: body.Harms, Narrative: body.Narrative})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, incidentJSON(x))
}

// listIncidents is GET /api/v1/cases/{id}/incidents: {"items":[…]}, most recent first.
func (h *Handler) listIncidents(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	list, err := h.incidents.List(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, list, incidentJSON)
}
