package web

import (
	"aman.qa/aman/policy"
	"bytes"
	"html/template"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
)

func TestRoutes(t *testing.T) {
	h := newTestHandler(t)
	server := newTestServer(t, h)
	cssURL, err := h.assets.url("css/aman.css")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		method, url  string
		header       http.Header
		status       int
		contentType  string
		wantLang     i18n.Lang // checked on HTML answers
		wantText     string    // a catalog key whose text the page shows
		langCookie   string    // the aman_lang cookie the answer sets, if any
		cacheControl string
	}{
		{name: "home in Arabic by default", method: "GET", url: "/", status: 200, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: "home.confidential", cacheControl: "no-store"},
		{name: "home in English remembers the choice", method: "GET", url: "/?lang=en", status: 200,
			contentType: "text/html; charset=utf-8", wantLang: i18n.English, wantText: "home.staff_cta", langCookie: "en",
			cacheControl: "no-store"},
		{name: "back to Arabic remembers that too", method: "GET", url: "/?lang=ar", header: http.Header{"Cookie": {"aman_lang=en"}},
			status: 200, contentType: "text/html; charset=utf-8", wantLang: i18n.Arabic, wantText: "home.lead", langCookie: "ar"},
		{name: "remembered English", method: "GET", url: "/sign-in", header: http.Header{"Cookie": {"aman_lang=en"}},
			status: 200, contentType: "text/html; charset=utf-8", wantLang: i18n.English, wantText: "signin.otp_hint"},
		{name: "a browser's English does not override Arabic", method: "GET", url: "/sign-in",
			header: http.Header{"Accept-Language": {"en-GB,en;q=0.8"}}, status: 200, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: "signin.lead"},
		{name: "sign-in in Arabic", method: "GET", url: "/sign-in", status: 200, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: "signin.password"},
		{name: "unknown path", method: "GET", url: "/no/such/page", status: 404, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: "error.404.title"},
		{name: "unknown path in English", method: "GET", url: "/no/such/page?lang=en", status: 404,
			contentType: "text/html; charset=utf-8", wantLang: i18n.English, wantText: "error.404.text"},
		{name: "wrong method", method: "DELETE", url: "/sign-in", status: 405, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: aman.EMethodNotAllowed},
		{name: "stylesheet", method: "GET", url: "/static/css/aman.css", status: 200, contentType: "text/css; charset=utf-8",
			cacheControl: cacheRevalidate},
		{name: "fingerprinted stylesheet", method: "GET", url: cssURL, status: 200, contentType: "text/css; charset=utf-8",
			cacheControl: cacheFingerprinted},
		{name: "stale fingerprint", method: "GET", url: "/static/css/aman.css?v=0000", status: 200,
			contentType: "text/css; charset=utf-8", cacheControl: cacheRevalidate},
		{name: "icon", method: "GET", url: "/static/favicon.svg", status: 200, contentType: "image/svg+xml"},
		{name: "asset directory", method: "GET", url: "/static/img/", status: 404, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: "error.404.title", cacheControl: "no-store"},
		{name: "unknown asset", method: "GET", url: "/static/css/none.css", status: 404, contentType: "text/html; charset=utf-8",
			wantLang: i18n.Arabic, wantText: "error.404.title", cacheControl: "no-store"},
		{name: "asset outside static", method: "GET", url: "/static/../templates/layout.html", status: 404,
			contentType: "text/html; charset=utf-8", wantLang: i18n.Arabic, wantText: "error.404.title"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.url, nil)
			for name, values := range tc.header {
				req.Header[name] = values
			}
			rec := httptest.NewRecorder()
			server.ServeHTTP(rec, req)
			res := rec.Result()
			// Paths with ".." are redirected to their clean form by ServeMux before any handler runs.
			if location := res.Header.Get("Location"); res.StatusCode/100 == 3 && location != "" {
				rec = httptest.NewRecorder()
				server.ServeHTTP(rec, httptest.NewRequest(tc.method, location, nil))
				res = rec.Result()
			}
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if got := res.Header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if tc.cacheControl != "" && res.Header.Get("Cache-Control") != tc.cacheControl {
				t.Errorf("Cache-Control %q, want %q", res.Header.Get("Cache-Control"), tc.cacheControl)
			}
			var langCookie string
			for _, c := range res.Cookies() {
				if c.Name == httpx.LangCookie {
					langCookie = c.Value
				}
			}
			if langCookie != tc.langCookie {
				t.Errorf("%s cookie %q, want %q", httpx.LangCookie, langCookie, tc.langCookie)
			}
			body := rec.Body.String()
			if tc.wantLang != "" {
				if want := `<html lang="` + string(tc.wantLang) + `" dir="` + tc.wantLang.Dir() + `">`; !strings.Contains(body, want) {
					t.Errorf("body lacks %s", want)
				}
				if want := template.HTMLEscapeString(h.bundle.T(tc.wantLang, tc.wantText)); !strings.Contains(body, want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}
}

func TestRoutesRegistered(t *testing.T) {
	h := newTestHandler(t)
	rt := httpx.NewRouter(h.Errors, nil)
	h.Routes(rt)
	// Only these pages are open without a session; every other route must name a policy action.
	public := []string{"GET /{$}", "GET /sign-in", "POST /sign-in", "GET /setup/{token}", "POST /setup/{token}", "GET /static/{path...}"}
	var gotPublic []string
	for _, route := range rt.Routes() {
		if route.Access.Public {
			gotPublic = append(gotPublic, route.Pattern())
		} else if !policy.Action(route.Access.Action).Valid() {
			t.Errorf("%s names unknown policy action %q", route.Pattern(), route.Access.Action)
		}
	}
	if !slices.Equal(gotPublic, public) {
		t.Fatalf("public routes %q, want %q", gotPublic, public)
	}
}

func TestStaticRevalidatesWithETag(t *testing.T) {
	h := newTestHandler(t)
	server := newTestServer(t, h)
	first := httptest.NewRecorder()
	server.ServeHTTP(first, httptest.NewRequest("GET", "/static/css/aman.css", nil))
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", "/static/css/aman.css", nil)
	req.Header.Set("If-None-Match", etag)
	again := httptest.NewRecorder()
	server.ServeHTTP(again, req)
	if again.Code != http.StatusNotModified {
		t.Fatalf("status %d, want 304", again.Code)
	}
}

func TestServerErrorPageShowsRequestIDNotCause(t *testing.T) {
	var logs bytes.Buffer
	h := newTestHandlerLogging(t, &logs)
	server := newTestServer(t, h)
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			logs.Reset()
			rec := httptest.NewRecorder()
			server.ServeHTTP(rec, httptest.NewRequest("GET", testFailingPath+"?lang="+string(lang), nil))
			body := rec.Body.String()
			id := rec.Header().Get("X-Request-Id")
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status %d", rec.Code)
			}
			if want := template.HTMLEscapeString(h.bundle.T(lang, "error.request_id", "id", id)); id == "" || !strings.Contains(body, want) {
				t.Errorf("page lacks the request id line %q", want)
			}
			if want := template.HTMLEscapeString(h.bundle.T(lang, "error.500.title")); !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
			if strings.Contains(body, testFailureCause) {
				t.Error("the page shows the error's cause")
			}
			if !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), testFailureCause) {
				t.Errorf("the log lacks the request id or cause: %s", logs.String())
			}
		})
	}
}

