package main

import (
	"context"
	"fmt"

	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// services are the use cases, built once over one database and keyring, with the key material they
// were built from.
type services struct {
	keys       *seal.Keyring
	keyManager *app.Keys
	*app.Services
}

// minTelephonySecret is the shortest webhook secret accepted: a short one could be guessed offline from
// one signed request.
const minTelephonySecret = 16

func newServices(ctx context.Context, s settings, getenv func(string) string, db *store.DB) (*services, error) {
	ks, err := keyStore(s, getenv)
	if err != nil {
		return nil, err
	}
	keys, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	// After a rotation elsewhere, this node picks up the new key the first time it meets it.
	keys.Follow(ks)
	deps := app.Deps{DB: db, Keys: keys, Audit: audit.New(keys)}
	keyManager := &app.Keys{Deps: deps, Store: ks}
	if err := keyManager.CheckMaterial(ctx); err != nil {
		return nil, err
	}
	cfg := app.DefaultAccountsConfig()
	if s.SessionIdleTimeout > 0 {
		cfg.IdleTimeout = s.SessionIdleTimeout
	}
	if s.SessionAbsoluteTimeout > 0 {
		cfg.AbsoluteTimeout = s.SessionAbsoluteTimeout
	}
	all, err := app.NewServices(deps, app.ServicesConfig{Accounts: cfg, Targets: s.Targets, TelephonySecret: []byte(s.TelephonySecret)})
	if err != nil {
		return nil, err
	}
	return &services{keys: keys, keyManager: keyManager, Services: all}, nil
}

// printSetupLink prints the one-time link that creates the first administrator, while no account
// exists. It goes to stdout, for the person who started the server, and never to the logs.
func printSetupLink(ctx context.Context, accounts *app.Accounts, env environment, addr string) error {
	token, err := accounts.PrepareFirstRun(ctx)
	if err != nil || token == "" {
		return err
	}
	fmt.Fprintf(env.stdout, "No account exists yet. Create the first administrator at http://%s/setup/%s (valid once, for 24 hours).\n", addr, token)
	return nil
}
