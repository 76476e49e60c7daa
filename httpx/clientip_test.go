package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"aman.qa/aman/httpx"
)

func TestParseTrustedProxies(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		invalid string
	}{
		{in: "", want: nil},
		{in: " , ", want: nil},
		{in: "10.0.0.0/8", want: []string{"10.0.0.0/8"}},
		{in: "10.1.2.3/8, 192.168.0.0/16 ,fd00::/8", want: []string{"10.0.0.0/8", "192.168.0.0/16", "fd00::/8"}},
		{in: "203.0.113.7", want: []string{"203.0.113.7/32"}},
		{in: "2001:db8::1", want: []string{"2001:db8::1/128"}},
		{in: "::ffff:10.0.0.0/104", want: []string{"10.0.0.0/8"}},
		{in: "10.0.0.0/33", invalid: "10.0.0.0/33"},
		{in: "10.0.0.0/8,proxy.internal", invalid: "proxy.internal"},
		{in: "10.0.0/8", invalid: "10.0.0/8"},
		{in: "fe80::1%eth0", invalid: "fe80::1%eth0"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := httpx.ParseTrustedProxies(tc.in)
			if tc.invalid != "" {
				if err == nil || !strings.Contains(err.Error(), tc.invalid) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line naming %q", err, tc.invalid)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, p := range got {
				s = append(s, p.String())
			}
			if strings.Join(s, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("got %v, want %v", s, tc.want)
			}
		})
	}
}

func TestClientAddrBelievesOnlyTrustedProxies(t *testing.T) {
	trusted, err := httpx.ParseTrustedProxies("10.0.0.0/8, 192.168.1.1, fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		trusted httpx.TrustedProxies
		remote  string
		xff     []string
		want    string
	}{
		{"no proxy trusted: the peer, whatever the header", nil, "203.0.113.7:5500", []string{"198.51.100.1"}, "203.0.113.7"},
		{"untrusted peer spoofing the header", trusted, "203.0.113.7:5500", []string{"198.51.100.1, 10.0.0.5"}, "203.0.113.7"},
		{"untrusted peer without a header", trusted, "203.0.113.7:5500", nil, "203.0.113.7"},
		{"trusted peer: the client it names", trusted, "10.0.0.2:41000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"trusted peer without a header", trusted, "10.0.0.2:41000", nil, "10.0.0.2"},
		{"a chain of trusted proxies", trusted, "10.0.0.2:41000", []string{"198.51.100.1, 192.168.1.1, 10.9.9.9"}, "198.51.100.1"},
		{"a client's forged entries left of the real one", trusted, "10.0.0.2:41000", []string{"127.0.0.1, 10.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"headers repeated: read as one list", trusted, "10.0.0.2:41000", []string{"6.6.6.6", "198.51.100.1, 10.0.0.3"}, "198.51.100.1"},
		{"every entry trusted: the leftmost", trusted, "10.0.0.2:41000", []string{"10.7.7.7, 10.0.0.3"}, "10.7.7.7"},
		{"garbage stops at the last trusted hop", trusted, "10.0.0.2:41000", []string{"198.51.100.1, unknown, 10.0.0.3"}, "10.0.0.3"},
		{"garbage at once: the peer", trusted, "10.0.0.2:41000", []string{"not-an-address"}, "10.0.0.2"},
		{"entries with ports", trusted, "10.0.0.2:41000", []string{"198.51.100.1:5000, 10.0.0.3:80"}, "198.51.100.1"},
		{"IPv6 client behind an IPv6 proxy", trusted, "[fd00::2]:443", []string{"2001:db8::7, fd00::3"}, "2001:db8::7"},
		{"IPv6 client with a port", trusted, "[fd00::2]:443", []string{"[2001:db8::7]:1234"}, "2001:db8::7"},
		{"IPv4-mapped peer", trusted, "[::ffff:10.0.0.2]:41000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"IPv4-mapped client", trusted, "10.0.0.2:41000", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"a single trusted address, not its neighbour", trusted, "192.168.1.2:41000", []string{"198.51.100.1"}, "192.168.1.2"},
		{"peer without a port", trusted, "203.0.113.7", []string{"198.51.100.1"}, "203.0.113.7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.trusted.ClientAddr(tc.remote, tc.xff); got != tc.want {
				t.Fatalf("ClientAddr(%q, %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
			}
		})
	}
}

func TestClientIPIsDecidedOncePerRequest(t *testing.T) {
	trusted, _ := httpx.ParseTrustedProxies("10.0.0.0/8")
	var got string
	h := httpx.WithClientIP(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = httpx.ClientIP(r) }))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.RemoteAddr = "10.0.0.2:41000"
	req.Header.Add("X-Forwarded-For", "198.51.100.1")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got != "198.51.100.1" || req.RemoteAddr != "10.0.0.2:41000" {
		t.Fatalf("client %q, remote %q", got, req.RemoteAddr)
	}
	// Without the middleware, the direct peer: a header alone is never believed.
	if ip := httpx.ClientIP(req); ip != "10.0.0.2" {
		t.Fatalf("without the middleware: %q", ip)
	}
}
