package portal

import (
	"net/http"

	"aman.qa/aman/httpx"
)

// Routes registers the public apps. None of them uses httpx.RememberLanguage: the language travels in
// links and form actions (?lang=en), never in a cookie.
func (h *Handler) Routes(rt *httpx.Router) {
	for _, name := range appNames {
		rt.HandleFunc("GET /"+name, httpx.Public(), h.showForm(name))
		rt.HandleFunc("POST /"+name, httpx.Public(), h.submit(name))
		rt.HandleFunc("GET /"+name+"/follow-up", httpx.Public(), h.showFollowUp(name))
		rt.HandleFunc("POST /"+name+"/follow-up", httpx.Public(), h.followUp(name))
		rt.HandleFunc("POST /"+name+"/follow-up/reply", httpx.Public(), h.reply(name))
		rt.HandleFunc("GET /"+name+"/manifest.webmanifest", httpx.Public(), h.manifest(name))
	}
	// The service worker lives at the root so that it may control /help, /consult and /report; each app
	// registers it for its own scope only, never for the staff pages.
	rt.HandleFunc("GET /portal-sw.js", httpx.Public(), h.serviceWorker)
	rt.Handle("GET /portal/static/{path...}", httpx.Public(), http.HandlerFunc(h.serveStatic))
}
