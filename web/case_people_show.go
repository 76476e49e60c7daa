package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
)

// peopleSection is everyone in the case (Cases.People): its beneficiary first, then the household,
// guardians and alleged perpetrators with their relationship to the beneficiary. A reader who may
// change the case finds people in the registry here and adds them.
type peopleSection struct {
	CaseID string
	People []casePersonView
	// Search is the registry search and, once it ran, its results; nil for a reader who may not change
	// the case.
	Search *casePeopleSearch
	Notice string
	// primaryID and inCase are the ids of the people listed, to sort the results of a search.
	primaryID string
	inCase    map[string]bool
}

// casePersonView is one person in the case. Role is "primary" for the beneficiary.
type casePersonView struct {
	personNames
	Role         string
	Relationship string
}

// personNames are a person's names, each shown in its own script.
type personNames struct {
	NameAR    string
	NameEN    string
	BirthDate string
}

// casePeopleSearch is the search form and, after a search, the people it found, each with the form
// that adds them to the case.
type casePeopleSearch struct {
	Query    string
	Searched bool
	Results  []personMatch
	// Links are the choices of role and relationship, grouped by role, shared by every result's form.
	Links []linkGroup
	formState
}

// personMatch is one person found. InCase is set when they are already in the case in some role, and
// Form once a failed add brings the choice back.
type personMatch struct {
	ID string
	personNames
	InCase bool
	Form   *addPersonForm
}

// addPersonForm is the choice sent for one found person, shown again with its problem.
type addPersonForm struct {
	Link string
	formState
}

// linkGroup is the relationships offered for one role; each option's value is "role/relationship".
type linkGroup struct {
	Role    string
	Options []option
}

func (h *Handler) newPeopleSection(r *http.Request, d caseRecords) *peopleSection {
	s := &peopleSection{CaseID: d.k.ID, primaryID: d.k.BeneficiaryID, inCase: map[string]bool{}}
	for _, p := range d.people {
		s.People = append(s.People, casePersonView{personNames: namesOf(p.Beneficiary), Role: p.Role, Relationship: p.Relationship})
		s.inCase[p.ID] = true
	}
	if d.staff.MayEdit {
		s.Search = &casePeopleSearch{Links: h.linkGroups(r)}
	}
	return s
}

// namesOf is what the case page shows of a person.
func namesOf(b aman.Beneficiary) personNames {
	return personNames{NameAR: b.NameAR, NameEN: b.NameEN, BirthDate: b.BirthDate}
}

// linkGroups offers every role a person can be added with, and each role's relationships.
func (h *Handler) linkGroups(r *http.Request) []linkGroup {
	lang := langOf(r)
	var groups []linkGroup
	for _, role := range app.PersonRoles() {
		g := linkGroup{Role: role}
		for _, rel := range app.Relationships(role) {
			g.Options = append(g.Options, option{Value: role + "/" + rel, Label: h.bundle.T(lang, "case.relationship."+rel)})
		}
		groups = append(groups, g)
	}
	return groups
}

// showResults fills the section with what a search found: everyone but the case's beneficiary, with
// those already in the case marked.
func (s *peopleSection) showResults(query string, found []app.Match) {
	s.Search.Query, s.Search.Searched = query, true
	for _, m := range found {
		if m.ID != s.primaryID {
			s.Search.Results = append(s.Search.Results, personMatch{ID: m.ID, personNames: namesOf(m.Beneficiary), InCase: s.inCase[m.ID]})
		}
	}
}
