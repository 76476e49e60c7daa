package policy_test

import (
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

// noteBases are the matrix columns: the case decision the note is read under.
func noteBases() []struct {
	name string
	d    policy.Decision
} {
	return []struct {
		name string
		d    policy.Decision
	}{
		{"assigned", policy.Decision{Allowed: true, Basis: policy.BasisAssigned}},
		{"team", policy.Decision{Allowed: true, Basis: policy.BasisTeam}},
		{"unit supervisor", policy.Decision{Allowed: true, Basis: policy.BasisUnitSupervisor}},
		{"break-glass", policy.Decision{Allowed: true, Basis: policy.BasisBreakGlass}},
		{"no access", policy.Decision{Code: policy.EBreakGlassRequired}},
	}
}

type noteSpec struct{ other, own [4]string }

// noteMatrix is the spec of ReadNote. Rows are note kinds (general, psychological, legal, medical);
// each row has one cell per basis: assigned, team, unit supervisor, break-glass, no access. "y" reads.
// "other" is a note somebody else wrote; "own" is the actor's own note.
//
// The case decision is taken as ViewCase gives it, so a row may show a basis ViewCase never gives that
// role (a psychologist as unit supervisor); it is read like any standing tie.
func noteMatrix() map[aman.Role]noteSpec {
	ownAll := [4]string{"yyyyn", "yyyyn", "yyyyn", "yyyyn"}
	none := [4]string{"nnnnn", "nnnnn", "nnnnn", "nnnnn"}
	generalOnly := [4]string{"yyyyn", "nnnnn", "nnnnn", "nnnnn"}
	return map[aman.Role]noteSpec{
		//                                     general  psych    legal    medical
		aman.RoleSupervisor:       {[4]string{"yyyyn", "yyynn", "yyynn", "yyynn"}, ownAll},
		aman.RolePsychologist:     {[4]string{"yyyyn", "yyyyn", "nnnnn", "nnnnn"}, ownAll},
		aman.RoleLegalOfficer:     {[4]string{"yyyyn", "nnnnn", "yyyyn", "nnnnn"}, ownAll},
		aman.RoleCaseWorker:       {generalOnly, ownAll},
		aman.RoleShelterOfficer:   {generalOnly, ownAll},
		aman.RoleHotlineOperator:  {none, none},
		aman.RoleAdmin:            {none, none},
		aman.RoleAuditor:          {none, none},
		aman.RoleAnalyst:          {none, none},
		aman.RolePartner:          {none, none},
		aman.RoleAwarenessOfficer: {none, none},
	}
}

func TestReadNoteMatrix(t *testing.T) {
	kinds := policy.NoteKinds()
	if len(kinds) != 4 {
		t.Fatalf("NoteKinds has %d kinds; the matrix has 4 rows", len(kinds))
	}
	forEveryRole(t, noteMatrix(), func(role aman.Role, spec noteSpec) {
		actor := aman.Actor{UserID: "u-reader", Role: role, UnitID: "unit-a"}
		for _, authorship := range []struct {
			name   string
			author string
			rows   [4]string
		}{{"other's", "u-writer", spec.other}, {"own", "u-reader", spec.own}} {
			for i, kind := range kinds {
				for j, basis := range noteBases() {
					want := authorship.rows[i][j] == 'y'
					if got := policy.ReadNote(actor, kind, authorship.author, basis.d); got != want {
						t.Errorf("%s reading %s %s note under %s: got %v, want %v",
							role, authorship.name, kind, basis.name, got, want)
					}
				}
			}
		}
	})
}

func TestReadNoteEdges(t *testing.T) {
	allowed := func(basis string) policy.Decision { return policy.Decision{Allowed: true, Basis: basis} }
	sup := aman.Actor{UserID: "u-sup", Role: aman.RoleSupervisor}
	psy := aman.Actor{UserID: "u-psy", Role: aman.RolePsychologist}
	tests := []struct {
		name   string
		actor  aman.Actor
		kind   policy.NoteKind
		author string
		d      policy.Decision
		want   bool
	}{
		{"unknown kind", sup, "social", "u-x", allowed(policy.BasisAssigned), false},
		{"empty kind", sup, "", "u-x", allowed(policy.BasisAssigned), false},
		{"unknown basis is read as break-glass", sup, policy.NotePsychological, "u-x", allowed("delegated"), false},
		{"empty basis is read as break-glass", sup, policy.NoteLegal, "u-x", allowed(""), false},
		{"matching discipline under an unknown basis", psy, policy.NotePsychological, "u-x", allowed(""), true},
		{"no user id does not match a note without author", aman.Actor{Role: aman.RoleCaseWorker},
			policy.NoteMedical, "", allowed(policy.BasisAssigned), false},
		{"zero decision", sup, policy.NoteGeneral, "u-sup", policy.Decision{}, false},
		{"system actor", aman.System("export"), policy.NoteGeneral, "u-x", allowed(policy.BasisAssigned), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := policy.ReadNote(tt.actor, tt.kind, tt.author, tt.d); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBreakGlassOpensOnlyTheMatchingDiscipline runs ViewCase and ReadNote together, as the app does: the
// emergency opens the case, not what was said to another discipline.
func TestBreakGlassOpensOnlyTheMatchingDiscipline(t *testing.T) {
	c := fixtureCase(false)
	tests := []struct {
		role aman.Role
		want string // kinds readable, besides general
	}{
		{aman.RoleSupervisor, ""}, // of another unit
		{aman.RolePsychologist, "psychological"},
		{aman.RoleLegalOfficer, "legal"},
		{aman.RoleCaseWorker, ""},
		{aman.RoleShelterOfficer, ""},
	}
	for _, tt := range tests {
		actor := aman.Actor{UserID: "u-stranger", Role: tt.role, UnitID: "unit-b"}
		grants := []policy.Grant{{UserID: actor.UserID, ExpiresAt: fixtureNow().Add(policy.BreakGlassDuration)}}
		d := policy.ViewCase(actor, c, grants, fixtureNow())
		if d.Basis != policy.BasisBreakGlass {
			t.Fatalf("%s: basis %q, want break-glass", tt.role, d.Basis)
		}
		for _, kind := range policy.NoteKinds() {
			want := kind == policy.NoteGeneral || strings.Contains(tt.want, string(kind))
			if got := policy.ReadNote(actor, kind, "u-assigned", d); got != want {
				t.Errorf("%s under break-glass, %s note: got %v, want %v", tt.role, kind, got, want)
			}
		}
	}
}

func TestNoteKindValid(t *testing.T) {
	for _, k := range policy.NoteKinds() {
		if !k.Valid() {
			t.Errorf("%s not Valid", k)
		}
	}
	for _, k := range []policy.NoteKind{"", "General", "social"} {
		if k.Valid() {
			t.Errorf("%q Valid", k)
		}
	}
}
