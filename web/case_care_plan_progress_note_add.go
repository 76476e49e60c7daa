package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// addProgressNote adds a dated note on how a goal of the case's plan is going. Success returns to the
// goal; a problem brings the case page back with the note as typed.
func (h *Handler) addProgressNote(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id, goalID := r.PathValue("id"), r.PathValue("goal")
	text := r.PostFormValue("text")
	_, err := h.carePlans.AddProgressNote(r.Context(), actor, id, goalID, text)
	if err == nil {
		redirectGoal(w, r, id, goalID, doneProgressNote)
		return
	}
	h.showCareProblem(w, r, err, []string{"text"}, func(care *caseCareView, state formState) bool {
		g := care.CarePlan.goalOnPage(goalID)
		if g == nil || g.NoteForm == nil {
			return false
		}
		g.NoteForm = &progressNoteForm{Text: text, Open: true, formState: state}
		return true
	})
}
