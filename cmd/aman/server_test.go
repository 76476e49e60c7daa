package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// newTestRouter assembles the whole HTTP side on a fresh database, without listening.
func newTestRouter(t *testing.T) *server {
	t.Helper()
	return newTestRouterFor(t, apptest.New(t))
}

func newTestRouterFor(t *testing.T, env *apptest.Env) *server {
	t.Helper()
	srv, err := newServer(context.Background(), serverDeps{
		DB:       env.DB,
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Services: env.Services,
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// concretePath fills a route's wildcards so it can be requested.
func concretePath(path string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(strings.TrimSuffix(path, "{$}"), "x")
}

// Every route is either public by declaration or behind a policy action, and a request without a
// session, or from a role the action is not for, never reaches the handler.
func TestEveryProtectedRouteIsDecidedByPolicy(t *testing.T) {
	env := apptest.New(t)
	srv := newTestRouterFor(t, env)
	_, secret := env.CreateUser(t, "ana", aman.RoleAnalyst)
	s, err := env.Accounts.SignIn(context.Background(), app.Meta{}, app.SignInInput{Username: "ana", Password: apptest.StrongPassword, OTP: apptest.Code(t, secret, env.Clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	protected := 0
	for _, rt := range srv.router.Routes() {
		if rt.Access.Public {
			continue
		}
		protected++
		if !policy.Action(rt.Access.Action).Valid() {
			t.Errorf("%s names unknown action %q", rt.Pattern(), rt.Access.Action)
			continue
		}
		path := concretePath(rt.Path)
		rec := httptest.NewRecorder()
		srv.handler.ServeHTTP(rec, httptest.NewRequest(rt.Method, path, strings.NewReader("")))
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("%s without a session answered %d, want 401", rt.Pattern(), rec.Code)
		}
		if policy.Allows(aman.RoleAnalyst, policy.Action(rt.Access.Action)) {
			continue
		}
		req := httptest.NewRequest(rt.Method, path, strings.NewReader(""))
		req.AddCookie(&http.Cookie{Name: session.CookieName, Value: s.Token})
		rec = httptest.NewRecorder()
		srv.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s for an analyst answered %d, want 403", rt.Pattern(), rec.Code)
		}
	}
	if protected == 0 {
		t.Fatal("no protected routes were checked")
	}
}

type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) json(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	return c.send(req)
}

// send makes a request and decodes its JSON answer.
func (c *client) send(req *http.Request) (int, map[string]any) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// The CLI creates an account and prints its enrolment URI; the API signs it in exactly as CONTRACT.md
// says, locks it after five failures, and the same cookie opens the staff pages.
func TestAccountJourneyThroughCLIAndAPI(t *testing.T) {
	ts := startServer(t)
	if !waitFor(func() bool { return strings.Contains(ts.stdout.String(), "/setup/") }) {
		t.Fatalf("serve on an empty database printed no setup link:\n%s", ts.stdout.String())
	}
	args := []string{"user", "create", "--username", "sara", "--role", "case_worker", "--password-stdin", "--data", ts.cfg.DataDir}
	if ts.cfg.DatabaseURL != "" {
		args = append(args, "--database-url", ts.cfg.DatabaseURL)
	}
	var out strings.Builder
	if err := run(context.Background(), args, envFrom(nil), strings.NewReader(apptest.StrongPassword+"\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "otpauth://totp/") {
		t.Fatalf("user create printed %q, want exactly one otpauth://totp/ line", out.String())
	}
	secret := apptest.SecretFromURI(t, lines[0])

	for _, bad := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"--username", "sara", "--role", "case_worker"}, apptest.StrongPassword, "taken"},
		{[]string{"--username", "lina", "--role", "janitor"}, apptest.StrongPassword, "role"},
		{[]string{"--username", "lina", "--role", "case_worker"}, "password", "weak"},
	} {
		a := append([]string{"user", "create", "--password-stdin"}, bad.args...)
		a = append(a, args[7:]...)
		err := run(context.Background(), a, envFrom(nil), strings.NewReader(bad.stdin+"\n"), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("user create %v: %v, want an error mentioning %q", bad.args, err, bad.want)
		}
	}

	c := newClient(t, ts.URL)
	code := apptest.Code(t, secret, timeNow())
	if status, body := c.json("POST", "/api/v1/session", map[string]string{"username": "sara", "password": "wrong wrong wrong", "otp": code}); status != 401 || errorCode(body) != "invalid_credentials" {
		t.Fatalf("bad password: %d %v", status, body)
	}
	if status, body := c.json("POST", "/api/v1/session", map[string]string{"username": "sara", "password": apptest.StrongPassword, "otp": code}); status != 200 || body["stage"] != "active" {
		t.Fatalf("good sign-in: %d %v", status, body)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/dashboard?lang=en", nil)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "data-signed-in") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("dashboard with the API's cookie: %d", resp.StatusCode)
	}
	if status, _ := c.json("DELETE", "/api/v1/session", nil); status != 204 {
		t.Fatalf("sign out: %d", status)
	}
	if status, body := c.json("DELETE", "/api/v1/session", nil); status != 401 || errorCode(body) != "unauthorized" {
		t.Fatalf("signed out session still works: %d %v", status, body)
	}
	var last int
	var lastBody map[string]any
	for i := 0; i < 6; i++ {
		last, lastBody = c.json("POST", "/api/v1/session?lang=en", map[string]string{"username": "sara", "password": "wrong wrong wrong", "otp": "000000"})
	}
	if last != 423 || errorCode(lastBody) != "account_locked" || !strings.Contains(lastBody["error"].(map[string]any)["message"].(string), "locked") {
		t.Fatalf("after repeated failures: %d %v", last, lastBody)
	}
}
