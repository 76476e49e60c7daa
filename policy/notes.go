package policy

import (
	"slices"

	"aman.qa/aman"
)

// NoteKind is the discipline a case note belongs to. Discipline notes are read by their own discipline
// and by supervisors only, because what a woman tells her psychologist or her lawyer must not travel
// round the whole case team.
type NoteKind string

const (
	NoteGeneral       NoteKind = "general"
	NotePsychological NoteKind = "psychological"
	NoteLegal         NoteKind = "legal"
	// NoteMedical has no discipline role yet (no doctor or nurse role exists): until one is added,
	// medical notes are read by supervisors and by their author only.
	NoteMedical NoteKind = "medical"
)

// NoteKinds lists every note kind.
func NoteKinds() []NoteKind {
	return []NoteKind{NoteGeneral, NotePsychological, NoteLegal, NoteMedical}
}

// Valid tells whether k is one of the note kinds.
func (k NoteKind) Valid() bool { return slices.Contains(NoteKinds(), k) }

// ReadNote decides whether actor may read one note of a case, given the ViewCase decision for that case.
// Without access to the case, no note is readable, not even one's own: someone taken off a case loses
// its notes with it.
//
//   - general notes: anyone the case is open to;
//   - discipline notes: the author; the matching discipline (psychologists for psychological notes,
//     legal officers for legal ones); supervisors.
//
// Break-glass opens a case in an emergency, not its confidences: under break-glass a discipline note is
// readable only by its own discipline (and its author). A supervisor from another unit who breaks the
// glass therefore reads general notes only.
//
// caseDecision is trusted to come from ViewCase for this actor and case. An allowed decision with a basis
// this package does not know is treated like break-glass, the narrower access.
func ReadNote(actor aman.Actor, kind NoteKind, authorID string, caseDecision Decision) bool {
	if !caseDecision.Allowed || !identified(actor) || !Allows(actor.Role, CaseView) || !kind.Valid() {
		return false
	}
	switch {
	case kind == NoteGeneral, actor.UserID == authorID, discipline(actor.Role) == kind:
		return true
	}
	return actor.Role == aman.RoleSupervisor && standing(caseDecision.Basis)
}

// discipline is the note kind a role practises, or "" for roles without one.
func discipline(role aman.Role) NoteKind {
	switch role {
	case aman.RolePsychologist:
		return NotePsychological
	case aman.RoleLegalOfficer:
		return NoteLegal
	}
	return ""
}

// standing tells whether a basis is a standing tie to the case rather than break-glass.
func standing(basis string) bool {
	return basis == BasisAssigned || basis == BasisTeam || basis == BasisUnitSupervisor
}
