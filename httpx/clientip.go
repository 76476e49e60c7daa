package httpx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the networks of the reverse proxies in front of Aman (--trusted-proxies). Only a
// request whose direct peer is in one of them may say, in X-Forwarded-For, whom it came from; anyone
// else's header is ignored, because a client can write whatever it likes there.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a comma-separated list of CIDRs ("10.0.0.0/8, fd00::/8"); a bare address
// stands for itself alone. Empty trusts nobody.
func ParseTrustedProxies(list string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			addr, err := netip.ParseAddr(item)
			if err != nil || addr.Zone() != "" {
				return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or an address", item)
			}
			addr = addr.Unmap()
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", item)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(0, p.Bits()-96))
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// trusts tells whether addr is one of the trusted proxies.
func (t TrustedProxies) trusts(addr netip.Addr) bool {
	for _, p := range t {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ClientAddr is the address a request came from. It is the direct peer (remoteAddr), unless that peer
// is a trusted proxy: then X-Forwarded-For is read from the right, past every trusted proxy, and the
// first address that is not one is the client. The rightmost entries are those our own proxies wrote;
// whatever lies to the left of the first untrusted one was written by the client or its side, and is
// never believed. An entry that is not an address stops the walk at the last trusted hop; when every
// entry is trusted, the leftmost is the client.
func (t TrustedProxies) ClientAddr(remoteAddr string, forwardedFor []string) string {
	peer := hostOf(remoteAddr)
	addr, err := netip.ParseAddr(peer)
	if err != nil || len(t) == 0 {
		return peer
	}
	addr = addr.Unmap().WithZone("")
	if !t.trusts(addr) {
		return peer
	}
	var hops []string
	for _, header := range forwardedFor {
		hops = append(hops, strings.Split(header, ",")...)
	}
	client := addr
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = hop
		if !t.trusts(hop) {
			break
		}
	}
	return client.String()
}

// parseHop reads one X-Forwarded-For entry: an address, perhaps with a port ("203.0.113.7:5500",
// "[2001:db8::1]:443"), as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// hostOf is the host of a "host:port" address, or the whole of it when it has no port.
func hostOf(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

const clientIPKey ctxKey = 101

// WithClientIP decides, once per request, the address it came from (TrustedProxies.ClientAddr), for
// the audit trail and the public rate limits alike (ClientIP). r.RemoteAddr is left as it was.
func WithClientIP(trusted TrustedProxies) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip := trusted.ClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"))
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientIPKey, ip)))
		})
	}
}

// ClientIP is the address r came from, as WithClientIP decided; without that middleware (trusting no
// proxy), the direct peer's.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey).(string); ok {
		return ip
	}
	return hostOf(r.RemoteAddr)
}
