package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// aman bench measures a running server filled by aman demo: it logs calls, compares with the raw
// insert rate, and prints a latency row for each page it probes. It refuses any address off loopback.
func TestBenchMeasuresARunningServer(t *testing.T) {
	ts := startServer(t)
	env := envFrom(map[string]string{"AMAN_DATA": ts.cfg.DataDir, "AMAN_DATABASE_URL": ts.cfg.DatabaseURL})
	if err := run(context.Background(), []string{"demo", "--beneficiaries", "60", "--quiet"}, env, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	args := []string{"bench", "--url", ts.URL, "--clients", "2", "--duration", "500ms", "--samples", "5"}
	if err := run(context.Background(), args, env, nil, &out, io.Discard); err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	for _, want := range []string{"| POST /api/v1/calls", "| raw INSERT", "| ratio", "| search by QID", "| worker's dashboard", "| triage queue"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bench output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "failed") {
		t.Errorf("some requests failed:\n%s", out.String())
	}
	// --latency-only measures the pages without writing first: a cold start's figures.
	out.Reset()
	args = append(args, "--latency-only")
	if err := run(context.Background(), args, env, nil, &out, io.Discard); err != nil {
		t.Fatalf("bench --latency-only: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "| POST /api/v1/calls") || !strings.Contains(out.String(), "| case page") {
		t.Errorf("bench --latency-only measured the wrong phases:\n%s", out.String())
	}
	var usage *usageError
	err := run(context.Background(), []string{"bench", "--url", "http://192.0.2.1:8080"}, env, nil, io.Discard, io.Discard)
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--url") {
		t.Fatalf("bench off loopback: %v", err)
	}
}
