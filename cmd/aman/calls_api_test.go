package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman/app"
)

const testTelephonySecret = "pbx-shared-secret-for-tests-0001"

// signedEvent posts one telephony event as the telephone system would, with the given secret and clock
// offset, and returns the status and the error code (if any).
func signedEvent(t *testing.T, base, secret string, offset time.Duration, body string) (int, map[string]any) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Add(offset).Unix(), 10)
	return postEvent(t, base, ts, app.Sign([]byte(secret), ts, []byte(body)), body)
}

func postEvent(t *testing.T, base, timestamp, signature, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/public/api/v1/telephony/events", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Aman-Timestamp", timestamp)
	req.Header.Set("X-Aman-Signature", signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Set-Cookie") != "" {
		t.Error("the webhook set a cookie")
	}
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// The hotline's contract: POST /api/v1/calls answers 201 with the id; the operator who took the call
// reads it, a case worker unrelated to it is refused; the telephony webhook takes signed events only.
// Markers in the summary and the numbers must not reach the database files or the logs.
func TestHotlineAPI(t *testing.T) {
	ts := startServer(t, "--telephony-secret", testTelephonySecret)
	operator := staffClient(t, ts, "amal.line", "hotline_operator")
	worker := staffClient(t, ts, "huda.worker", "case_worker")
	supervisor := staffClient(t, ts, "noura.sup", "supervisor")

	const marker = "QARANFIL-HOTLINE-SUMMARY"
	started := time.Now().Add(-7 * time.Minute).Format(time.RFC3339)
	body := map[string]any{"started_at": started, "ended_at": time.Now().Format(time.RFC3339), "caller_type": "victim",
		"contact_kind": "counselling", "reasons": []string{"violence_physical", "custody"}, "outcome": "intake_to_triage",
		"immediate_danger": true, "summary": marker, "caller_number": "+974 5555 6060", "safe_to_call_back": "yes"}
	status, logged := operator.json("POST", "/api/v1/calls", body)
	id, _ := logged["id"].(string)
	if status != 201 || id == "" || logged["urgency"] != "critical" || logged["status"] != "logged" {
		t.Fatalf("log: %d %v", status, logged)
	}
	if strings.Contains(mustJSON(t, logged), "6060") {
		t.Fatal("the answer shows the caller's number")
	}
	tests := []struct {
		name   string
		c      *client
		status int
		code   string
	}{
		{"the operator who took it", operator, 200, ""},
		{"a supervisor", supervisor, 200, ""},
		{"an unrelated case worker", worker, 403, "forbidden"},
	}
	for _, tt := range tests {
		status, got := tt.c.json("GET", "/api/v1/calls/"+id, nil)
		if status != tt.status || errorCode(got) != tt.code {
			t.Errorf("%s: %d %v", tt.name, status, got)
		}
		if status == 200 && (got["summary"] != marker || got["duration_seconds"].(float64) < 400) {
			t.Errorf("%s read %v", tt.name, got)
		}
	}

	refusals := []struct {
		name   string
		change map[string]any
		status int
		code   string
	}{
		{"end before start", map[string]any{"ended_at": time.Now().Add(-time.Hour).Format(time.RFC3339)}, 422, "call_ends_before_start"},
		{"an unknown caller type", map[string]any{"caller_type": "uncle"}, 422, "invalid_caller_type"},
		{"an unknown reason", map[string]any{"reasons": []string{"boredom"}}, 422, "invalid_call_reason"},
		{"counselling without reasons", map[string]any{"reasons": []string{}}, 422, "call_reasons_required"},
		{"not RFC 3339", map[string]any{"started_at": "yesterday"}, 422, "invalid_call_time"},
		{"an unknown field", map[string]any{"mood": "calm"}, 400, "invalid_json"},
	}
	for _, tt := range refusals {
		b := map[string]any{}
		for k, v := range body {
			b[k] = v
		}
		for k, v := range tt.change {
			b[k] = v
		}
		if status, got := operator.json("POST", "/api/v1/calls", b); status != tt.status || errorCode(got) != tt.code {
			t.Errorf("%s: %d %v", tt.name, status, got)
		}
	}
	if status, got := worker.json("POST", "/api/v1/calls", body); status != 403 {
		t.Errorf("a case worker logged a call: %d %v", status, got)
	}

	status, shift := operator.json("GET", "/api/v1/calls?mine=1", nil)
	if items, _ := shift["items"].([]any); status != 200 || len(items) != 1 || strings.Contains(mustJSON(t, shift), marker) {
		t.Fatalf("shift: %d %v", status, shift)
	}
	if status, got := operator.json("GET", "/api/v1/calls", nil); status != 403 {
		t.Fatalf("an operator listed the whole line: %d %v", status, got)
	}

	// The telephone system: a good event, then every way a bad one is refused.
	ringing := `{"call_ref":"pbx-100","event":"ringing","at":"` + time.Now().UTC().Format(time.RFC3339) + `","from":"+97455556060"}`
	if status, got := signedEvent(t, ts.URL, testTelephonySecret, 0, ringing); status != 200 || got["status"] != "draft" {
		t.Fatalf("good signature: %d %v", status, got)
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	missed := `{"call_ref":"pbx-101","event":"missed","at":"` + time.Now().UTC().Format(time.RFC3339) + `","from":"+97455556060"}`
	good := app.Sign([]byte(testTelephonySecret), now, []byte(missed))
	webhook := []struct {
		name      string
		timestamp string
		signature string
		status    int
		code      string
	}{
		{"a good signature", now, good, 200, ""},
		{"the same request replayed", now, good, 409, "telephony_replay"},
		{"a bad signature", now, app.Sign([]byte("not the secret"), now, []byte(missed)), 401, "telephony_signature_invalid"},
		{"no signature", now, "", 401, "telephony_signature_invalid"},
		{"a stale timestamp", strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10),
			app.Sign([]byte(testTelephonySecret), strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10), []byte(missed)), 401, "telephony_timestamp_stale"},
	}
	for _, tt := range webhook {
		if status, got := postEvent(t, ts.URL, tt.timestamp, tt.signature, missed); status != tt.status || errorCode(got) != tt.code {
			t.Errorf("%s: %d %v", tt.name, status, got)
		}
	}
	// The missed call is on the callback list, without its number; the number that said it is safe may be
	// revealed to the operator, and to nobody else.
	status, list := supervisor.json("GET", "/api/v1/callbacks", nil)
	items, _ := list["items"].([]any)
	if status != 200 || len(items) != 1 || strings.Contains(mustJSON(t, list), "6060") {
		t.Fatalf("callbacks: %d %v", status, list)
	}
	missedID := items[0].(map[string]any)["id"].(string)
	if status, got := supervisor.json("POST", "/api/v1/callbacks/"+missedID+"/reveal", nil); status != 403 {
		t.Fatalf("a supervisor revealed a number: %d %v", status, got)
	}
	if status, got := operator.json("POST", "/api/v1/callbacks/"+missedID+"/reveal", nil); status != 200 || got["caller_number"] != "+97455556060" {
		t.Fatalf("reveal: %d %v", status, got)
	}
	if status, _ := operator.json("POST", "/api/v1/callbacks/"+missedID+"/close", nil); status != 204 {
		t.Fatalf("close: %d", status)
	}

	ts.stop(t)
	haystack := storedBytes(t, ts)
	for _, form := range []string{marker, "+97455556060", "55556060", "5555 6060"} {
		if bytes.Contains(haystack, []byte(form)) {
			t.Errorf("the database holds %q in plaintext", form)
		}
		if strings.Contains(ts.stderr.String(), form) {
			t.Errorf("the logs hold %q", form)
		}
	}
}

// Without a secret the webhook does not exist.
func TestTelephonyWebhookIsOffWithoutASecret(t *testing.T) {
	ts := startServer(t)
	body := `{"call_ref":"pbx-1","event":"ringing","at":"2026-03-15T09:00:00Z"}`
	if status, got := signedEvent(t, ts.URL, testTelephonySecret, 0, body); status != 404 || errorCode(got) != "not_found" {
		t.Fatalf("webhook without a secret: %d %v", status, got)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A short secret is refused at start, from the flag or the environment, without echoing it.
func TestTelephonySecretTooShort(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"serve", "--telephony-secret", "short-secret"}, nil},
		{[]string{"serve"}, map[string]string{"AMAN_TELEPHONY_SECRET": "short-secret"}},
	} {
		err := run(context.Background(), tc.args, envFrom(tc.env), strings.NewReader(""), io.Discard, io.Discard)
		var usage *usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--telephony-secret") || strings.Contains(err.Error(), "short-secret") {
			t.Errorf("%v %v: %v", tc.args, tc.env, err)
		}
	}
}
