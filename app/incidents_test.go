package app_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/risk"
)

// openCaseBornOn opens a case for a new beneficiary with the given birth date ("" for unknown).
func openCaseBornOn(t *testing.T, env *apptest.Env, by aman.Actor, birthDate string) aman.Case {
	t.Helper()
	b, err := env.Beneficiaries.Create(ctx, by, app.BeneficiaryInput{NameAR: "مريم", BirthDate: birthDate})
	if err != nil {
		t.Fatal(err)
	}
	k, err := env.Cases.Open(ctx, by, app.OpenCaseInput{BeneficiaryID: b.ID})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestIncidentClassificationAndContextsThroughTheCase(t *testing.T) {
	env := apptest.New(t) // the clock stands at 2026-03-15
	s := newStaff(t, env)
	tests := []struct {
		name         string
		born         string
		in           app.IncidentInput
		wantType     string
		wantContexts []string
		wantAge      int
	}{
		{"adult woman beaten by her husband", "1990-05-01",
			app.IncidentInput{OccurredOn: "2026-03-01", Place: "home", Acts: []string{risk.ActPsychologicalAbuse, risk.ActPhysicalAssault},
				PerpetratorRelationships: []string{risk.RelHusband}},
			risk.TypePhysicalAssault, []string{risk.ContextIntimatePartnerViolence}, 35},
		{"former husband counts as a partner", "1990-05-01",
			app.IncidentInput{OccurredOn: "2026-02-01", Place: "public_place", Acts: []string{risk.ActPsychologicalAbuse},
				PerpetratorRelationships: []string{risk.RelBrother, risk.RelFormerHusband}},
			risk.TypePsychologicalAbuse, []string{risk.ContextIntimatePartnerViolence}, 35},
		{"sexual abuse of a 15-year-old girl", "2010-06-01",
			app.IncidentInput{OccurredOn: "2026-01-10", Place: "home", Acts: []string{risk.ActUnwantedSexualContact},
				PerpetratorRelationships: []string{risk.RelOtherRelative}, Harms: []string{"sexual", "verbal", "sexual"}},
			risk.TypeSexualAssault, []string{risk.ContextChildSexualAbuse}, 15},
		{"early marriage of a 16-year-old", "2009-02-01",
			app.IncidentInput{OccurredOn: "2026-01-31", Place: "home", Acts: []string{risk.ActForcedMarriage, risk.ActDenialOfResources},
				PerpetratorRelationships: []string{risk.RelFather}},
			risk.TypeForcedMarriage, []string{risk.ContextEarlyMarriage}, 16},
		{"the day before the 18th birthday is still childhood", "2008-03-02",
			app.IncidentInput{OccurredOn: "2026-03-01", Place: "online", Acts: []string{risk.ActPenetration}, PerpetratorRelationships: []string{risk.RelOther}},
			risk.TypeRape, []string{risk.ContextChildSexualAbuse}, 17},
		{"on the 18th birthday the age contexts stop", "2008-03-02",
			app.IncidentInput{OccurredOn: "2026-03-02", Place: "online", Acts: []string{risk.ActPenetration}, PerpetratorRelationships: []string{risk.RelOther}},
			risk.TypeRape, []string{}, 18},
		{"unknown birth date: no age-based context, harms kept", "",
			app.IncidentInput{OccurredOn: "2026-03-10", Place: "school", Acts: []string{risk.ActUnwantedSexualContact}, Harms: []string{"physical"}},
			risk.TypeSexualAssault, []string{}, -1},
		{"no acts is non_gbv with no context", "1990-05-01",
			app.IncidentInput{OccurredOn: "2026-03-15", Place: "other", PerpetratorRelationships: []string{risk.RelHusband}},
			risk.TypeNonGBV, []string{}, 35},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := openCaseBornOn(t, env, s.workerA, tc.born)
			tc.in.Narrative = "He came home at night and " + tc.name
			got, err := env.Incidents.Record(ctx, s.workerA, k.ID, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Type != tc.wantType || !slices.Equal(got.Contexts, tc.wantContexts) || got.SurvivorAge != tc.wantAge {
				t.Fatalf("recorded type %s contexts %v age %d; want %s %v %d", got.Type, got.Contexts, got.SurvivorAge, tc.wantType, tc.wantContexts, tc.wantAge)
			}
			list, err := env.Incidents.List(ctx, s.supervisor, k.ID)
			if err != nil || len(list) != 1 {
				t.Fatalf("list: %v %v", list, err)
			}
			x := list[0]
			if x.Type != tc.wantType || !slices.Equal(x.Contexts, tc.wantContexts) || x.SurvivorAge != tc.wantAge || x.Narrative != tc.in.Narrative ||
				!slices.Equal(x.PerpetratorRelationships, tc.in.PerpetratorRelationships) || x.OccurredOn.Format(time.DateOnly) != tc.in.OccurredOn {
				t.Fatalf("read back %+v", x)
			}
			distinct := map[string]bool{}
			for _, h := range tc.in.Harms {
				distinct[h] = true
			}
			if len(x.Harms) != len(distinct) {
				t.Fatalf("harms %v, want each of %v once", x.Harms, tc.in.Harms)
			}
		})
	}
}