func TestCodedErrorPages(t *testing.T) {
	var logs bytes.Buffer
	h := newTestHandlerLogging(t, &logs)
	tests := []struct {
		code        string
		status      int
		offerSignIn bool
	}{
		{aman.EForbidden, http.StatusForbidden, false},
		{aman.EUnauthorized, http.StatusUnauthorized, true},
		{aman.ERateLimited, http.StatusTooManyRequests, false},
		{"invalid_qid", http.StatusUnprocessableEntity, false},
	}
	for _, tc := range tests {
		for _, lang := range i18n.Langs() {
			t.Run(tc.code+"/"+string(lang), func(t *testing.T) {
				req := httptest.NewRequest("GET", "/somewhere", nil)
				req = req.WithContext(httpx.WithLang(req.Context(), lang))
				rec := httptest.NewRecorder()
				h.Errors(rec, req, aman.Errorf(tc.code, "hidden cause"))
				body := rec.Body.String()
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				for _, key := range []string{"error.title", tc.code, "error.back_home"} {
					if want := template.HTMLEscapeString(h.bundle.T(lang, key)); !strings.Contains(body, want) {
						t.Errorf("page lacks %q", want)
					}
				}
				if got := strings.Contains(body, `<a class="button" href="/sign-in">`); got != tc.offerSignIn {
					t.Errorf("offers sign-in = %v, want %v", got, tc.offerSignIn)
				}
				if strings.Contains(body, "hidden cause") {
					t.Error("the page shows the error's cause")
				}
			})
		}
	}
	if logs.Len() != 0 {
		t.Errorf("coded errors were logged: %s", logs.String())
	}
}

