package app_test

import (
	"slices"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
)

// A person's cases: in full where the actor may open the case, by number alone where they may not.
func TestCasesForPerson(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	person, err := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "هند", NameEN: "Hind"})
	if err != nil {
		t.Fatal(err)
	}
	own, err := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: person.ID})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	// In worker B's case, Hind is the alleged perpetrator: worker A must not learn that.
	other := openCase(t, env, s.workerB)
	if err := env.Cases.AddPerson(ctx, s.workerB, other.ID, person.ID, app.PersonPerpetrator, "mother"); err != nil {
		t.Fatal(err)
	}

	got, err := env.Cases.ForPerson(ctx, s.workerA, person.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []app.PersonCase{
		{Number: other.Number},
		{Number: own.Number, MayOpen: true, ID: own.ID, Status: aman.CaseNew, Role: app.PersonPrimary, OpenedAt: own.OpenedAt},
	}
	if !slices.EqualFunc(got, want, func(a, b app.PersonCase) bool { return a == b }) {
		t.Fatalf("worker A sees %+v\nwant %+v", got, want)
	}
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "beneficiary.cases_read", ActorID: s.workerA.UserID})
	if err != nil || len(entries) != 1 || entries[0].EntityID != person.ID || entries[0].Detail["shown"] != "1" || entries[0].Detail["number_only"] != "1" {
		t.Fatalf("audit %+v %v", entries, err)
	}

	// The unit's supervisor may open both, and sees Hind's part in each.
	got, err = env.Cases.ForPerson(ctx, s.supervisor, person.ID)
	if err != nil || len(got) != 2 || !got[0].MayOpen || got[0].Role != app.PersonPerpetrator || got[0].Relationship != "mother" || got[1].Role != app.PersonPrimary {
		t.Fatalf("supervisor sees %+v, %v", got, err)
	}
	// A supervisor of another unit learns only the numbers.
	got, err = env.Cases.ForPerson(ctx, s.otherSupervisor, person.ID)
	if err != nil || len(got) != 2 || got[0].MayOpen || got[1].MayOpen || got[0].ID != "" || got[1].Role != "" || got[1].Status != "" {
		t.Fatalf("another unit's supervisor sees %+v, %v", got, err)
	}

	for _, refused := range []aman.Actor{s.admin, s.partner, {UserID: "op", Role: aman.RoleHotlineOperator}} {
		if _, err := env.Cases.ForPerson(ctx, refused, person.ID); aman.ErrorCode(err) != aman.EForbidden {
			t.Errorf("%s: %v, want forbidden", refused.Role, err)
		}
	}
	if _, err := env.Cases.ForPerson(ctx, s.workerA, "no-such-person"); aman.ErrorCode(err) != aman.ENotFound {
		t.Errorf("unknown person: %v", err)
	}
}

// The person page's review: the QID warnings worked out again from the record, and the possible
// duplicates with what they share, merged records left out.
func TestReviewOfARecord(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	first, err := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "مريم الكواري", BirthDate: "1990-05-01", QID: "29063400123", Nationality: "IN"})
	if err != nil {
		t.Fatal(err)
	}
	if w := app.BeneficiaryWarnings(first); !slices.Equal(w, first.Warnings) || !slices.Contains(w, aman.WarnQIDNationalityMismatch) {
		t.Fatalf("warnings %v, create reported %v", w, first.Warnings)
	}
	if w := app.BeneficiaryWarnings(aman.Beneficiary{QID: "29063400123", BirthDate: "1990-01-01", Nationality: "QA"}); len(w) != 0 {
		t.Errorf("a consistent QID warned %v", w)
	}
	byQID, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameEN: "Maryam K", QID: "٢٩٠٦٣٤٠٠١٢٣"})
	byName, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "مريم الكواري", BirthDate: "1990-09-09", Phone: "55551234"})
	stranger, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "سارة"})

	dups, err := env.Beneficiaries.Duplicates(ctx, s.workerA, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	shared := map[string][]string{}
	for _, d := range dups {
		shared[d.ID] = d.Shared
	}
	if len(dups) != 2 || !slices.Equal(shared[byQID.ID], []string{app.SharedQID}) || !slices.Equal(shared[byName.ID], []string{app.SharedName}) {
		t.Fatalf("duplicates %v", shared)
	}
	if d, _ := env.Beneficiaries.Duplicates(ctx, s.workerA, stranger.ID); len(d) != 0 {
		t.Errorf("a stranger has duplicates %v", d)
	}

	if err := env.Beneficiaries.Merge(ctx, s.supervisor, first.ID, byQID.ID); err != nil {
		t.Fatal(err)
	}
	if dups, _ = env.Beneficiaries.Duplicates(ctx, s.workerA, first.ID); len(dups) != 1 || dups[0].ID != byName.ID {
		t.Fatalf("after the merge: %+v", dups)
	}
	if dups, err = env.Beneficiaries.Duplicates(ctx, s.workerA, byQID.ID); err != nil || len(dups) != 0 {
		t.Fatalf("a merged record has duplicates %+v, %v", dups, err)
	}
	// The merged record's review showed nobody, so it is not among them.
	if entries, _ := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "beneficiary.duplicates_read", ActorID: s.workerA.UserID}); len(entries) != 3 {
		t.Errorf("%d reviews audited, want 3", len(entries))
	}
	if _, err := env.Beneficiaries.Duplicates(ctx, aman.Actor{UserID: "op", Role: aman.RoleHotlineOperator}, first.ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Errorf("hotline: %v", err)
	}
	if _, err := env.Beneficiaries.Duplicates(ctx, s.workerA, "nobody"); aman.ErrorCode(err) != aman.ENotFound {
		t.Errorf("unknown: %v", err)
	}
}