func TestIncidentInputIsChecked(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	adult := openCaseBornOn(t, env, s.workerA, "1990-05-01")
	child := openCaseBornOn(t, env, s.workerA, "2012-01-01")
	valid := func(change func(*app.IncidentInput)) app.IncidentInput {
		in := app.IncidentInput{OccurredOn: "2026-03-01", Place: "home", Acts: []string{risk.ActPhysicalAssault}}
		change(&in)
		return in
	}
	tests := []struct {
		name      string
		k         aman.Case
		in        app.IncidentInput
		wantCode  string
		wantField string
	}{
		{"harms for an adult", adult, valid(func(in *app.IncidentInput) { in.Harms = []string{"physical"} }), aman.EHarmsChildOnly, "harms"},
		{"unknown harm", child, valid(func(in *app.IncidentInput) { in.Harms = []string{"physical", "shouting"} }), aman.EInvalidHarm, "harms[1]"},
		{"unknown act", adult, valid(func(in *app.IncidentInput) { in.Acts = []string{risk.ActPhysicalAssault, "slapping"} }), risk.EUnknownAct, "acts[1]"},
		{"unknown place", adult, valid(func(in *app.IncidentInput) { in.Place = "car" }), aman.EInvalidPlace, "place_type"},
		{"no place", adult, valid(func(in *app.IncidentInput) { in.Place = "" }), aman.ERequired, "place_type"},
		{"unknown relationship", adult, valid(func(in *app.IncidentInput) { in.PerpetratorRelationships = []string{"neighbour"} }), app.EInvalidRelationship, "perpetrator_relationships[0]"},
		{"no date", adult, valid(func(in *app.IncidentInput) { in.OccurredOn = "" }), aman.ERequired, "occurred_on"},
		{"bad date", adult, valid(func(in *app.IncidentInput) { in.OccurredOn = "1/3/2026" }), aman.EInvalidDate, "occurred_on"},
		{"tomorrow", adult, valid(func(in *app.IncidentInput) { in.OccurredOn = "2026-03-16" }), aman.EDateInFuture, "occurred_on"},
		{"before the birth", child, valid(func(in *app.IncidentInput) { in.OccurredOn = "2011-12-31" }), aman.EDateBeforeBirth, "occurred_on"},
		{"harms for a child", child, valid(func(in *app.IncidentInput) { in.Harms = []string{"confinement", "neglect"} }), "", ""},
		{"Arabic-Indic digits", adult, valid(func(in *app.IncidentInput) { in.OccurredOn = "٢٠٢٦-٠٣-٠١" }), "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Incidents.Record(ctx, s.workerA, tc.k.ID, tc.in)
			if aman.ErrorCode(err) != tc.wantCode && !(tc.wantCode == "" && err == nil) || aman.ErrorField(err) != tc.wantField {
				t.Fatalf("err = %v (field %q), want %q on %q", err, aman.ErrorField(err), tc.wantCode, tc.wantField)
			}
		})
	}
}

