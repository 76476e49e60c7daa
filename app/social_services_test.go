package app_test

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
)

func TestServiceCatalogueIsSeededInBothLanguages(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	list, err := env.SocialServices.Catalogue(ctx, s.workerA)
	if err != nil || len(list) < 10 {
		t.Fatalf("catalogue: %d services, %v", len(list), err)
	}
	codes := map[string]aman.Service{}
	for _, svc := range list {
		if svc.NameAR == "" || svc.NameEN == "" || !svc.Active {
			t.Errorf("service %+v lacks a name or is inactive", svc)
		}
		codes[svc.Code] = svc
	}
	for _, code := range []string{"financial_aid", "housing", "education_enrolment", "employment", "documents", "counselling_session", "legal_aid", "medical_referral", "shelter_stay"} {
		if _, ok := codes[code]; !ok {
			t.Errorf("the catalogue lacks %s", code)
		}
	}
	if _, err := env.SocialServices.Catalogue(ctx, s.admin); aman.ErrorCode(err) != aman.EForbidden {
		t.Errorf("an administrator read the catalogue: %v", err)
	}
}

func TestServiceDeliveryInputIsChecked(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	stranger := openCase(t, env, s.workerA)
	household := openCase(t, env, s.workerA)
	if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, household.BeneficiaryID, app.PersonHousehold, "child"); err != nil {
		t.Fatal(err)
	}
	perpetrator := openCase(t, env, s.workerA)
	if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, perpetrator.BeneficiaryID, app.PersonPerpetrator, "husband"); err != nil {
		t.Fatal(err)
	}
	valid := func(change func(*app.DeliveryInput)) app.DeliveryInput {
		in := app.DeliveryInput{ServiceCode: "financial_aid", DeliveredAt: "2026-03-10T10:00:00+03:00", ProviderUserID: s.workerA.UserID, Outcome: "delivered", Note: "Paid the rent for March"}
		change(&in)
		return in
	}
	tests := []struct {
		name      string
		in        app.DeliveryInput
		wantCode  string
		wantField string
	}{
		{"staff provider", valid(func(*app.DeliveryInput) {}), "", ""},
		{"partner provider", valid(func(in *app.DeliveryInput) { in.ProviderUserID, in.ProviderOrg = "", "  Qatar   Charity " }), "", ""},
		{"a household member", valid(func(in *app.DeliveryInput) { in.BeneficiaryID = household.BeneficiaryID }), "", ""},
		{"the alleged perpetrator", valid(func(in *app.DeliveryInput) { in.BeneficiaryID = perpetrator.BeneficiaryID }), aman.ENotOnCase, "beneficiary_id"},
		{"someone of another case", valid(func(in *app.DeliveryInput) { in.BeneficiaryID = stranger.BeneficiaryID }), aman.ENotOnCase, "beneficiary_id"},
		{"two providers", valid(func(in *app.DeliveryInput) { in.ProviderOrg = "Qatar Charity" }), aman.EOneProvider, "provider"},
		{"no provider", valid(func(in *app.DeliveryInput) { in.ProviderUserID = "" }), aman.EOneProvider, "provider"},
		{"an administrator as provider", valid(func(in *app.DeliveryInput) { in.ProviderUserID = s.admin.UserID }), aman.ENotStaff, "provider_user_id"},
		{"no service", valid(func(in *app.DeliveryInput) { in.ServiceCode = "" }), aman.ERequired, "service"},
		{"unknown service", valid(func(in *app.DeliveryInput) { in.ServiceCode = "car_wash" }), aman.EUnknownService, "service"},
		{"no outcome", valid(func(in *app.DeliveryInput) { in.Outcome = "" }), aman.ERequired, "outcome"},
		{"unknown outcome", valid(func(in *app.DeliveryInput) { in.Outcome = "done" }), aman.EInvalidOutcome, "outcome"},
		{"no time", valid(func(in *app.DeliveryInput) { in.DeliveredAt = "" }), aman.ERequired, "delivered_at"},
		{"a day, not an instant", valid(func(in *app.DeliveryInput) { in.DeliveredAt = "2026-03-10" }), aman.EInvalidDate, "delivered_at"},
		{"in the future", valid(func(in *app.DeliveryInput) { in.DeliveredAt = "2026-03-15T13:00:00+03:00" }), aman.EDateInFuture, "delivered_at"},
	}
	for _, tc := range tests {
		got, err := env.SocialServices.RecordDelivery(ctx, s.workerA, k.ID, tc.in)
		if aman.ErrorCode(err) != tc.wantCode && !(tc.wantCode == "" && err == nil) || aman.ErrorField(err) != tc.wantField {
			t.Errorf("%s: %v (field %q)", tc.name, err, aman.ErrorField(err))
		}
		if err == nil && tc.in.BeneficiaryID == "" && got.BeneficiaryID != k.BeneficiaryID {
			t.Errorf("%s: delivered to %s, not the case's beneficiary", tc.name, got.BeneficiaryID)
		}
	}
	list, err := env.SocialServices.Deliveries(ctx, s.supervisor, k.ID)
	if err != nil || len(list) != 3 {
		t.Fatalf("deliveries: %d %v", len(list), err)
	}
	var org, note bool
	for _, d := range list {
		org = org || d.ProviderOrg == "Qatar Charity"
		note = note || d.Note == "Paid the rent for March"
	}
	if !org || !note {
		t.Fatalf("read back: %+v", list)
	}
}

