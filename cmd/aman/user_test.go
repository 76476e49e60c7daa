package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"testing"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// `aman user create --email` stores the address alert emails go to; every other flag keeps working
// beside it, an account without --email has none, and a bad address is a usage error that does not
// repeat what was typed.
func TestUserCreateTakesAnEmailForAlerts(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	storage := []string{"--data", cfg.DataDir}
	if cfg.DatabaseURL != "" {
		storage = append(storage, "--database-url", cfg.DatabaseURL)
	}
	create := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append(append([]string{"user", "create", "--password-stdin"}, args...), storage...), envFrom(nil),
			strings.NewReader(apptest.StrongPassword+"\n"), &out, io.Discard)
		return out.String(), err
	}
	out, err := create("--username", "noura", "--role", "supervisor", "--display-name", "Noura Al-Thani", "--org", "org-1",
		"--email", " noura@aman.example.org ")
	if err != nil || !strings.HasPrefix(out, "otpauth://totp/") {
		t.Fatalf("create with --email: %q %v", out, err)
	}
	if _, err := create("--username", "huda", "--role", "case_worker"); err != nil {
		t.Fatalf("create without --email: %v", err)
	}
	_, err = create("--username", "sara", "--role", "supervisor", "--email", "Sara <sara@aman.example.org>")
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--email") || strings.Contains(err.Error(), "sara@") {
		t.Fatalf("bad --email: %v", err)
	}

	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored := map[string]string{}
	err = db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT username, display_name, role, COALESCE(org_id, ''), email FROM users ORDER BY username`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var username, name, role, org string
			var email sql.NullString
			if err := rows.Scan(&username, &name, &role, &org, &email); err != nil {
				return err
			}
			stored[username] = strings.Join([]string{name, role, org, email.String}, "|")
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"noura": "Noura Al-Thani|supervisor|org-1|noura@aman.example.org", "huda": "|case_worker||"}
	if len(stored) != len(want) {
		t.Fatalf("accounts %v, want %v", stored, want)
	}
	for username, w := range want {
		if stored[username] != w {
			t.Errorf("%s stored as %q, want %q", username, stored[username], w)
		}
	}
}
