package app_test

import (
	"fmt"
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/risk"
)

func TestComprehensiveAssessmentIsVersioned(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	if _, _, err := env.Assessments.Assessment(ctx, s.workerA, k.ID, 0); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("a case never assessed: %v", err)
	}
	first := map[aman.AssessmentSection]aman.SectionAnswer{
		aman.SectionSafety: {Text: "  Lives with the abuser; locks herself in at night. ", Fields: map[string]any{"safe_at_home": false, "needs_shelter": true}},
		aman.SectionFamily: {Fields: map[string]any{"marital_status": "married", "children": float64(3)}},
		aman.SectionLegal:  {Text: "   "},
	}
	v1, err := env.Assessments.SaveAssessment(ctx, s.workerA, k.ID, first)
	if err != nil || v1.Version != 1 {
		t.Fatalf("first save: %+v %v", v1, err)
	}
	second := map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionHealth: {Text: "Bruises on both arms", Fields: map[string]any{"injuries": true}}}
	if v2, err := env.Assessments.SaveAssessment(ctx, s.workerA, k.ID, second); err != nil || v2.Version != 2 {
		t.Fatalf("second save: %+v %v", v2, err)
	}
	latest, versions, err := env.Assessments.Assessment(ctx, s.supervisor, k.ID, 0)
	if err != nil || versions != 2 || latest.Version != 2 || len(latest.Sections) != 1 || latest.Sections[aman.SectionHealth].Text != "Bruises on both arms" {
		t.Fatalf("latest: %+v (%d versions) %v", latest, versions, err)
	}
	old, _, err := env.Assessments.Assessment(ctx, s.workerA, k.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	safety, family := old.Sections[aman.SectionSafety], old.Sections[aman.SectionFamily]
	if safety.Text != "Lives with the abuser; locks herself in at night." || safety.Fields["safe_at_home"] != false || safety.Fields["needs_shelter"] != true ||
		family.Fields["children"] != 3 || family.Fields["marital_status"] != "married" {
		t.Fatalf("version 1 read back: %+v", old.Sections)
	}
	if _, ok := old.Sections[aman.SectionLegal]; ok {
		t.Fatal("a blank section was stored")
	}
	if _, _, err := env.Assessments.Assessment(ctx, s.workerA, k.ID, 3); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("version 3: %v", err)
	}

	bad := []struct {
		name      string
		sections  map[aman.AssessmentSection]aman.SectionAnswer
		wantCode  string
		wantField string
	}{
		{"nothing said", map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionSafety: {Text: " "}}, aman.EEmptyForm, "sections"},
		{"no sections", nil, aman.EEmptyForm, "sections"},
		{"unknown section", map[aman.AssessmentSection]aman.SectionAnswer{"hobbies": {Text: "x"}}, aman.EInvalidSection, "sections"},
		{"unknown field", map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionSafety: {Fields: map[string]any{"favourite_colour": "red"}}}, aman.EInvalidAnswer, "sections.safety.fields"},
		{"text for a yes/no", map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionSafety: {Fields: map[string]any{"safe_at_home": "no"}}}, aman.EInvalidAnswer, "sections.safety.fields.safe_at_home"},
		{"fractional count", map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionFamily: {Fields: map[string]any{"children": 1.5}}}, aman.EInvalidAnswer, "sections.family.fields.children"},
		{"negative count", map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionFamily: {Fields: map[string]any{"children": float64(-1)}}}, aman.EInvalidAnswer, "sections.family.fields.children"},
		{"choice off the list", map[aman.AssessmentSection]aman.SectionAnswer{aman.SectionEducationWork: {Fields: map[string]any{"education_level": "phd"}}}, aman.EInvalidAnswer, "sections.education_work.fields.education_level"},
	}
	for _, tc := range bad {
		if _, err := env.Assessments.SaveAssessment(ctx, s.workerA, k.ID, tc.sections); aman.ErrorCode(err) != tc.wantCode || aman.ErrorField(err) != tc.wantField {
			t.Errorf("%s: %v (field %q), want %s on %s", tc.name, err, aman.ErrorField(err), tc.wantCode, tc.wantField)
		}
	}
}

// yesTo answers yes to the given item ids.
func yesTo(ids ...int) map[string]bool {
	answers := map[string]bool{}
	for _, id := range ids {
		answers[fmt.Sprint(id)] = true
	}
	return answers
}

func dashYes(n int) map[string]bool {
	answers := map[string]bool{}
	for i := 1; i <= 24; i++ {
		answers[fmt.Sprint(i)] = i <= n
	}
	return answers
}

