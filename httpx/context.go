package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"time"

	"aman.qa/aman/i18n"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	langKey
)

// RequestID is the id of the request ctx belongs to; logs and error pages show it.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// Lang is the language the request is answered in.
func Lang(ctx context.Context) i18n.Lang {
	if l, ok := ctx.Value(langKey).(i18n.Lang); ok {
		return l
	}
	return i18n.Default
}

// WithLang returns ctx answering in l.
func WithLang(ctx context.Context, l i18n.Lang) context.Context {
	return context.WithValue(ctx, langKey, l)
}

// A proxy's request id is reused only when it looks like one, so a header cannot smuggle text into logs.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// WithRequestID gives each request an id: the X-Request-Id a trusted proxy set, or a new random one.
// The id is echoed in the response so a user can quote it to support.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			id = NewRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// NewRequestID returns a fresh random id.
func NewRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// LangCookie is the cookie that remembers a staff visitor's language. The public apps never set it.
const LangCookie = "aman_lang"

// WithLanguage decides the language of each request: ?lang= first, then the remembered choice, then
// (for the APIs only) Accept-Language, then Arabic. Pages ignore Accept-Language on purpose: the centre
// works in Arabic first, and a browser's English default must not override that.
func WithLanguage(bundle *i18n.Bundle) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(WithLang(r.Context(), ResolveLang(bundle, r))))
		})
	}
}

// ResolveLang applies WithLanguage's order of precedence to r.
func ResolveLang(bundle *i18n.Bundle, r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(LangCookie); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	if IsAPI(r) {
		return bundle.Match(r.Header.Get("Accept-Language"))
	}
	return i18n.Default
}

// RememberLanguage stores an explicit ?lang= choice in a cookie so it sticks for the visitor. Only the
// staff UI uses it: the public apps must leave nothing on the device.
func RememberLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
			http.SetCookie(w, &http.Cookie{
				Name:     LangCookie,
				Value:    string(l),
				Path:     "/",
				MaxAge:   int((365 * 24 * time.Hour).Seconds()),
				HttpOnly: true,
				Secure:   IsSecure(r),
				SameSite: http.SameSiteLaxMode,
			})
		}
		next.ServeHTTP(w, r)
	})
}

const secureKey ctxKey = 100

// BehindTLS marks every request as having arrived over TLS, for a server whose TLS ends at a proxy in
// front of it (the usual deployment): cookies then carry Secure and pages send HSTS even though the
// hop from the proxy is plain HTTP.
func BehindTLS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), secureKey, true)))
	})
}

// IsSecure tells whether r came over TLS, directly or through a proxy the operator declared.
func IsSecure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	secure, _ := r.Context().Value(secureKey).(bool)
	return secure
}
