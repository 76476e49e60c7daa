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
	Bundle        *i18n.Bundle
	Logger        *slog.Logger
	Metrics       http.Handler
}

// Handler serves the API.
type Handler struct {
	accounts      *app.Accounts
	beneficiaries *app.Beneficiaries
	cases         *app.Cases
	instruments   *risk.Catalog
	db            *store.DB
	bundle        *i18n.Bundle
	logger        *slog.Logger
	metrics       http.Handler
	errors        httpx.ErrorWriter
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
		db:            cfg.DB,
		bundle:        cfg.Bundle,
		logger:        cfg.Logger,
		metrics:       cfg.Metrics,
		errors:        httpx.JSONErrors(cfg.Bundle, cfg.Logger),
	}, nil
}

// Errors writes an API error as CONTRACT.md's JSON body.
func (h *Handler) Errors(w http.ResponseWriter, r *http.Request, err error) { h.errors(w, r, err) }

// timeFormat is how the API writes instants: RFC 3339 in UTC, with milliseconds.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"
