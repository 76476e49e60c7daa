package main

import (
	"context"
	"fmt"

	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// services are the use cases, built once over one database and keyring.
type services struct {
	keys          *seal.Keyring
	accounts      *app.Accounts
	beneficiaries *app.Beneficiaries
}

func newServices(ctx context.Context, s settings, getenv func(string) string, db *store.DB) (*services, error) {
	keys, err := openKeyring(ctx, s, getenv)
	if err != nil {
		return nil, err
	}
	deps := app.Deps{DB: db, Keys: keys, Audit: audit.New(keys)}
	cfg := app.DefaultAccountsConfig()
	if s.SessionIdleTimeout > 0 {
		cfg.IdleTimeout = s.SessionIdleTimeout
	}
	if s.SessionAbsoluteTimeout > 0 {
		cfg.AbsoluteTimeout = s.SessionAbsoluteTimeout
	}
	accounts, err := app.NewAccounts(deps, cfg)
	if err != nil {
		return nil, err
	}
	return &services{keys: keys, accounts: accounts, beneficiaries: &app.Beneficiaries{Deps: deps}}, nil
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
