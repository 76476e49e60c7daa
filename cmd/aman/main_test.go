package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aman.qa/aman/api"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// testServer is a real `aman serve` running in this process on a free port.
type testServer struct {
	URL    string
	cfg    store.Config
	stdout *syncBuffer
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func envFrom(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// startServer runs serve with a fresh database (SQLite, or a PostgreSQL schema when
// AMAN_TEST_DATABASE_URL is set) and waits for its printed address.
func startServer(t *testing.T, extraArgs ...string) *testServer {
	t.Helper()
	cfg := storetest.Config(t)
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", cfg.DataDir}
	if cfg.DatabaseURL != "" {
		args = append(args, "--database-url", cfg.DatabaseURL)
	}
	args = append(args, extraArgs...)
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	ts := &testServer{cfg: cfg, stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx, args, envFrom(nil), strings.NewReader(""), outW, ts.stderr)
		outW.Close()
		ts.done <- err
	}()
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(outR)
		addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
		for lines.Scan() {
			ts.stdout.Write([]byte(lines.Text() + "\n"))
			if m := addr.FindString(lines.Text()); m != "" && ts.URL == "" {
				ts.URL = strings.TrimSuffix(m, "/")
				found <- ts.URL
			}
		}
		close(found)
	}()
	if _, ok := <-found; !ok {
		cancel()
		t.Fatalf("server printed no address; it said: %v\n%s", <-ts.done, ts.stderr.String())
	}
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// stop cancels serve as SIGTERM would and waits for it to drain; calling it again does nothing.
func (ts *testServer) stop(t *testing.T) {
	ts.once.Do(func() {
		ts.cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestCommandLineErrors(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantUsage bool
		wantText  string
	}{
		{"no command", nil, nil, true, "no command"},
		{"unknown command", []string{"fly"}, nil, true, `unknown command "fly"`},
		{"unknown flag", []string{"serve", "--colour", "red"}, nil, true, "--colour"},
		{"bad addr flag", []string{"serve", "--addr", "nonsense"}, nil, true, "--addr"},
		{"bad duration flag", []string{"serve", "--shutdown-timeout", "soon"}, nil, true, "shutdown-timeout"},
		{"bad database url", []string{"migrate", "--database-url", "mysql://x"}, nil, true, "--database-url"},
		{"bad env value names variable and flag", []string{"serve"}, map[string]string{"AMAN_SHUTDOWN_TIMEOUT": "later"}, true, "AMAN_SHUTDOWN_TIMEOUT (--shutdown-timeout)"},
		{"bad log level", []string{"migrate", "--log-level", "loud"}, nil, true, "--log-level"},
		{"bad trusted proxy", []string{"serve", "--trusted-proxies", "10.0.0.0/8,10.0.0.0/33"}, nil, true, `invalid value for --trusted-proxies: "10.0.0.0/33"`},
		{"bad trusted proxy variable", []string{"serve"}, map[string]string{"AMAN_TRUSTED_PROXIES": "proxy.internal"}, true, "--trusted-proxies"},
		{"stray argument", []string{"migrate", "extra"}, nil, true, `unexpected argument "extra"`},
		{"version takes no arguments", []string{"version", "x"}, nil, true, "no arguments"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, envFrom(tc.env), strings.NewReader(""), &out, &errOut)
			var usage *usageError
			if errors.As(err, &usage) != tc.wantUsage {
				t.Fatalf("err = %v, want usage error %v", err, tc.wantUsage)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("err = %q, want it to mention %q", err, tc.wantText)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is more than one line: %q", err)
			}
		})
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	var s settings
	fs := newFlags("serve")
	fs.StringVar(&s.Addr, "addr", "127.0.0.1:8080", "")
	addStorageFlags(fs, &s)
	env := envFrom(map[string]string{"AMAN_ADDR": "127.0.0.1:9000", "AMAN_DATA": "/from/env"})
	if err := parseFlags(fs, []string{"--addr", "127.0.0.1:9999"}, env, io.Discard); err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:9999" || s.DataDir != "/from/env" {
		t.Fatalf("addr %q data %q", s.Addr, s.DataDir)
	}
}

func TestVersionAndMigrate(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, envFrom(nil), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "aman ") {
		t.Fatalf("version printed %q", out.String())
	}
	cfg := storetest.Config(t)
	out.Reset()
	env := envFrom(map[string]string{"AMAN_DATA": cfg.DataDir, "AMAN_DATABASE_URL": cfg.DatabaseURL})
	if err := run(context.Background(), []string{"migrate"}, env, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^(sqlite|postgres) schema at version [1-9]\d*\n$`).MatchString(out.String()) {
		t.Fatalf("migrate printed %q", out.String())
	}
}

func TestServeAnswersHealthMetricsAndPages(t *testing.T) {
	ts := startServer(t)
	wantEngine := "sqlite"
	if os.Getenv(storetest.EnvDatabaseURL) != "" {
		wantEngine = "postgres"
	}

	resp, body := get(t, ts.URL+"/healthz")
	var health map[string]any
	if err := json.Unmarshal([]byte(body), &health); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	if health["status"] != "ok" || health["database"] != wantEngine || health["schema_version"].(float64) < 1 || len(health) != 3 {
		t.Fatalf("healthz body %s", body)
	}

	resp, body = get(t, ts.URL+"/?lang=en")
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="en" dir="ltr">`) {
		t.Fatalf("home in English: %d", resp.StatusCode)
	}
	resp, body = get(t, ts.URL+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, `<html lang="ar" dir="rtl">`) {
		t.Fatalf("home in Arabic: %d", resp.StatusCode)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("home lacks %s", h)
		}
	}
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}

	resp, body = get(t, ts.URL+"/metrics")
	if resp.StatusCode != 200 || !strings.Contains(body, `aman_http_request_duration_seconds_bucket{code="200",method="GET",route="GET /healthz"`) {
		t.Fatalf("metrics lack the healthz route histogram:\n%.2000s", body)
	}
	if !strings.Contains(body, "go_sql_open_connections") {
		t.Error("metrics lack database pool stats")
	}
	if strings.Contains(body, `route="/?lang=en"`) || strings.Contains(body, "lang=en") {
		t.Error("metrics are labelled by raw path")
	}
}

