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
	keyManager    *app.Keys
	accounts      *app.Accounts
	beneficiaries *app.Beneficiaries
	cases         *app.Cases
	notifications *app.Notifications
	partners      *app.Partners
	referrals     *app.Referrals
	triage        *app.Triage

	incidents      *app.Incidents
	assessments    *app.Assessments
	carePlans      *app.CarePlans
	socialServices *app.SocialServices

	tasks *app.Tasks

	notes     *app.Notes
	documents *app.Documents

	calls     *app.Calls
	telephony *app.Telephony

	publicIntake *app.PublicIntake

	partnerReferrals *app.PartnerReferrals
	intakeFigures    *app.IntakeFigures
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
	accounts, err := app.NewAccounts(deps, cfg)
	if err != nil {
		return nil, err
	}
	svc := &services{keys: keys, keyManager: keyManager, accounts: accounts,
		beneficiaries: &app.Beneficiaries{Deps: deps}, cases: &app.Cases{Deps: deps}, notifications: &app.Notifications{Deps: deps}}
	svc.partners = &app.Partners{Deps: deps}
	svc.referrals = &app.Referrals{Deps: deps, Cases: svc.cases}
	svc.triage = &app.Triage{Deps: deps, Targets: s.Targets}
	svc.incidents, svc.carePlans, svc.socialServices = &app.Incidents{Deps: deps}, &app.CarePlans{Deps: deps}, &app.SocialServices{Deps: deps}
	if svc.assessments, err = app.NewAssessments(deps); err != nil {
		return nil, err
	}
	svc.tasks = &app.Tasks{Deps: deps}
	svc.notes, svc.documents = &app.Notes{Deps: deps}, &app.Documents{Deps: deps}
	svc.calls = &app.Calls{Deps: deps, Triage: svc.triage}
	svc.telephony = &app.Telephony{Deps: deps, Secret: []byte(s.TelephonySecret)}
	svc.publicIntake = &app.PublicIntake{Deps: deps, Triage: svc.triage}
	svc.partnerReferrals = &app.PartnerReferrals{Deps: deps, Triage: svc.triage, Beneficiaries: svc.beneficiaries, Cases: svc.cases}
	svc.intakeFigures = &app.IntakeFigures{Deps: deps}
	return svc, nil
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
