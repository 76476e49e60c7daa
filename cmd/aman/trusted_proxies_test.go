package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// guessFrom is a failed follow-up guess with a code of its own (so only the per-address limit counts),
// sent with X-Forwarded-For: forwardedFor.
func guessFrom(t *testing.T, base string, i int, forwardedFor string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"follow_up_code": "QQQQ-QQQQ-QQQQ-QQQQ-QQ" + string(rune('A'+i)), "passphrase": "not-the-passphrase"})
	req, _ := http.NewRequest(http.MethodPost, base+"/public/api/v1/follow-up", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The public rate limits count the client a trusted proxy names, and only a trusted proxy: behind one,
// two clients have allowances of their own; without one, a client that writes a new X-Forwarded-For on
// every guess is still one client.
func TestRateLimitsFollowTrustedProxiesOnly(t *testing.T) {
	t.Run("behind a trusted proxy", func(t *testing.T) {
		ts := startServer(t, "--trusted-proxies", "127.0.0.0/8, ::1")
		for i := range 10 {
			if status := guessFrom(t, ts.URL, i, "198.51.100.1"); status != 404 {
				t.Fatalf("guess %d: %d", i+1, status)
			}
		}
		if status := guessFrom(t, ts.URL, 10, "198.51.100.1"); status != 429 {
			t.Fatalf("the 11th guess from one client: %d, want 429", status)
		}
		if status := guessFrom(t, ts.URL, 11, "198.51.100.2"); status != 404 {
			t.Fatalf("another client behind the same proxy: %d, want its own allowance", status)
		}
		// A client cannot pose as another by writing the header itself: the proxy appends the real one.
		if status := guessFrom(t, ts.URL, 12, "198.51.100.2, 198.51.100.1"); status != 429 {
			t.Fatalf("a forged entry left of the real client: %d, want 429", status)
		}
	})
	t.Run("no proxy trusted", func(t *testing.T) {
		ts := startServer(t)
		for i := range 10 {
			if status := guessFrom(t, ts.URL, i, "203.0.113."+string(rune('1'+i%9))); status != 404 {
				t.Fatalf("guess %d: %d", i+1, status)
			}
		}
		if status := guessFrom(t, ts.URL, 10, "203.0.113.99"); status != 429 {
			t.Fatalf("a spoofed X-Forwarded-For escaped the limit: %d, want 429", status)
		}
	})
}
