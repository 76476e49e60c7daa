package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// addCaseNote writes a note on the case (Notes.Create), of the kind chosen.
func (h *Handler) addCaseNote(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.NewNote{Kind: policy.NoteKind(formValue(r, "kind")), Body: r.PostFormValue("body")}
	if _, err := h.notes.Create(r.Context(), actor, r.PathValue("id"), typed); err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			if work.Notes.Form == nil {
				return false
			}
			choose(work.Notes.Form.Kinds, string(typed.Kind))
			work.Notes.Form.Body, work.Notes.Form.formState = typed.Body, state
			return true
		})
		return
	}
	redirectToCase(w, r, doneNoteAdded)
}
