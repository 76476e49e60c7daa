package app_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// day is the clock's day in Doha moved by n days, as a due date.
func day(env *apptest.Env, n int) string {
	return env.Clock.Now().In(time.FixedZone("AST", 3*60*60)).AddDate(0, 0, n).Format(time.DateOnly)
}

func addTask(t *testing.T, env *apptest.Env, by aman.Actor, caseID, title, due, assignee string) aman.Task {
	t.Helper()
	task, err := env.Tasks.Create(ctx, by, caseID, app.NewTask{Title: title, DueOn: due, AssigneeID: assignee})
	if err != nil {
		t.Fatalf("add %q: %v", title, err)
	}
	return task
}

func titles(tasks []aman.Task) []string {
	var out []string
	for _, task := range tasks {
		out = append(out, task.Title)
	}
	return out
}

func TestCreateTaskChecksWhatAndForWhom(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	tests := []struct {
		name  string
		by    aman.Actor
		in    app.NewTask
		field string
		code  string
	}{
		{"no title", s.workerA, app.NewTask{Title: "  ", DueOn: day(env, 1)}, "title", aman.ERequired},
		{"a title too long", s.workerA, app.NewTask{Title: strings.Repeat("م", aman.MaxTaskTitle+1), DueOn: day(env, 1)}, "title", aman.ETextTooLong},
		{"no day", s.workerA, app.NewTask{Title: "Call the school"}, "due_on", aman.ERequired},
		{"not a day", s.workerA, app.NewTask{Title: "Call the school", DueOn: "next week"}, "due_on", aman.EInvalidDate},
		{"a day gone", s.workerA, app.NewTask{Title: "Call the school", DueOn: day(env, -1)}, "due_on", aman.EDateInPast},
		{"for a colleague not on the case", s.workerA, app.NewTask{Title: "Call the school", DueOn: day(env, 1), AssigneeID: s.workerB.UserID}, "assignee_id", aman.EAssigneeNotOnCase},
		{"for a supervisor of another unit", s.workerA, app.NewTask{Title: "Call the school", DueOn: day(env, 1), AssigneeID: s.otherSupervisor.UserID}, "assignee_id", aman.EAssigneeNotOnCase},
		{"for nobody known", s.workerA, app.NewTask{Title: "Call the school", DueOn: day(env, 1), AssigneeID: "ghost"}, "assignee_id", aman.EAssigneeNotOnCase},
		{"by a colleague not on the case", s.workerB, app.NewTask{Title: "Call the school", DueOn: day(env, 1)}, "", policy.EBreakGlassRequired},
		{"by an administrator", s.admin, app.NewTask{Title: "Call the school", DueOn: day(env, 1)}, "", aman.EForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Tasks.Create(ctx, tc.by, k.ID, tc.in)
			if aman.ErrorCode(err) != tc.code || aman.ErrorField(err) != tc.field {
				t.Fatalf("err = %v, want %s on %q", err, tc.code, tc.field)
			}
		})
	}
	today := addTask(t, env, s.workerA, k.ID, "Call the school", day(env, 0), "")
	if today.AssigneeID != s.workerA.UserID || today.Status != aman.TaskOpen || today.Overdue || today.CaseNumber != k.Number {
		t.Fatalf("a task due today: %+v", today)
	}
	forSupervisor := addTask(t, env, s.workerA, k.ID, "Sign the shelter request", day(env, 2), s.supervisor.UserID)
	if forSupervisor.AssigneeID != s.supervisor.UserID {
		t.Fatalf("assigned to %s", forSupervisor.AssigneeID)
	}
	if kinds := unreadKinds(t, env, s.supervisor); !slices.Contains(kinds, "task_assigned") {
		t.Fatalf("the supervisor was not told of the task: %v", kinds)
	}
	if kinds := unreadKinds(t, env, s.workerA); slices.Contains(kinds, "task_assigned") {
		t.Fatal("the worker was told of a task they gave themselves")
	}
	err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT title_sealed FROM tasks`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var raw []byte
			if err := rows.Scan(&raw); err != nil {
				return err
			}
			if len(raw) == 0 || bytes.Contains(raw, []byte("school")) {
				t.Errorf("a title is stored readable: %q", raw)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The dashboards: the worker's open tasks with the overdue ones first, and the overdue tasks of the
// supervisor's unit with their case numbers; other units' supervisors see none of them.
func TestOverdueTasksOnTheDashboards(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	first, second := openCase(t, env, s.workerA), openCase(t, env, s.workerA)
	elsewhere := openCase(t, env, s.otherSupervisor)
	otherWorker, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "worker.c", Role: aman.RoleCaseWorker, UnitID: s.otherUnit, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Cases.Assign(ctx, s.otherSupervisor, elsewhere.ID, app.CaseAssignment{WorkerID: otherWorker.ID}); err != nil {
		t.Fatal(err)
	}
	addTask(t, env, s.workerA, first.ID, "Home visit", day(env, 0), "")
	addTask(t, env, s.workerA, second.ID, "Court papers", day(env, 2), "")
	addTask(t, env, s.workerA, first.ID, "Call the school", day(env, 5), "")
	addTask(t, env, s.workerA, second.ID, "Medical report", day(env, 1), "")
	addTask(t, env, otherWorker.Actor(), elsewhere.ID, "Elsewhere", day(env, 0), "")
	done := addTask(t, env, s.workerA, first.ID, "Already done", day(env, 0), "")
	if _, err := env.Tasks.Update(ctx, s.workerA, done.ID, app.TaskChange{Status: aman.TaskDone}); err != nil {
		t.Fatal(err)
	}

	// Three days on, in Doha: today's and tomorrow's tasks are overdue, the one due in two days is due.
	env.Clock.Advance(3 * 24 * time.Hour)
	addTask(t, env, s.workerA, first.ID, "Due today", day(env, 0), "")

	mine, err := env.Tasks.MyTasks(ctx, s.workerA)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Home visit", "Medical report", "Court papers", "Due today", "Call the school"}
	if got := titles(mine); !slices.Equal(got, want) {
		t.Fatalf("my tasks %v, want %v", got, want)
	}
	for i, task := range mine {
		if task.Overdue != (i < 3) {
			t.Errorf("%q overdue = %v", task.Title, task.Overdue)
		}
	}

	overdue, err := env.Tasks.UnitOverdue(ctx, s.supervisor)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(overdue); !slices.Equal(got, []string{"Home visit", "Medical report", "Court papers"}) {
		t.Fatalf("the unit's overdue tasks %v", got)
	}
	if overdue[0].CaseNumber != first.Number || overdue[1].CaseNumber != second.Number {
		t.Fatalf("case numbers %s, %s", overdue[0].CaseNumber, overdue[1].CaseNumber)
	}
	if other, err := env.Tasks.UnitOverdue(ctx, s.otherSupervisor); err != nil || !slices.Equal(titles(other), []string{"Elsewhere"}) {
		t.Fatalf("the other unit's overdue tasks %v %v", titles(other), err)
	}
	if _, err := env.Tasks.UnitOverdue(ctx, s.workerA); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a worker read the unit's overdue tasks: %v", err)
	}

	// Kept on the case's team, the worker keeps their tasks on it.
	if err := env.Cases.Assign(ctx, s.supervisor, second.ID, app.CaseAssignment{WorkerID: s.workerB.UserID, TeamIDs: []string{s.workerA.UserID}}); err != nil {
		t.Fatal(err)
	}
	if mine, _ = env.Tasks.MyTasks(ctx, s.workerA); len(mine) != 5 {
		t.Fatalf("as a team member, my tasks %v", titles(mine))
	}
	// Taken off the case, the worker no longer sees its tasks: they go to the case's new worker, so
	// they stay on someone's list.
	if err := env.Cases.Assign(ctx, s.supervisor, second.ID, app.CaseAssignment{WorkerID: s.workerB.UserID}); err != nil {
		t.Fatal(err)
	}
	mine, _ = env.Tasks.MyTasks(ctx, s.workerA)
	if got := titles(mine); !slices.Equal(got, []string{"Home visit", "Due today", "Call the school"}) {
		t.Fatalf("after reassignment, my tasks %v", got)
	}
	theirs, _ := env.Tasks.MyTasks(ctx, s.workerB)
	if got := titles(theirs); !slices.Equal(got, []string{"Medical report", "Court papers"}) {
		t.Fatalf("the new worker's tasks %v", got)
	}
	// A supervisor moved to another unit no longer reads the tasks held on their old unit's cases.
	addTask(t, env, s.workerA, first.ID, "Sign the request", day(env, 1), s.supervisor.UserID)
	if held, _ := env.Tasks.MyTasks(ctx, s.supervisor); !slices.Equal(titles(held), []string{"Sign the request"}) {
		t.Fatalf("the supervisor's tasks %v", titles(held))
	}
	if err := env.Accounts.Assign(ctx, apptest.Admin(), s.supervisor.UserID, app.Assignment{Role: aman.RoleSupervisor, UnitID: s.otherUnit}); err != nil {
		t.Fatal(err)
	}
	moved := s.supervisor
	moved.UnitID = s.otherUnit
	if held, _ := env.Tasks.MyTasks(ctx, moved); len(held) != 0 {
		t.Fatalf("after moving unit, the supervisor's tasks %v", titles(held))
	}
}

func TestUpdateTask(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.workerA.UserID, TeamIDs: []string{s.workerB.UserID}}); err != nil {
		t.Fatal(err)
	}
	task := addTask(t, env, s.workerA, k.ID, "Home visit", day(env, 1), "")
	steps := []struct {
		name   string
		by     aman.Actor
		change app.TaskChange
		code   string
		check  func(aman.Task) bool
	}{
		{"nothing", s.workerA, app.TaskChange{}, aman.EInvalid, nil},
		{"an unknown status", s.workerA, app.TaskChange{Status: "cancelled"}, aman.EInvalidStatus, nil},
		{"a day gone", s.workerA, app.TaskChange{DueOn: day(env, -1)}, aman.EDateInPast, nil},
		{"to someone off the case", s.workerA, app.TaskChange{AssigneeID: s.otherSupervisor.UserID}, aman.EAssigneeNotOnCase, nil},
		{"by someone off the case", s.otherSupervisor, app.TaskChange{Status: aman.TaskDone}, policy.EBreakGlassRequired, nil},
		{"to the team member", s.workerA, app.TaskChange{AssigneeID: s.workerB.UserID}, "", func(x aman.Task) bool { return x.AssigneeID == s.workerB.UserID }},
		{"a later day", s.workerB, app.TaskChange{DueOn: day(env, 4)}, "", func(x aman.Task) bool { return x.DueOn.Format(time.DateOnly) == day(env, 4) }},
		{"done", s.workerB, app.TaskChange{Status: aman.TaskDone}, "", func(x aman.Task) bool { return x.Status == aman.TaskDone && !x.DoneAt.IsZero() }},
		{"open again", s.workerA, app.TaskChange{Status: aman.TaskOpen}, "", func(x aman.Task) bool { return x.Status == aman.TaskOpen && x.DoneAt.IsZero() }},
	}
	for _, st := range steps {
		got, err := env.Tasks.Update(ctx, st.by, task.ID, st.change)
		if aman.ErrorCode(err) != st.code {
			t.Fatalf("%s: %v, want %q", st.name, err, st.code)
		}
		if st.check != nil && !st.check(got) {
			t.Fatalf("%s: %+v", st.name, got)
		}
	}
	if kinds := unreadKinds(t, env, s.workerB); !slices.Contains(kinds, "task_assigned") {
		t.Fatalf("the new assignee was not told: %v", kinds)
	}
	if _, err := env.Tasks.Update(ctx, s.workerA, "no-such-task", app.TaskChange{Status: aman.TaskDone}); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("an unknown task: %v", err)
	}
}

// A closed case is read-only to its worker, but the follow-ups its closure scheduled are the worker's
// to do.
func TestTheWorkerCompletesFollowUpsOfAClosedCase(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := caseAt(t, env, s, aman.CaseClosed)
	mine, err := env.Tasks.MyTasks(ctx, s.workerA)
	if err != nil || len(mine) != 2 {
		t.Fatalf("follow-ups on the worker's list: %+v %v", mine, err)
	}
	if _, err := env.Tasks.Create(ctx, s.workerA, k.ID, app.NewTask{Title: "More", DueOn: day(env, 1)}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("the worker added a task to a closed case: %v", err)
	}
	if got, err := env.Tasks.Update(ctx, s.workerA, mine[0].ID, app.TaskChange{Status: aman.TaskDone}); err != nil || got.Status != aman.TaskDone {
		t.Fatalf("complete a follow-up: %+v %v", got, err)
	}
	if mine, _ := env.Tasks.MyTasks(ctx, s.workerA); len(mine) != 1 || mine[0].Kind != aman.TaskClosureFollowUp6Mo {
		t.Fatalf("left: %+v", mine)
	}
}

func TestRemindersAreSentOnceWhenDueAndOnceWhenOverdue(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	addTask(t, env, s.workerA, k.ID, "Home visit", day(env, 1), "")
	later := addTask(t, env, s.workerA, k.ID, "Court papers", day(env, 3), "")
	addTask(t, env, s.workerA, k.ID, "Unseen", day(env, 6), "")
	count := func(kind string) int {
		n := 0
		for _, k := range unreadKinds(t, env, s.workerA) {
			if k == kind {
				n++
			}
		}
		return n
	}
	steps := []struct {
		name             string
		advance          time.Duration
		sent, due, overd int
	}{
		{"nothing due yet", 0, 0, 0, 0},
		// 21:00 UTC is midnight in Doha: tomorrow has come there.
		{"tomorrow in Doha", 12 * time.Hour, 1, 1, 0},
		{"the same day again", 6 * time.Hour, 0, 1, 0},
		{"the day after: overdue", 24 * time.Hour, 1, 1, 1},
		{"the later task falls due", 24 * time.Hour, 1, 2, 1},
		// No run saw the unseen task due: it gets only the overdue alert.
		{"far later: both overdue", 10 * 24 * time.Hour, 2, 2, 3},
	}
	for _, st := range steps {
		env.Clock.Advance(st.advance)
		sent, err := env.Tasks.SendReminders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sent != st.sent || count("task_due") != st.due || count("task_overdue") != st.overd {
			t.Fatalf("%s: sent %d (due alerts %d, overdue %d), want %d (%d, %d)", st.name, sent, count("task_due"), count("task_overdue"), st.sent, st.due, st.overd)
		}
	}
	// A new day is a new deadline, and earns its reminders again.
	if _, err := env.Tasks.Update(ctx, s.workerA, later.ID, app.TaskChange{DueOn: day(env, 0)}); err != nil {
		t.Fatal(err)
	}
	if sent, err := env.Tasks.SendReminders(ctx); err != nil || sent != 1 || count("task_due") != 3 {
		t.Fatalf("after a new day: sent %d, %d due alerts; %v", sent, count("task_due"), err)
	}
	// Done tasks are not reminded.
	if _, err := env.Tasks.Update(ctx, s.workerA, later.ID, app.TaskChange{Status: aman.TaskDone}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(2 * 24 * time.Hour)
	if sent, err := env.Tasks.SendReminders(ctx); err != nil || sent != 0 {
		t.Fatalf("a done task was reminded: %d %v", sent, err)
	}
}

// A backlog larger than one batch (the first round after an import or a long outage) is sent whole in
// one round, batch after batch, and nothing twice.
func TestReminderBacklogIsSentInBatches(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	const backlog = 501 // one full batch and one more
	for i := range backlog {
		addTask(t, env, s.workerA, k.ID, "Follow-up "+strconv.Itoa(i), day(env, 1), "")
	}
	env.Clock.Advance(10 * 24 * time.Hour)
	ctx := context.Background()
	// Opening the case made a task of its own, also overdue by now.
	if sent, err := env.Tasks.SendReminders(ctx); err != nil || sent != backlog+1 {
		t.Fatalf("first round: sent %d, %v; want %d", sent, err, backlog+1)
	}
	if sent, err := env.Tasks.SendReminders(ctx); err != nil || sent != 0 {
		t.Fatalf("second round: sent %d, %v; want nothing", sent, err)
	}
}
