package policy_test

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

func TestViewReferralStatus(t *testing.T) {
	// Columns: the referral was made by the actor's organisation, by another one, or names none.
	// Every actor below belongs to org-hospital, so a staff member's OrgID is shown not to matter.
	want := map[aman.Role]string{
		aman.RolePartner:          "ynn",
		aman.RoleSupervisor:       "yyy",
		aman.RoleCaseWorker:       "yyy",
		aman.RolePsychologist:     "yyy",
		aman.RoleLegalOfficer:     "yyy",
		aman.RoleShelterOfficer:   "nnn",
		aman.RoleHotlineOperator:  "nnn",
		aman.RoleAwarenessOfficer: "nnn",
		aman.RoleAdmin:            "nnn",
		aman.RoleAuditor:          "nnn",
		aman.RoleAnalyst:          "nnn",
	}
	orgs := []string{"org-hospital", "org-prosecution", ""}
	forEveryRole(t, want, func(role aman.Role, row string) {
		actor := aman.Actor{UserID: "u1", Role: role, OrgID: "org-hospital"}
		for i, org := range orgs {
			if got := policy.ViewReferralStatus(actor, org); got != (row[i] == 'y') {
				t.Errorf("%s, referral of %q: got %v, want %c", role, org, got, row[i])
			}
		}
	})
	edges := []struct {
		name  string
		actor aman.Actor
		org   string
	}{
		{"partner without organisation, referral without organisation", aman.Actor{UserID: "u1", Role: aman.RolePartner}, ""},
		{"partner without user id", aman.Actor{Role: aman.RolePartner, OrgID: "org-hospital"}, "org-hospital"},
		{"supervisor without user id", aman.Actor{Role: aman.RoleSupervisor}, "org-hospital"},
	}
	for _, e := range edges {
		if policy.ViewReferralStatus(e.actor, e.org) {
			t.Errorf("%s: allowed", e.name)
		}
	}
}

func TestViewAuditLogAndAggregates(t *testing.T) {
	audit := map[aman.Role]bool{aman.RoleAuditor: true}
	aggregates := map[aman.Role]bool{
		aman.RoleAnalyst: true, aman.RoleSupervisor: true, aman.RoleAwarenessOfficer: true,
	}
	for _, role := range aman.Roles() {
		actor := aman.Actor{UserID: "u1", Role: role}
		if got := policy.ViewAuditLog(actor); got != audit[role] {
			t.Errorf("ViewAuditLog(%s) = %v, want %v", role, got, audit[role])
		}
		if got := policy.ViewAggregates(actor); got != aggregates[role] {
			t.Errorf("ViewAggregates(%s) = %v, want %v", role, got, aggregates[role])
		}
		anonymous := aman.Actor{Role: role}
		if policy.ViewAuditLog(anonymous) || policy.ViewAggregates(anonymous) {
			t.Errorf("%s without user id sees the audit or aggregates", role)
		}
	}
}
