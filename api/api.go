// Package api serves Aman's JSON API under /api/v1, its OpenAPI document, and the operational
// endpoints (/healthz, /metrics). Handlers decode, call the app layer, and encode; they hold no business
// rules.
package api

import (
	"log/slog"
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/risk"
	"aman.qa/aman/store"
)

// Config carries what the API needs.
type Config struct {
	DB            *store.DB
	Accounts      *app.Accounts
	Beneficiaries *app.Beneficiaries
	Cases         *app.Cases
	Partners      *app.Partners
	Referrals     *app.Referrals
	Triage        *app.Triage
	Bundle        *i18n.Bundle
	Logger        *slog.Logger
	Metrics       http.Handler

	// Case work: incidents, assessments and risk, care plans, social services.
	Incidents      *app.Incidents
	Assessments    *app.Assessments
	CarePlans      *app.CarePlans
	SocialServices *app.SocialServices

	Tasks *app.Tasks

	Notes     *app.Notes
	Documents *app.Documents

	// Calls and Telephony are the hotline; a nil or unconfigured Telephony turns the webhook off.
	Calls     *app.Calls
	Telephony *app.Telephony

	// PublicIntake is the public apps' door, and the counsellors' answers to consultations.
	PublicIntake *app.PublicIntake
	// PartnerReferrals is the partner desk; IntakeFigures the intake statistics.
	PartnerReferrals *app.PartnerReferrals
	IntakeFigures    *app.IntakeFigures
}

// Handler serves the API.
type Handler struct {
	accounts      *app.Accounts
	beneficiaries *app.Beneficiaries
	cases         *app.Cases
	partners      *app.Partners
	referrals     *app.Referrals
	triage        *app.Triage
	calls         *app.Calls
	telephony     *app.Telephony
	instruments   *risk.Catalog
	db            *store.DB
	bundle        *i18n.Bundle
	logger        *slog.Logger
	metrics       http.Handler
	errors        httpx.ErrorWriter

	incidents      *app.Incidents
	assessments    *app.Assessments
	carePlans      *app.CarePlans
	socialServices *app.SocialServices

	tasks *app.Tasks

	notes     *app.Notes
	documents *app.Documents

	publicIntake *app.PublicIntake

	partnerReferrals *app.PartnerReferrals
	intakeFigures    *app.IntakeFigures
}

// New builds the API handler; it fails if an embedded risk instrument does not load.
func New(cfg Config) (*Handler, error) {
	instruments, err := risk.LoadCatalog()
	if err != nil {
		return nil, err
	}
	return &Handler{
		instruments:   instruments,
		accounts:      cfg.Accounts,
		beneficiaries: cfg.Beneficiaries,
		cases:         cfg.Cases,
		partners:      cfg.Partners,
		referrals:     cfg.Referrals,
		triage:        cfg.Triage,
		calls:         cfg.Calls,
		telephony:     cfg.Telephony,
		db:            cfg.DB,
		bundle:        cfg.Bundle,
		logger:        cfg.Logger,
		metrics:       cfg.Metrics,
		errors:        httpx.JSONErrors(cfg.Bundle, cfg.Logger),

		incidents:      cfg.Incidents,
		assessments:    cfg.Assessments,
		carePlans:      cfg.CarePlans,
		socialServices: cfg.SocialServices,

		tasks: cfg.Tasks,

		notes:     cfg.Notes,
		documents: cfg.Documents,

		publicIntake: cfg.PublicIntake,

		partnerReferrals: cfg.PartnerReferrals,
		intakeFigures:    cfg.IntakeFigures,
	}, nil
}

// Errors writes an API error as CONTRACT.md's JSON body.
func (h *Handler) Errors(w http.ResponseWriter, r *http.Request, err error) { h.errors(w, r, err) }

// timeFormat is how the API writes instants: RFC 3339 in UTC, with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"
