package app

import (
	"context"
	"sort"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// The dashboards' case lists: a person's own cases, and a supervisor's queue of their unit with the
// caseload of each worker.
//
// They name cases by number only, never by the beneficiary's name nor by anything else read from a
// sealed column: a dashboard is often open on a screen that others can see. The name is one click away,
// on the case page, where need-to-know decides and audits the read.
//
// Every list is bounded by CaseQueueLimit and found through an index of migration 00012, in display
// order where the list can be long, so a list costs the same with 300,000 cases as with 300. Only open
// cases are listed: the queries repeat `status <> 'closed'` literally because the partial indexes answer
// only a condition that matches their own. Lists are ordered by the priority code itself, since the
// codes sort most urgent first (critical < high < normal); TestPriorityCodesSortMostUrgentFirst holds
// them to it.

// CaseQueueLimit bounds each dashboard list. A longer list would not be read; More says that it was cut.
const CaseQueueLimit = 50

// openCase is the condition, over cases c, of the partial indexes of migration 00012.
const openCase = `c.status <> 'closed'`

// CaseSummary is a case as a dashboard lists it: facts that identify nobody.
type CaseSummary struct {
	ID     string
	Number string
	UnitID string
	// AssignedWorkerID is empty while nobody carries the case.
	AssignedWorkerID string
	Status           aman.CaseStatus
	Priority         aman.Priority
	// PendingApproval is the move that waits for a supervisor, if any.
	PendingApproval aman.ApprovalKind
	UpdatedAt       time.Time
	// OverdueTasks counts the case's open tasks whose day has ended in Doha, whoever holds them.
	OverdueTasks int
}

// CaseList is a bounded list of cases.
type CaseList struct {
	Cases []CaseSummary
	// More tells that the list was cut at CaseQueueLimit.
	More bool
}

// summaryColumns reads a CaseSummary over cases c; $2 is the start of today in Doha, before which an
// open task is overdue. The count walks the tasks_case index of one case.
const summaryColumns = `c.id, c.number, COALESCE(c.unit_id, ''), COALESCE(c.assigned_worker_id, ''), c.status, c.priority,
	COALESCE(c.pending_approval, ''), c.updated_at,
	(SELECT COUNT(*) FROM tasks t WHERE t.case_id = c.id AND t.status = 'open' AND t.due_at < $2)`

// summaryDest is where summaryColumns scan to; finish completes the summary after the scan.
func summaryDest(k *CaseSummary) (dest []any, finish func()) {
	var status, priority, pending string
	var updated int64
	dest = []any{&k.ID, &k.Number, &k.UnitID, &k.AssignedWorkerID, &status, &priority, &pending, &updated, &k.OverdueTasks}
	return dest, func() {
		k.Status, k.Priority, k.PendingApproval = aman.CaseStatus(status), aman.Priority(priority), aman.ApprovalKind(pending)
		k.UpdatedAt = store.Time(updated)
	}
}

// The queries of the lists, each with summaryColumns ($2 is the start of today in Doha). Each is
// bounded by queryList's LIMIT; TestDashboardQueriesUseTheirIndexes checks the index each is read
// through.
const (
	// myCasesQuery ($1 the person): the cases they are assigned, read in display order from
	// cases_worker_open, and those whose team they are on (a handful, sorted). The team branch leaves
	// out the cases they are also assigned, so none shows twice. Columns 6, 8 and 1 are priority,
	// updated_at and id.
	myCasesQuery = `SELECT ` + summaryColumns + `, 0 FROM cases c WHERE c.assigned_worker_id = $1 AND ` + openCase + `
		UNION ALL
		SELECT ` + summaryColumns + `, 1 FROM case_team m JOIN cases c ON c.id = m.case_id
			WHERE m.user_id = $1 AND ` + openCase + ` AND (c.assigned_worker_id IS NULL OR c.assigned_worker_id <> $1)
		ORDER BY 6, 8, 1`
	// approvalsQuery ($1 the unit): the requests waiting, oldest first. cases_unit_pending holds only
	// the waiting cases, a supervisor's to-do list, so the sort is of a handful.
	approvalsQuery = `SELECT ` + summaryColumns + `, a.kind, a.requested_by, a.requested_at
		FROM case_approvals a JOIN cases c ON c.id = a.case_id
		WHERE c.unit_id = $1 AND c.pending_approval IS NOT NULL AND a.decided_at IS NULL ORDER BY a.requested_at, a.id`
	// urgentQuery ($1 the unit, $3 and $4 the urgent priorities): read in order from cases_unit_open.
	urgentQuery = `SELECT ` + summaryColumns + ` FROM cases c
		WHERE c.unit_id = $1 AND ` + openCase + ` AND c.priority IN ($3, $4) ORDER BY c.priority, c.updated_at, c.id`
	// unassignedQuery ($1 the unit): read in order from cases_unit_unassigned.
	unassignedQuery = `SELECT ` + summaryColumns + ` FROM cases c
		WHERE c.unit_id = $1 AND c.assigned_worker_id IS NULL AND ` + openCase + ` ORDER BY c.updated_at, c.id`
	// caseloadQuery ($1 the unit) counts open cases by worker, stage and priority: at most workers ×
	// stages × priorities rows, counted from cases_unit_load without reading a case.
	caseloadQuery = `SELECT COALESCE(c.assigned_worker_id, ''), c.status, c.priority, COUNT(*) FROM cases c
		WHERE c.unit_id = $1 AND ` + openCase + ` GROUP BY c.assigned_worker_id, c.status, c.priority`
)

// queryList runs a query of summaryColumns (plus any extra columns, scanned into what extra returns for
// each row) limited to CaseQueueLimit+1 rows, and keeps the rows keep accepts, up to the limit. keep is
// policy's word on each row; the queries ask only for rows policy allows, so it is a second lock, not
// a filter that could leave a list short.
func queryList(ctx context.Context, tx *store.Tx, query string, args []any, extra func() []any, keep func(CaseSummary) bool) (CaseList, error) {
	rows, err := tx.QueryContext(ctx, query+` LIMIT `+strconv.Itoa(CaseQueueLimit+1), args...)
	if err != nil {
		return CaseList{}, err
	}
	defer rows.Close()
	var out CaseList
	for rows.Next() {
		var k CaseSummary
		dest, finish := summaryDest(&k)
		if extra != nil {
			dest = append(dest, extra()...)
		}
		if err := rows.Scan(dest...); err != nil {
			return CaseList{}, err
		}
		finish()
		if !keep(k) {
			continue
		}
		if len(out.Cases) == CaseQueueLimit {
			out.More = true
			break
		}
		out.Cases = append(out.Cases, k)
	}
	return out, rows.Err()
}

// MyCases lists the open cases the actor carries, as assigned worker or on the team: critical and high
// first, then those longest without an update. Each row passes policy.ViewCase on its standing tie, so
// a case the actor was taken off is gone from the list. The read is audited.
func (c *Cases) MyCases(ctx context.Context, actor aman.Actor) (CaseList, error) {
	if err := authorize(actor, policy.CaseEdit); err != nil {
		return CaseList{}, err
	}
	var out CaseList
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var onTeam int
		var err error
		out, err = queryList(ctx, tx, myCasesQuery,
			[]any{actor.UserID, store.Millis(qatarDay(tx.Now))},
			func() []any { return []any{&onTeam} },
			func(k CaseSummary) bool {
				f := policy.CaseFacts{UnitID: k.UnitID, AssignedWorkerID: k.AssignedWorkerID}
				if onTeam == 1 {
					f.TeamUserIDs = []string{actor.UserID}
				}
				return policy.ViewCase(actor, f, nil, tx.Now).Allowed
			})
		if err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.list", Entity: "case",
			Detail: map[string]string{"scope": "mine", "results": strconv.Itoa(len(out.Cases))}})
	})
	return out, err
}

