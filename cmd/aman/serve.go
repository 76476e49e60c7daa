package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/jobs"
	"aman.qa/aman/store"
)

func serveCommand(ctx context.Context, env environment, args []string) error {
	var s settings
	fs := newFlags("serve")
	fs.StringVar(&s.Addr, "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT (port 0 picks a free one)")
	addStorageFlags(fs, &s)
	fs.StringVar(&s.Node, "node", defaultNode(), "name of this node in logs and job records")
	fs.DurationVar(&s.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests and jobs may take to finish on shutdown")
	fs.DurationVar(&s.SessionPurgeEvery, "session-purge-every", 10*time.Minute, "how often expired sessions are purged")
	fs.BoolVar(&s.BehindTLS, "behind-tls", false, "TLS ends at a proxy in front of this server: mark cookies Secure and send HSTS")
	fs.DurationVar(&s.SessionIdleTimeout, "session-idle-timeout", 15*time.Minute, "a session unused this long ends")
	fs.DurationVar(&s.SessionAbsoluteTimeout, "session-absolute-timeout", 10*time.Hour, "every session ends this long after sign-in")
	fs.StringVar(&s.TelephonySecret, "telephony-secret", "", "shared secret of the telephone system's signed webhook; empty turns the webhook off")
	fs.StringVar(&s.SMTPURL, "smtp-url", "", "SMTP server for critical-intake emails, smtp://user:pass@host:587?from=aman@example.org; empty turns email off")
	fs.StringVar(&s.AlertEmail, "alert-email", "", "comma-separated addresses that always receive critical-intake emails, on top of on-duty supervisors with an address")
	fs.StringVar(&s.PublicURL, "public-url", "", "the address staff open Aman at (https://aman.example.org), for links in emails")
	fs.StringVar(&s.TrustedProxies, "trusted-proxies", "", "comma-separated CIDRs of the reverse proxies whose X-Forwarded-For names the client (audit and rate limits); empty trusts none")
	defaults := aman.DefaultResponseTargets()
	fs.DurationVar(&s.Targets.Critical, "target-critical", defaults.Critical, "how soon a critical intake must be answered")
	fs.DurationVar(&s.Targets.High, "target-high", defaults.High, "how soon a high-urgency intake must be answered")
	fs.IntVar(&s.Targets.NormalWorkingDays, "target-normal-days", defaults.NormalWorkingDays, "in how many working days (Sunday to Thursday) a normal intake must be answered")
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	if s.Targets.NormalWorkingDays <= 0 {
		return usagef("invalid value for --target-normal-days: must be positive")
	}
	if err := s.validateStorage(); err != nil {
		return err
	}
	if err := validateAddr(s.Addr); err != nil {
		return err
	}
	proxies, err := httpx.ParseTrustedProxies(s.TrustedProxies)
	if err != nil {
		return usagef("invalid value for --trusted-proxies: %v", err)
	}
	s.Proxies = proxies
	if s.TelephonySecret != "" && len(s.TelephonySecret) < minTelephonySecret {
		return usagef("invalid value for --telephony-secret: must be at least %d characters", minTelephonySecret)
	}
	for name, d := range map[string]time.Duration{
		"shutdown-timeout": s.ShutdownTimeout, "session-purge-every": s.SessionPurgeEvery,
		"session-idle-timeout": s.SessionIdleTimeout, "session-absolute-timeout": s.SessionAbsoluteTimeout,
		"target-critical": s.Targets.Critical, "target-high": s.Targets.High,
	} {
		if d <= 0 {
			return usagef("invalid value for --%s: must be positive", name)
		}
	}
	if _, err := s.mailer(); err != nil {
		return err
	}
	return serve(ctx, s, env)
}

// mailer is the configured SMTP mailer, or nil when email is off.
func (s settings) mailer() (*jobs.Mailer, error) {
	if s.SMTPURL == "" {
		if s.AlertEmail != "" {
			return nil, usagef("invalid value for --alert-email: needs --smtp-url")
		}
		return nil, nil
	}
	m, err := jobs.ParseSMTPURL(s.SMTPURL)
	if err != nil {
		return nil, usagef("invalid value for --smtp-url: %v", err)
	}
	if m.AlertEmails, err = jobs.ParseEmailList(s.AlertEmail); err != nil {
		return nil, usagef("invalid value for --alert-email: %v", err)
	}
	if s.PublicURL != "" {
		u, err := url.Parse(s.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, usagef("invalid value for --public-url: must be an http(s) address")
		}
	}
	m.PublicURL = s.PublicURL
	return m, nil
}

// serve runs until ctx is cancelled (SIGINT or SIGTERM), then drains: it stops accepting connections,
// lets in-flight requests and running jobs finish within the shutdown timeout, and returns nil.
func serve(ctx context.Context, s settings, env environment) error {
	logger := newLogger(env.stderr, s.LogLevel).With("node", s.Node)
	db, err := openMigrated(ctx, s, logger)
	if err != nil {
		return err
	}
	defer db.Close()

	services, err := newServices(ctx, s, env.getenv, db)
	if err != nil {
		return err
	}
	// Once per database, people registered before search by word pairs get their pair entries.
	if n, err := services.Beneficiaries.AddMissingPairKeys(ctx); err != nil {
		return fmt.Errorf("complete the name search entries: %w", err)
	} else if n > 0 {
		logger.Info("name search entries completed", "people", n)
	}
	srv, err := newServer(ctx, serverDeps{BehindTLS: s.BehindTLS, TrustedProxies: s.Proxies, DB: db, Logger: logger, Services: services.Services})
	if err != nil {
		return err
	}
	mailer, err := s.mailer()
	if err != nil {
		return err
	}
	runner, err := jobs.New(jobs.Config{DB: db, Logger: logger, Node: s.Node, SessionPurgeEvery: s.SessionPurgeEvery, Keys: services.keyManager,
		Tasks: services.Tasks, Mailer: mailer})
	if err != nil {
		return err
	}
	// A critical intake's email is enqueued in the intake's own transaction.
	services.Triage.OnCritical = runner.CriticalHook()
	// Jobs run on their own context so that shutdown can let a running job finish rather than cut it.
	if err := runner.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		stopRunner(runner, s.ShutdownTimeout, logger)
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	httpServer := &http.Server{
		Handler:           srv.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// Live alert streams never go idle by themselves; shutdown ends them so draining can finish.
	httpServer.RegisterOnShutdown(srv.stopStreams)
	fmt.Fprintf(env.stdout, "Aman is running at http://%s/\n", ln.Addr())
	if err := printSetupLink(ctx, services.Accounts, env, ln.Addr().String()); err != nil {
		logger.Error("could not prepare the first-run setup link", "error", err.Error())
	}
	logger.Info("serving", "addr", ln.Addr().String(), "database", string(db.Engine()))

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	select {
	case err := <-served:
		stopRunner(runner, s.ShutdownTimeout, logger)
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	logger.Info("shutting down")
	drainCtx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
	defer cancel()
	err = httpServer.Shutdown(drainCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		logger.Warn("in-flight requests outlived the shutdown timeout")
		err = nil
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("server stopped with an error", "error", err.Error())
	}
	stopRunner(runner, s.ShutdownTimeout, logger)
	srv.close()
	logger.Info("stopped")
	return err
}

func stopRunner(r *jobs.Runner, timeout time.Duration, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := r.Stop(ctx); err != nil {
		logger.Warn("jobs did not stop cleanly", "error", err.Error())
	}
}

// openMigrated opens the configured database and brings its schema, and the job tables, up to date.
func openMigrated(ctx context.Context, s settings, logger *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, s.storeConfig())
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, logger); err != nil {
		db.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, db, logger); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func helpIsSuccess(err error) error {
	if errors.Is(err, errHelpShown) {
		return nil
	}
	return err
}