func TestErrorsSpeakTheCallersFormatAndLanguage(t *testing.T) {
	ts := startServer(t)
	tests := []struct {
		name       string
		method     string
		path       string
		header     []string
		wantStatus int
		wantJSON   bool
		wantCode   string
		wantText   string
	}{
		{"unknown API path in Arabic", "GET", "/api/v1/nothing", nil, 404, true, "not_found", "غير موجود"},
		{"unknown API path in English by header", "GET", "/api/v1/nothing", []string{"Accept-Language", "en-GB"}, 404, true, "not_found", "does not exist"},
		{"unknown API path in English by query", "GET", "/api/v1/nothing?lang=en", nil, 404, true, "not_found", "does not exist"},
		{"wrong method on an API route", "DELETE", "/api/v1/openapi.json?lang=en", nil, 405, true, "method_not_allowed", "not allowed"},
		{"unknown page in Arabic", "GET", "/no/such/page", nil, 404, false, "", `dir="rtl"`},
		{"unknown page in English", "GET", "/no/such/page?lang=en", nil, 404, false, "", `dir="ltr"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
			for i := 0; i+1 < len(tc.header); i += 2 {
				req.Header.Set(tc.header[i], tc.header[i+1])
			}
			resp, body := do(t, req)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.wantStatus, body)
			}
			if tc.wantJSON {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal([]byte(body), &e); err != nil {
					t.Fatalf("not the contract's JSON error: %s", body)
				}
				if e.Error.Code != tc.wantCode || !strings.Contains(e.Error.Message, tc.wantText) {
					t.Fatalf("error %+v, want code %s and text %q", e.Error, tc.wantCode, tc.wantText)
				}
			} else if !strings.Contains(body, tc.wantText) || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("page lacks %q", tc.wantText)
			}
		})
	}
}

func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	ts := startServer(t)
	resp, body := get(t, ts.URL+"/api/v1/openapi.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || resp.StatusCode != 200 || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.json: %d %.200s", resp.StatusCode, body)
	}

	srv := newTestRouter(t)
	var registered []string
	for _, rt := range srv.router.Routes() {
		if strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/public/api/") {
			registered = append(registered, rt.Pattern())
		}
	}
	documented, err := api.OpenAPIOperations()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range registered {
		if !slices.Contains(documented, op) {
			t.Errorf("route %s is not in openapi.json", op)
		}
	}
	for _, op := range documented {
		if !slices.Contains(registered, op) {
			t.Errorf("openapi.json documents %s, which is not a route", op)
		}
	}
}

func timeNow() time.Time { return time.Now() }

// waitFor polls cond for up to five seconds.
func waitFor(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}
