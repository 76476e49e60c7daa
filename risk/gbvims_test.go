package risk_test

import (
	"fmt"
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/risk"
)

func TestClassifySingleActs(t *testing.T) {
	want := map[string]string{
		risk.ActPenetration:           risk.TypeRape,
		risk.ActUnwantedSexualContact: risk.TypeSexualAssault,
		risk.ActPhysicalAssault:       risk.TypePhysicalAssault,
		risk.ActForcedMarriage:        risk.TypeForcedMarriage,
		risk.ActDenialOfResources:     risk.TypeDenialOfResources,
		risk.ActPsychologicalAbuse:    risk.TypePsychologicalAbuse,
	}
	if len(want) != len(risk.Acts()) {
		t.Fatalf("Acts() = %v", risk.Acts())
	}
	for act, typ := range want {
		got, err := risk.Classify([]string{act})
		if err != nil || got != typ {
			t.Errorf("Classify([%s]) = %q, %v; want %q", act, got, err, typ)
		}
	}
	for _, acts := range [][]string{nil, {}} {
		if got, err := risk.Classify(acts); err != nil || got != risk.TypeNonGBV {
			t.Errorf("Classify(%#v) = %q, %v; want non_gbv", acts, got, err)
		}
	}
}

// TestClassifyPrecedence checks every pair of acts in both orders: the earlier act in the
// precedence wins wherever it sits in the list.
func TestClassifyPrecedence(t *testing.T) {
	acts, types := risk.Acts(), risk.Types()
	if want := []string{"penetration", "unwanted_sexual_contact", "physical_assault", "forced_marriage",
		"denial_of_resources", "psychological_abuse"}; !slices.Equal(acts, want) {
		t.Fatalf("Acts() = %v, want %v", acts, want)
	}
	if want := []string{"rape", "sexual_assault", "physical_assault", "forced_marriage",
		"denial_of_resources", "psychological_abuse", "non_gbv"}; !slices.Equal(types, want) {
		t.Fatalf("Types() = %v, want %v", types, want)
	}
	for i := range acts {
		for j := range acts {
			want := types[min(i, j)]
			for _, in := range [][]string{{acts[i], acts[j]}, {acts[j], acts[i]}, {acts[j], acts[i], acts[j]}} {
				got, err := risk.Classify(in)
				if err != nil || got != want {
					t.Errorf("Classify(%v) = %q, %v; want %q", in, got, err, want)
				}
			}
		}
	}
	// All six at once, in reverse order: still rape.
	rev := slices.Clone(acts)
	slices.Reverse(rev)
	if got, _ := risk.Classify(rev); got != risk.TypeRape {
		t.Errorf("all acts reversed = %q, want rape", got)
	}
}

func TestClassifyUnknownAct(t *testing.T) {
	tests := []struct {
		acts  []string
		field string
	}{
		{[]string{"theft"}, "acts[0]"},
		{[]string{risk.ActPenetration, "Penetration"}, "acts[1]"}, // not short-circuited by a valid act
		{[]string{risk.ActPsychologicalAbuse, risk.ActPhysicalAssault, ""}, "acts[2]"},
		{[]string{"rape"}, "acts[0]"}, // a type is not an act
	}
	for _, tt := range tests {
		got, err := risk.Classify(tt.acts)
		if aman.ErrorCode(err) != risk.EUnknownAct || aman.ErrorField(err) != tt.field || got != "" {
			t.Errorf("Classify(%q) = %q, %v; want %s on %s", tt.acts, got, err, risk.EUnknownAct, tt.field)
		}
	}
}

func TestContexts(t *testing.T) {
	const ipv, csa, early = risk.ContextIntimatePartnerViolence, risk.ContextChildSexualAbuse, risk.ContextEarlyMarriage
	tests := []struct {
		typ  string
		age  int
		rels []string
		want []string
	}{
		// Intimate partner violence follows the relationship, whatever the type or age.
		{risk.TypePhysicalAssault, 30, []string{"husband"}, []string{ipv}},
		{risk.TypePsychologicalAbuse, 30, []string{"former_husband"}, []string{ipv}},
		{risk.TypeDenialOfResources, -1, []string{"partner"}, []string{ipv}},
		{risk.TypeRape, 40, []string{"former_partner"}, []string{ipv}},
		{risk.TypePhysicalAssault, 30, []string{"brother", "husband"}, []string{ipv}},
		{risk.TypePhysicalAssault, 30, []string{"husband", "former_husband"}, []string{ipv}}, // once only
		{risk.TypePhysicalAssault, 30, []string{"father", "mother", "brother", "other_relative", "employer_sponsor", "other"}, []string{}},
		{risk.TypePhysicalAssault, 30, nil, []string{}},
		{risk.TypePhysicalAssault, 30, []string{"Husband"}, []string{}},
		// Child sexual abuse: under 18 and rape or sexual assault.
		{risk.TypeRape, 17, []string{"father"}, []string{csa}},
		{risk.TypeSexualAssault, 0, nil, []string{csa}},
		{risk.TypeRape, 18, nil, []string{}},
		{risk.TypeSexualAssault, 18, nil, []string{}},
		{risk.TypeRape, -1, nil, []string{}},
		{risk.TypeRape, -5, nil, []string{}},
		{risk.TypePhysicalAssault, 10, []string{"father"}, []string{}},
		{risk.TypeRape, 16, []string{"husband"}, []string{ipv, csa}},
		// Early marriage: under 18 and forced marriage.
		{risk.TypeForcedMarriage, 15, []string{"father"}, []string{early}},
		{risk.TypeForcedMarriage, 17, []string{"husband"}, []string{ipv, early}},
		{risk.TypeForcedMarriage, 18, nil, []string{}},
		{risk.TypeForcedMarriage, -1, nil, []string{}},
		{risk.TypeSexualAssault, 15, nil, []string{csa}},
		// No GBVIMS context for a non-GBV incident or an unknown type.
		{risk.TypeNonGBV, 12, []string{"husband"}, []string{}},
		{"theft", 12, []string{"husband"}, []string{}},
		{"", 12, []string{"husband"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d/%v", tt.typ, tt.age, tt.rels), func(t *testing.T) {
			got := risk.Contexts(tt.typ, tt.age, tt.rels)
			if got == nil {
				t.Fatal("nil result; want a slice that marshals as []")
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Contexts = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRelationships(t *testing.T) {
	want := []string{"husband", "former_husband", "father", "mother", "brother", "other_relative", "employer_sponsor", "other"}
	got := risk.Relationships()
	if !slices.Equal(got, want) {
		t.Fatalf("Relationships() = %v, want %v", got, want)
	}
	got[0] = "changed"
	if risk.Relationships()[0] != "husband" {
		t.Error("Relationships shares its slice between calls")
	}
	for _, r := range append(want, "partner", "former_partner") {
		if !risk.IsRelationship(r) {
			t.Errorf("IsRelationship(%q) = false", r)
		}
	}
	for _, r := range []string{"", "Husband", "uncle", "husband "} {
		if risk.IsRelationship(r) {
			t.Errorf("IsRelationship(%q) = true", r)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	acts := []string{risk.ActPsychologicalAbuse, risk.ActDenialOfResources, risk.ActPhysicalAssault, risk.ActUnwantedSexualContact}
	b.ReportAllocs()
	for b.Loop() {
		if typ, err := risk.Classify(acts); err != nil || typ != risk.TypeSexualAssault {
			b.Fatal(typ, err)
		}
	}
}
