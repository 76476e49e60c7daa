package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"aman.qa/aman/store/storetest"
)

// aman demo fills an empty database, prints the accounts to sign in with, and refuses to touch a
// database that is in use.
func TestDemoFillsAnEmptyDatabaseOnly(t *testing.T) {
	cfg := storetest.Config(t)
	env := envFrom(map[string]string{"AMAN_DATA": cfg.DataDir, "AMAN_DATABASE_URL": cfg.DatabaseURL})
	var out strings.Builder
	if err := run(context.Background(), []string{"demo", "--beneficiaries", "30", "--seed", "3", "--quiet"}, env, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"30 beneficiaries", "300 hotline calls", "supervisor1", "operator1", "password Demo-"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	err := run(context.Background(), []string{"demo", "--beneficiaries", "30", "--quiet"}, env, nil, &out, io.Discard)
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("second demo: %v, want a usage error about an empty database", err)
	}
	if err := run(context.Background(), []string{"demo", "--beneficiaries", "0"}, env, nil, &out, io.Discard); !errors.As(err, &usage) ||
		!strings.Contains(err.Error(), "--beneficiaries") {
		t.Fatalf("--beneficiaries 0: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"audit", "verify"}, env, nil, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "ok ") {
		t.Fatalf("audit verify after the demo: %q %v", out.String(), err)
	}
}