// ApprovalWaiting is a request waiting for a supervisor of the case's unit.
type ApprovalWaiting struct {
	CaseSummary
	Kind        aman.ApprovalKind
	RequestedBy string
	RequestedAt time.Time
	// MayDecide is false on the supervisor's own request: another supervisor of the unit decides it.
	MayDecide bool
}

// Caseload is what one person carries among the open cases of a unit.
type Caseload struct {
	// Worker is zero on the row of the cases nobody carries.
	Worker     StaffMember
	Open       int
	ByStatus   map[aman.CaseStatus]int
	ByPriority map[aman.Priority]int
	// Inactive tells that the account is disabled, or no longer in a role that carries cases: its cases
	// need another worker.
	Inactive bool
}

func newCaseload(worker StaffMember) Caseload {
	return Caseload{Worker: worker, ByStatus: map[aman.CaseStatus]int{}, ByPriority: map[aman.Priority]int{}}
}

// UnitQueue is a supervisor's view of their unit.
type UnitQueue struct {
	// Approvals are the requests waiting for a decision, oldest first.
	Approvals     []ApprovalWaiting
	MoreApprovals bool
	// Urgent are the high and critical cases, critical first, then longest without an update.
	Urgent CaseList
	// Unassigned are the cases nobody carries, longest without an update first.
	Unassigned CaseList
	// Caseloads has a row for each enabled member of the unit's case staff (supervisors only when they
	// carry cases) and for anyone else who carries cases of the unit, by name.
	Caseloads []Caseload
	// UnassignedLoad counts the open cases nobody carries, as a caseload: the whole count, where
	// Unassigned is cut at CaseQueueLimit.
	UnassignedLoad Caseload
	// Staff names the people the lists refer to by id, and those asked for.
	Staff map[string]StaffMember
}

