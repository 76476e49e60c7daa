package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

// notesSection is a page of the notes of the case the reader may read, oldest first, with their
// amendments; how many others the case keeps for another discipline; and the forms to write, edit and
// amend.
type notesSection struct {
	CaseID   string
	Notes    []noteView
	Withheld int
	// EarlierURL opens the next older page of notes (case_notes_earlier.go); "" when the reader may
	// read none older. LatestURL returns to the newest notes from an older page; "" on the newest.
	EarlierURL string
	LatestURL  string
	// Query keeps an older page on the forms' addresses ("" on the newest), so that a form sent back
	// with a problem is shown with its note.
	Query string
	// Form writes a note; nil for a reader who may not add one. Closed says the case no longer takes
	// notes from the reader.
	Form   *caseNoteForm
	Closed bool
	Notice string
}

// noteView is one note. Edit and Amend are nil when the reader may not use them.
type noteView struct {
	ID         string
	Kind       policy.NoteKind
	Author     string
	At         shownTime
	EditedAt   shownTime
	Body       string
	Amendments []amendmentView
	// EditableUntil is when the author's edit window closes.
	EditableUntil shownTime
	Edit          *noteTextForm
	Amend         *noteTextForm
}

// amendmentView is a correction appended to a note.
type amendmentView struct {
	Author string
	At     shownTime
	Body   string
}

// noteTextForm is the text of an edit or an amendment; Open unfolds it when it comes back with a
// problem.
type noteTextForm struct {
	Body string
	Open bool
	formState
}

// caseNoteForm writes a note: its kind, among those sensible for the reader's role, and its text.
type caseNoteForm struct {
	Kinds []option
	Body  string
	formState
}

func (h *Handler) newNotesSection(r *http.Request, d caseRecords, names func(string) string) *notesSection {
	s := &notesSection{CaseID: d.k.ID, Withheld: d.notes.Withheld, Query: notesQuery(d.notesPage.Before)}
	if d.notes.HasOlder() {
		s.EarlierURL = earlierNotesURL(d.k.ID, d.notes.Older)
	}
	if !d.notesPage.Before.IsZero() {
		s.LatestURL = latestNotesURL(d.k.ID)
	}
	for _, n := range d.notes.Notes {
		v := noteView{ID: n.ID, Kind: n.Kind, Author: names(n.AuthorID), At: showTime(n.CreatedAt, h.zone), EditedAt: showTime(n.EditedAt, h.zone),
			Body: n.Body, EditableUntil: showTime(n.EditableUntil(), h.zone)}
		for _, a := range n.Amendments {
			v.Amendments = append(v.Amendments, amendmentView{Author: names(a.AuthorID), At: showTime(a.CreatedAt, h.zone), Body: a.Body})
		}
		if d.rights.Edit(n) {
			v.Edit = &noteTextForm{Body: n.Body}
		}
		if d.rights.Amend(n) {
			v.Amend = &noteTextForm{}
		}
		s.Notes = append(s.Notes, v)
	}
	switch {
	case d.rights.Add():
		s.Form = &caseNoteForm{}
		for _, kind := range noteKindsFor(d.actor.Role) {
			s.Form.Kinds = append(s.Form.Kinds, option{Value: string(kind), Label: h.bundle.T(langOf(r), "case.note.kind."+string(kind))})
		}
		choose(s.Form.Kinds, string(policy.NoteGeneral))
	case d.k.Status == aman.CaseClosed:
		s.Closed = true
	}
	return s
}

// noteKindsFor lists the kinds of note a role is offered, general first. Each discipline writes its own
// notes; supervisors write any; case workers and the shelter also record health matters, as medical
// notes, since no medical role exists yet. Notes.Create accepts any kind: the offer only keeps a
// psychologist's form from suggesting legal notes.
func noteKindsFor(role aman.Role) []policy.NoteKind {
	switch role {
	case aman.RoleSupervisor:
		return policy.NoteKinds()
	case aman.RolePsychologist:
		return []policy.NoteKind{policy.NoteGeneral, policy.NotePsychological}
	case aman.RoleLegalOfficer:
		return []policy.NoteKind{policy.NoteGeneral, policy.NoteLegal}
	case aman.RoleCaseWorker, aman.RoleShelterOfficer:
		return []policy.NoteKind{policy.NoteGeneral, policy.NoteMedical}
	}
	return []policy.NoteKind{policy.NoteGeneral}
}

// note finds the shown note of id.
func (s *notesSection) note(id string) *noteView {
	for i := range s.Notes {
		if s.Notes[i].ID == id {
			return &s.Notes[i]
		}
	}
	return nil
}
