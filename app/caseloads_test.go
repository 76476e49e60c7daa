package app_test

import (
	"slices"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
)

// The dashboards order cases by the priority code itself (ORDER BY priority, read from an index), which
// is right only while the codes sort most urgent first.
func TestPriorityCodesSortMostUrgentFirst(t *testing.T) {
	mostUrgentFirst := slices.Clone(aman.Priorities())
	slices.Reverse(mostUrgentFirst)
	if !slices.IsSorted(mostUrgentFirst) {
		t.Fatalf("priority codes %v do not sort most urgent first: the dashboards' ORDER BY priority and the "+
			"indexes of migration 00012 need a rank instead", mostUrgentFirst)
	}
}

// dashboardWorld is one unit's work: worker A carries a normal case with an overdue task, a high one and
// one waiting for closure, and sits on the team of a case of worker B; B carries a critical case; one
// case has no worker; one of A's is closed; the other unit has a case of its own.
type dashboardWorld struct {
	s                                        staff
	overdue, high, closing, critical, teamed aman.Case
	unassigned, closed, elsewhere            aman.Case
}

func newDashboardWorld(t *testing.T, env *apptest.Env) dashboardWorld {
	t.Helper()
	s := newStaff(t, env)
	w := dashboardWorld{s: s}
	step := func() { env.Clock.Advance(time.Hour) }
	w.closed = caseAt(t, env, s, aman.CaseClosed)
	step()
	w.overdue = openCase(t, env, s.workerA)
	step()
	w.high = openCase(t, env, s.workerA)
	step()
	w.closing = openCase(t, env, s.workerA)
	step()
	w.critical = openCase(t, env, s.workerB)
	step()
	w.teamed = openCase(t, env, s.workerB)
	step()
	w.unassigned = openCase(t, env, s.supervisor)
	step()
	w.elsewhere = openCase(t, env, s.otherSupervisor)
	step()
	if _, err := env.Cases.SetPriority(ctx, s.supervisor, w.high.ID, aman.PriorityHigh); err != nil {
		t.Fatal(err)
	}
	step()
	if _, err := env.Cases.SetPriority(ctx, s.supervisor, w.critical.ID, aman.PriorityCritical); err != nil {
		t.Fatal(err)
	}
	step()
	if res, err := env.Cases.Transition(ctx, s.workerA, w.closing.ID, closing()); err != nil || !res.Submitted {
		t.Fatalf("submit the closure: %+v, %v", res, err)
	}
	step()
	if err := env.Cases.Assign(ctx, s.supervisor, w.teamed.ID, app.CaseAssignment{WorkerID: s.workerB.UserID, TeamIDs: []string{s.workerA.UserID}}); err != nil {
		t.Fatal(err)
	}
	addTask(t, env, s.workerA, w.overdue.ID, "Home visit", day(env, 0), "")
	addTask(t, env, s.workerA, w.high.ID, "Court papers", day(env, 5), "")
	// Two days on, in Doha, the home visit is overdue; the court papers are not due yet.
	env.Clock.Advance(48 * time.Hour)
	return w
}

func numbers(cases []app.CaseSummary) []string {
	var out []string
	for _, k := range cases {
		out = append(out, k.Number)
	}
	return out
}

