package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/api"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// notesAPI is the API over a fresh database, routed and authorized as cmd wires it, with a case worker
// signed in and a case of theirs. It serves the triage queue too (triage_test.go).
type notesAPI struct {
	t       *testing.T
	env     *apptest.Env
	bundle  *i18n.Bundle
	handler http.Handler
	token   string
	worker  aman.Actor
	caseID  string
}

func newNotesAPI(t *testing.T) *notesAPI {
	t.Helper()
	env := apptest.New(t)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := api.New(api.Config{DB: env.DB, Accounts: env.Accounts, Cases: env.Cases, Notes: env.Notes, Triage: env.Triage, Bundle: bundle, Logger: logger,
		Metrics: http.NotFoundHandler()})
	if err != nil {
		t.Fatal(err)
	}
	router := httpx.NewRouter(h.Errors, session.NewGate(env.Accounts).Authorize)
	h.Routes(router)
	ctx := context.Background()
	unit, err := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "وحدة الحماية", NameEN: "Protection unit"})
	if err != nil {
		t.Fatal(err)
	}
	u, uri, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "worker.one", Role: aman.RoleCaseWorker, UnitID: unit.ID,
		Password: apptest.StrongPassword, EnrolTOTP: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := env.Accounts.SignIn(ctx, app.Meta{}, app.SignInInput{Username: "worker.one", Password: apptest.StrongPassword,
		OTP: apptest.Code(t, apptest.SecretFromURI(t, uri), env.Clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	person, err := env.Beneficiaries.Create(ctx, u.Actor(), app.BeneficiaryInput{NameAR: "مريم", NameEN: "Maryam"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := env.Cases.Open(ctx, u.Actor(), app.OpenCaseInput{BeneficiaryID: person.ID})
	if err != nil {
		t.Fatal(err)
	}
	return &notesAPI{t: t, env: env, bundle: bundle, handler: httpx.Chain(router, httpx.WithRequestID, httpx.WithLanguage(bundle)),
		token: s.Token, worker: u.Actor(), caseID: k.ID}
}

// get requests the case's notes with query and decodes the answer.
func (a *notesAPI) get(query url.Values) (int, map[string]any) {
	a.t.Helper()
	return a.getJSON("/api/v1/cases/"+a.caseID+"/notes", query)
}

// getJSON requests path with query as the signed-in worker and decodes the answer.
func (a *notesAPI) getJSON(path string, query url.Values) (int, map[string]any) {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path+"?"+query.Encode(), nil)
	req.AddCookie(&http.Cookie{Name: session.CookieName, Value: a.token})
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		a.t.Fatalf("status %d, not JSON: %s", rec.Code, rec.Body.String())
	}
	return rec.Code, out
}

// GET notes pages with limit and follows next_before to the oldest note, however another discipline's
// notes fall between the caller's; the counts are the whole case's on every page.
func TestNotesAPIPagesWithBeforeAndLimit(t *testing.T) {
	a := newNotesAPI(t)
	ctx := context.Background()
	supervisor, _, err := a.env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "super.one", Role: aman.RoleSupervisor,
		UnitID: a.worker.UnitID, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	const withheld = 4
	for i := range 7 {
		if i == 2 || i == 5 { // psychological notes the worker may not read, two at a time
			for range 2 {
				if _, err := a.env.Notes.Create(ctx, supervisor.Actor(), a.caseID, app.NewNote{Kind: policy.NotePsychological, Body: "private"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		body := fmt.Sprintf("home visit %d", i)
		if _, err := a.env.Notes.Create(ctx, a.worker, a.caseID, app.NewNote{Kind: policy.NoteGeneral, Body: body}); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, body)
		a.env.Clock.Advance(time.Second)
	}

	var walked []string
	query := url.Values{"limit": {"3"}}
	for pages := 1; ; pages++ {
		status, page := a.get(query)
		items, _ := page["items"].([]any)
		if status != http.StatusOK || page["withheld"] != float64(withheld) || page["readable"] != float64(len(bodies)) {
			t.Fatalf("page %d: %d %v", pages, status, page)
		}
		if _, present := page["next_before"]; !present {
			t.Fatalf("page %d has no next_before: %v", pages, page)
		}
		var these []string
		for _, item := range items {
			these = append(these, item.(map[string]any)["body"].(string))
		}
		walked = append(these, walked...)
		next, more := page["next_before"].(string)
		if !more {
			if len(items) != len(bodies)%3 {
				t.Fatalf("the last page holds %d notes, want %d", len(items), len(bodies)%3)
			}
			break
		}
		if len(items) != 3 || pages > len(bodies) {
			t.Fatalf("page %d holds %d notes, want 3", pages, len(items))
		}
		query.Set("before", next)
	}
	if !slices.Equal(walked, bodies) {
		t.Fatalf("walked %q, want %q", walked, bodies)
	}

	status, all := a.get(url.Values{})
	if items, _ := all["items"].([]any); status != http.StatusOK || len(items) != len(bodies) || all["next_before"] != nil {
		t.Fatalf("the default page: %d %v", status, all)
	}
}

// A limit outside 1..200 or a cursor the server did not write is a 422 in CONTRACT.md's error body,
// with its field, and a message in the caller's language.
func TestNotesAPIRefusesABadPage(t *testing.T) {
	a := newNotesAPI(t)
	tests := []struct {
		name  string
		query url.Values
		code  string
		field string
	}{
		{"limit zero", url.Values{"limit": {"0"}}, app.EInvalidNoteLimit, "limit"},
		{"limit over the most", url.Values{"limit": {"201"}}, app.EInvalidNoteLimit, "limit"},
		{"limit negative", url.Values{"limit": {"-3"}}, app.EInvalidNoteLimit, "limit"},
		{"limit not a number", url.Values{"limit": {"ten"}}, app.EInvalidNoteLimit, "limit"},
		{"limit empty", url.Values{"limit": {""}}, app.EInvalidNoteLimit, "limit"},
		{"a cursor not ours", url.Values{"before": {"bm90IGEgY3Vyc29y"}}, app.EInvalidNoteCursor, "before"},
		{"a cursor not base64", url.Values{"before": {"<script>"}}, app.EInvalidNoteCursor, "before"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a.refusesPage(t, "/api/v1/cases/"+a.caseID+"/notes", tc.query, tc.code, tc.field)
		})
	}
	for _, limit := range []string{"1", "200"} {
		if status, body := a.get(url.Values{"limit": {limit}}); status != http.StatusOK {
			t.Errorf("limit %s: %d %v", limit, status, body)
		}
	}
}

// refusesPage fails t unless GET path with query answers, in each language, 422 in CONTRACT.md's error
// body with code and field and a message in that language.
func (a *notesAPI) refusesPage(t *testing.T, path string, query url.Values, code, field string) {
	t.Helper()
	for _, lang := range i18n.Langs() {
		q := url.Values{"lang": {string(lang)}}
		for k, v := range query {
			q[k] = v
		}
		status, body := a.getJSON(path, q)
		e, _ := body["error"].(map[string]any)
		if status != http.StatusUnprocessableEntity || e["code"] != code || e["field"] != field ||
			e["message"] != a.bundle.T(lang, code) || e["message"] == code {
			t.Fatalf("%s: %d %v", lang, status, body)
		}
	}
}