func TestDASHEscalationCountsTheCaseIncidentsOfTheLast12Months(t *testing.T) {
	env := apptest.New(t) // today is 2026-03-15 in Qatar
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	steps := []struct {
		day            string
		wantCounted    int
		wantEscalation bool
	}{
		{"2026-03-01", 1, false},
		{"2025-03-15", 1, false}, // exactly twelve months ago: outside the window
		{"2025-09-01", 2, false},
		{"2025-03-16", 3, true},
	}
	for _, step := range steps {
		if _, err := env.Incidents.Record(ctx, s.workerA, k.ID, app.IncidentInput{OccurredOn: step.day, Place: "home", Acts: []string{risk.ActPhysicalAssault}}); err != nil {
			t.Fatal(err)
		}
		got, err := env.Assessments.RecordRisk(ctx, s.workerA, k.ID, app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(3)})
		if err != nil {
			t.Fatal(err)
		}
		if got.IncidentsCounted != step.wantCounted || got.Escalation != step.wantEscalation {
			t.Fatalf("after the incident of %s: counted %d, escalation %v; want %d, %v", step.day, got.IncidentsCounted, got.Escalation, step.wantCounted, step.wantEscalation)
		}
	}
	summary, history, err := env.Assessments.RiskHistory(ctx, s.workerA, k.ID)
	if err != nil || len(history) != 4 || !summary.Escalation || history[0].IncidentsCounted != 3 || len(summary.Latest) != 1 {
		t.Fatalf("summary %+v, %d results, %v", summary, len(history), err)
	}
}

func TestRiskResultsRaisePriorityAndAlert(t *testing.T) {
	tests := []struct {
		name         string
		in           app.RiskAssessmentInput
		recordedBy   func(staff) aman.Actor
		wantLevel    string
		wantBand     string
		wantPriority aman.Priority
		// wantAlerted are told; every other person of the unit and the other unit's supervisor are not.
		wantAlerted func(staff) []aman.Actor
		wantKind    string
	}{
		{"DASH medium changes nothing", app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(10)}, byWorker,
			"medium", app.BandMedium, aman.PriorityNormal, nobody, ""},
		{"DASH high makes the case high and alerts the supervisor", app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(14)}, byWorker,
			"high", app.BandHigh, aman.PriorityHigh, unitSupervisor, ""},
		{"DASH judged high", app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(2), ProfessionalJudgement: "high"}, byWorker,
			"high", app.BandHigh, aman.PriorityHigh, unitSupervisor, ""},
		{"Danger Assessment increased changes nothing", app.RiskAssessmentInput{Instrument: risk.DangerAssessment, Answers: yesTo(2, 3, 4)}, byWorker,
			"increased", app.BandMedium, aman.PriorityNormal, nobody, ""},
		{"Danger Assessment severe", app.RiskAssessmentInput{Instrument: risk.DangerAssessment, Answers: yesTo(2, 3, 4, 5)}, byWorker,
			"severe", app.BandHigh, aman.PriorityHigh, unitSupervisor, ""},
		{"Danger Assessment extreme", app.RiskAssessmentInput{Instrument: risk.DangerAssessment, Answers: yesTo(2, 3, 4, 5, 14, 18)}, byWorker,
			"extreme", app.BandHigh, aman.PriorityHigh, unitSupervisor, ""},
		{"child medium changes nothing", app.RiskAssessmentInput{Instrument: risk.ChildProtection, Answers: yesTo(2)}, byWorker,
			"medium", app.BandMedium, aman.PriorityNormal, nobody, ""},
		{"child in immediate danger is critical and alerts at once", app.RiskAssessmentInput{Instrument: risk.ChildProtection, Answers: yesTo(1)}, byWorker,
			"low", app.BandHigh, aman.PriorityCritical, unitSupervisor, "immediate_danger"},
		{"immediate danger recorded by the supervisor reaches the worker", app.RiskAssessmentInput{Instrument: risk.ChildProtection, Answers: yesTo(1)},
			func(s staff) aman.Actor { return s.supervisor }, "low", app.BandHigh, aman.PriorityCritical,
			func(s staff) []aman.Actor { return []aman.Actor{s.workerA} }, "immediate_danger"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := apptest.New(t)
			s := newStaff(t, env)
			k := openCase(t, env, s.workerA)
			got, err := env.Assessments.RecordRisk(ctx, tc.recordedBy(s), k.ID, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Level != tc.wantLevel || got.Band != tc.wantBand {
				t.Fatalf("level %s band %s, want %s %s", got.Level, got.Band, tc.wantLevel, tc.wantBand)
			}
			after, err := env.Cases.Get(ctx, s.workerA, k.ID)
			if err != nil || after.Priority != tc.wantPriority {
				t.Fatalf("case priority %s, want %s (%v)", after.Priority, tc.wantPriority, err)
			}
			alerted := tc.wantAlerted(s)
			for _, who := range []aman.Actor{s.workerA, s.workerB, s.supervisor, s.otherSupervisor} {
				if who.UserID == tc.recordedBy(s).UserID {
					continue // whether someone hears of their own act is the lifecycle's choice, not this rule's
				}
				alerts, err := env.Notifications.Unread(ctx, who)
				if err != nil {
					t.Fatal(err)
				}
				want := slices.ContainsFunc(alerted, func(a aman.Actor) bool { return a.UserID == who.UserID })
				if (len(alerts) > 0) != want {
					t.Fatalf("%s has alerts %+v; want alerted %v", who.Username, alerts, want)
				}
				for _, a := range alerts {
					if a.EntityID != k.ID {
						t.Fatalf("%s was alerted about %s", who.Username, a.EntityID)
					}
				}
				if want && tc.wantKind != "" && !slices.ContainsFunc(alerts, func(n app.Notification) bool { return n.Kind == tc.wantKind }) {
					t.Fatalf("%s got %+v, want a %s alert", who.Username, alerts, tc.wantKind)
				}
			}
		})
	}
}

