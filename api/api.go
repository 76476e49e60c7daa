// Package api serves Aman's JSON API under /api/v1, its OpenAPI document, and the operational
// endpoints (/healthz, /metrics). Handlers decode, call the app layer, and encode; they hold no business
// rules.
package api

import (
	"log/slog"
	"net/http"

	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/store"
)

// Config carries what the API needs.
type Config struct {
	DB      *store.DB
	Bundle  *i18n.Bundle
	Logger  *slog.Logger
	Metrics http.Handler
}

// Handler serves the API.
type Handler struct {
	db      *store.DB
	bundle  *i18n.Bundle
	logger  *slog.Logger
	metrics http.Handler
	errors  httpx.ErrorWriter
}

// New builds the API handler.
func New(cfg Config) *Handler {
	return &Handler{
		db:      cfg.DB,
		bundle:  cfg.Bundle,
		logger:  cfg.Logger,
		metrics: cfg.Metrics,
		errors:  httpx.JSONErrors(cfg.Bundle, cfg.Logger),
	}
}

// Errors writes an API error as CONTRACT.md's JSON body.
func (h *Handler) Errors(w http.ResponseWriter, r *http.Request, err error) { h.errors(w, r, err) }
