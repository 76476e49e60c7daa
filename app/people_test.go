package app_test

import (
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
)

func TestMoreFieldsAreKeptAndSearchable(t *testing.T) {
	env := apptest.New(t)
	b, err := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{
		NameEN: "Leila Haddad", EstimatedAge: 30, Passport: "p 123 4567", AltPhone: "3333 1111",
		Area: " Al  Rayyan ", Zone: "٥٣", Languages: []string{"AR", "en", "ar"}, Disability: "hearing",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := env.Beneficiaries.Get(ctx, apptest.Worker(), b.ID)
	if err != nil || got.Passport != "P1234567" || got.AltPhone != "+97433331111" || got.Area != "Al Rayyan" || got.Zone != "53" ||
		!slices.Equal(got.Languages, []string{"ar", "en"}) || got.Disability != "hearing" || got.EstimatedAge != 30 {
		t.Fatalf("stored %+v, %v", got, err)
	}
	for _, q := range []string{"P1234567", "p1234567", "33331111"} {
		if m, err := env.Beneficiaries.Search(ctx, apptest.Worker(), q); err != nil || len(m) != 1 || !m[0].ExactIdentifier {
			t.Errorf("search %q: %v %v", q, ids(m), err)
		}
	}
	for _, bad := range []struct {
		in    app.BeneficiaryInput
		field string
	}{
		{app.BeneficiaryInput{NameEN: "x y", EstimatedAge: 150}, "estimated_age"},
		{app.BeneficiaryInput{NameEN: "x y", Zone: "99"}, "zone"},
		{app.BeneficiaryInput{NameEN: "x y", Languages: []string{"arabic"}}, "languages"},
		{app.BeneficiaryInput{NameEN: "x y", AltPhone: "12"}, "alt_phone"},
	} {
		if _, err := env.Beneficiaries.Create(ctx, apptest.Worker(), bad.in); aman.ErrorField(err) != bad.field {
			t.Errorf("%+v: %v, want an error on %s", bad.in, err, bad.field)
		}
	}
}

func TestPossibleDuplicatesAreShownOnCreate(t *testing.T) {
	env := apptest.New(t)
	first, _ := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{NameAR: "مريم عبدالله الكواري", BirthDate: "1990-05-01", QID: "29063400123"})
	tests := []struct {
		name string
		in   app.BeneficiaryInput
		dup  bool
	}{
		{"same QID", app.BeneficiaryInput{NameEN: "Someone Else", QID: "29063400123"}, true},
		{"same name other spelling and birth year", app.BeneficiaryInput{NameAR: "مريم عبد الله كواري", BirthDate: "1990-11-30"}, true},
		{"same name, estimated age", app.BeneficiaryInput{NameAR: "الكواري مريم", EstimatedAge: 36}, true},
		{"same name, other generation", app.BeneficiaryInput{NameAR: "مريم الكواري", BirthDate: "2012-01-01"}, false},
		{"one shared word", app.BeneficiaryInput{NameAR: "مريم خالد", BirthDate: "1990-05-01"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := env.Beneficiaries.Create(ctx, apptest.Worker(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(b.PossibleDuplicates, first.ID); got != tc.dup {
				t.Fatalf("possible duplicates %v, want first (%v)", b.PossibleDuplicates, tc.dup)
			}
		})
	}
}

func TestMergeKeepsBothHistories(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	keep, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameEN: "Noura Saleh", QID: "29063400123"})
	dup, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "نورة صالح", Phone: "55557777"})
	k, err := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: dup.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Beneficiaries.Merge(ctx, s.workerA, keep.ID, dup.ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker merged: %v", err)
	}
	if err := env.Beneficiaries.Merge(ctx, s.supervisor, keep.ID, dup.ID); err != nil {
		t.Fatal(err)
	}
	if err := env.Beneficiaries.Merge(ctx, s.supervisor, keep.ID, dup.ID); aman.ErrorCode(err) != aman.EAlreadyMerged {
		t.Fatalf("merged twice: %v", err)
	}
	got, _ := env.Cases.Get(ctx, s.workerA, k.ID)
	if got.BeneficiaryID != keep.ID {
		t.Fatalf("the case still points at the duplicate")
	}
	old, err := env.Beneficiaries.Get(ctx, s.workerA, dup.ID)
	if err != nil || old.MergedInto != keep.ID || old.NameAR != "نورة صالح" {
		t.Fatalf("the duplicate's record was not kept: %+v %v", old, err)
	}
	if _, err := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: dup.ID}); aman.ErrorCode(err) != aman.EAlreadyMerged {
		t.Fatalf("a case opened on a merged record: %v", err)
	}
	for _, q := range []string{"55557777", "نورة", "29063400123"} {
		m, err := env.Beneficiaries.Search(ctx, s.workerA, q)
		if err != nil || len(m) != 1 || m[0].ID != keep.ID {
			t.Errorf("search %q after merge: %v %v", q, ids(m), err)
		}
	}
}

func TestPeopleInACase(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	husband, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameEN: "Alleged Person"})
	child, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "سلمى", EstimatedAge: 7})
	if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, husband.ID, app.PersonPerpetrator, "husband"); err != nil {
		t.Fatal(err)
	}
	if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, child.ID, app.PersonHousehold, "child"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ role, rel, field string }{
		{"friend", "other", "role"},
		{app.PersonPerpetrator, "neighbour", "relationship"},
	} {
		if err := env.Cases.AddPerson(ctx, s.workerA, k.ID, child.ID, bad.role, bad.rel); aman.ErrorField(err) != bad.field {
			t.Errorf("%s/%s: %v", bad.role, bad.rel, err)
		}
	}
	if err := env.Cases.AddPerson(ctx, s.workerB, k.ID, child.ID, app.PersonHousehold, "child"); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Fatalf("a stranger added a person: %v", err)
	}
	people, err := env.Cases.People(ctx, s.workerA, k.ID, env.Beneficiaries)
	if err != nil || len(people) != 3 || people[0].Role != "primary" {
		t.Fatalf("people: %+v %v", people, err)
	}
	roles := map[string]string{}
	for _, p := range people[1:] {
		roles[p.Role] = p.Relationship
	}
	if roles[app.PersonPerpetrator] != "husband" || roles[app.PersonHousehold] != "child" {
		t.Fatalf("roles %v", roles)
	}
}
