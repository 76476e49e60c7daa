// Package web is the staff web UI: server-rendered pages in Arabic (right to left, the default) and
// English, with every template and asset embedded in the binary so no page ever loads anything from
// another host.
//
// Templates are parsed and checked once per language at start-up, so a broken template or a catalog key
// that does not exist stops the server from starting instead of surfacing on some page at 3 a.m.
package web

import (
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/risk"
)

// Config is what the staff UI needs from the wiring in cmd.
type Config struct {
	Bundle   *i18n.Bundle
	Logger   *slog.Logger
	Version  string
	Accounts *app.Accounts
	// Trail is the auditor's view of the audit log (the /audit pages).
	Trail *app.AuditTrail
	// Cases, Beneficiaries and Notifications serve the case pages and the dashboard's alerts. A UI
	// built without them (as some tests build it) shows no alerts.
	Cases         *app.Cases
	Beneficiaries *app.Beneficiaries
	Notifications *app.Notifications
	// Incidents, Assessments, CarePlans and SocialServices serve the case page's sections on risk,
	// incidents, assessment, care and safety plans, and services; without them those sections are left out.
	Incidents      *app.Incidents
	Assessments    *app.Assessments
	CarePlans      *app.CarePlans
	SocialServices *app.SocialServices
	// Tasks, Notes, Documents, Referrals and Partners serve the case page's sections on the case's work
	// (tasks, notes, documents, consent and referrals); without them those sections are left out.
	Tasks     *app.Tasks
	Notes     *app.Notes
	Documents *app.Documents
	Referrals *app.Referrals
	Partners  *app.Partners
	// Calls serves the hotline console, the shift view and the callback list; without it those pages
	// are left out.
	Calls *app.Calls
	// Triage serves the triage queue (/triage), PartnerReferrals the partner desk (/desk); without them
	// those pages are left out.
	Triage           *app.Triage
	PartnerReferrals *app.PartnerReferrals
	// PublicIntake serves the staff reading of public requests (/consultations, /requests); nil without it.
	PublicIntake *app.PublicIntake
	// EventPoll is how often a live alert stream (/events) polls for new alerts; zero is 2.5 s.
	EventPoll time.Duration
}

// Handler serves the staff UI pages, their error pages and their assets. It is read-only after New and
// safe for concurrent use.
type Handler struct {
	accounts *app.Accounts
	trail    *app.AuditTrail
	// The case module's services; nil in a UI built without it.
	cases         *app.Cases
	beneficiaries *app.Beneficiaries
	notifications *app.Notifications
	// The case record services behind the case page's care sections; nil in a UI built without them.
	incidents      *app.Incidents
	assessments    *app.Assessments
	carePlans      *app.CarePlans
	socialServices *app.SocialServices
	// The case work services behind the case page's work sections; nil in a UI built without them.
	tasks     *app.Tasks
	notes     *app.Notes
	documents *app.Documents
	referrals *app.Referrals
	partners  *app.Partners
	// calls is the hotline desk; nil in a UI built without it.
	calls *app.Calls
	// triage and partnerReferrals serve /triage and /desk; nil in a UI built without them.
	triage           *app.Triage
	partnerReferrals *app.PartnerReferrals
	publicIntake     *app.PublicIntake
	// Live alert streams: how often they poll, and the signal that ends them all on shutdown.
	eventPoll   time.Duration
	streamsDone chan struct{}
	stopStreams sync.Once
	// instruments are the risk instruments whose forms the risk pages render, item by item.
	instruments *risk.Catalog
	// zone is the centre's time zone, in which pages show times and forms read days.
	zone    *time.Location
	bundle  *i18n.Bundle
	logger  *slog.Logger
	version string
	// views holds every page template, parsed once per language: view name → language → template.
	views  map[string]map[i18n.Lang]*template.Template
	assets *assets
}

// New parses and checks every template against the catalogs and fingerprints the assets.
func New(cfg Config) (*Handler, error) {
	if cfg.Bundle == nil {
		return nil, errors.New("web: Config.Bundle is required")
	}
	if cfg.Logger == nil {
		return nil, errors.New("web: Config.Logger is required")
	}
	staticFS, err := fs.Sub(embeddedStatic, "static")
	if err != nil {
		return nil, err
	}
	a, err := loadAssets(staticFS)
	if err != nil {
		return nil, err
	}
	templatesFS, err := fs.Sub(embeddedTemplates, "templates")
	if err != nil {
		return nil, err
	}
	views, err := parseViews(templatesFS, cfg.Bundle, a)
	if err != nil {
		return nil, err
	}
	instruments, err := risk.LoadCatalog()
	if err != nil {
		return nil, err
	}
	return &Handler{accounts: cfg.Accounts, trail: cfg.Trail, zone: centreZone(time.LoadLocation), bundle: cfg.Bundle,
		cases: cfg.Cases, beneficiaries: cfg.Beneficiaries, notifications: cfg.Notifications,
		incidents: cfg.Incidents, assessments: cfg.Assessments, carePlans: cfg.CarePlans, socialServices: cfg.SocialServices,
		tasks: cfg.Tasks, notes: cfg.Notes, documents: cfg.Documents, referrals: cfg.Referrals, partners: cfg.Partners, calls: cfg.Calls,
		triage: cfg.Triage, partnerReferrals: cfg.PartnerReferrals, publicIntake: cfg.PublicIntake, eventPoll: cfg.EventPoll, streamsDone: make(chan struct{}),
		instruments: instruments, logger: cfg.Logger, version: cfg.Version, views: views, assets: a}, nil
}
