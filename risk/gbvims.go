package risk

import (
	"strconv"

	"aman.qa/aman"
)

// GBVIMS acts: what happened, as recorded on the intake form. An incident may record several.
const (
	ActPenetration           = "penetration"
	ActUnwantedSexualContact = "unwanted_sexual_contact"
	ActPhysicalAssault       = "physical_assault"
	ActForcedMarriage        = "forced_marriage"
	ActDenialOfResources     = "denial_of_resources"
	ActPsychologicalAbuse    = "psychological_abuse"
)

// GBVIMS incident types. Every incident gets exactly one.
const (
	TypeRape               = "rape"
	TypeSexualAssault      = "sexual_assault"
	TypePhysicalAssault    = "physical_assault"
	TypeForcedMarriage     = "forced_marriage"
	TypeDenialOfResources  = "denial_of_resources"
	TypePsychologicalAbuse = "psychological_abuse"
	TypeNonGBV             = "non_gbv"
)

// GBVIMS contexts: facts about an incident that are reported alongside its type, not instead of it.
const (
	ContextIntimatePartnerViolence = "intimate_partner_violence"
	ContextChildSexualAbuse        = "child_sexual_abuse"
	ContextEarlyMarriage           = "early_marriage"
)

// Perpetrator relationships to the survivor.
const (
	RelHusband         = "husband"
	RelFormerHusband   = "former_husband"
	RelFather          = "father"
	RelMother          = "mother"
	RelBrother         = "brother"
	RelOtherRelative   = "other_relative"
	RelEmployerSponsor = "employer_sponsor"
	RelOther           = "other"
	// RelPartner and RelFormerPartner are not offered on the form but are accepted as intimate
	// partners, so that records imported from systems that use them are counted correctly.
	RelPartner       = "partner"
	RelFormerPartner = "former_partner"
)

// Adulthood is the age from which a survivor is not a child, for the age-based contexts.
const Adulthood = 18

// Acts returns the act vocabulary in precedence order. Each call returns a new slice, so callers
// may keep or change it; the package holds no shared copy that could be altered.
func Acts() []string {
	return []string{ActPenetration, ActUnwantedSexualContact, ActPhysicalAssault,
		ActForcedMarriage, ActDenialOfResources, ActPsychologicalAbuse}
}

// Types returns the incident types in precedence order, non_gbv last.
func Types() []string {
	return []string{TypeRape, TypeSexualAssault, TypePhysicalAssault,
		TypeForcedMarriage, TypeDenialOfResources, TypePsychologicalAbuse, TypeNonGBV}
}

// Relationships returns the perpetrator-relationship vocabulary the intake form offers.
func Relationships() []string {
	return []string{RelHusband, RelFormerHusband, RelFather, RelMother, RelBrother,
		RelOtherRelative, RelEmployerSponsor, RelOther}
}

// IsRelationship reports whether s is accepted as a relationship: the form's vocabulary plus the
// imported synonyms partner and former_partner.
func IsRelationship(s string) bool {
	switch s {
	case RelHusband, RelFormerHusband, RelFather, RelMother, RelBrother,
		RelOtherRelative, RelEmployerSponsor, RelOther, RelPartner, RelFormerPartner:
		return true
	}
	return false
}

// actRank is an act's place in the GBVIMS precedence, most serious first. The order lives in a
// switch, not a package-level table, so that no code can reorder it at run time.
func actRank(act string) (int, bool) {
	switch act {
	case ActPenetration:
		return 0, true
	case ActUnwantedSexualContact:
		return 1, true
	case ActPhysicalAssault:
		return 2, true
	case ActForcedMarriage:
		return 3, true
	case ActDenialOfResources:
		return 4, true
	case ActPsychologicalAbuse:
		return 5, true
	}
	return 0, false
}

// typeOfRank is the incident type an act of the given rank classifies as.
func typeOfRank(rank int) string {
	switch rank {
	case 0:
		return TypeRape
	case 1:
		return TypeSexualAssault
	case 2:
		return TypePhysicalAssault
	case 3:
		return TypeForcedMarriage
	case 4:
		return TypeDenialOfResources
	case 5:
		return TypePsychologicalAbuse
	}
	return TypeNonGBV
}

// Classify gives an incident its one GBVIMS type: that of the first act, in the order of Acts, that
// the incident records. GBVIMS counts each incident once, under its most serious act, so that
// statistics add up; the other acts stay on the record. No acts is non_gbv. An act outside the
// vocabulary is an error with code EUnknownAct on field "acts[i]", since guessing would skew the
// centre's reported figures.
func Classify(acts []string) (string, error) {
	best := -1
	for i, a := range acts {
		r, ok := actRank(a)
		if !ok {
			return "", aman.FieldError("acts["+strconv.Itoa(i)+"]", EUnknownAct)
		}
		if best < 0 || r < best {
			best = r
		}
	}
	return typeOfRank(best), nil
}

// Contexts returns the GBVIMS contexts of an incident of type typ, in a fixed order:
//
//   - intimate_partner_violence: a perpetrator is a husband or former husband (or partner or
//     former partner);
//   - child_sexual_abuse: the survivor is under 18 and the type is rape or sexual_assault;
//   - early_marriage: the survivor is under 18 and the type is forced_marriage.
//
// survivorAge is -1 (any negative) when unknown, and then no age-based context applies: a
// context is a reported statistic and must not rest on a guess. A non_gbv incident, or a type
// Classify does not produce, has no GBVIMS context. The result is never nil, so it marshals as [].
func Contexts(typ string, survivorAge int, perpetratorRelationships []string) []string {
	out := make([]string, 0, 3)
	switch typ {
	case TypeRape, TypeSexualAssault, TypePhysicalAssault, TypeForcedMarriage,
		TypeDenialOfResources, TypePsychologicalAbuse:
	default:
		return out
	}
	for _, rel := range perpetratorRelationships {
		if rel == RelHusband || rel == RelFormerHusband || rel == RelPartner || rel == RelFormerPartner {
			out = append(out, ContextIntimatePartnerViolence)
			break
		}
	}
	child := survivorAge >= 0 && survivorAge < Adulthood
	if child && (typ == TypeRape || typ == TypeSexualAssault) {
		out = append(out, ContextChildSexualAbuse)
	}
	if child && typ == TypeForcedMarriage {
		out = append(out, ContextEarlyMarriage)
	}
	return out
}