// The yearly figure counts people, not deliveries, by the calendar year in Doha.
func TestSocialServiceBeneficiariesServed(t *testing.T) {
	env := apptest.New(t) // today is 2026-03-15
	s := newStaff(t, env)
	analyst, _ := env.CreateUser(t, "analyst.figures", aman.RoleAnalyst)
	deliveries := []struct {
		person  string
		at      string
		outcome string
	}{
		{"late on new year's eve", "2025-12-31T23:30:00+03:00", "delivered"},
		{"late on new year's eve", "2025-06-01T10:00:00+03:00", "delivered"},  // served twice: one beneficiary
		{"early on new year's day", "2026-01-01T00:30:00+03:00", "delivered"}, // still 2025 in UTC
		{"first minute of 2025", "2025-01-01T00:00:00+03:00", "partially"},
		{"last minute of 2024", "2024-12-31T23:59:59+03:00", "delivered"},
		{"never reached", "2025-05-05T09:00:00+03:00", "not_delivered"},
		{"given in UTC", "2025-12-31T20:59:59Z", "delivered"}, // 23:59:59 in Doha
	}
	cases := map[string]aman.Case{}
	for _, d := range deliveries {
		k, ok := cases[d.person]
		if !ok {
			k = openCase(t, env, s.workerA)
			cases[d.person] = k
		}
		if _, err := env.SocialServices.RecordDelivery(ctx, s.workerA, k.ID, app.DeliveryInput{ServiceCode: "housing", DeliveredAt: d.at,
			ProviderOrg: "Ministry of Social Development", Outcome: d.outcome}); err != nil {
			t.Fatalf("%s: %v", d.person, err)
		}
	}
	for year, want := range map[int]int{2024: 1, 2025: 3, 2026: 1, 2027: 0} {
		got, err := env.SocialServices.BeneficiariesServed(ctx, analyst.Actor(), year)
		if err != nil || got != want {
			t.Errorf("%d: %d beneficiaries (%v), want %d", year, got, err, want)
		}
	}
	if _, err := env.SocialServices.BeneficiariesServed(ctx, s.workerA, 2025); aman.ErrorCode(err) != aman.EForbidden {
		t.Errorf("a case worker read the statistics: %v", err)
	}
	if _, err := env.SocialServices.BeneficiariesServed(ctx, s.supervisor, 25); aman.ErrorCode(err) != aman.EInvalid {
		t.Errorf("year 25: %v", err)
	}
}

// Two records of one person count twice until they are merged; the merge moves the deliveries along.
func TestMergedBeneficiariesCountOnce(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	first, second := openCase(t, env, s.workerA), openCase(t, env, s.workerA)
	for _, k := range []aman.Case{first, second} {
		if _, err := env.SocialServices.RecordDelivery(ctx, s.workerA, k.ID, app.DeliveryInput{ServiceCode: "legal_aid",
			DeliveredAt: "2026-02-01T10:00:00+03:00", ProviderUserID: s.workerA.UserID, Outcome: "delivered"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		n, err := env.SocialServices.BeneficiariesServed(ctx, s.supervisor, 2026)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 2 {
		t.Fatalf("before the merge: %d", n)
	}
	if err := env.Beneficiaries.Merge(ctx, s.supervisor, first.BeneficiaryID, second.BeneficiaryID); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("after the merge: %d", n)
	}
}
