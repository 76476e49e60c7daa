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

func newPartner(t *testing.T, env *apptest.Env, s staff) app.PartnerOrg {
	t.Helper()
	org, err := env.Partners.Create(ctx, s.supervisor, app.PartnerOrg{NameAR: "مستشفى حمد", NameEN: "Hamad Hospital", Kind: "hospital"})
	if err != nil {
		t.Fatal(err)
	}
	return org
}

func TestPartnersDirectory(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	if _, err := env.Partners.Create(ctx, s.workerA, app.PartnerOrg{NameAR: "أ", NameEN: "A", Kind: "ngo"}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker added a partner: %v", err)
	}
	if _, err := env.Partners.Create(ctx, s.supervisor, app.PartnerOrg{NameAR: "أ", NameEN: "A", Kind: "bakery"}); aman.ErrorField(err) != "kind" {
		t.Fatalf("unknown kind: %v", err)
	}
	newPartner(t, env, s)
	orgs, err := env.Partners.List(ctx, s.admin)
	if err != nil || len(orgs) != 1 || orgs[0].NameEN != "Hamad Hospital" {
		t.Fatalf("list: %+v %v", orgs, err)
	}
}

func TestReferralNeedsConsentOrASupervisorsReason(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	org := newPartner(t, env, s)
	k := openCase(t, env, s.workerA)
	if _, err := env.Referrals.ReferOut(ctx, s.workerA, k.ID, app.ReferralInput{PartnerOrgID: org.ID, Purpose: "medical follow-up"}); aman.ErrorCode(err) != app.EConsentRequired {
		t.Fatalf("referral without consent: %v", err)
	}
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentSharing}); aman.ErrorField(err) != "partner_org_id" {
		t.Fatalf("sharing consent without a partner: %v", err)
	}
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentSharing, PartnerOrgID: org.ID, Given: true}); err != nil {
		t.Fatal(err)
	}
	ref, err := env.Referrals.ReferOut(ctx, s.workerA, k.ID, app.ReferralInput{PartnerOrgID: org.ID, Purpose: "medical follow-up"})
	if err != nil || ref.ConsentID == "" || ref.Overridden {
		t.Fatalf("referral with consent: %+v %v", ref, err)
	}
	if err := env.Referrals.UpdateReferral(ctx, s.workerA, ref.ID, app.ReferralCompleted, ""); aman.ErrorCode(err) != app.EInvalidReferralMove {
		t.Fatalf("sent straight to completed: %v", err)
	}
	for _, step := range []string{app.ReferralAccepted, app.ReferralCompleted} {
		if err := env.Referrals.UpdateReferral(ctx, s.workerA, ref.ID, step, "seen by the clinic on Sunday"); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	// Consent withdrawn by a later refusal: only a supervisor can refer, with a reason.
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentSharing, PartnerOrgID: org.ID, Given: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Referrals.ReferOut(ctx, s.workerA, k.ID, app.ReferralInput{PartnerOrgID: org.ID}); aman.ErrorCode(err) != app.EConsentRequired {
		t.Fatalf("after a refusal: %v", err)
	}
	if _, err := env.Referrals.ReferOut(ctx, s.supervisor, k.ID, app.ReferralInput{PartnerOrgID: org.ID, OverrideReason: "urgent"}); aman.ErrorCode(err) != app.EReasonTooShort {
		t.Fatalf("override with a short reason: %v", err)
	}
	reason := "Immediate medical danger; she cannot be asked again tonight"
	over, err := env.Referrals.ReferOut(ctx, s.supervisor, k.ID, app.ReferralInput{PartnerOrgID: org.ID, OverrideReason: reason})
	if err != nil || !over.Overridden {
		t.Fatalf("override: %+v %v", over, err)
	}
	list, err := env.Referrals.ListReferrals(ctx, s.workerA, k.ID)
	if err != nil || len(list) != 2 || list[0].OverrideReason != reason || list[1].Status != app.ReferralCompleted || list[1].Feedback != "seen by the clinic on Sunday" {
		t.Fatalf("list: %+v %v", list, err)
	}
	entries, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: "referral.out_without_consent", OpenReasons: true})
	if len(entries) != 1 || entries[0].Reason != reason {
		t.Fatalf("override not audited with its reason: %+v", entries)
	}
	if _, err := env.Referrals.ListReferrals(ctx, s.workerB, k.ID); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Fatalf("a stranger listed referrals: %v", err)
	}
}

func TestChildConsentNeedsAssentAndGuardian(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	child, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "سلمى", BirthDate: "2014-06-01"})
	k, err := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: child.ID})
	if err != nil {
		t.Fatal(err)
	}
	mother, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "أم سلمى"})
	given := app.ConsentInput{Kind: app.ConsentServices, Given: true, ChildAssent: true, GuardianConsent: true, GuardianID: mother.ID}
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, given); aman.ErrorCode(err) != app.EGuardianRequired {
		t.Fatalf("a guardian not linked to the case: %v", err)
	}
	if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, mother.ID, app.PersonGuardian, "mother"); err != nil {
		t.Fatal(err)
	}
	noAssent := given
	noAssent.ChildAssent = false
	if _, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, noAssent); aman.ErrorCode(err) != app.EGuardianRequired {
		t.Fatalf("without the child's assent: %v", err)
	}
	c, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, given)
	if err != nil || !c.Child {
		t.Fatalf("child consent: %+v %v", c, err)
	}
	// On her 18th birthday she consents for herself.
	env.Clock.Advance(time.Date(2032, 6, 1, 12, 0, 0, 0, time.UTC).Sub(env.Clock.Now()))
	adult, err := env.Referrals.RecordConsent(ctx, s.workerA, k.ID, app.ConsentInput{Kind: app.ConsentStatistics, Given: true})
	if err != nil || adult.Child {
		t.Fatalf("at 18: %+v %v", adult, err)
	}
}
