package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
)

// notesSection is a page of the notes of the case the reader may read, oldest first, with their
// amendments; how many others the case keeps for another discipline; and the form to write one. Each
// note links to its own page (case_notes_note_show.go), which holds its edit and amendment forms: a
// case page of fifty notes printed a hundred folded forms nobody had opened, and html/template's
// escaping of their values was half the page's time.
type notesSection struct {
	CaseID   string
	Notes    []noteView
	Withheld int
	// EarlierURL opens the next older page of notes (case_notes_earlier.go); "" when the reader may
	// read none older. LatestURL returns to the newest notes from an older page; "" on the newest.
	EarlierURL string
	LatestURL  string
	// Form writes a note; nil for a reader who may not add one. Closed says the case no longer takes
	// notes from the reader.
	Form   *caseNoteForm
	Closed bool
	Notice string
}

// noteView is one note.
type noteView struct {
	ID         string
	Kind       policy.NoteKind
	Author     string
	At         shownTime
	EditedAt   shownTime
	Body       string
	Amendments []amendmentView
	// URL opens the note on its own page, keeping the page of notes it was listed on, so that a change
	// made there returns to it. MayEdit and MayAmend say what that page offers the reader, for the
	// link's words.
	URL      string
	MayEdit  bool
	MayAmend bool
}

// amendmentView is a correction appended to a note.
type amendmentView struct {
	Author string
	At     shownTime
	Body   string
}

// newNoteView shows note n to the reader whose rights on its case are rights; query keeps the page of
// notes the note is reached from ("" for the newest).
func (h *Handler) newNoteView(n app.Note, names func(string) string, rights app.NoteRights, query string) noteView {
	v := noteView{ID: n.ID, Kind: n.Kind, Author: names(n.AuthorID), At: showTime(n.CreatedAt, h.zone), EditedAt: showTime(n.EditedAt, h.zone),
		Body: n.Body, URL: notePath(n.CaseID, n.ID) + query, MayEdit: rights.Edit(n), MayAmend: rights.Amend(n)}
	for _, a := range n.Amendments {
		v.Amendments = append(v.Amendments, amendmentView{Author: names(a.AuthorID), At: showTime(a.CreatedAt, h.zone), Body: a.Body})
	}
	return v
}

// caseNoteForm writes a note: its kind, among those sensible for the reader's role, and its text.
type caseNoteForm struct {
	Kinds []option
	Body  string
	formState
}

func (h *Handler) newNotesSection(r *http.Request, d caseRecords, names func(string) string) *notesSection {
	s := &notesSection{CaseID: d.k.ID, Withheld: d.notes.Withheld}
	if d.notes.HasOlder() {
		s.EarlierURL = earlierNotesURL(d.k.ID, d.notes.Older)
	}
	if !d.notesPage.Before.IsZero() {
		s.LatestURL = latestNotesURL(d.k.ID)
	}
	query := notesQuery(d.notesPage.Before)
	for _, n := range d.notes.Notes {
		s.Notes = append(s.Notes, h.newNoteView(n, names, d.rights, query))
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
