package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
)

// tasksSection is the case's tasks: the open ones, soonest due first with the overdue ones marked, the
// done ones apart, and the form that adds one (nil for a reader who may not change the case).
type tasksSection struct {
	CaseID string
	Open   []taskView
	Done   []taskView
	Form   *caseTaskForm
	Notice string
}

// taskView is one task. A scheduled task has no title of its own: TitleKey names it from the catalog.
type taskView struct {
	ID       string
	Title    string
	TitleKey string
	DueOn    string
	Assignee string
	Overdue  bool
	DoneAt   shownTime
	// MayMarkDone offers the button; Tasks.Update decides.
	MayMarkDone bool
}

// caseTaskForm adds a task: a title, a due day, and who carries it among Tasks.TaskHolders.
type caseTaskForm struct {
	Title     string
	DueOn     string
	Assignees []option
	formState
}

func (h *Handler) newTasksSection(r *http.Request, d caseRecords, names func(string) string) *tasksSection {
	s := &tasksSection{CaseID: d.k.ID}
	for _, t := range d.tasks {
		title, key := taskTitle(t)
		v := taskView{ID: t.ID, Title: title, TitleKey: key, DueOn: t.DueOn.In(h.zone).Format(dayLayout), Assignee: names(t.AssigneeID),
			Overdue: t.Overdue, DoneAt: showTime(t.DoneAt, h.zone), MayMarkDone: t.AssigneeID == d.actor.UserID || d.staff.MayEdit}
		if t.Status == aman.TaskDone {
			s.Done = append(s.Done, v)
		} else {
			s.Open = append(s.Open, v)
		}
	}
	if d.staff.MayEdit {
		s.Form = &caseTaskForm{}
		for _, m := range d.holders {
			s.Form.Assignees = append(s.Form.Assignees, option{Value: m.ID, Label: m.DisplayName})
		}
		s.Form.show(app.NewTask{AssigneeID: defaultAssignee(d)})
	}
	return s
}

// defaultAssignee is whom a new task goes to unless another is chosen: the case's worker, or the author
// when the case has none, as Tasks.Create decides.
func defaultAssignee(d caseRecords) string {
	if d.k.AssignedWorkerID != "" {
		return d.k.AssignedWorkerID
	}
	return d.actor.UserID
}

// show puts typed into the form.
func (f *caseTaskForm) show(typed app.NewTask) {
	f.Title, f.DueOn = typed.Title, typed.DueOn
	choose(f.Assignees, typed.AssigneeID)
}

// choose selects the option of value, and only it.
func choose(options []option, value string) {
	for i := range options {
		options[i].Selected = options[i].Value == value
	}
}

// taskTitle is what a task is called: its own title, or the catalog key of a scheduled kind.
func taskTitle(t aman.Task) (title, key string) {
	if t.Kind != aman.TaskCustom && t.Kind != "" {
		return "", "task.kind." + string(t.Kind)
	}
	return t.Title, ""
}
