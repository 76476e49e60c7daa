package app_test

import (
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
)

func TestConsentsAreListedNewestFirstAndAudited(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	org := newPartner(t, env, s)
	k := openCase(t, env, s.workerA)
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentServices, Given: true}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentSharing, PartnerOrgID: org.ID}); err != nil {
		t.Fatal(err)
	}
	got, err := env.Referrals.Consents(ctx, s.supervisor, k.ID)
	if err != nil || len(got) != 2 {
		t.Fatalf("consents %+v %v", got, err)
	}
	if got[0].Kind != app.ConsentSharing || got[0].PartnerOrgID != org.ID || got[0].Given || got[0].Child || got[0].ObtainedBy != s.workerA.UserID ||
		!got[0].ObtainedAt.Equal(env.Clock.Now()) {
		t.Errorf("newest %+v", got[0])
	}
	if got[1].Kind != app.ConsentServices || !got[1].Given || got[1].PartnerOrgID != "" {
		t.Errorf("oldest %+v", got[1])
	}
	if reads, _ := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "consent.list", ActorID: s.supervisor.UserID}); len(reads) != 1 {
		t.Errorf("%d list reads audited, want 1", len(reads))
	}
	if _, err := env.Referrals.Consents(ctx, s.workerB, k.ID); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Errorf("a colleague off the case: %v", err)
	}
	if denied, _ := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "case.read_denied", ActorID: s.workerB.UserID}); len(denied) != 1 {
		t.Errorf("%d refusals audited, want 1", len(denied))
	}
	if _, err := env.Referrals.Consents(ctx, s.admin, k.ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Errorf("administrator: %v", err)
	}
}

// A child's consent shows the child's assent and the guardian's consent.
func TestChildConsentIsListedWithAssentAndGuardian(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCaseBornOn(t, env, s.workerA, "2015-06-01")
	guardian, err := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "أم"})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, guardian.ID, app.PersonGuardian, "mother"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentServices, Given: true, ChildAssent: true,
		GuardianID: guardian.ID, GuardianConsent: true}); err != nil {
		t.Fatal(err)
	}
	got, err := env.Referrals.Consents(ctx, s.workerA, k.ID)
	if err != nil || len(got) != 1 || !got[0].Child || !got[0].ChildAssent || !got[0].GuardianConsent || got[0].GuardianID != guardian.ID {
		t.Fatalf("child consent %+v %v", got, err)
	}
}
