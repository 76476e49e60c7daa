package app_test

import (
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
)

func TestCreateBeneficiaryValidates(t *testing.T) {
	env := apptest.New(t)
	tests := []struct {
		name      string
		in        app.BeneficiaryInput
		wantCode  string
		wantField string
	}{
		{"no name at all", app.BeneficiaryInput{Sex: "female"}, aman.ERequired, "name_ar"},
		{"QID too short", app.BeneficiaryInput{NameAR: "مريم", QID: "2851234"}, aman.EInvalidQID, "qid"},
		{"QID starting with 1", app.BeneficiaryInput{NameAR: "مريم", QID: "18563400123"}, aman.EInvalidQID, "qid"},
		{"phone with letters", app.BeneficiaryInput{NameAR: "مريم", Phone: "5555-ABCD"}, aman.EInvalidPhone, "phone"},
		{"impossible date", app.BeneficiaryInput{NameAR: "مريم", BirthDate: "1990-02-30"}, aman.EInvalidDate, "birth_date"},
		{"date in the future", app.BeneficiaryInput{NameAR: "مريم", BirthDate: "2099-01-01"}, aman.EDateInFuture, "birth_date"},
		{"unknown sex", app.BeneficiaryInput{NameAR: "مريم", Sex: "other"}, aman.EInvalidSex, "sex"},
		{"unknown nationality", app.BeneficiaryInput{NameAR: "مريم", Nationality: "XX"}, aman.EInvalidNationality, "nationality"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Beneficiaries.Create(ctx, apptest.Worker(), tc.in)
			if aman.ErrorCode(err) != tc.wantCode || aman.ErrorField(err) != tc.wantField {
				t.Fatalf("err = %v, want %s on %s", err, tc.wantCode, tc.wantField)
			}
		})
	}
	if _, err := env.Beneficiaries.Create(ctx, aman.Actor{UserID: "a", Role: aman.RoleAnalyst}, app.BeneficiaryInput{NameAR: "مريم"}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an analyst registered a person: %v", err)
	}
}

func TestCreateBeneficiaryNormalizesAndWarns(t *testing.T) {
	env := apptest.New(t)
	b, err := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{
		NameAR: "  مريم   الكواري ", NameEN: "Mariam Al-Kuwari", Sex: "Female",
		BirthDate: "١٩٩٠-٠٥-٠١", QID: "٢٨٥ ٦٣٤٠ ٠١٢٣", Phone: "00974 5555 1234", Nationality: "qa",
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.NameAR != "مريم الكواري" || b.BirthDate != "1990-05-01" || b.QID != "28563400123" || b.Phone != "+97455551234" || b.Nationality != "QA" || b.Sex != aman.SexFemale {
		t.Fatalf("stored %+v", b)
	}
	if !slices.Contains(b.Warnings, aman.WarnQIDBirthYearMismatch) {
		t.Fatalf("a QID saying 1985 and a birth date in 1990 gave warnings %v", b.Warnings)
	}
	got, err := env.Beneficiaries.Get(ctx, apptest.Worker(), b.ID)
	if err != nil || got.NameEN != "Mariam Al-Kuwari" || got.Phone != b.Phone {
		t.Fatalf("get: %+v %v", got, err)
	}
	reads, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "beneficiary", EntityID: b.ID, Action: "beneficiary.read"})
	if len(reads) != 1 || reads[0].ActorID != "worker-1" {
		t.Fatalf("the read was not audited: %+v", reads)
	}
}

func TestSearchFindsEveryWayAPersonIsTyped(t *testing.T) {
	env := apptest.New(t)
	create := func(in app.BeneficiaryInput) string {
		b, err := env.Beneficiaries.Create(ctx, apptest.Worker(), in)
		if err != nil {
			t.Fatal(err)
		}
		return b.ID
	}
	mariam := create(app.BeneficiaryInput{NameAR: "مريم عبدالله الكواري", NameEN: "Mariam Abdullah Al-Kuwari", QID: "28563400123", Phone: "55551234"})
	mohammed := create(app.BeneficiaryInput{NameAR: "مُحَمَّد أحمد", NameEN: "Mohammed Ahmed", Phone: "+974 3333 9876"})
	mahmoud := create(app.BeneficiaryInput{NameEN: "Mahmoud Hassan"})
	fatima := create(app.BeneficiaryInput{NameAR: "فاطمة الزهراء"})

	tests := []struct {
		q         string
		wantFirst string
		mustNot   []string
	}{
		{"28563400123", mariam, nil},
		{"٢٨٥٦٣٤٠٠١٢٣", mariam, nil},
		{"285 634 00123", mariam, nil},
		{"5555 1234", mariam, nil},
		{"+97455551234", mariam, nil},
		{"٥٥٥٥١٢٣٤", mariam, nil},
		{"00974-3333-9876", mohammed, nil},
		{"مريم", mariam, nil},
		{"الكواري مريم", mariam, nil},
		{"كواري", mariam, nil},
		{"عبد الله", mariam, nil},
		{"Al Kuwari", mariam, nil},
		{"alkuwari mariam", mariam, nil},
		{"محمد", mohammed, nil},
		{"أحمد", mohammed, nil},
		{"Muhammad", mohammed, []string{mahmoud}},
		{"Mohamed", mohammed, []string{mahmoud}},
		{"Mohd", mohammed, []string{mahmoud}},
		{"Mahmoud", mahmoud, []string{mohammed}},
		{"فاطمه", fatima, nil},
		{"فـــاطمة", fatima, nil},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			matches, err := env.Beneficiaries.Search(ctx, apptest.Worker(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(matches) == 0 || matches[0].ID != tc.wantFirst {
				t.Fatalf("search %q: %d matches, first %v", tc.q, len(matches), ids(matches))
			}
			for _, m := range matches {
				if slices.Contains(tc.mustNot, m.ID) {
					t.Fatalf("search %q also found an unrelated person", tc.q)
				}
			}
		})
	}
}

func TestSearchRanksIdentifiersThenTokens(t *testing.T) {
	env := apptest.New(t)
	both, _ := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{NameEN: "Noura Saleh Hamad"})
	one, _ := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{NameEN: "Noura Khalid"})
	matches, err := env.Beneficiaries.Search(ctx, apptest.Worker(), "Hamad Noura")
	if err != nil || len(matches) != 2 || matches[0].ID != both.ID || matches[1].ID != one.ID || matches[0].NameTokens != 2 {
		t.Fatalf("ranking: %v %v", ids(matches), err)
	}
	if _, err := env.Beneficiaries.Search(ctx, apptest.Worker(), "  "); aman.ErrorCode(err) != aman.ERequired {
		t.Fatalf("empty search: %v", err)
	}
	searches, _ := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "beneficiary.search"})
	if len(searches) != 1 || searches[0].Detail["results"] != "2" {
		t.Fatalf("search audit: %+v", searches)
	}
}

func ids(ms []app.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID+"/"+m.NameEN+m.NameAR)
	}
	return out
}
