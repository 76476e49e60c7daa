package policy_test

import (
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

func TestSuperviseCase(t *testing.T) {
	k := fixtureCase(false)
	tests := []struct {
		name  string
		actor aman.Actor
		want  bool
	}{
		{"supervisor of the case's unit", aman.Actor{UserID: "s1", Role: aman.RoleSupervisor, UnitID: "unit-a"}, true},
		{"supervisor of another unit", aman.Actor{UserID: "s2", Role: aman.RoleSupervisor, UnitID: "unit-b"}, false},
		{"supervisor of no unit", aman.Actor{UserID: "s3", Role: aman.RoleSupervisor}, false},
		{"supervisor on the team, of another unit", aman.Actor{UserID: "u-team1", Role: aman.RoleSupervisor, UnitID: "unit-b"}, false},
		{"assigned worker of the unit", aman.Actor{UserID: "u-assigned", Role: aman.RoleCaseWorker, UnitID: "unit-a"}, false},
		{"administrator of the unit", aman.Actor{UserID: "a1", Role: aman.RoleAdmin, UnitID: "unit-a"}, false},
		{"supervisor without an id", aman.Actor{Role: aman.RoleSupervisor, UnitID: "unit-a"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := policy.SuperviseCase(tc.actor, k)
			if d.Allowed != tc.want {
				t.Fatalf("allowed = %v, want %v", d.Allowed, tc.want)
			}
			if !d.Allowed && d.Code != aman.EForbidden {
				t.Fatalf("refused with %q, want forbidden: break-glass never makes a supervisor", d.Code)
			}
		})
	}
	for _, sup := range []aman.Actor{{UserID: "s1", Role: aman.RoleSupervisor}, {UserID: "s2", Role: aman.RoleSupervisor, UnitID: "unit-b"}} {
		if !policy.SuperviseCase(sup, policy.CaseFacts{}).Allowed {
			t.Fatalf("supervisor %+v cannot decide a case outside any unit, which nobody could then decide", sup)
		}
	}
	if policy.SuperviseCase(aman.Actor{UserID: "w1", Role: aman.RoleCaseWorker}, policy.CaseFacts{}).Allowed {
		t.Fatal("a case worker supervises a case outside any unit")
	}
}

func TestEditTaskAndHoldTask(t *testing.T) {
	now := fixtureNow()
	live := []policy.Grant{{UserID: "u-other", ExpiresAt: now.Add(30 * time.Minute)}}
	worker := aman.Actor{UserID: "u-assigned", Role: aman.RoleCaseWorker, UnitID: "unit-b"}
	teamMember := aman.Actor{UserID: "u-team1", Role: aman.RolePsychologist, UnitID: "unit-b"}
	stranger := aman.Actor{UserID: "u-other", Role: aman.RoleCaseWorker, UnitID: "unit-b"}
	shelter := aman.Actor{UserID: "u-team2", Role: aman.RoleShelterOfficer, UnitID: "unit-a"}
	tests := []struct {
		name     string
		actor    aman.Actor
		closed   bool
		assignee string
		grants   []policy.Grant
		edit     bool
		hold     bool
	}{
		{"worker, own task, open case", worker, false, "u-assigned", nil, true, true},
		{"worker, own task, closed case", worker, true, "u-assigned", nil, true, true},
		{"worker, a colleague's task, open case", worker, false, "u-team1", nil, true, true},
		{"worker, a colleague's task, closed case", worker, true, "u-team1", nil, false, true},
		{"team member, own task, closed case", teamMember, true, "u-team1", nil, true, true},
		{"stranger assigned a task, no tie", stranger, false, "u-other", nil, false, false},
		{"stranger under break-glass", stranger, false, "u-assigned", live, true, false},
		{"stranger under break-glass, own task", stranger, false, "u-other", live, true, false},
		{"shelter officer on the team", shelter, false, "u-team2", nil, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := fixtureCase(tc.closed)
			if got := policy.EditTask(tc.actor, k, tc.assignee, tc.grants, now).Allowed; got != tc.edit {
				t.Errorf("EditTask = %v, want %v", got, tc.edit)
			}
			if got := policy.HoldTask(tc.actor, k); got != tc.hold {
				t.Errorf("HoldTask = %v, want %v", got, tc.hold)
			}
		})
	}
}