func TestRenderFailureBecomesCleanServerError(t *testing.T) {
	h := newTestHandler(t)
	tests := []struct {
		name string
		view string
		data any
	}{
		{"unknown view", "no-such-view", nil},
		// The sign-in template reads .Data.Error, which a nil Data cannot give: execution fails mid-page.
		{"template fails while executing", viewSignIn, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.show(rec, httptest.NewRequest("GET", "/sign-in", nil), http.StatusOK, tc.view, "signin.title", tc.data)
			body := rec.Body.String()
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status %d, want 500", rec.Code)
			}
			if strings.Count(body, "<html") != 1 || !strings.Contains(body, "</html>") {
				t.Error("not one whole page")
			}
			if strings.Contains(body, "<form") {
				t.Error("part of the failed page was written")
			}
		})
	}
}

func TestSignInRerendersWithErrorAndUsername(t *testing.T) {
	h := newTestHandler(t)
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			req := httptest.NewRequest("POST", "/sign-in", nil)
			req = req.WithContext(httpx.WithLang(req.Context(), lang))
			rec := httptest.NewRecorder()
			message := h.bundle.T(lang, aman.EInvalidCredentials)
			h.renderSignIn(rec, req, http.StatusUnauthorized, signInForm{Username: `sara"<b>`, Error: message})
			body := rec.Body.String()
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d", rec.Code)
			}
			for _, want := range []string{
				`role="alert"`,
				template.HTMLEscapeString(message),
				`value="sara&#34;&lt;b&gt;"`,
				`aria-describedby="signin-error"`,
				`action="/sign-in"`,
				`method="post"`,
				`inputmode="numeric"`,
				`autocomplete="one-time-code"`,
				`autocomplete="current-password"`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
		})
	}
}

func TestSwitchLanguageURL(t *testing.T) {
	tests := []struct {
		url  string
		to   i18n.Lang
		want string
	}{
		{"/", i18n.English, "/?lang=en"},
		{"/sign-in?lang=en", i18n.Arabic, "/sign-in?lang=ar"},
		{"/cases?status=open&lang=ar", i18n.English, "/cases?lang=en&status=open"},
		{"//evil.example/x", i18n.English, "/evil.example/x?lang=en"},
	}
	for _, tc := range tests {
		req := httptest.NewRequest("GET", "http://aman.test"+tc.url, nil)
		if got := switchLanguageURL(req.URL, tc.to); got != tc.want {
			t.Errorf("%s → %s: %q, want %q", tc.url, tc.to, got, tc.want)
		}
	}
}
