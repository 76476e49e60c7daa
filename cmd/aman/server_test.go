package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"aman.qa/aman/store/storetest"
)

// newTestRouter assembles the whole HTTP side on a fresh database, without listening.
func newTestRouter(t *testing.T) *server {
	t.Helper()
	srv, err := newServer(context.Background(), serverDeps{
		DB:     storetest.Open(t),
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}
