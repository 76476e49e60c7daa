package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/store"
)

// settings are every configurable value, parsed once in run and passed down.
type settings struct {
	// clock stamps every transaction; nil is the real time. Only the demo, which writes history, sets it.
	clock func() time.Time

	Addr              string
	DataDir           string
	DatabaseURL       string
	LogLevel          string
	Node              string
	ShutdownTimeout   time.Duration
	SessionPurgeEvery time.Duration
	// Zero session timeouts (commands other than serve) take the defaults.
	SessionIdleTimeout     time.Duration
	SessionAbsoluteTimeout time.Duration
	BehindTLS              bool
	// TelephonySecret is shared with the telephone system that signs its webhook; empty turns it off.
	TelephonySecret string
	// SMTPURL sends critical-intake emails (smtp://user:pass@host:587?from=…); empty turns email off.
	SMTPURL string
	// AlertEmail lists addresses that always receive critical-intake emails, comma-separated.
	AlertEmail string
	// PublicURL is where staff open Aman, for links in emails.
	PublicURL string
	// Targets are how soon triage must answer each urgency; zero (commands other than serve) takes the defaults.
	Targets aman.ResponseTargets
	// TrustedProxies lists, comma-separated, the CIDRs of the reverse proxies whose X-Forwarded-For is
	// believed; empty believes none. Proxies is the list parsed, once.
	TrustedProxies string
	Proxies        httpx.TrustedProxies
}

// newFlags returns a flag set that reports its own errors only through parseFlags.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("aman "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// addStorageFlags adds the flags that choose the database, which every command that opens it shares.
func addStorageFlags(fs *flag.FlagSet, s *settings) {
	fs.StringVar(&s.DataDir, "data", "./aman-data", "directory for the SQLite database, keys and attachments")
	fs.StringVar(&s.DatabaseURL, "database-url", "", "a postgres:// URL selects PostgreSQL instead of the embedded SQLite")
	fs.StringVar(&s.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
}

// envName is the environment variable that sets a flag: --database-url is AMAN_DATABASE_URL.
func envName(flagName string) string {
	return "AMAN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags fills fs from the environment and then from args, so a flag wins over its variable. A bad
// value becomes a one-line usage error naming the flag.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string, stdout io.Writer) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		if v := getenv(name); v != "" && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = usagef("invalid value for %s (--%s): %v", name, f.Name, err)
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprintf(stdout, "Usage of %s:\n", fs.Name())
			fs.PrintDefaults()
			return errHelpShown
		}
		return usagef("%s", strings.ReplaceAll(err.Error(), "flag provided but not defined: -", "unknown flag --"))
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// errHelpShown ends a command after it printed its help.
var errHelpShown = errors.New("help shown")

func (s *settings) validateStorage() error {
	if s.DatabaseURL != "" && !store.IsPostgresURL(s.DatabaseURL) {
		return usagef("invalid value for --database-url: must start with postgres:// or postgresql://")
	}
	if s.DatabaseURL == "" && strings.TrimSpace(s.DataDir) == "" {
		return usagef("invalid value for --data: must name a directory")
	}
	if _, err := parseLevel(s.LogLevel); err != nil {
		return usagef("invalid value for --log-level: %v", err)
	}
	return nil
}

func (s *settings) storeConfig() store.Config {
	return store.Config{DataDir: s.DataDir, DatabaseURL: s.DatabaseURL, Clock: s.clock}
}

func parseLevel(level string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return 0, fmt.Errorf("%q is not one of debug, info, warn, error", level)
	}
	return l, nil
}

// newLogger writes structured JSON lines to w.
func newLogger(w io.Writer, level string) *slog.Logger {
	l, _ := parseLevel(level)
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func validateAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return usagef("invalid value for --addr: %q is not HOST:PORT", addr)
	}
	_ = host
	return nil
}

func defaultNode() string {
	host, err := os.Hostname()
	if err != nil {
		host = "node"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// withDatabase is the common shape of an operator command: parse the storage flags (and any flags
// extra adds), open and migrate the database, run fn with it, and close it. ready, when set, checks the
// parsed settings before the database is touched.
func withDatabase(ctx context.Context, env environment, name string, args []string, extra func(*flag.FlagSet),
	ready func(settings) error, fn func(s settings, db *store.DB) error) error {
	var s settings
	fs := newFlags(name)
	addStorageFlags(fs, &s)
	if extra != nil {
		extra(fs)
	}
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	if err := s.validateStorage(); err != nil {
		return err
	}
	if ready != nil {
		if err := ready(s); err != nil {
			return err
		}
	}
	db, err := openMigrated(ctx, s, newLogger(env.stderr, s.LogLevel))
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(s, db)
}