// Every use case on case records goes through need-to-know: a colleague outside the case is told to
// break the glass, roles without case access are forbidden, and each refusal is audited.
func TestCaseRecordsNeedToKnow(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCaseBornOn(t, env, s.workerA, "1990-05-01")
	incident := app.IncidentInput{OccurredOn: "2026-03-01", Place: "home", Acts: []string{risk.ActPhysicalAssault}}
	if _, err := env.Incidents.Record(ctx, s.workerA, k.ID, incident); err != nil {
		t.Fatal(err)
	}
	goal, err := env.CarePlans.AddGoal(ctx, s.workerA, k.ID, app.GoalInput{Track: "social", Description: "Find stable housing"})
	if err != nil {
		t.Fatal(err)
	}
	uses := []struct {
		name string
		call func(actor aman.Actor) error
	}{
		{"list incidents", func(a aman.Actor) error { _, err := env.Incidents.List(ctx, a, k.ID); return err }},
		{"record incident", func(a aman.Actor) error { _, err := env.Incidents.Record(ctx, a, k.ID, incident); return err }},
		{"read assessment", func(a aman.Actor) error { _, _, err := env.Assessments.Assessment(ctx, a, k.ID, 0); return err }},
		{"save assessment", func(a aman.Actor) error {
			_, err := env.Assessments.SaveAssessment(ctx, a, k.ID, map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionSafety: {Text: "x"}})
			return err
		}},
		{"risk history", func(a aman.Actor) error { _, _, err := env.Assessments.RiskHistory(ctx, a, k.ID); return err }},
		{"record risk", func(a aman.Actor) error {
			_, err := env.Assessments.RecordRisk(ctx, a, k.ID, app.RiskAssessmentInput{Instrument: risk.DASH})
			return err
		}},
		{"read plan", func(a aman.Actor) error { _, err := env.CarePlans.Plan(ctx, a, k.ID); return err }},
		{"add goal", func(a aman.Actor) error {
			_, err := env.CarePlans.AddGoal(ctx, a, k.ID, app.GoalInput{Track: "social", Description: "x"})
			return err
		}},
		{"change goal", func(a aman.Actor) error {
			status := "achieved"
			_, err := env.CarePlans.ChangeGoal(ctx, a, k.ID, goal.ID, app.GoalChange{Status: &status})
			return err
		}},
		{"add progress note", func(a aman.Actor) error {
			_, err := env.CarePlans.AddProgressNote(ctx, a, k.ID, goal.ID, "x")
			return err
		}},
		{"read safety plan", func(a aman.Actor) error { _, err := env.CarePlans.SafetyPlan(ctx, a, k.ID); return err }},
		{"save safety plan", func(a aman.Actor) error {
			_, err := env.CarePlans.SaveSafetyPlan(ctx, a, k.ID, "x", "2026-04-01")
			return err
		}},
		{"list deliveries", func(a aman.Actor) error { _, err := env.SocialServices.Deliveries(ctx, a, k.ID); return err }},
		{"record delivery", func(a aman.Actor) error {
			_, err := env.SocialServices.RecordDelivery(ctx, a, k.ID, app.DeliveryInput{ServiceCode: "financial_aid",
				DeliveredAt: "2026-03-10T10:00:00+03:00", ProviderOrg: "Qatar Charity", Outcome: "delivered"})
			return err
		}},
	}
	for _, use := range uses {
		t.Run(use.name, func(t *testing.T) {
			if err := use.call(s.workerB); aman.ErrorCode(err) != policy.EBreakGlassRequired {
				t.Errorf("a colleague outside the case: %v, want break_glass_required", err)
			}
			if err := use.call(s.otherSupervisor); aman.ErrorCode(err) != policy.EBreakGlassRequired {
				t.Errorf("another unit's supervisor: %v, want break_glass_required", err)
			}
			for _, stranger := range []aman.Actor{s.admin, s.partner} {
				if err := use.call(stranger); aman.ErrorCode(err) != aman.EForbidden {
					t.Errorf("%s: %v, want forbidden", stranger.Role, err)
				}
			}
			if err := use.call(s.supervisor); err != nil && aman.ErrorCode(err) != aman.ENotFound {
				t.Errorf("the unit's supervisor: %v", err)
			}
		})
	}
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID})
	if err != nil {
		t.Fatal(err)
	}
	denied := map[string]int{}
	for _, e := range entries {
		if strings.HasSuffix(e.Action, "_denied") {
			denied[e.Action]++
		}
	}
	// Two refusals per use case (the colleague and the other supervisor); the administrator and the
	// partner stop at their role, before the case is looked at.
	if len(denied) != len(uses) {
		t.Fatalf("refusals audited for %d use cases, want %d: %v", len(denied), len(uses), denied)
	}
	for action, n := range denied {
		if n != 2 {
			t.Errorf("%s audited %d times, want 2", action, n)
		}
	}
}
