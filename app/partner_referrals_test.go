package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/store"
)

func partnerDesk(t *testing.T, env *apptest.Env) (*app.PartnerReferrals, aman.Actor, aman.Actor, aman.Actor) {
	t.Helper()
	deps := app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}
	desk := &app.PartnerReferrals{Deps: deps, Triage: env.Triage, Beneficiaries: env.Beneficiaries, Cases: env.Cases}
	sup := apptest.Admin()
	sup.Role = aman.RoleSupervisor
	sup.UserID = "system:test-supervisor"
	hospital, err := env.Partners.Create(ctx, sup, app.PartnerOrg{NameAR: "مستشفى حمد", NameEN: "Hamad Hospital", Kind: "hospital"})
	if err != nil {
		t.Fatal(err)
	}
	police, err := env.Partners.Create(ctx, sup, app.PartnerOrg{NameAR: "الشرطة", NameEN: "Police", Kind: "police"})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, org string) aman.Actor {
		u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: name, Role: aman.RolePartner, OrgID: org, Password: apptest.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	return desk, mk("hamad.desk", hospital.ID), mk("police.desk", police.ID), mk("orphan.desk", "")
}

func TestPartnerReferralStatusOnlyForOwnOrganisation(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	desk, hamad, police, orphan := partnerDesk(t, env)
	in := app.PartnerReferralInput{NameAR: "مريم علي", NameEN: "Maryam Ali", Sex: "female", EstimatedAge: 30, Phone: "55123456",
		Categories: []string{"physical_violence"}, Narrative: "Bruises seen in the emergency room", Urgency: "urgent"}
	if _, err := desk.Create(ctx, hamad, in); aman.ErrorCode(err) != app.EReferralConsentRequired {
		t.Fatalf("no consent: %v", err)
	}
	in.Consent = true
	if _, err := desk.Create(ctx, orphan, in); aman.ErrorCode(err) != app.ENoPartnerOrg {
		t.Fatalf("a partner without an organisation: %v", err)
	}
	if _, err := desk.Create(ctx, s.workerA, in); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker referred in: %v", err)
	}
	ref, err := desk.Create(ctx, hamad, in)
	if err != nil || ref.Status != app.ReferralInReceived {
		t.Fatalf("create: %+v %v", ref, err)
	}
	// Nothing readable about the person is stored.
	var registered int
	err = env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM beneficiaries`).Scan(&registered)
	})
	if err != nil || registered != 0 {
		t.Fatalf("a referral registered %d beneficiaries (%v)", registered, err)
	}
	page, _ := env.Triage.QueuePage(ctx, s.workerA, app.QueuePage{Limit: app.MaxQueue})
	queue := page.Intakes
	if len(queue) != 1 || queue[0].Channel != aman.ChannelReferral || queue[0].Urgency != aman.UrgencyHigh || queue[0].PartnerOrgID != hamad.OrgID {
		t.Fatalf("queue %+v", queue)
	}
	if list, err := desk.List(ctx, police); err != nil || len(list) != 0 {
		t.Fatalf("another organisation's desk sees %d referrals (%v)", len(list), err)
	}
	if _, err := desk.Get(ctx, police, ref.ID); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("another organisation's desk read a referral: %v", err)
	}
	person, err := desk.ForIntake(ctx, s.workerA, queue[0].ID)
	if err != nil || person.NameEN != "Maryam Ali" || person.Phone != "+97455123456" || !strings.Contains(person.Narrative, "Bruises") {
		t.Fatalf("triage reads %+v %v", person, err)
	}
	if _, err := desk.ForIntake(ctx, hamad, queue[0].ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a desk opened the triage view: %v", err)
	}
	env.Clock.Advance(10 * time.Minute)
	k, err := desk.OpenCase(ctx, s.workerA, queue[0].ID)
	if err != nil || k.Number == "" {
		t.Fatalf("open case: %+v %v", k, err)
	}
	got, err := desk.Get(ctx, hamad, ref.ID)
	if err != nil || got.Status != app.ReferralInCaseOpened {
		t.Fatalf("status after the case opened: %+v %v", got, err)
	}
	if _, err := env.Cases.Get(ctx, hamad, k.ID); err == nil {
		t.Fatal("the referring desk opened the case")
	}
	list, err := desk.List(ctx, hamad)
	if err != nil || len(list) != 1 || list[0].Status != app.ReferralInCaseOpened {
		t.Fatalf("list %+v %v", list, err)
	}
	// Immediate danger needs no consent, and alerts the supervisors.
	if _, err := desk.Create(ctx, hamad, app.PartnerReferralInput{NameAR: "طفل", Categories: []string{"child_abuse"}, Urgency: "immediate_danger"}); err != nil {
		t.Fatal(err)
	}
	if alerts, _ := env.Notifications.Unread(ctx, s.supervisor); len(alerts) != 1 || alerts[0].Kind != "critical_intake" {
		t.Fatalf("supervisor alerts %+v", alerts)
	}
}

func TestIntakeFiguresAtQatarDayBoundaries(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	desk, hamad, _, _ := partnerDesk(t, env)
	figures := &app.IntakeFigures{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}}
	// 20:59:59 UTC on 15 March is 23:59:59 in Doha: still the 15th. 21:00 UTC is already the 16th.
	env.Clock.Advance(20*time.Hour + 59*time.Minute + 59*time.Second - 9*time.Hour)
	enqueue(t, env, aman.ChannelHelpRequest, "h1", aman.IntakeSignals{})
	if _, err := desk.Create(ctx, hamad, app.PartnerReferralInput{NameAR: "أ", Categories: []string{"neglect"}, Urgency: "normal", Consent: true}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Second)
	enqueue(t, env, aman.ChannelHelpRequest, "h2", aman.IntakeSignals{})
	enqueue(t, env, aman.ChannelReport, "r1", aman.IntakeSignals{})
	day15, err := figures.Intake(ctx, s.supervisor, "2026-03-15", "2026-03-15")
	if err != nil {
		t.Fatal(err)
	}
	if day15.RequestsByApp[0] != (app.Count{Key: "help_request", Count: 1}) || day15.RequestsByApp[2].Count != 0 || day15.ReferralsTotal != 1 ||
		day15.ReferralsByPartner[0].NameEN != "Hamad Hospital" {
		t.Fatalf("15 March: %+v", day15)
	}
	day16, _ := figures.Intake(ctx, s.supervisor, "٢٠٢٦-٠٣-١٦", "2026-03-16")
	if day16.RequestsByApp[0].Count != 1 || day16.RequestsByApp[2].Count != 1 || day16.ReferralsTotal != 0 {
		t.Fatalf("16 March: %+v", day16)
	}
	if _, err := figures.Intake(ctx, s.supervisor, "2026-03-16", "2026-03-15"); aman.ErrorCode(err) != app.EInvalidRange {
		t.Fatalf("reversed range: %v", err)
	}
	if _, err := figures.Intake(ctx, s.workerA, "2026-03-15", "2026-03-15"); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker read figures: %v", err)
	}
}