func TestMyCasesMostUrgentFirstThenLongestUntouched(t *testing.T) {
	env := apptest.New(t)
	w := newDashboardWorld(t, env)
	s := w.s

	mine, err := env.Cases.MyCases(ctx, s.workerA)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{w.high.Number, w.overdue.Number, w.closing.Number, w.teamed.Number}
	if got := numbers(mine.Cases); !slices.Equal(got, want) || mine.More {
		t.Fatalf("worker A's cases %v (more %v), want %v", got, mine.More, want)
	}
	byNumber := map[string]app.CaseSummary{}
	for _, k := range mine.Cases {
		byNumber[k.Number] = k
	}
	if k := byNumber[w.overdue.Number]; k.OverdueTasks != 1 || k.Priority != aman.PriorityNormal || k.Status != aman.CaseNew || k.PendingApproval != "" {
		t.Errorf("the case with an overdue task: %+v", k)
	}
	if k := byNumber[w.high.Number]; k.OverdueTasks != 0 || k.Priority != aman.PriorityHigh {
		t.Errorf("the high case, whose task is not due: %+v", k)
	}
	if k := byNumber[w.closing.Number]; k.PendingApproval != aman.ApprovalClosure || k.UpdatedAt.IsZero() {
		t.Errorf("the case waiting for closure: %+v", k)
	}
	if k := byNumber[w.teamed.Number]; k.AssignedWorkerID != s.workerB.UserID {
		t.Errorf("the team case: %+v", k)
	}

	theirs, err := env.Cases.MyCases(ctx, s.workerB)
	if err != nil || !slices.Equal(numbers(theirs.Cases), []string{w.critical.Number, w.teamed.Number}) {
		t.Fatalf("worker B's cases %v, %v", numbers(theirs.Cases), err)
	}
	// Taken off the team, worker A no longer lists the case.
	if err := env.Cases.Assign(ctx, s.supervisor, w.teamed.ID, app.CaseAssignment{WorkerID: s.workerB.UserID}); err != nil {
		t.Fatal(err)
	}
	if mine, _ = env.Cases.MyCases(ctx, s.workerA); slices.Contains(numbers(mine.Cases), w.teamed.Number) {
		t.Fatalf("off the team, worker A still lists %s", w.teamed.Number)
	}

	if got := len(entriesOf(t, env, "case.list", s.workerA.UserID)); got != 2 {
		t.Errorf("%d case lists audited for worker A, want 2", got)
	}
	for _, who := range []aman.Actor{s.admin, s.partner} {
		if _, err := env.Cases.MyCases(ctx, who); aman.ErrorCode(err) != aman.EForbidden {
			t.Errorf("%s listed cases: %v", who.Role, err)
		}
	}
}

func TestUnitQueueForTheSupervisor(t *testing.T) {
	env := apptest.New(t)
	w := newDashboardWorld(t, env)
	s := w.s

	q, err := env.Cases.UnitQueue(ctx, s.supervisor, "ghost-id")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Approvals) != 1 || q.MoreApprovals {
		t.Fatalf("approvals %+v", q.Approvals)
	}
	a := q.Approvals[0]
	if a.Number != w.closing.Number || a.Kind != aman.ApprovalClosure || a.RequestedBy != s.workerA.UserID || !a.MayDecide ||
		a.RequestedAt.IsZero() || a.PendingApproval != aman.ApprovalClosure {
		t.Errorf("the closure request: %+v", a)
	}
	if got := numbers(q.Urgent.Cases); !slices.Equal(got, []string{w.critical.Number, w.high.Number}) {
		t.Errorf("urgent %v", got)
	}
	if got := numbers(q.Unassigned.Cases); !slices.Equal(got, []string{w.unassigned.Number}) {
		t.Errorf("unassigned %v", got)
	}
	if q.UnassignedLoad.Open != 1 || q.UnassignedLoad.Worker.ID != "" {
		t.Errorf("unassigned load %+v", q.UnassignedLoad)
	}

	type load struct {
		name                                 string
		open, isNew, high, critical, waiting int
	}
	var got []load
	for _, l := range q.Caseloads {
		got = append(got, load{l.Worker.DisplayName, l.Open, l.ByStatus[aman.CaseNew], l.ByPriority[aman.PriorityHigh],
			l.ByPriority[aman.PriorityCritical], l.ByStatus[aman.CaseClosed]})
		if l.Inactive {
			t.Errorf("%s shows as inactive", l.Worker.DisplayName)
		}
	}
	// The closed case counts nowhere; the supervisor, who carries nothing, has no row.
	want := []load{{"worker.a", 3, 3, 1, 0, 0}, {"worker.b", 2, 2, 0, 1, 0}}
	if !slices.Equal(got, want) {
		t.Errorf("caseloads %+v, want %+v", got, want)
	}
	for _, id := range []string{s.workerA.UserID, s.workerB.UserID} {
		if q.Staff[id].DisplayName == "" {
			t.Errorf("%s is not named", id)
		}
	}

	// The other unit's supervisor sees their own case and nothing of this unit.
	other, err := env.Cases.UnitQueue(ctx, s.otherSupervisor)
	if err != nil {
		t.Fatal(err)
	}
	if len(other.Approvals) != 0 || len(other.Urgent.Cases) != 0 || len(other.Caseloads) != 0 ||
		!slices.Equal(numbers(other.Unassigned.Cases), []string{w.elsewhere.Number}) {
		t.Errorf("the other unit's queue %+v", other)
	}
	if _, ok := other.Staff[s.workerA.UserID]; ok {
		t.Error("the other unit's queue names worker A")
	}
	for _, who := range []aman.Actor{s.workerA, s.admin} {
		if _, err := env.Cases.UnitQueue(ctx, who); aman.ErrorCode(err) != aman.EForbidden {
			t.Errorf("%s read the unit queue: %v", who.Role, err)
		}
	}
	unitless := s.supervisor
	unitless.UnitID = ""
	if q, err := env.Cases.UnitQueue(ctx, unitless); err != nil || len(q.Approvals)+len(q.Urgent.Cases)+len(q.Unassigned.Cases)+len(q.Caseloads) != 0 {
		t.Errorf("a supervisor of no unit: %+v, %v", q, err)
	}
	entries := entriesOf(t, env, "case.list", s.supervisor.UserID)
	if len(entries) != 1 || entries[0].Detail["scope"] != "unit_queue" || entries[0].Detail["results"] != "4" {
		t.Errorf("audited %+v", entries)
	}
}

