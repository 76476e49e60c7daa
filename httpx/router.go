package httpx

import (
	"net/http"
	"slices"
	"strings"

	"aman.qa/aman"
)

// Route is one registered pattern, as ServeMux understands it ("GET /api/v1/cases/{id}").
type Route struct {
	Method string
	Path   string
}

// Pattern is the route as registered.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// Router is a ServeMux that remembers what was registered on it, so tests can walk every route (the
// OpenAPI document must list each API route, and every route must be accounted for by the access
// policy), and that answers a known path with the wrong method with a 405 in the surface's own error
// format instead of ServeMux's plain text.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	errs   ErrorWriter
}

// NewRouter returns an empty router whose 405 answers go through errs.
func NewRouter(errs ErrorWriter) *Router {
	return &Router{mux: http.NewServeMux(), errs: errs}
}

// Handle registers h for pattern, which must name a method.
func (rt *Router) Handle(pattern string, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		panic("httpx: route pattern needs a method and a path: " + pattern)
	}
	rt.mux.Handle(pattern, h)
	rt.routes = append(rt.routes, Route{Method: method, Path: path})
}

// HandleFunc registers f for pattern.
func (rt *Router) HandleFunc(pattern string, f http.HandlerFunc) { rt.Handle(pattern, f) }

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
