package api

import (
	"context"
	"net/http"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

type taskOut struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	CaseNumber string `json:"case_number"`
	Kind       string `json:"kind"`
	// Title is empty for the kinds the system schedules; clients name those from the kind.
	Title      string `json:"title,omitempty"`
	DueOn      string `json:"due_on"`
	AssigneeID string `json:"assignee_id"`
	Status     string `json:"status"`
	Overdue    bool   `json:"overdue"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	DoneAt     string `json:"done_at,omitempty"`
}

func taskJSON(t aman.Task) taskOut {
	out := taskOut{ID: t.ID, CaseID: t.CaseID, CaseNumber: t.CaseNumber, Kind: string(t.Kind), Title: t.Title,
		// DueOn is midnight in Doha, so its date there is the due day.
		DueOn: t.DueOn.Format(time.DateOnly), AssigneeID: t.AssigneeID, Status: string(t.Status), Overdue: t.Overdue,
		CreatedAt: t.CreatedAt.Format(timeFormat), UpdatedAt: t.UpdatedAt.Format(timeFormat)}
	if !t.DoneAt.IsZero() {
		out.DoneAt = t.DoneAt.Format(timeFormat)
	}
	return out
}

// createTask is POST /api/v1/cases/{id}/tasks {"title","due_on","assignee_id"}: 201 with the task.
func (h *Handler) createTask(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title      string `json:"title"`
		DueOn      string `json:"due_on"`
		AssigneeID string `json:"assignee_id"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	t, err := h.tasks.Create(r.Context(), actor, r.PathValue("id"), app.NewTask{Title: body.Title, DueOn: body.DueOn, AssigneeID: body.AssigneeID})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, taskJSON(t))
}

// caseTasks is GET /api/v1/cases/{id}/tasks: {"tasks":[…]}, open ones first.
func (h *Handler) caseTasks(w http.ResponseWriter, r *http.Request) {
	h.writeTasks(w, r, func(ctx context.Context, actor aman.Actor) ([]aman.Task, error) {
		return h.tasks.ForCase(ctx, actor, r.PathValue("id"))
	})
}

// updateTask is PATCH /api/v1/tasks/{id} {"status","due_on","assignee_id"} (any of them): 200 with the task.
func (h *Handler) updateTask(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status     string `json:"status"`
		DueOn      string `json:"due_on"`
		AssigneeID string `json:"assignee_id"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	t, err := h.tasks.Update(r.Context(), actor, r.PathValue("id"), app.TaskChange{Status: aman.TaskStatus(body.Status), DueOn: body.DueOn, AssigneeID: body.AssigneeID})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, taskJSON(t))
}

// myTasks is GET /api/v1/tasks/mine: the caller's open tasks, overdue first.
func (h *Handler) myTasks(w http.ResponseWriter, r *http.Request) {
	h.writeTasks(w, r, h.tasks.MyTasks)
}

// unitOverdueTasks is GET /api/v1/tasks/overdue: the overdue tasks of the supervisor's unit.
func (h *Handler) unitOverdueTasks(w http.ResponseWriter, r *http.Request) {
	h.writeTasks(w, r, h.tasks.UnitOverdue)
}

// writeTasks answers with the caller's view of a task list: {"tasks":[…]}.
func (h *Handler) writeTasks(w http.ResponseWriter, r *http.Request, list func(context.Context, aman.Actor) ([]aman.Task, error)) {
	actor := actorOf(r)
	tasks, err := list(r.Context(), actor)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	out := make([]taskOut, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, taskJSON(t))
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"tasks": out})
}
