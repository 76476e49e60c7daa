package web

import (
	"net/http"
	"slices"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// The dashboard's case lists, by role: a supervisor's queue of their unit, and the own cases and tasks
// of whoever carries cases. Other roles keep their doors.
//
// These lists name cases by number only, and never show a beneficiary's name, a task's title or any
// other case content: a dashboard is often open on a screen that others can see. Each line links to the
// case page, where need-to-know decides and audits the read.

// dashboardWork is a person's own desk: the cases they carry and their open tasks.
type dashboardWork struct {
	Cases     []dashboardCase
	MoreCases bool
	Tasks     []dashboardTask
	MoreTasks bool
	// Limit is how many lines a list shows at most.
	Limit int
}

// dashboardQueue is a supervisor's view of their unit.
type dashboardQueue struct {
	Approvals      []dashboardApproval
	MoreApprovals  bool
	Urgent         []dashboardCase
	MoreUrgent     bool
	Unassigned     []dashboardCase
	MoreUnassigned bool
	Overdue        []dashboardTask
	MoreOverdue    bool
	Caseloads      dashboardCaseloads
	Limit          int
}

// dashboardCase is one line of a case list. The keys are catalog keys.
type dashboardCase struct {
	ID          string
	Number      string
	StatusKey   string
	PriorityKey string
	// Urgent marks high and critical cases; Critical the latter, which stand out most.
	Urgent   bool
	Critical bool
	// PendingKey says what waits for a supervisor; "" when nothing does.
	PendingKey   string
	Updated      shownTime
	OverdueTasks int
	// ShowWorker is set on a supervisor's lists, where Worker names who carries the case ("" for nobody).
	ShowWorker bool
	Worker     string
}

// dashboardApproval is a request waiting for the supervisor.
type dashboardApproval struct {
	dashboardCase
	KindKey     string
	RequestedBy string
	Since       shownTime
	// Own marks the supervisor's own request, which another supervisor of the unit decides.
	Own bool
}

// dashboardTask is one line of a task list: its case, what kind of task, and its day. A task's title is
// case content and shows on the case page only.
type dashboardTask struct {
	CaseID     string
	CaseNumber string
	KindKey    string
	// Due is the due day in Qatar, as a <time> element and a person both read it.
	Due     string
	Overdue bool
	// Assignee names who holds the task, on the supervisor's list.
	Assignee string
}

// dashboardCaseloads is the table of who carries how many open cases of the unit.
type dashboardCaseloads struct {
	StageKeys    []string
	PriorityKeys []string
	Rows         []dashboardLoad
	Unassigned   dashboardLoad
}

// dashboardLoad is one row of the caseload table; ByStage and ByPriority follow the table's columns.
type dashboardLoad struct {
	WorkerID string
	Name     string
	RoleKey  string
	// Inactive marks an account that may no longer carry cases but still does.
	Inactive   bool
	Open       int
	ByStage    []int
	ByPriority []int
}

// dashboardStages are the stages of open cases, in lifecycle order: the caseload table's columns.
func dashboardStages() []aman.CaseStatus {
	return slices.DeleteFunc(aman.CaseStatuses(), func(s aman.CaseStatus) bool { return s == aman.CaseClosed })
}

// dashboardPriorities lists the priorities most urgent first, as the caseload table shows them.
func dashboardPriorities() []aman.Priority {
	p := aman.Priorities()
	slices.Reverse(p)
	return p
}

// dashboardCaseLists loads the lists of the signed-in person's role: the unit's queue for those who
// supervise a unit, and their own cases and tasks for those who carry cases (for a supervisor, only
// when they carry any). Both are nil in a UI built without the case module.
func (h *Handler) dashboardCaseLists(r *http.Request) (*dashboardWork, *dashboardQueue, error) {
	if h.cases == nil || h.tasks == nil {
		return nil, nil, nil
	}
	_, actor, _ := session.From(r.Context())
	var queue *dashboardQueue
	if policy.Allows(actor.Role, policy.CaseAssign) {
		q, err := h.dashboardUnitQueue(r, actor)
		if err != nil {
			return nil, nil, err
		}
		queue = &q
	}
	if !policy.Allows(actor.Role, policy.CaseEdit) {
		return nil, queue, nil
	}
	work, err := h.dashboardOwnWork(r, actor)
	if err != nil {
		return nil, nil, err
	}
	if queue != nil && len(work.Cases) == 0 && len(work.Tasks) == 0 {
		return nil, queue, nil
	}
	return &work, queue, nil
}

// dashboardOwnWork reads the cases the person carries and their open tasks, overdue first.
func (h *Handler) dashboardOwnWork(r *http.Request, actor aman.Actor) (dashboardWork, error) {
	ctx := r.Context()
	mine, err := h.cases.MyCases(ctx, actor)
	if err != nil {
		return dashboardWork{}, err
	}
	tasks, err := h.tasks.MyTasks(ctx, actor)
	if err != nil {
		return dashboardWork{}, err
	}
	work := dashboardWork{MoreCases: mine.More, Limit: app.CaseQueueLimit}
	for _, k := range mine.Cases {
		work.Cases = append(work.Cases, h.newDashboardCase(k, nil))
	}
	work.Tasks, work.MoreTasks = h.newDashboardTasks(tasks, nil)
	return work, nil
}

// dashboardUnitQueue reads the supervisor's unit: the overdue tasks first, so that one query of the queue names
// their holders along with everyone else it shows.
func (h *Handler) dashboardUnitQueue(r *http.Request, actor aman.Actor) (dashboardQueue, error) {
	ctx := r.Context()
	overdue, err := h.tasks.UnitOverdue(ctx, actor)
	if err != nil {
		return dashboardQueue{}, err
	}
	holders := make([]string, 0, len(overdue))
	for _, task := range overdue {
		holders = append(holders, task.AssigneeID)
	}
	q, err := h.cases.UnitQueue(ctx, actor, holders...)
	if err != nil {
		return dashboardQueue{}, err
	}
	view := dashboardQueue{MoreApprovals: q.MoreApprovals, MoreUrgent: q.Urgent.More, MoreUnassigned: q.Unassigned.More, Limit: app.CaseQueueLimit}
	for _, a := range q.Approvals {
		view.Approvals = append(view.Approvals, dashboardApproval{dashboardCase: h.newDashboardCase(a.CaseSummary, q.Staff),
			KindKey: "dashboard.pending." + string(a.Kind), RequestedBy: dashboardStaffName(q.Staff, a.RequestedBy), Since: showTime(a.RequestedAt, h.zone),
			Own: !a.MayDecide})
	}
	for _, k := range q.Urgent.Cases {
		view.Urgent = append(view.Urgent, h.newDashboardCase(k, q.Staff))
	}
	for _, k := range q.Unassigned.Cases {
		view.Unassigned = append(view.Unassigned, h.newDashboardCase(k, q.Staff))
	}
	view.Overdue, view.MoreOverdue = h.newDashboardTasks(overdue, q.Staff)
	view.Caseloads = newDashboardCaseloads(q)
	return view, nil
}

// newDashboardCase is a line of a case list; with staff (a supervisor's list) it names the worker.
func (h *Handler) newDashboardCase(k app.CaseSummary, staff map[string]app.StaffMember) dashboardCase {
	line := dashboardCase{ID: k.ID, Number: k.Number, StatusKey: "case.status." + string(k.Status), PriorityKey: "case.priority." + string(k.Priority),
		Urgent: k.Priority.Urgent(), Critical: k.Priority == aman.PriorityCritical, Updated: showTime(k.UpdatedAt, h.zone), OverdueTasks: k.OverdueTasks}
	if k.PendingApproval != "" {
		line.PendingKey = "dashboard.pending." + string(k.PendingApproval)
	}
	if staff != nil {
		line.ShowWorker, line.Worker = true, dashboardStaffName(staff, k.AssignedWorkerID)
	}
	return line
}

// newDashboardTasks turns tasks into lines, at most app.CaseQueueLimit of them; with staff (a
// supervisor's list) each names its holder. The tasks come soonest due first, so the overdue lead.
func (h *Handler) newDashboardTasks(tasks []aman.Task, staff map[string]app.StaffMember) ([]dashboardTask, bool) {
	more := len(tasks) > app.CaseQueueLimit
	tasks = tasks[:min(len(tasks), app.CaseQueueLimit)]
	lines := make([]dashboardTask, 0, len(tasks))
	for _, task := range tasks {
		line := dashboardTask{CaseID: task.CaseID, CaseNumber: task.CaseNumber, KindKey: dashboardTaskKindKey(task.Kind),
			Due: h.dashboardDay(task.DueOn), Overdue: task.Overdue}
		if staff != nil {
			line.Assignee = dashboardStaffName(staff, task.AssigneeID)
		}
		lines = append(lines, line)
	}
	return lines, more
}

// dashboardTaskKindKey is the catalog key naming a kind of task; a person's own task is just "a task",
// since its title stays on the case page.
func dashboardTaskKindKey(kind aman.TaskKind) string {
	if kind.IsClosureFollowUp() {
		return "task.kind." + string(kind)
	}
	return "dashboard.task.custom"
}

// dashboardDay shows a stored calendar day (midnight in Qatar) as yyyy-mm-dd in the centre's zone.
func (h *Handler) dashboardDay(t time.Time) string { return t.In(h.zone).Format(dayLayout) }

// dashboardStaffName is the name of a member of staff; "" for nobody, and the id when no account
// answers to it, so that something a person can report still shows.
func dashboardStaffName(staff map[string]app.StaffMember, id string) string {
	if id == "" {
		return ""
	}
	if m, ok := staff[id]; ok && m.DisplayName != "" {
		return m.DisplayName
	}
	return id
}

// newDashboardCaseloads lays the unit's caseloads out as the table's rows.
func newDashboardCaseloads(q app.UnitQueue) dashboardCaseloads {
	table := dashboardCaseloads{Unassigned: newDashboardLoad(q.UnassignedLoad)}
	for _, s := range dashboardStages() {
		table.StageKeys = append(table.StageKeys, "case.status."+string(s))
	}
	for _, p := range dashboardPriorities() {
		table.PriorityKeys = append(table.PriorityKeys, "case.priority."+string(p))
	}
	for _, l := range q.Caseloads {
		table.Rows = append(table.Rows, newDashboardLoad(l))
	}
	return table
}

func newDashboardLoad(l app.Caseload) dashboardLoad {
	row := dashboardLoad{WorkerID: l.Worker.ID, Name: l.Worker.DisplayName, Inactive: l.Inactive, Open: l.Open}
	if l.Worker.Role != "" {
		row.RoleKey = "role." + string(l.Worker.Role)
	}
	for _, s := range dashboardStages() {
		row.ByStage = append(row.ByStage, l.ByStatus[s])
	}
	for _, p := range dashboardPriorities() {
		row.ByPriority = append(row.ByPriority, l.ByPriority[p])
	}
	return row
}
