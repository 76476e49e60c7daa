package policy_test

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

func TestViewCall(t *testing.T) {
	operator := aman.Actor{UserID: "op-1", Role: aman.RoleHotlineOperator}
	otherOperator := aman.Actor{UserID: "op-2", Role: aman.RoleHotlineOperator}
	supervisor := aman.Actor{UserID: "sup-1", Role: aman.RoleSupervisor}
	worker := aman.Actor{UserID: "w-1", Role: aman.RoleCaseWorker}
	shelter := aman.Actor{UserID: "s-1", Role: aman.RoleShelterOfficer}
	admin := aman.Actor{UserID: "a-1", Role: aman.RoleAdmin}
	caseOpen := policy.Decision{Allowed: true, Basis: policy.BasisTeam}
	caseClosed := policy.Decision{Code: aman.EForbidden}
	taken := policy.CallFacts{OperatorID: "op-1"}
	linked := policy.CallFacts{OperatorID: "op-1", CaseID: "case-1"}
	tests := []struct {
		name   string
		actor  aman.Actor
		call   policy.CallFacts
		onCase policy.Decision
		basis  string
	}{
		{"the operator who took it", operator, taken, policy.Decision{}, policy.BasisCallOperator},
		{"another operator", otherOperator, taken, policy.Decision{}, ""},
		{"another operator, even on a case", otherOperator, linked, caseOpen, ""},
		{"a supervisor", supervisor, taken, policy.Decision{}, policy.BasisCallSupervisor},
		{"case staff of the linked case", worker, linked, caseOpen, policy.BasisLinkedCase},
		{"case staff under break-glass", worker, linked, policy.Decision{Allowed: true, Basis: policy.BasisBreakGlass}, policy.BasisLinkedCase},
		{"case staff who may not see the case", worker, linked, caseClosed, ""},
		{"case staff, call on no case", worker, taken, caseOpen, ""},
		{"a shelter officer on the case", shelter, linked, caseOpen, ""},
		{"the administrator", admin, linked, caseOpen, ""},
		{"nobody", aman.Actor{Role: aman.RoleSupervisor}, taken, caseOpen, ""},
		{"an operator on an unanswered call", aman.Actor{UserID: "", Role: aman.RoleHotlineOperator}, policy.CallFacts{}, policy.Decision{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := policy.ViewCall(tt.actor, tt.call, tt.onCase)
			if d.Allowed != (tt.basis != "") || d.Basis != tt.basis {
				t.Fatalf("decision %+v, want basis %q", d, tt.basis)
			}
			if !d.Allowed && d.Err() == nil {
				t.Fatal("a refusal without an error")
			}
		})
	}
}

func TestListCompleteAndReveal(t *testing.T) {
	operator := aman.Actor{UserID: "op-1", Role: aman.RoleHotlineOperator}
	supervisor := aman.Actor{UserID: "sup-1", Role: aman.RoleSupervisor}
	worker := aman.Actor{UserID: "w-1", Role: aman.RoleCaseWorker}
	lists := []struct {
		actor    aman.Actor
		operator string
		want     bool
	}{
		{operator, "op-1", true},
		{operator, "op-2", false},
		{operator, "", false},
		{supervisor, "op-2", true},
		{supervisor, "", true},
		{worker, "w-1", false},
	}
	for _, tt := range lists {
		if got := policy.ListCalls(tt.actor, tt.operator); got != tt.want {
			t.Errorf("ListCalls(%s, %q) = %v", tt.actor.Role, tt.operator, got)
		}
	}
	completes := []struct {
		actor    aman.Actor
		operator string
		want     bool
	}{
		{operator, "op-1", true},
		{operator, "", true},
		{operator, "op-2", false},
		{supervisor, "", false},
	}
	for _, tt := range completes {
		if got := policy.CompleteCall(tt.actor, tt.operator); got != tt.want {
			t.Errorf("CompleteCall(%s, %q) = %v", tt.actor.Role, tt.operator, got)
		}
	}
	reveals := []struct {
		actor  aman.Actor
		safety aman.CallbackSafety
		want   string
	}{
		{operator, aman.SafetySafe, ""},
		{operator, aman.SafetyUnknown, aman.ECallbackNotSafe},
		{operator, aman.SafetyUnsafe, aman.ECallbackNotSafe},
		{supervisor, aman.SafetySafe, aman.EForbidden},
		{worker, aman.SafetySafe, aman.EForbidden},
		{aman.Actor{Role: aman.RoleHotlineOperator}, aman.SafetySafe, aman.EForbidden},
	}
	for _, tt := range reveals {
		if got := aman.ErrorCode(policy.RevealCallerNumber(tt.actor, tt.safety)); got != tt.want {
			t.Errorf("RevealCallerNumber(%s, %q) = %q, want %q", tt.actor.Role, tt.safety, got, tt.want)
		}
	}
}
