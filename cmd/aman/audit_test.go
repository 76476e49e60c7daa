package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

func TestAuditVerifyCommand(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	args := []string{"audit", "verify", "--data", cfg.DataDir}
	if cfg.DatabaseURL != "" {
		args = append(args, "--database-url", cfg.DatabaseURL)
	}
	verify := func(t *testing.T) (string, error) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, envFrom(nil), strings.NewReader(""), &stdout, &stderr)
		return stdout.String(), err
	}
	wantOK := func(t *testing.T, want string) {
		t.Helper()
		out, err := verify(t)
		if err != nil || out != want {
			t.Fatalf("audit verify = %q, %v; want %q", out, err, want)
		}
	}

	t.Run("fresh database", func(t *testing.T) { wantOK(t, "ok 0\n") })

	// Entries written as the server writes them: same database, same key material.
	keys, err := seal.LoadOrCreate(ctx, &seal.FileStore{Path: filepath.Join(cfg.DataDir, KeyringFile)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := audit.New(keys)
	for i := range 5 {
		err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			e := audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "c-1"}
			if i == 2 {
				e = audit.Entry{Action: audit.ActionBreakGlass, Entity: audit.EntityCase, EntityID: "c-1", Reason: "Fatima reported in danger"}
			}
			return log.Append(ctx, tx, aman.Actor{UserID: "u-1", Role: aman.RoleSupervisor}, e)
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("after appends", func(t *testing.T) { wantOK(t, "ok 5\n") })

	t.Run("without the key material", func(t *testing.T) {
		path := filepath.Join(cfg.DataDir, KeyringFile)
		if err := os.Rename(path, path+".away"); err != nil {
			t.Fatal(err)
		}
		defer os.Rename(path+".away", path)
		out, err := verify(t)
		var usage *usageError
		if err == nil || errors.As(err, &usage) || !strings.Contains(err.Error(), "key material") || out != "" {
			t.Fatalf("audit verify without keys = %q, %v", out, err)
		}
		if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
			t.Fatal("audit verify created new key material")
		}
	})

	t.Run("after tampering", func(t *testing.T) {
		wantOK(t, "ok 5\n")
		err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			drop := `DROP TRIGGER audit_log_no_update`
			if tx.Engine == store.Postgres {
				drop = `DROP TRIGGER audit_log_append_only ON audit_log`
			}
			if _, err := tx.ExecContext(ctx, drop); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE audit_log SET entity_id = 'c-2' WHERE seq = 4`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := verify(t)
		var usage *usageError
		if err == nil || errors.As(err, &usage) || out != "" {
			t.Fatalf("audit verify after tampering = %q, %v; want a non-usage error", out, err)
		}
		if want := "audit chain broken at entry 4: altered"; !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("error %q, want it to start with %q", err, want)
		}
		if strings.Contains(err.Error(), "Fatima") || strings.Contains(err.Error(), "c-2") {
			t.Fatalf("error %q shows entry content", err)
		}
	})
}

func TestAuditCommandUsage(t *testing.T) {
	for _, args := range [][]string{{"audit"}, {"audit", "repair"}, {"audit", "verify", "--colour", "red"}} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, envFrom(nil), strings.NewReader(""), &stdout, &stderr)
		var usage *usageError
		if !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
