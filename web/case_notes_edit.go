package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// editCaseNote replaces the text of one's own note within its edit window (Notes.Edit). Once the window
// has closed, the refusal comes back on the note's page beside the text, which is kept, in the
// amendment form the page then offers.
func (h *Handler) editCaseNote(w http.ResponseWriter, r *http.Request) {
	h.writeOnCaseNote(w, r, doneNoteEdited, func(r *http.Request, noteID, body string) error {
		_, actor, _ := session.From(r.Context())
		_, err := h.notes.Edit(r.Context(), actor, noteID, body)
		return err
	}, false)
}

// writeOnCaseNote is the frame of editing and amending a note: write sends the text; success returns to
// the page of the case's notes the note was opened from, with its confirmation. On a refusal the note's
// page comes back with the text in the form it came from (the edit form, or with amend the amendment
// form), or in the amendment form when the note no longer offers editing (its window closed
// meanwhile), with the problem beside it.
func (h *Handler) writeOnCaseNote(w http.ResponseWriter, r *http.Request, done string, write func(r *http.Request, noteID, body string) error,
	amend bool) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	noteID, body := r.PathValue("noteID"), r.PostFormValue("body")
	err := write(r, noteID, body)
	if err == nil {
		redirectToCaseNotes(w, r, done)
		return
	}
	h.showCaseNoteProblem(w, r, err, func(view *caseNoteView, state formState) bool {
		target := view.Edit
		if amend || target == nil {
			target = view.Amend
		}
		if target == nil {
			return false
		}
		target.Body, target.formState = body, state
		return true
	})
}
