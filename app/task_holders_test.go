package app_test

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
)

// The task form offers exactly the people Tasks.Create accepts as assignee.
func TestTaskHoldersAreWhomTasksCreateAccepts(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.workerA.UserID, TeamIDs: []string{s.workerB.UserID}}); err != nil {
		t.Fatal(err)
	}
	holders, err := env.Tasks.TaskHolders(ctx, s.workerA, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := sortedIDs(s.workerA.UserID, s.workerB.UserID, s.supervisor.UserID)
	if got := memberIDs(holders); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("holders %v, want %v", got, want)
	}
	for _, m := range holders {
		if _, err := env.Tasks.Create(ctx, s.workerA, k.ID, app.NewTask{Title: "call back", DueOn: "2026-03-20", AssigneeID: m.ID}); err != nil {
			t.Errorf("Tasks.Create refused the offered assignee %s: %v", m.DisplayName, err)
		}
	}
	for _, outsider := range []aman.Actor{s.otherSupervisor, s.admin} {
		if _, err := env.Tasks.Create(ctx, s.workerA, k.ID, app.NewTask{Title: "call back", DueOn: "2026-03-20", AssigneeID: outsider.UserID}); aman.ErrorCode(err) != aman.EAssigneeNotOnCase {
			t.Errorf("%s, not offered, was accepted: %v", outsider.Username, err)
		}
	}
	for _, tc := range []struct {
		name  string
		actor aman.Actor
		code  string
	}{
		{"supervisor of another unit", s.otherSupervisor, policy.EBreakGlassRequired},
		{"administrator", s.admin, aman.EForbidden},
	} {
		if _, err := env.Tasks.TaskHolders(ctx, tc.actor, k.ID); aman.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}
