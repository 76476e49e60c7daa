package app_test

import (
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
)

func memberIDs(people []app.StaffMember) []string {
	var ids []string
	for _, p := range people {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

func sortedIDs(ids ...string) []string {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return ids
}

func TestCaseStaffNamesThePeopleOfACase(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)

	got, err := env.Cases.Staff(ctx, s.workerA, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit.NameEN != "Unit one" || got.Unit.NameAR != "الوحدة الأولى" {
		t.Errorf("unit %+v", got.Unit)
	}
	// Accounts made without a display name are shown by username.
	if got.Worker.ID != s.workerA.UserID || got.Worker.DisplayName != "worker.a" || got.Worker.Role != aman.RoleCaseWorker {
		t.Errorf("worker %+v", got.Worker)
	}
	if got.MayAssign || len(got.Candidates) != 0 || len(got.Team) != 0 {
		t.Errorf("a case worker was offered the assignment: %+v", got)
	}

	for _, tc := range []struct {
		name  string
		actor aman.Actor
		code  string
	}{
		{"colleague without a grant", s.workerB, policy.EBreakGlassRequired},
		{"administrator", s.admin, aman.EForbidden},
		{"partner", s.partner, aman.EForbidden},
	} {
		if _, err := env.Cases.Staff(ctx, tc.actor, k.ID); aman.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := env.Cases.Staff(ctx, s.workerA, "no-such-case"); aman.ErrorCode(err) != aman.ENotFound {
		t.Errorf("unknown case: %v", err)
	}
}

// The assignment form offers exactly the people Assign accepts among the unit's staff, and keeps the
// current team even when it comes from another unit.
func TestCaseStaffCandidatesAreWhomAssignAccepts(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	inUnit := map[aman.Role]string{}
	for _, role := range aman.Roles() {
		u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "r." + string(role), DisplayName: "R " + string(role),
			Role: role, UnitID: s.unit, Password: apptest.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		inUnit[role] = u.ID
	}
	gone, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "gone.worker", Role: aman.RoleCaseWorker, UnitID: s.unit, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Accounts.SetDisabled(ctx, apptest.Admin(), gone.ID, true); err != nil {
		t.Fatal(err)
	}

	got, err := env.Cases.Staff(ctx, s.supervisor, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.MayAssign {
		t.Fatal("the unit's supervisor may not assign")
	}
	offered := memberIDs(got.Candidates)
	for role, id := range inUnit {
		err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: id})
		if accepted := err == nil; accepted != slices.Contains(offered, id) {
			t.Errorf("%s: offered %v, Assign said %v", role, slices.Contains(offered, id), err)
		}
	}
	want := sortedIDs(s.workerA.UserID, s.workerB.UserID, s.supervisor.UserID, inUnit[aman.RoleCaseWorker], inUnit[aman.RolePsychologist],
		inUnit[aman.RoleLegalOfficer], inUnit[aman.RoleSupervisor])
	if !slices.Equal(offered, want) {
		t.Errorf("candidates %v, want %v", offered, want)
	}
	if slices.Contains(offered, gone.ID) || slices.Contains(offered, s.otherSupervisor.UserID) {
		t.Error("a disabled account or another unit's supervisor was offered")
	}
	for i := 1; i < len(got.Candidates); i++ {
		if got.Candidates[i-1].DisplayName > got.Candidates[i].DisplayName {
			t.Fatalf("candidates not by name: %+v", got.Candidates)
		}
	}

	// Someone from another unit on the team stays on the form, so saving it unchanged keeps them.
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.workerB.UserID, TeamIDs: []string{s.otherSupervisor.UserID}}); err != nil {
		t.Fatal(err)
	}
	got, err = env.Cases.Staff(ctx, s.supervisor, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Worker.ID != s.workerB.UserID || len(got.Team) != 1 || got.Team[0].DisplayName != "super.two" {
		t.Fatalf("after assignment: worker %+v, team %+v", got.Worker, got.Team)
	}
	if !slices.Contains(memberIDs(got.Candidates), s.otherSupervisor.UserID) {
		t.Error("the current team member from another unit is not on the form")
	}
	if n := len(got.Candidates); n != len(want)+1 {
		t.Errorf("%d candidates, want %d: someone is listed twice or missing", n, len(want)+1)
	}
}

// A case without a unit belongs to no unit's team: its candidates are the staff who have no unit.
func TestCaseStaffOfACaseWithoutUnit(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	loose := func(username string, role aman.Role) aman.Actor {
		u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: username, Role: role, Password: apptest.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	worker, supervisor := loose("loose.worker", aman.RoleCaseWorker), loose("loose.super", aman.RoleSupervisor)
	k := openCase(t, env, worker)
	if _, err := env.Cases.BreakGlass(ctx, supervisor, k.ID, "the worker is away and the family called the hotline"); err != nil {
		t.Fatal(err)
	}
	got, err := env.Cases.Staff(ctx, supervisor, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Unit != (app.Unit{}) || !got.MayAssign {
		t.Fatalf("unit %+v, may assign %v", got.Unit, got.MayAssign)
	}
	if ids, want := memberIDs(got.Candidates), sortedIDs(worker.UserID, supervisor.UserID); !slices.Equal(ids, want) {
		t.Errorf("candidates %v, want %v (and none of %s)", ids, want, s.unit)
	}
}
