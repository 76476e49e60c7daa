package httpx_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
)

func TestStatusMapsEveryCode(t *testing.T) {
	tests := map[string]int{
		aman.EInvalid: 422, "invalid_qid": 422, aman.ERequired: 422, aman.EInvalidJSON: 400,
		aman.ENotFound: 404, aman.EMethodNotAllowed: 405, aman.EConflict: 409,
		aman.EUnauthorized: 401, aman.EInvalidCredentials: 401, aman.EForbidden: 403,
		aman.EAccountLocked: 423, aman.ETooLarge: 413, aman.ERateLimited: 429,
		aman.EUnsupportedMedia: 415, aman.EInternal: 500, "something_else": 500,
	}
	for code, want := range tests {
		if got := httpx.Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Name string `json:"name"`
	}
	tests := []struct {
		name, contentType, body string
		wantCode                string
	}{
		{"good", "application/json", `{"name":"x"}`, ""},
		{"good with charset", "application/json; charset=utf-8", `{"name":"x"}`, ""},
		{"unknown field", "application/json", `{"nmae":"x"}`, aman.EInvalidJSON},
		{"broken", "application/json", `{"name":`, aman.EInvalidJSON},
		{"trailing data", "application/json", `{"name":"x"} {}`, aman.EInvalidJSON},
		{"wrong type", "text/plain", `{"name":"x"}`, aman.EUnsupportedMedia},
		{"too large", "application/json", `{"name":"` + strings.Repeat("x", 200) + `"}`, aman.ETooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/x", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.contentType)
			var b body
			err := httpx.DecodeJSON(httptest.NewRecorder(), r, 100, &b)
			if got := aman.ErrorCode(err); err != nil && got != tc.wantCode || err == nil && tc.wantCode != "" {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
		})
	}
}

func TestRouterAnswersWrongMethodWith405InTheSurfacesFormat(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	errs := httpx.JSONErrors(bundle, slog.New(slog.NewTextHandler(io.Discard, nil)))
	rt := httpx.NewRouter(errs, nil)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	rt.Handle("GET /api/v1/things/{id}", httpx.Public(), ok)
	rt.Handle("POST /api/v1/things/{id}", httpx.Public(), ok)
	rt.Fallback(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		errs(w, r, aman.Errorf(aman.ENotFound, "none"))
	}))
	h := httpx.Chain(rt, httpx.WithLanguage(bundle))

	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/things/7", 200, ""},
		{"DELETE", "/api/v1/things/7?lang=en", 405, "GET, HEAD, POST"},
		{"GET", "/api/v1/other", 404, ""},
	}
	for _, tc := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.status || rec.Header().Get("Allow") != tc.allow {
			t.Fatalf("%s %s: %d Allow=%q, want %d %q", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"), tc.status, tc.allow)
		}
		if tc.status >= 400 {
			var body httpx.ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
				t.Fatalf("%s %s: body %s", tc.method, tc.path, rec.Body)
			}
		}
	}
	if n := len(rt.Routes()); n != 2 {
		t.Fatalf("router remembers %d routes, want 2", n)
	}
}

func TestRequestIDIsFreshUnlessSafe(t *testing.T) {
	var seen string
	h := httpx.WithRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = httpx.RequestID(r.Context()) }))
	for _, tc := range []struct{ header, want string }{
		{"proxy-id-12345678", "proxy-id-12345678"},
		{"bad id\nwith newline", ""},
		{"", ""},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			r.Header.Set("X-Request-Id", tc.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if tc.want != "" && seen != tc.want || tc.want == "" && (len(seen) != 24 || seen == tc.header) {
			t.Fatalf("header %q gave id %q", tc.header, seen)
		}
		if rec.Header().Get("X-Request-Id") != seen {
			t.Fatal("the id is not echoed")
		}
	}
}

func TestBehindTLSMarksRequestsSecure(t *testing.T) {
	var plain, proxied bool
	httpx.SecureHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { plain = httpx.IsSecure(r) })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	rec := httptest.NewRecorder()
	httpx.Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { proxied = httpx.IsSecure(r) }), httpx.BehindTLS, httpx.SecureHeaders).
		ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if plain || !proxied || rec.Header().Get("Strict-Transport-Security") == "" {
		t.Fatalf("plain %v, behind TLS %v, HSTS %q", plain, proxied, rec.Header().Get("Strict-Transport-Security"))
	}
}
