package aman

import (
	"slices"
	"time"
)

// PlaceType is where an incident happened, as the incident form offers it.
type PlaceType string

const (
	PlaceHome        PlaceType = "home"
	PlaceWorkplace   PlaceType = "workplace"
	PlaceSchool      PlaceType = "school"
	PlacePublic      PlaceType = "public_place"
	PlaceOnline      PlaceType = "online"
	PlaceInstitution PlaceType = "institution"
	PlaceOther       PlaceType = "other"
)

// PlaceTypes lists the place types in the order the form shows them.
func PlaceTypes() []PlaceType {
	return []PlaceType{PlaceHome, PlaceWorkplace, PlaceSchool, PlacePublic, PlaceOnline, PlaceInstitution, PlaceOther}
}

// Valid tells whether p is one of the place types.
func (p PlaceType) Valid() bool { return slices.Contains(PlaceTypes(), p) }

// Harm is a child-protection category of harm. They are the categories a child can report through the
// help app (Sa'idni), so a case opened from such a report speaks the same words.
type Harm string

const (
	HarmVerbal      Harm = "verbal"
	HarmPhysical    Harm = "physical"
	HarmSexual      Harm = "sexual"
	HarmConfinement Harm = "confinement"
	HarmNeglect     Harm = "neglect"
)

// Harms lists the child-protection harms.
func Harms() []Harm {
	return []Harm{HarmVerbal, HarmPhysical, HarmSexual, HarmConfinement, HarmNeglect}
}

// Valid tells whether h is one of the harms.
func (h Harm) Valid() bool { return slices.Contains(Harms(), h) }

// Incident is one event of violence recorded on a case. Its GBVIMS type and contexts are derived when it
// is recorded, from its acts, the perpetrators' relationships and the survivor's age on that day.
type Incident struct {
	ID     string
	CaseID string
	// OccurredOn is the day it happened, at midnight in Qatar.
	OccurredOn time.Time
	Place      PlaceType
	// Acts are GBVIMS acts (risk.Acts); Type is the one GBVIMS type they classify as.
	Acts []string
	Type string
	// PerpetratorRelationships are the perpetrators' relationships to the survivor (risk.Relationships),
	// one per perpetrator. Perpetrator records of their own come later.
	PerpetratorRelationships []string
	// Contexts are the GBVIMS contexts (risk.Contexts).
	Contexts []string
	// SurvivorAge is the survivor's age in whole years on OccurredOn; -1 when the birth date is unknown.
	SurvivorAge int
	// Harms are recorded for children only.
	Harms []Harm
	// Narrative is sealed at rest.
	Narrative string
	CreatedBy string
	CreatedAt time.Time
}

// Incident error codes.
const (
	// EHarmsChildOnly: child-protection harms were given for a survivor who was an adult that day.
	EHarmsChildOnly = "harms_child_only"
	EInvalidPlace   = "invalid_place_type"
	EInvalidHarm    = "invalid_harm"
	// EDateBeforeBirth: an event dated before the beneficiary was born.
	EDateBeforeBirth = "date_before_birth"
)

// AgeOn is the age in whole years on day of someone born on born; both are calendar dates.
func AgeOn(born, day time.Time) int {
	age := day.Year() - born.Year()
	if day.Month() < born.Month() || day.Month() == born.Month() && day.Day() < born.Day() {
		age--
	}
	return age
}
