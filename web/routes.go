package web

import (
	"net/http"

	"aman.qa/aman/httpx"
)

// Routes registers the staff UI routes. Pages remember an explicit ?lang= choice; assets do not, because
// they are not something a person navigates to.
func (h *Handler) Routes(rt *httpx.Router) {
	rt.Handle("GET /{$}", httpx.RememberLanguage(http.HandlerFunc(h.showHome)))
	rt.Handle("GET /sign-in", httpx.RememberLanguage(http.HandlerFunc(h.showSignIn)))
	rt.Handle("GET /static/{path...}", http.HandlerFunc(h.serveStatic))
}
