package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// markCaseTaskDone marks a task of the case done (Tasks.Update): its assignee may, and so may whoever
// may change the case. The page returns to the task's case.
func (h *Handler) markCaseTaskDone(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	task, err := h.tasks.Update(r.Context(), actor, r.PathValue("taskID"), app.TaskChange{Status: aman.TaskDone})
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	redirectDone(w, r, casePath(task.CaseID), doneTaskDone)
}
