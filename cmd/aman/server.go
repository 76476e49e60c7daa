package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"aman.qa/aman"
	"aman.qa/aman/api"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/portal"
	"aman.qa/aman/session"
	"aman.qa/aman/store"
	"aman.qa/aman/web"
)

type serverDeps struct {
	// BehindTLS says TLS ends at a proxy in front of this server.
	BehindTLS bool
	// TrustedProxies may name the client in X-Forwarded-For.
	TrustedProxies httpx.TrustedProxies
	DB             *store.DB
	Logger         *slog.Logger
	*app.Services
}

// server is the assembled HTTP side of one node.
type server struct {
	handler http.Handler
	router  *httpx.Router
	close   func()
	// stopStreams ends the live alert streams, so a shutdown does not wait for them.
	stopStreams func()
}

// newServer wires every surface (staff UI, JSON API, operations) onto one router behind the shared
// middleware. This is the composition root: the surfaces never import each other.
func newServer(ctx context.Context, deps serverDeps) (*server, error) {
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	registry := prometheus.NewRegistry()
	registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for name, pool := range deps.DB.Pools() {
		registry.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	metrics := httpx.NewMetrics(registry)

	webUI, err := web.New(web.Config{
		Bundle: bundle, Logger: deps.Logger, Version: aman.Version,
		Accounts: deps.Accounts, Trail: &app.AuditTrail{Deps: deps.Accounts.Deps},
		Cases: deps.Cases, Beneficiaries: deps.Beneficiaries, Notifications: deps.Notifications,
		Incidents: deps.Incidents, Assessments: deps.Assessments, CarePlans: deps.CarePlans, SocialServices: deps.SocialServices,
		Tasks: deps.Tasks, Notes: deps.Notes, Documents: deps.Documents, Referrals: deps.Referrals, Partners: deps.Partners,
		Calls: deps.Calls, Triage: deps.Triage, PartnerReferrals: deps.PartnerReferrals, PublicIntake: deps.PublicIntake,
	})
	if err != nil {
		return nil, err
	}
	// The public apps (Sa'idni, Shawirni, Ballighni): no staff session, no cookie.
	publicApps, err := portal.New(portal.Config{Bundle: bundle, Logger: deps.Logger, Intake: deps.PublicIntake})
	if err != nil {
		return nil, err
	}
	apiH, err := api.New(api.Config{
		DB: deps.DB, Accounts: deps.Accounts, Beneficiaries: deps.Beneficiaries, Cases: deps.Cases,
		Partners: deps.Partners, Referrals: deps.Referrals, Triage: deps.Triage, Bundle: bundle, Logger: deps.Logger,
		Incidents: deps.Incidents, Assessments: deps.Assessments, CarePlans: deps.CarePlans, SocialServices: deps.SocialServices,
		Tasks: deps.Tasks,
		Notes: deps.Notes, Documents: deps.Documents,
		Calls: deps.Calls, Telephony: deps.Telephony, PublicIntake: deps.PublicIntake,
		PartnerReferrals: deps.PartnerReferrals, IntakeFigures: deps.IntakeFigures,
		Metrics: promhttp.HandlerFor(registry, promhttp.HandlerOpts{Registry: registry}),
	})
	if err != nil {
		return nil, err
	}

	// Errors come back in the form the caller speaks: JSON for the APIs, a page for people.
	errs := func(w http.ResponseWriter, r *http.Request, err error) {
		if httpx.IsAPI(r) {
			apiH.Errors(w, r, err)
			return
		}
		webUI.Errors(w, r, err)
	}
	router := httpx.NewRouter(errs, session.NewGate(deps.Accounts).Authorize)
	webUI.Routes(router)
	apiH.Routes(router)
	publicApps.Routes(router)
	router.Fallback(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errs(w, r, aman.Errorf(aman.ENotFound, "no route"))
	}))

	crossOrigin := http.NewCrossOriginProtection()
	crossOrigin.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errs(w, r, aman.Errorf(aman.EForbidden, "cross-origin request refused"))
	}))

	// The client's address is decided once, before anything logs, audits or counts it.
	outer := []func(http.Handler) http.Handler{httpx.WithRequestID, httpx.WithClientIP(deps.TrustedProxies)}
	if deps.BehindTLS {
		outer = append(outer, httpx.BehindTLS)
	}
	handler := httpx.Chain(router, append(outer,
		httpx.WithLanguage(bundle),
		httpx.Observe(deps.Logger, metrics),
		httpx.SecureHeaders,
		httpx.Recover(deps.Logger, errs),
		crossOrigin.Handler,
	)...)
	return &server{handler: handler, router: router, close: func() {}, stopStreams: webUI.StopStreams}, nil
}
