package web

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"testing"

	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
)

func loadBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return bundle
}

func testAssets(t *testing.T) *assets {
	t.Helper()
	files, err := fs.Sub(embeddedStatic, "static")
	if err != nil {
		t.Fatal(err)
	}
	a, err := loadAssets(files)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// newTestHandlerLogging is New with the embedded catalogs, logging into logs.
func newTestHandlerLogging(t *testing.T, logs *bytes.Buffer) *Handler {
	t.Helper()
	h, err := New(Config{Bundle: loadBundle(t), Logger: slog.New(slog.NewTextHandler(logs, nil)), Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func newTestHandler(t *testing.T) *Handler {
	t.Helper()
	return newTestHandlerLogging(t, &bytes.Buffer{})
}

// testFailingPath is a route that only the tests register: it fails with an internal error whose cause
// must never reach the page.
const (
	testFailingPath  = "/test-failure"
	testFailureCause = "database is on fire"
)

// newTestServer wires h the way cmd does: request ids, language, security headers, the UI routes and the
// 404 fallback.
func newTestServer(t *testing.T, h *Handler) http.Handler {
	t.Helper()
	rt := httpx.NewRouter(h.Errors, nil)
	h.Routes(rt)
	rt.Handle("GET "+testFailingPath, httpx.Public(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.Errors(w, r, errors.New(testFailureCause))
	}))
	rt.Fallback(http.HandlerFunc(h.NotFound))
	return httpx.Chain(rt, httpx.WithRequestID, httpx.WithLanguage(h.bundle), httpx.SecureHeaders)
}
