// Package session connects HTTP requests to staff sessions: it reads the session cookie, asks app to
// authenticate it, asks policy whether the route's action is allowed, and carries the signed-in actor
// in the request context. The router calls it for every protected route, so need-to-know starts in one
// place on every request.
package session

import (
	"context"
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/policy"
)

// CookieName is the session cookie, shared by the staff pages and the JSON API.
const CookieName = "aman_session"

// EEnrolmentRequired answers a half-signed-in user who must set up their second factor first.
const EEnrolmentRequired = "enrolment_required"

type ctxKey struct{}

type signedIn struct {
	session app.Session
	actor   aman.Actor
}

// From returns the signed-in session and actor of a request that passed the gate.
func From(ctx context.Context) (app.Session, aman.Actor, bool) {
	s, ok := ctx.Value(ctxKey{}).(signedIn)
	return s.session, s.actor, ok
}

// Gate is the router's Authorizer.
type Gate struct {
	accounts *app.Accounts
}

// NewGate returns the gate for accounts.
func NewGate(accounts *app.Accounts) *Gate { return &Gate{accounts: accounts} }

// Authorize implements httpx.Authorizer.
func (g *Gate) Authorize(w http.ResponseWriter, r *http.Request, access httpx.Access) (*http.Request, error) {
	s, err := g.accounts.Authenticate(r.Context(), Token(r))
	if err != nil {
		if aman.ErrorCode(err) == aman.EUnauthorized {
			Clear(w, r)
		}
		return nil, err
	}
	if s.Stage != app.StageActive && !access.DuringEnrolment {
		return nil, aman.Errorf(EEnrolmentRequired, "second factor not set up")
	}
	actor := s.User.Actor()
	actor.IP, actor.RequestID = ClientIP(r), httpx.RequestID(r.Context())
	if err := policy.Require(actor, policy.Action(access.Action)); err != nil {
		return nil, err
	}
	// Pages behind a session show personal data: never cache them anywhere.
	w.Header().Set("Cache-Control", "no-store")
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, signedIn{session: s, actor: actor})), nil
}

// Token is the session token the request carries, or "".
func Token(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value
	}
	return ""
}

// Set gives the browser the session cookie: HttpOnly so scripts cannot read it, SameSite=Strict so
// other sites cannot ride it, Secure behind TLS, and no Max-Age so it dies with the browser.
func Set(w http.ResponseWriter, r *http.Request, s app.Session) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: s.Token, Path: "/",
		HttpOnly: true, Secure: httpx.IsSecure(r), SameSite: http.SameSiteStrictMode,
	})
}

// Clear removes the session cookie.
func Clear(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: httpx.IsSecure(r), SameSite: http.SameSiteStrictMode,
	})
}

// ClientIP is the address the request came from, for the audit trail and the public rate limits
// alike: the direct peer, or, behind a proxy the operator trusts (--trusted-proxies), the client it
// forwarded for (httpx.ClientIP).
func ClientIP(r *http.Request) string { return httpx.ClientIP(r) }

// Meta describes r for the audit trail.
func Meta(r *http.Request) app.Meta {
	return app.Meta{IP: ClientIP(r), RequestID: httpx.RequestID(r.Context())}
}
