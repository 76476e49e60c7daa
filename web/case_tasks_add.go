package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// addCaseTask adds a task to the case (Tasks.Create): a title, a due day in Qatar, and who carries it.
func (h *Handler) addCaseTask(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := app.NewTask{Title: formValue(r, "title"), DueOn: foldDigits(formValue(r, "due_on")), AssigneeID: formValue(r, "assignee_id")}
	if _, err := h.tasks.Create(r.Context(), actor, r.PathValue("id"), typed); err != nil {
		h.showCaseProblem(w, r, err, func(work *caseWork, state formState) bool {
			if work.Tasks.Form == nil {
				return false
			}
			work.Tasks.Form.show(typed)
			work.Tasks.Form.formState = state
			return true
		})
		return
	}
	redirectToCase(w, r, doneTaskAdded)
}
