package policy_test

import (
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

// The fixture case: unit-a, assigned to u-assigned, with a two-person team.
func fixtureCase(closed bool) policy.CaseFacts {
	return policy.CaseFacts{
		UnitID:           "unit-a",
		AssignedWorkerID: "u-assigned",
		TeamUserIDs:      []string{"u-team1", "u-team2"},
		ReferringOrgID:   "org-hospital",
		Closed:           closed,
	}
}

// fixtureNow is 3 a.m., when the hotline escalates and break-glass is most likely.
func fixtureNow() time.Time { return time.Date(2026, 3, 1, 3, 0, 0, 0, time.UTC) }

// relationships, in the order of the matrix columns. Each actor is placed so that only one tie can
// apply: the assigned worker and the team member sit in another unit, so it is the assignment or the
// team that opens the case, not the unit.
func relationships() []struct{ name, userID, unit string } {
	return []struct{ name, userID, unit string }{
		{"assigned", "u-assigned", "unit-b"},
		{"team", "u-team2", "unit-b"},
		{"same unit", "u-other", "unit-a"},
		{"other unit", "u-other", "unit-b"},
	}
}

// grantSets, in the order of the matrix sub-columns. Each set also holds a live grant of somebody
// else, which must never count for the actor.
func grantSets(userID string) []struct {
	name   string
	grants []policy.Grant
} {
	someoneElse := policy.Grant{UserID: "u-someone-else", ExpiresAt: fixtureNow().Add(30 * time.Minute)}
	return []struct {
		name   string
		grants []policy.Grant
	}{
		{"no grant", []policy.Grant{someoneElse}},
		{"live grant", []policy.Grant{someoneElse, {UserID: userID, ExpiresAt: fixtureNow().Add(30 * time.Minute)}}},
		{"expired grant", []policy.Grant{someoneElse, {UserID: userID, ExpiresAt: fixtureNow().Add(-time.Second)}}},
	}
}

// decisionToken reads one matrix cell:
//
//	A assigned, T team, U unit_supervisor, G break_glass (allowed);
//	? refused with break_glass_required, x refused as forbidden.
func decisionToken(tok byte) policy.Decision {
	switch tok {
	case 'A':
		return policy.Decision{Allowed: true, Basis: policy.BasisAssigned}
	case 'T':
		return policy.Decision{Allowed: true, Basis: policy.BasisTeam}
	case 'U':
		return policy.Decision{Allowed: true, Basis: policy.BasisUnitSupervisor}
	case 'G':
		return policy.Decision{Allowed: true, Basis: policy.BasisBreakGlass}
	case '?':
		return policy.Decision{Code: policy.EBreakGlassRequired}
	case 'x':
		return policy.Decision{Code: aman.EForbidden}
	}
	panic("bad matrix token " + string(tok))
}

type caseSpec struct{ view, edit, editClosed string }

// caseMatrix is the spec of ViewCase and EditCase. Each string has four groups, one per relationship
// (assigned, team, same unit, other unit), of three cells, one per grant set (none, live, expired).
func caseMatrix() map[aman.Role]caseSpec {
	const never = "xxx xxx xxx xxx"
	return map[aman.Role]caseSpec{
		//                          view               edit open          edit closed
		aman.RoleSupervisor:       {"AAA TTT UUU ?G?", "AAA TTT UUU ?G?", "AAA TTT UUU ?G?"},
		aman.RoleCaseWorker:       {"AAA TTT ?G? ?G?", "AAA TTT ?G? ?G?", never},
		aman.RolePsychologist:     {"AAA TTT ?G? ?G?", "AAA TTT ?G? ?G?", never},
		aman.RoleLegalOfficer:     {"AAA TTT ?G? ?G?", "AAA TTT ?G? ?G?", never},
		aman.RoleShelterOfficer:   {"AAA TTT ?G? ?G?", never, never},
		aman.RoleHotlineOperator:  {never, never, never},
		aman.RoleAdmin:            {never, never, never},
		aman.RoleAuditor:          {never, never, never},
		aman.RoleAnalyst:          {never, never, never},
		aman.RolePartner:          {never, never, never},
		aman.RoleAwarenessOfficer: {never, never, never},
	}
}

func TestCaseAccessMatrix(t *testing.T) {
	forEveryRole(t, caseMatrix(), func(role aman.Role, spec caseSpec) {
		check := func(what, cells string, closed bool, decide func(aman.Actor, policy.CaseFacts, []policy.Grant, time.Time) policy.Decision) {
			groups := strings.Fields(cells)
			if len(groups) != len(relationships()) {
				t.Fatalf("%s %s: %d groups, want %d", role, what, len(groups), len(relationships()))
			}
			for i, rel := range relationships() {
				actor := aman.Actor{UserID: rel.userID, Role: role, UnitID: rel.unit, OrgID: "org-hospital"}
				for j, gs := range grantSets(rel.userID) {
					want := decisionToken(groups[i][j])
					got := decide(actor, fixtureCase(closed), gs.grants, fixtureNow())
					if got != want {
						t.Errorf("%s %s, %s, %s: got %+v, want %+v", role, what, rel.name, gs.name, got, want)
					}
				}
			}
		}
		// A closed case reads on the same terms as an open one.
		check("view open", spec.view, false, policy.ViewCase)
		check("view closed", spec.view, true, policy.ViewCase)
		check("edit open", spec.edit, false, policy.EditCase)
		check("edit closed", spec.editClosed, true, policy.EditCase)
	})
}

func TestCaseAccessEdges(t *testing.T) {
	live := func(id string) []policy.Grant {
		return []policy.Grant{{UserID: id, ExpiresAt: fixtureNow().Add(time.Minute)}}
	}
	worker := aman.Actor{UserID: "u-other", Role: aman.RoleCaseWorker, UnitID: "unit-b"}
	tests := []struct {
		name   string
		decide func(aman.Actor, policy.CaseFacts, []policy.Grant, time.Time) policy.Decision
		actor  aman.Actor
		c      policy.CaseFacts
		grants []policy.Grant
		want   byte
	}{
		{"no user id does not match an unassigned case", policy.ViewCase,
			aman.Actor{Role: aman.RoleCaseWorker}, policy.CaseFacts{UnitID: "unit-a"}, nil, 'x'},
		{"no user id does not match an empty team entry", policy.ViewCase,
			aman.Actor{Role: aman.RoleCaseWorker}, policy.CaseFacts{TeamUserIDs: []string{""}}, nil, 'x'},
		{"no user id cannot use a grant with no user id", policy.ViewCase,
			aman.Actor{Role: aman.RoleSupervisor}, fixtureCase(false), live(""), 'x'},
		{"supervisor without unit, case without unit", policy.ViewCase,
			aman.Actor{UserID: "u-sup", Role: aman.RoleSupervisor}, policy.CaseFacts{}, nil, '?'},
		{"unit alone opens nothing to a case worker", policy.ViewCase,
			aman.Actor{UserID: "u-other", Role: aman.RoleCaseWorker, UnitID: "unit-a"}, fixtureCase(false), nil, '?'},
		{"partner of the referring organisation, with a grant", policy.ViewCase,
			aman.Actor{UserID: "u-p", Role: aman.RolePartner, OrgID: "org-hospital"}, fixtureCase(false), live("u-p"), 'x'},
		{"former case worker now awareness officer, still assigned", policy.ViewCase,
			aman.Actor{UserID: "u-assigned", Role: aman.RoleAwarenessOfficer, UnitID: "unit-a"}, fixtureCase(false), nil, 'x'},
		{"unknown role, assigned", policy.ViewCase,
			aman.Actor{UserID: "u-assigned", Role: "doctor"}, fixtureCase(false), nil, 'x'},
		{"assigned and in unit: the assignment is the basis", policy.ViewCase,
			aman.Actor{UserID: "u-assigned", Role: aman.RoleSupervisor, UnitID: "unit-a"}, fixtureCase(false), nil, 'A'},
		{"grant ending now has ended", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other", ExpiresAt: fixtureNow()}}, '?'},
		{"grant ending in a nanosecond is live", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other", ExpiresAt: fixtureNow().Add(time.Nanosecond)}}, 'G'},
		{"grant issued this instant is live", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other", ExpiresAt: fixtureNow().Add(policy.BreakGlassDuration)}}, 'G'},
		{"grant from a node whose clock runs 30s ahead is live", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other", ExpiresAt: fixtureNow().Add(policy.BreakGlassDuration + 30*time.Second)}}, 'G'},
		{"grant longer than break-glass allows is ignored", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other", ExpiresAt: fixtureNow().Add(2 * policy.BreakGlassDuration)}}, '?'},
		{"grant with no end is ignored", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other"}}, '?'},
		{"expired grant beside a live one", policy.ViewCase, worker, fixtureCase(false),
			[]policy.Grant{{UserID: "u-other", ExpiresAt: fixtureNow().Add(-time.Hour)}, {UserID: "u-other", ExpiresAt: fixtureNow().Add(time.Minute)}}, 'G'},
		{"closed case: case worker with a grant reads", policy.ViewCase, worker, fixtureCase(true), live("u-other"), 'G'},
		{"closed case: case worker with a grant may not edit", policy.EditCase, worker, fixtureCase(true), live("u-other"), 'x'},
		{"closed case: supervisor of another unit must break glass to reopen", policy.EditCase,
			aman.Actor{UserID: "u-sup", Role: aman.RoleSupervisor, UnitID: "unit-b"}, fixtureCase(true), nil, '?'},
		{"shelter officer on the team may not edit", policy.EditCase,
			aman.Actor{UserID: "u-team1", Role: aman.RoleShelterOfficer}, fixtureCase(false), nil, 'x'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.decide(tt.actor, tt.c, tt.grants, fixtureNow())
			if want := decisionToken(tt.want); got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestCanBreakGlass(t *testing.T) {
	may := map[aman.Role]bool{
		aman.RoleSupervisor: true, aman.RoleCaseWorker: true, aman.RolePsychologist: true,
		aman.RoleLegalOfficer: true, aman.RoleShelterOfficer: true,
	}
	for _, role := range aman.Roles() {
		if got := policy.CanBreakGlass(aman.Actor{UserID: "u1", Role: role}); got != may[role] {
			t.Errorf("CanBreakGlass(%s) = %v, want %v", role, got, may[role])
		}
	}
	if policy.CanBreakGlass(aman.Actor{Role: aman.RoleSupervisor}) {
		t.Error("an actor with no user id may break glass")
	}
}

func TestDecisionErr(t *testing.T) {
	tests := []struct {
		d    policy.Decision
		want string
	}{
		{policy.Decision{Allowed: true, Basis: policy.BasisTeam}, ""},
		{policy.Decision{Code: policy.EBreakGlassRequired}, policy.EBreakGlassRequired},
		{policy.Decision{Code: aman.EForbidden}, aman.EForbidden},
		{policy.Decision{}, aman.EForbidden}, // the zero Decision fails closed
	}
	for _, tt := range tests {
		if got := aman.ErrorCode(tt.d.Err()); got != tt.want {
			t.Errorf("%+v.Err() code = %q, want %q", tt.d, got, tt.want)
		}
	}
}