func byWorker(s staff) aman.Actor         { return s.workerA }
func nobody(staff) []aman.Actor           { return nil }
func unitSupervisor(s staff) []aman.Actor { return []aman.Actor{s.supervisor} }

// A second high result on a case already high still reaches the supervisor, and a low one never lowers
// the priority.
func TestRepeatedRiskResults(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	for range 2 {
		if _, err := env.Assessments.RecordRisk(ctx, s.workerA, k.ID, app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(15)}); err != nil {
			t.Fatal(err)
		}
	}
	if alerts, _ := env.Notifications.Unread(ctx, s.supervisor); len(alerts) != 2 {
		t.Fatalf("supervisor alerts after two high results: %+v", alerts)
	}
	low, err := env.Assessments.RecordRisk(ctx, s.workerA, k.ID, app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(1)})
	if err != nil || low.Band != app.BandLow {
		t.Fatalf("low result: %+v %v", low, err)
	}
	if after, _ := env.Cases.Get(ctx, s.workerA, k.ID); after.Priority != aman.PriorityHigh {
		t.Fatalf("a low result lowered the priority to %s", after.Priority)
	}
	summary, _, err := env.Assessments.RiskHistory(ctx, s.workerA, k.ID)
	if err != nil || summary.Band != app.BandLow || summary.MARACReferral || summary.Priority != aman.PriorityHigh {
		t.Fatalf("summary after the low result: %+v %v", summary, err)
	}
	for _, tc := range []struct {
		in        app.RiskAssessmentInput
		wantCode  string
		wantField string
	}{
		{app.RiskAssessmentInput{}, aman.ERequired, "instrument"},
		{app.RiskAssessmentInput{Instrument: "astrology"}, aman.EInvalid, "instrument"},
		{app.RiskAssessmentInput{Instrument: risk.DASH, Answers: map[string]bool{"99": true}}, risk.EUnknownItem, "answers.99"},
		{app.RiskAssessmentInput{Instrument: risk.DangerAssessment, ProfessionalJudgement: "extreme"}, aman.EInvalid, "professional_judgement"},
	} {
		if _, err := env.Assessments.RecordRisk(ctx, s.workerA, k.ID, tc.in); aman.ErrorCode(err) != tc.wantCode || aman.ErrorField(err) != tc.wantField {
			t.Errorf("%+v: %v", tc.in, err)
		}
	}
}

func TestSafetyPlanRequiredAtMediumOrHighRisk(t *testing.T) {
	tests := []struct {
		name        string
		in          *app.RiskAssessmentInput
		wantMissing bool
	}{
		{"not assessed", nil, false},
		{"DASH standard", &app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(9)}, false},
		{"DASH medium", &app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(10)}, true},
		{"DASH high", &app.RiskAssessmentInput{Instrument: risk.DASH, Answers: dashYes(20)}, true},
		{"child low", &app.RiskAssessmentInput{Instrument: risk.ChildProtection, Answers: yesTo(13)}, false},
		{"child in immediate danger", &app.RiskAssessmentInput{Instrument: risk.ChildProtection, Answers: yesTo(1)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := apptest.New(t)
			s := newStaff(t, env)
			k := openCase(t, env, s.workerA)
			if tc.in != nil {
				if _, err := env.Assessments.RecordRisk(ctx, s.workerA, k.ID, *tc.in); err != nil {
					t.Fatal(err)
				}
			}
			summary, _, err := env.Assessments.RiskHistory(ctx, s.workerA, k.ID)
			if err != nil || summary.SafetyPlanMissing != tc.wantMissing {
				t.Fatalf("safety plan missing %v, want %v (%+v, %v)", summary.SafetyPlanMissing, tc.wantMissing, summary, err)
			}
			if _, err := env.CarePlans.SaveSafetyPlan(ctx, s.workerA, k.ID, "Call 919; the neighbour keeps a bag with her papers", "2026-04-01"); err != nil {
				t.Fatal(err)
			}
			if summary, _, _ := env.Assessments.RiskHistory(ctx, s.workerA, k.ID); summary.SafetyPlanMissing {
				t.Fatal("still missing after a safety plan was saved")
			}
		})
	}
}
