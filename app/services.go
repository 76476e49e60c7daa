package app

import "aman.qa/aman"

// Services are every use case of the application, built once over one database and keyring. The
// server, the command line, the demo generator and the tests all assemble the application through
// NewServices, so none of them can wire a use case differently from the others.
type Services struct {
	Accounts      *Accounts
	Beneficiaries *Beneficiaries
	Cases         *Cases
	Notifications *Notifications
	Partners      *Partners
	Referrals     *Referrals
	Triage        *Triage

	Incidents      *Incidents
	Assessments    *Assessments
	CarePlans      *CarePlans
	SocialServices *SocialServices
	Tasks          *Tasks
	Notes          *Notes
	Documents      *Documents

	Calls            *Calls
	Telephony        *Telephony
	PublicIntake     *PublicIntake
	PartnerReferrals *PartnerReferrals
	IntakeFigures    *IntakeFigures
}

// ServicesConfig is what varies between deployments.
type ServicesConfig struct {
	Accounts AccountsConfig
	// Targets are triage's response targets; zero takes the defaults.
	Targets aman.ResponseTargets
	// TelephonySecret signs the telephone system's webhook; empty turns the webhook off.
	TelephonySecret []byte
}

// NewServices builds every use case over deps.
func NewServices(deps Deps, cfg ServicesConfig) (*Services, error) {
	accounts, err := NewAccounts(deps, cfg.Accounts)
	if err != nil {
		return nil, err
	}
	assessments, err := NewAssessments(deps)
	if err != nil {
		return nil, err
	}
	s := &Services{Accounts: accounts, Assessments: assessments,
		Beneficiaries: &Beneficiaries{Deps: deps}, Cases: &Cases{Deps: deps}, Notifications: &Notifications{Deps: deps},
		Partners: &Partners{Deps: deps}, Triage: &Triage{Deps: deps, Targets: cfg.Targets},
		Incidents: &Incidents{Deps: deps}, CarePlans: &CarePlans{Deps: deps}, SocialServices: &SocialServices{Deps: deps},
		Tasks: &Tasks{Deps: deps}, Notes: &Notes{Deps: deps}, Documents: &Documents{Deps: deps},
		Telephony: &Telephony{Deps: deps, Secret: cfg.TelephonySecret}, IntakeFigures: &IntakeFigures{Deps: deps}}
	s.Referrals = &Referrals{Deps: deps, Cases: s.Cases}
	s.Calls = &Calls{Deps: deps, Triage: s.Triage}
	s.PublicIntake = &PublicIntake{Deps: deps, Triage: s.Triage}
	s.PartnerReferrals = &PartnerReferrals{Deps: deps, Triage: s.Triage, Beneficiaries: s.Beneficiaries, Cases: s.Cases}
	return s, nil
}
