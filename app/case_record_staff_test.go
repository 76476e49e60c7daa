package app_test

import (
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
)

func TestRecordStaffNamesPeopleAndOffersTheUnitToEditors(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	elsewhere, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "far.away", DisplayName: "Far Away",
		Role: aman.RoleCaseWorker, UnitID: s.otherUnit, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}

	got, err := env.Cases.RecordStaff(ctx, s.workerA, k.ID, []string{s.supervisor.UserID, elsewhere.ID, "gone", ""})
	if err != nil {
		t.Fatal(err)
	}
	if !got.MayEdit {
		t.Error("the assigned worker may not edit the case's records")
	}
	if want := sortedIDs(s.workerA.UserID, s.workerB.UserID, s.supervisor.UserID); !slices.Equal(memberIDs(got.Choices), want) {
		t.Errorf("choices %v, want the unit's case staff %v", memberIDs(got.Choices), want)
	}
	if n := got.Names[s.supervisor.UserID]; n.DisplayName != "super.one" || n.Role != aman.RoleSupervisor {
		t.Errorf("supervisor named %+v", n)
	}
	if n := got.Names[elsewhere.ID]; n.DisplayName != "Far Away" {
		t.Errorf("someone from another unit named %+v", n)
	}
	if n := got.Names["gone"]; n.DisplayName != "gone" {
		t.Errorf("an id without an account named %+v", n)
	}
	if _, ok := got.Names[""]; ok || len(got.Names) != 3 {
		t.Errorf("names %+v", got.Names)
	}

	for _, tc := range []struct {
		name  string
		actor aman.Actor
		code  string
	}{
		{"colleague without a grant", s.workerB, policy.EBreakGlassRequired},
		{"supervisor of another unit", s.otherSupervisor, policy.EBreakGlassRequired},
		{"administrator", s.admin, aman.EForbidden},
		{"partner", s.partner, aman.EForbidden},
	} {
		if _, err := env.Cases.RecordStaff(ctx, tc.actor, k.ID, nil); aman.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := env.Cases.RecordStaff(ctx, s.workerA, "no-such-case", nil); aman.ErrorCode(err) != aman.ENotFound {
		t.Errorf("unknown case: %v", err)
	}

	// Break-glass opens editing too, as EditCase says; the forms then offer the case's unit.
	if _, err := env.Cases.BreakGlass(ctx, s.otherSupervisor, k.ID, "the police called about this family at night"); err != nil {
		t.Fatal(err)
	}
	glass, err := env.Cases.RecordStaff(ctx, s.otherSupervisor, k.ID, nil)
	if err != nil || !glass.MayEdit || len(glass.Choices) != 3 {
		t.Errorf("after break-glass: %+v, %v", glass, err)
	}
}

// A shelter officer reads the case of a resident but does not change it: no forms, no choices.
func TestRecordStaffIsReadOnlyForTheShelter(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	officer, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "shelter.one", Role: aman.RoleShelterOfficer,
		UnitID: s.unit, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.workerA.UserID, TeamIDs: []string{officer.ID}}); err == nil {
		t.Fatal("a shelter officer joined a case team")
	}
	if _, err := env.Cases.BreakGlass(ctx, officer.Actor(), k.ID, "a resident arrived at night and needs her plan"); err != nil {
		t.Fatal(err)
	}
	got, err := env.Cases.RecordStaff(ctx, officer.Actor(), k.ID, []string{s.workerA.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if got.MayEdit || len(got.Choices) != 0 || got.Names[s.workerA.UserID].DisplayName != "worker.a" {
		t.Errorf("shelter officer: %+v", got)
	}
}
