package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/store"
)

// A common first name held by far more people than a search reads still finds the one person whose
// two words were typed, first; and a one-word search stays bounded.
func TestNameSearchFindsThePersonAmongManyHoldersOfAWord(t *testing.T) {
	env := apptest.New(t)
	w := apptest.Worker()
	target, err := env.Beneficiaries.Create(ctx, w, app.BeneficiaryInput{NameAR: "فاطمة محمد الكواري", BirthDate: "1988-02-03"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 260 { // more than pairCandidates and wordCandidates
		if _, err := env.Beneficiaries.Create(ctx, w, app.BeneficiaryInput{NameAR: fmt.Sprintf("فاطمة محمد عائلة%d", i), BirthDate: "1990-01-01"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"فاطمة الكواري", "الكواري فاطمة", "Fatima", "فاطمه محمد الكواري"} {
		m, err := env.Beneficiaries.Search(ctx, w, q)
		if err != nil {
			t.Fatal(err)
		}
		if q == "Fatima" {
			continue // no Latin name was registered: nothing to find, and no error
		}
		if len(m) == 0 || m[0].ID != target.ID {
			t.Errorf("search %q: first of %d is not the person", q, len(m))
		}
		if len(m) > app.MaxSearchResults {
			t.Errorf("search %q returned %d results, more than %d", q, len(m), app.MaxSearchResults)
		}
	}
}

// People registered before pair entries existed get them once, and are then found by two words.
func TestMissingPairKeysAreAddedOnce(t *testing.T) {
	env := apptest.New(t)
	w := apptest.Worker()
	p, err := env.Beneficiaries.Create(ctx, w, app.BeneficiaryInput{NameAR: "حصة راشد المري", BirthDate: "1979-04-04"})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the register as an older version left it.
	if err := env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM beneficiary_keys WHERE kind = 'name_pair'`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = 'search.name_pairs'`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	n, err := env.Beneficiaries.AddMissingPairKeys(ctx)
	if err != nil || n != 1 {
		t.Fatalf("completed %d, %v", n, err)
	}
	dup, err := env.Beneficiaries.Create(ctx, w, app.BeneficiaryInput{NameAR: "حصة راشد المري", BirthDate: "1979-12-01"})
	if err != nil || len(dup.PossibleDuplicates) != 1 || dup.PossibleDuplicates[0] != p.ID {
		t.Fatalf("after the backfill the duplicate check found %v, %v", dup.PossibleDuplicates, err)
	}
	if n, err := env.Beneficiaries.AddMissingPairKeys(ctx); err != nil || n != 0 {
		t.Fatalf("second run completed %d, %v; want nothing to do", n, err)
	}
}

// The duplicate check finds whoever holds every pair of a name's words, however many hold each pair,
// and never someone who holds only some of them.
func TestDuplicateCheckFindsHoldersOfEveryPairHoweverCommon(t *testing.T) {
	env := apptest.New(t)
	ctx := context.Background()
	create := func(name, born string) aman.Beneficiary {
		t.Helper()
		b, err := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{NameAR: name, BirthDate: born})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	common := map[string]bool{}
	for range 70 {
		common[create("مريم عبدالله الكواري", "1990-03-01").ID] = true
	}
	rare := create("مريم عبدالله النعيمي", "1990-06-01")

	if dup := create("مريم عبدالله الكواري", "1991-01-01").PossibleDuplicates; len(dup) != 10 || !common[dup[0]] || !common[dup[9]] {
		t.Errorf("every pair common: found %d (%v), want ten of the seventy", len(dup), dup)
	}
	dup := create("مريم عبد الله النعيمي", "1989-12-31").PossibleDuplicates
	if len(dup) != 1 || dup[0] != rare.ID {
		t.Errorf("one pair common, two rare: found %v, want only %s", dup, rare.ID)
	}
	// One pair only: its holders within a year, the two of that family name.
	if dup := create("النعيمي مريم", "1990-01-01").PossibleDuplicates; len(dup) != 2 || !slices.Contains(dup, rare.ID) {
		t.Errorf("a single pair: found %v, want the two who hold it", dup)
	}
}
