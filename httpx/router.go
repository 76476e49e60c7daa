package httpx

import (
	"net/http"
	"slices"
	"strings"

	"aman.qa/aman"
)

// Route is one registered pattern, as ServeMux understands it ("GET /api/v1/cases/{id}"), with who may
// reach it.
type Route struct {
	Method string
	Path   string
	Access Access
}

// Access says who may reach a route. Every route declares one, so no route can be added without an
// explicit decision; a test walks them all.
type Access struct {
	// Public routes need no session: the public apps, the sign-in page, health and static assets.
	Public bool
	// Action is the policy action a signed-in staff member needs.
	Action string
	// DuringEnrolment lets a session that has not finished setting up its second factor through.
	DuringEnrolment bool
}

// Public is the access of a route open to anyone.
func Public() Access { return Access{Public: true} }

// Staff is the access of a route for signed-in staff whose role allows action.
func Staff(action string) Access { return Access{Action: action} }

// Enrolling is the access of the few routes a half-signed-in user needs to finish enrolment.
func Enrolling() Access { return Access{Action: "session.self", DuringEnrolment: true} }

// Authorizer decides whether r may reach a route with the given access. It returns the request to
// continue with (carrying the signed-in actor) or a coded error (unauthorized, forbidden).
type Authorizer func(w http.ResponseWriter, r *http.Request, access Access) (*http.Request, error)

// Pattern is the route as registered.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// Router is a ServeMux that remembers what was registered on it, so tests can walk every route (the
// OpenAPI document must list each API route, and every route must be accounted for by the access
// policy), and that answers a known path with the wrong method with a 405 in the surface's own error
// format instead of ServeMux's plain text.
type Router struct {
	mux       *http.ServeMux
	routes    []Route
	errs      ErrorWriter
	authorize Authorizer
}

// NewRouter returns an empty router. Every non-public route passes through authorize first; errors,
// including 405s, are answered through errs.
func NewRouter(errs ErrorWriter, authorize Authorizer) *Router {
	return &Router{mux: http.NewServeMux(), errs: errs, authorize: authorize}
}

// Handle registers h for pattern, which must name a method, behind the access check.
func (rt *Router) Handle(pattern string, access Access, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("httpx: route pattern needs a method and a path: " + pattern)
	}
	if !access.Public && access.Action == "" {
		panic("httpx: route " + pattern + " declares neither public access nor a policy action")
	}
	if !access.Public {
		h = rt.guard(access, h)
	}
	rt.mux.Handle(pattern, h)
	rt.routes = append(rt.routes, Route{Method: method, Path: path, Access: access})
}

// HandleFunc registers f for pattern.
func (rt *Router) HandleFunc(pattern string, access Access, f http.HandlerFunc) {
	rt.Handle(pattern, access, f)
}

// guard runs the access check before h: the one place every protected request is decided.
func (rt *Router) guard(access Access, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.authorize == nil {
			rt.errs(w, r, aman.Errorf(aman.EForbidden, "no authorizer configured"))
			return
		}
		next, err := rt.authorize(w, r, access)
		if err != nil {
			rt.errs(w, r, err)
			return
		}
		h.ServeHTTP(w, next)
	})
}

// Fallback answers every request that no route matches by path.
func (rt *Router) Fallback(h http.Handler) { rt.mux.Handle("/", h) }

// Routes lists every registered route in registration order.
func (rt *Router) Routes() []Route { return slices.Clone(rt.routes) }

// ServeHTTP dispatches to the matching route.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := rt.mux.Handler(r); pattern == "/" && r.URL.Path != "/" {
		// Only the fallback matched. If the path exists under another method, this is a 405, which
		// ServeMux cannot see because the fallback takes every method.
		if allowed := rt.allowedMethods(r); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			rt.errs(w, r, aman.Errorf(aman.EMethodNotAllowed, "%s not allowed", r.Method))
			return
		}
	}
	rt.mux.ServeHTTP(w, r)
}

func (rt *Router) allowedMethods(r *http.Request) []string {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := rt.mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	return allowed
}
