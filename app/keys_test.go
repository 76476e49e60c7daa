package app_test

import (
	"context"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

func TestRotateThenResealMovesEveryRowToTheNewKey(t *testing.T) {
	env := apptest.New(t)
	ks := &seal.MemStore{}
	if err := env.Keys.Save(ctx, ks); err != nil {
		t.Fatal(err)
	}
	keys := &app.Keys{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Store: ks}
	if err := keys.CheckMaterial(ctx); err != nil {
		t.Fatal(err)
	}
	env.CreateUser(t, "sara", aman.RoleCaseWorker)
	var ids []string
	for _, name := range []string{"Mariam", "Noura", "Huda"} {
		b, err := env.Beneficiaries.Create(ctx, apptest.Worker(), app.BeneficiaryInput{NameEN: name, Phone: "55551234", QID: "28563400123"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	old := env.Keys.PrimaryKeyID()
	enqueued := false
	if _, err := keys.Rotate(ctx, aman.Actor{UserID: "u", Role: aman.RoleCaseWorker}, nil); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker rotated keys: %v", err)
	}
	primary, err := keys.Rotate(ctx, apptest.Admin(), func(context.Context, *store.Tx) error { enqueued = true; return nil })
	if err != nil || primary == old || !enqueued {
		t.Fatalf("rotate: %d (was %d), enqueued %v, %v", primary, old, enqueued, err)
	}
	n, err := keys.ResealAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3*3+1 { // three people with three sealed fields each (empty ones are NULL), and one TOTP secret
		t.Fatalf("re-sealed %d values, want 10", n)
	}
	if again, _ := keys.ResealAll(ctx); again != 0 {
		t.Fatalf("a second pass re-sealed %d values", again)
	}
	err = env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT name_en_sealed FROM beneficiaries`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s seal.Sealed
			if err := rows.Scan(&s); err != nil {
				return err
			}
			if id, _ := env.Keys.KeyIDOf(s); id != primary {
				t.Errorf("a name is still sealed under key %d", id)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if b, err := env.Beneficiaries.Get(ctx, apptest.Worker(), id); err != nil || b.Phone != "+97455551234" {
			t.Fatalf("after re-sealing: %+v %v", b, err)
		}
	}
}

func TestANodeWithOtherKeysRefusesTheDatabase(t *testing.T) {
	env := apptest.New(t)
	first := &app.Keys{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Store: &seal.MemStore{}}
	if err := first.CheckMaterial(ctx); err != nil {
		t.Fatal(err)
	}
	if err := first.CheckMaterial(ctx); err != nil {
		t.Fatalf("the same keys were refused: %v", err)
	}
	other, err := seal.LoadOrCreate(ctx, &seal.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	stranger := &app.Keys{Deps: app.Deps{DB: env.DB, Keys: other, Audit: env.Audit}, Store: &seal.MemStore{}}
	err = stranger.CheckMaterial(ctx)
	if aman.ErrorCode(err) != app.EKeyMismatch || !strings.Contains(err.Error(), "same keys") {
		t.Fatalf("a node with other keys: %v", err)
	}
}

// Every sealed column in the schema is re-sealed after a rotation, except the audit log's reasons,
// which the chain's MACs pin to their original ciphertext.
func TestEverySealedColumnIsReResealed(t *testing.T) {
	env := apptest.New(t)
	listed := map[string]bool{}
	for table, cols := range app.SealedColumns() {
		for _, c := range cols {
			listed[table+"."+c+"_sealed"] = true
		}
	}
	query := `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name LIKE '%_sealed'`
	if env.DB.Engine() == store.Postgres {
		query = `SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%_sealed'`
	}
	err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var col string
			if err := rows.Scan(&col); err != nil {
				return err
			}
			if !listed[col] && col != "audit_log.reason_sealed" {
				t.Errorf("%s is sealed but not re-sealed after rotation; add it to sealedColumns", col)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
