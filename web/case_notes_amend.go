package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// amendCaseNote appends an amendment to a note (Notes.Amend): its author's or a supervisor's correction,
// which leaves what was written and read on the record as it was.
func (h *Handler) amendCaseNote(w http.ResponseWriter, r *http.Request) {
	h.writeOnCaseNote(w, r, doneNoteAmended, func(r *http.Request, noteID, body string) error {
		_, actor, _ := session.From(r.Context())
		_, err := h.notes.Amend(r.Context(), actor, noteID, body)
		return err
	}, true)
}
