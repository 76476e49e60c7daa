package main

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

func TestKeysRotateSchedulesResealAndIsAudited(t *testing.T) {
	cfg := storetest.Config(t)
	env := envFrom(map[string]string{"AMAN_DATA": cfg.DataDir, "AMAN_DATABASE_URL": cfg.DatabaseURL})
	var out strings.Builder
	if err := run(context.Background(), []string{"keys", "rotate"}, env, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^new primary key \d+;`).MatchString(out.String()) {
		t.Fatalf("keys rotate printed %q", out.String())
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var jobs, rotations int
	err = db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'reseal_sealed_fields'`).Scan(&jobs); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'keys.rotate'`).Scan(&rotations)
	})
	if err != nil || jobs != 1 || rotations != 1 {
		t.Fatalf("after rotate: %d reseal jobs, %d audit entries, %v", jobs, rotations, err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"audit", "verify"}, env, nil, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "ok ") {
		t.Fatalf("audit verify after rotate: %q %v", out.String(), err)
	}
	withEnvKeys := envFrom(map[string]string{"AMAN_DATA": cfg.DataDir, "AMAN_DATABASE_URL": cfg.DatabaseURL, "AMAN_KEYRING": "abc"})
	if err := run(context.Background(), []string{"keys", "rotate"}, withEnvKeys, nil, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "AMAN_KEYRING") {
		t.Fatalf("rotating keys given by environment: %v", err)
	}
}
