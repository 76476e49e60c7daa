package web

import (
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/risk"
)

// caseIncidentsView lists the incidents of a case, as GBVIMS classified them, and offers the form that
// adds one.
type caseIncidentsView struct {
	List []incidentView
	// Form is nil for those who may not change the case.
	Form   *incidentForm
	Notice string
}

// incidentView is one incident; its codes are shown through their catalog keys.
type incidentView struct {
	ID            string
	Day           string
	Place         string
	Type          string
	Acts          []string
	Relationships []string
	Contexts      []string
	Harms         []string
	Narrative     string
}

// incidentForm is the form that records an incident, with what was typed.
type incidentForm struct {
	OccurredOn    string
	Places        []string
	Place         string
	Acts          []checkbox
	Relationships []checkbox
	// Harms is offered when it may apply: the beneficiary is a child, or their age is not known.
	Harms     []checkbox
	Narrative string
	formState
}

func (c careContext) incidentsSection(incidents []aman.Incident, person aman.Beneficiary) caseIncidentsView {
	v := caseIncidentsView{Notice: c.notice(doneIncident)}
	for _, x := range incidents {
		harms := make([]string, len(x.Harms))
		for i, h := range x.Harms {
			harms[i] = string(h)
		}
		v.List = append(v.List, incidentView{ID: x.ID, Day: c.day(x.OccurredOn), Place: string(x.Place), Type: x.Type, Acts: x.Acts,
			Relationships: x.PerpetratorRelationships, Contexts: x.Contexts, Harms: harms, Narrative: x.Narrative})
	}
	if c.staff.MayEdit {
		v.Form = newIncidentForm(app.IncidentInput{}, childHarmsApply(person.BirthDate, time.Now().In(c.h.zone)))
	}
	return v
}

// childHarmsApply tells whether child-protection harms may apply to someone born on birthDate
// (YYYY-MM-DD, "" when unknown): unless they are surely an adult today, the form offers them, and app
// decides on the incident's own day.
func childHarmsApply(birthDate string, today time.Time) bool {
	born, err := time.Parse(time.DateOnly, birthDate)
	if err != nil {
		return true
	}
	y, m, d := today.Date()
	return aman.AgeOn(born, time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) < risk.Adulthood
}

func newIncidentForm(typed app.IncidentInput, withHarms bool) *incidentForm {
	places := make([]string, 0, len(aman.PlaceTypes()))
	for _, p := range aman.PlaceTypes() {
		places = append(places, string(p))
	}
	f := &incidentForm{OccurredOn: typed.OccurredOn, Places: places, Place: typed.Place, Narrative: typed.Narrative,
		Acts: checkboxes(risk.Acts(), typed.Acts), Relationships: checkboxes(risk.Relationships(), typed.PerpetratorRelationships)}
	if withHarms || len(typed.Harms) > 0 {
		harms := make([]string, 0, len(aman.Harms()))
		for _, h := range aman.Harms() {
			harms = append(harms, string(h))
		}
		f.Harms = checkboxes(harms, typed.Harms)
	}
	return f
}
