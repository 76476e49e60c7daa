package app_test

import (
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
)

// What the forms offer is what the use cases accept, and nothing else.
func TestCaseVocabulariesAreWhatTheUseCasesAccept(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	other, err := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "أحمد"})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range app.PersonRoles() {
		if len(app.Relationships(role)) == 0 {
			t.Errorf("role %s offers no relationship", role)
		}
		for _, rel := range app.Relationships(role) {
			if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, other.ID, role, rel); err != nil {
				t.Errorf("%s/%s refused: %v", role, rel, err)
			}
		}
	}
	if app.Relationships("neighbour") != nil {
		t.Error("an unknown role offers relationships")
	}
	org := newPartner(t, env, s)
	for _, kind := range app.ConsentKinds() {
		if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: kind, PartnerOrgID: org.ID, Given: true}); err != nil {
			t.Errorf("consent kind %s refused: %v", kind, err)
		}
	}

	// Walk every status: each offered next status is accepted, every other one refused.
	for _, from := range app.ReferralStatuses() {
		for _, to := range app.ReferralStatuses() {
			ref, err := env.Referrals.ReferOut(ctx, s.workerA, k.ID, app.ReferralInput{PartnerOrgID: org.ID})
			if err != nil {
				t.Fatal(err)
			}
			reach(t, env, s.workerA, ref.ID, from)
			err = env.Referrals.UpdateReferral(ctx, s.workerA, ref.ID, to, "")
			if offered := slices.Contains(app.NextReferralStatuses(from), to); offered != (err == nil) {
				t.Errorf("%s → %s: offered %v, answer %v", from, to, offered, err)
			}
		}
	}
}

// reach moves a sent referral to status along the offered moves.
func reach(t *testing.T, env *apptest.Env, actor aman.Actor, id, status string) {
	t.Helper()
	path := map[string][]string{
		app.ReferralSent: nil, app.ReferralAccepted: {app.ReferralAccepted}, app.ReferralDeclined: {app.ReferralDeclined},
		app.ReferralCompleted: {app.ReferralAccepted, app.ReferralCompleted},
	}[status]
	for _, step := range path {
		if err := env.Referrals.UpdateReferral(ctx, actor, id, step, ""); err != nil {
			t.Fatalf("→ %s: %v", step, err)
		}
	}
}