// UnitQueue reads the supervisor's unit: requests waiting for approval, high and critical cases, cases
// without a worker, and who carries how many open cases by stage and priority. nameAlso are more staff
// ids to name in Staff (the assignees of Tasks.UnitOverdue, say), so one query names everyone a
// dashboard shows. Every row passes policy.SuperviseCase; a supervisor of no unit supervises nothing and
// gets an empty queue. The read is audited.
func (c *Cases) UnitQueue(ctx context.Context, supervisor aman.Actor, nameAlso ...string) (UnitQueue, error) {
	if err := authorize(supervisor, policy.CaseAssign); err != nil {
		return UnitQueue{}, err
	}
	out := UnitQueue{UnassignedLoad: newCaseload(StaffMember{}), Staff: map[string]StaffMember{}}
	unit := supervisor.UnitID
	// The queue is a unit's; a supervisor without one has no queue to show.
	if unit == "" || !policy.SuperviseCase(supervisor, policy.CaseFacts{UnitID: unit}).Allowed {
		return out, nil
	}
	supervises := func(k CaseSummary) bool {
		return policy.SuperviseCase(supervisor, policy.CaseFacts{UnitID: k.UnitID, AssignedWorkerID: k.AssignedWorkerID}).Allowed
	}
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		args := []any{unit, store.Millis(qatarDay(tx.Now))}
		// A case has at most one waiting request (case_approvals_pending), so its id finds the request.
		var kind, requestedBy string
		var requestedAt int64
		requests := map[string]ApprovalWaiting{}
		approvals, err := queryList(ctx, tx, approvalsQuery, args,
			func() []any { return []any{&kind, &requestedBy, &requestedAt} },
			func(k CaseSummary) bool {
				requests[k.ID] = ApprovalWaiting{Kind: aman.ApprovalKind(kind), RequestedBy: requestedBy, RequestedAt: store.Time(requestedAt),
					MayDecide: requestedBy != supervisor.UserID}
				return supervises(k)
			})
		if err != nil {
			return err
		}
		for _, k := range approvals.Cases {
			a := requests[k.ID]
			a.CaseSummary = k
			out.Approvals = append(out.Approvals, a)
		}
		out.MoreApprovals = approvals.More
		if out.Urgent, err = queryList(ctx, tx, urgentQuery,
			append(args, string(aman.PriorityCritical), string(aman.PriorityHigh)), nil, supervises); err != nil {
			return err
		}
		if out.Unassigned, err = queryList(ctx, tx, unassignedQuery, args, nil, supervises); err != nil {
			return err
		}
		loads, err := unitCaseloads(ctx, tx, unit)
		if err != nil {
			return err
		}
		if unassigned, ok := loads[""]; ok {
			out.UnassignedLoad = *unassigned
			delete(loads, "")
		}
		named := append([]string{}, nameAlso...)
		for _, a := range out.Approvals {
			named = append(named, a.RequestedBy, a.AssignedWorkerID)
		}
		for _, k := range out.Urgent.Cases {
			named = append(named, k.AssignedWorkerID)
		}
		for id := range loads {
			named = append(named, id)
		}
		people, unitStaff, err := loadStaff(ctx, tx, named, unit, true)
		if err != nil {
			return err
		}
		for id, p := range people {
			out.Staff[id] = p.StaffMember
		}
		for _, m := range unitStaff {
			out.Staff[m.ID] = m
			if _, carries := loads[m.ID]; !carries && m.Role != aman.RoleSupervisor {
				load := newCaseload(m)
				loads[m.ID] = &load
			}
		}
		for id, load := range loads {
			if p, ok := people[id]; ok {
				load.Worker, load.Inactive = p.StaffMember, !p.assignable
			} else if load.Worker.ID == "" {
				// An id with no account behind it still has to be shown as something a person can report.
				load.Worker, load.Inactive = StaffMember{ID: id, DisplayName: id}, true
			}
			out.Caseloads = append(out.Caseloads, *load)
		}
		sort.SliceStable(out.Caseloads, func(i, j int) bool {
			a, b := out.Caseloads[i].Worker, out.Caseloads[j].Worker
			if a.DisplayName != b.DisplayName {
				return a.DisplayName < b.DisplayName
			}
			return a.ID < b.ID
		})
		results := len(out.Approvals) + len(out.Urgent.Cases) + len(out.Unassigned.Cases)
		return c.record(ctx, tx, supervisor, audit.Entry{Action: "case.list", Entity: "case",
			Detail: map[string]string{"scope": "unit_queue", "results": strconv.Itoa(results)}})
	})
	return out, err
}

// unitCaseloads counts the open cases of a unit by worker ("" for none), stage and priority.
func unitCaseloads(ctx context.Context, tx *store.Tx, unitID string) (map[string]*Caseload, error) {
	rows, err := tx.QueryContext(ctx, caseloadQuery, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	loads := map[string]*Caseload{}
	for rows.Next() {
		var worker, status, priority string
		var n int
		if err := rows.Scan(&worker, &status, &priority, &n); err != nil {
			return nil, err
		}
		load, ok := loads[worker]
		if !ok {
			l := newCaseload(StaffMember{})
			load = &l
			loads[worker] = load
		}
		load.Open += n
		load.ByStatus[aman.CaseStatus(status)] += n
		load.ByPriority[aman.Priority(priority)] += n
	}
	return loads, rows.Err()
}