// A supervisor's own request waits for another supervisor; a disabled worker's cases show as theirs,
// flagged, so the supervisor hands them on.
func TestUnitQueueOwnRequestsAndDisabledWorkers(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.supervisor.UserID}); err != nil {
		t.Fatal(err)
	}
	if res, err := env.Cases.Transition(ctx, s.supervisor, k.ID, closing()); err != nil || !res.Submitted {
		t.Fatalf("the supervisor's own closure: %+v, %v", res, err)
	}
	openCase(t, env, s.workerB)
	if err := env.Accounts.SetDisabled(ctx, apptest.Admin(), s.workerB.UserID, true); err != nil {
		t.Fatal(err)
	}
	q, err := env.Cases.UnitQueue(ctx, s.supervisor)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Approvals) != 1 || q.Approvals[0].MayDecide {
		t.Fatalf("own request %+v", q.Approvals)
	}
	var rows []string
	for _, l := range q.Caseloads {
		rows = append(rows, l.Worker.DisplayName)
		if (l.Worker.ID == s.workerB.UserID) != l.Inactive {
			t.Errorf("%s inactive = %v", l.Worker.DisplayName, l.Inactive)
		}
	}
	// Worker A carries nothing now but is listed; the supervisor is listed because they carry a case.
	if !slices.Equal(rows, []string{"super.one", "worker.a", "worker.b"}) {
		t.Errorf("caseload rows %v", rows)
	}
}

// Every list stops at CaseQueueLimit and says so.
func TestDashboardListsAreBounded(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	for range app.CaseQueueLimit + 1 {
		openCase(t, env, s.supervisor)
		openCase(t, env, s.workerA)
	}
	q, err := env.Cases.UnitQueue(ctx, s.supervisor)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Unassigned.Cases) != app.CaseQueueLimit || !q.Unassigned.More || q.UnassignedLoad.Open != app.CaseQueueLimit+1 {
		t.Errorf("unassigned: %d listed, more %v, %d counted", len(q.Unassigned.Cases), q.Unassigned.More, q.UnassignedLoad.Open)
	}
	mine, err := env.Cases.MyCases(ctx, s.workerA)
	if err != nil || len(mine.Cases) != app.CaseQueueLimit || !mine.More {
		t.Errorf("my cases: %d listed, more %v, %v", len(mine.Cases), mine.More, err)
	}
}

func entriesOf(t *testing.T, env *apptest.Env, action, actorID string) []audit.Entry {
	t.Helper()
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: action, ActorID: actorID})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
