package policy_test

import (
	"slices"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

// roleMatrix is the spec of Allows, written per role so a reader sees what each role may do. Allows is
// written per action, so the two are independent statements of the same rules.
func roleMatrix() map[aman.Role]string {
	const base = "session.self dashboard.view "
	return map[aman.Role]string{
		aman.RoleAdmin:   base + "users.manage settings.manage keys.rotate",
		aman.RoleAuditor: base + "audit.read audit.export",
		aman.RoleAnalyst: base + "stats.view",
		aman.RolePartner: base + "referral.create referral.view_own",
		aman.RoleHotlineOperator: base +
			"call.log call.view call.list callback.list beneficiary.search beneficiary.create triage.view assessment.score",
		aman.RoleAwarenessOfficer: base + "campaign.manage partner.manage stats.view",
		aman.RoleShelterOfficer: base +
			"shelter.manage beneficiary.search beneficiary.view case.view case.break_glass assessment.score " +
			"note.write document.upload document.download",
		aman.RoleCaseWorker: base +
			"beneficiary.search beneficiary.create beneficiary.view " +
			"case.create case.view case.edit case.break_glass note.write assessment.score document.upload document.download " +
			"triage.view triage.act consultation.answer referral.out call.view",
		aman.RolePsychologist: base +
			"beneficiary.search beneficiary.create beneficiary.view " +
			"case.create case.view case.edit case.break_glass note.write assessment.score document.upload document.download " +
			"triage.view triage.act consultation.answer referral.out call.view",
		aman.RoleLegalOfficer: base +
			"beneficiary.search beneficiary.create beneficiary.view " +
			"case.create case.view case.edit case.break_glass note.write assessment.score document.upload document.download " +
			"triage.view triage.act consultation.answer referral.out legal.manage call.view",
		aman.RoleSupervisor: base +
			"beneficiary.search beneficiary.create beneficiary.view beneficiary.merge " +
			"case.create case.view case.edit case.assign case.approve case.break_glass " +
			"note.write assessment.score document.upload document.download call.view call.list callback.list " +
			"triage.view triage.act consultation.answer referral.out stats.view " +
			"shelter.manage legal.manage program.manage partner.manage",
	}
}

func TestAllowsMatrix(t *testing.T) {
	forEveryRole(t, roleMatrix(), func(role aman.Role, spec string) {
		want := map[policy.Action]bool{}
		for _, name := range strings.Fields(spec) {
			a := policy.Action(name)
			if !a.Valid() {
				t.Errorf("%s: matrix names unknown action %q", role, name)
			}
			if want[a] {
				t.Errorf("%s: matrix names %q twice", role, name)
			}
			want[a] = true
		}
		for _, a := range policy.Actions() {
			if got := policy.Allows(role, a); got != want[a] {
				t.Errorf("Allows(%s, %s) = %v, want %v", role, a, got, want[a])
			}
		}
	})
}

// forEveryRole runs check on each role's row of a spec matrix. It fails when the matrix misses a role or
// names one that does not exist, so a role added to aman.Roles cannot slip past any spec.
func forEveryRole[T any](t *testing.T, matrix map[aman.Role]T, check func(aman.Role, T)) {
	t.Helper()
	for role := range matrix {
		if !role.Valid() {
			t.Errorf("matrix names unknown role %q", role)
		}
	}
	for _, role := range aman.Roles() {
		row, ok := matrix[role]
		if !ok {
			t.Errorf("role %s missing from the matrix", role)
			continue
		}
		check(role, row)
	}
}

func TestActionsAreUniqueAndEachHasARole(t *testing.T) {
	seen := map[policy.Action]bool{}
	for _, a := range policy.Actions() {
		if seen[a] {
			t.Errorf("Actions lists %s twice", a)
		}
		seen[a] = true
		if !a.Valid() {
			t.Errorf("%s is listed but not Valid", a)
		}
		if !slices.ContainsFunc(aman.Roles(), func(r aman.Role) bool { return policy.Allows(r, a) }) {
			t.Errorf("no role may %s", a)
		}
	}
	// The brief fixes these names; losing one would break routes that name it.
	const required = "session.self users.manage settings.manage keys.rotate audit.read audit.export " +
		"stats.view beneficiary.search beneficiary.create beneficiary.view beneficiary.merge case.create " +
		"case.view case.edit case.assign case.approve case.break_glass note.write document.upload " +
		"document.download call.log call.view callback.list triage.view triage.act consultation.answer " +
		"referral.create referral.view_own referral.out shelter.manage legal.manage program.manage " +
		"campaign.manage partner.manage dashboard.view"
	for _, name := range strings.Fields(required) {
		if !seen[policy.Action(name)] {
			t.Errorf("Actions lacks %s", name)
		}
	}
}

func TestAllowsRefusesTheUnknown(t *testing.T) {
	for _, a := range policy.Actions() {
		for _, role := range []aman.Role{"", "root", "Admin", "supervisor "} {
			if policy.Allows(role, a) {
				t.Errorf("Allows(%q, %s) = true for an unknown role", role, a)
			}
		}
	}
	for _, role := range aman.Roles() {
		for _, a := range []policy.Action{"", "case.*", "Case.View", "case.delete"} {
			if a.Valid() {
				t.Errorf("%q is Valid", a)
			}
			if policy.Allows(role, a) {
				t.Errorf("Allows(%s, %q) = true for an unknown action", role, a)
			}
		}
	}
}

func TestRequire(t *testing.T) {
	tests := []struct {
		name  string
		actor aman.Actor
		a     policy.Action
		want  string
	}{
		{"allowed", aman.Actor{UserID: "u1", Role: aman.RoleAdmin}, policy.UsersManage, ""},
		{"role lacks action", aman.Actor{UserID: "u1", Role: aman.RoleAdmin}, policy.CaseView, aman.EForbidden},
		{"no user id", aman.Actor{Role: aman.RoleAdmin}, policy.UsersManage, aman.EForbidden},
		{"system actor", aman.System("retention"), policy.CaseView, aman.EForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aman.ErrorCode(policy.Require(tt.actor, tt.a)); got != tt.want {
				t.Errorf("code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPermittedFollowsTheMatrix(t *testing.T) {
	for role, spec := range roleMatrix() {
		want := strings.Fields(spec)
		slices.Sort(want)
		var got []string
		for _, a := range policy.Permitted(role) {
			got = append(got, string(a))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("Permitted(%s) = %v, want %v", role, got, want)
		}
	}
	if got := policy.Permitted("nobody"); len(got) != 0 {
		t.Errorf("Permitted(unknown role) = %v, want none", got)
	}
}
