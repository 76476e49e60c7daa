package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

const viewError = "error"

// errorView is the error page's data.
type errorView struct {
	Status  int
	Message string
	// ShowRequestID is set for server errors, the only ones a person has reason to report to support.
	ShowRequestID bool
	OfferSignIn   bool
}

// Errors is the httpx.ErrorWriter of the staff UI: every error becomes a page in the request's language.
// The error itself is never shown, only its code's message: its cause may hold details meant for logs.
func (h *Handler) Errors(w http.ResponseWriter, r *http.Request, err error) {
	code := aman.ErrorCode(err)
	if code == session.EEnrolmentRequired && r.Method == http.MethodGet {
		// A half-signed-in user who wanders off is sent back to finish enrolment.
		http.Redirect(w, r, "/enrol", http.StatusSeeOther)
		return
	}
	httpx.LogIfInternal(r, h.logger, code, err)
	status := httpx.Status(code)
	lang := httpx.Lang(r.Context())

	titleKey, view := "error.title", errorView{Status: status, Message: h.bundle.T(lang, code)}
	switch {
	case status == http.StatusNotFound:
		titleKey, view.Message = "error.404.title", h.bundle.T(lang, "error.404.text")
	case status >= http.StatusInternalServerError:
		titleKey, view.Message, view.ShowRequestID = "error.500.title", h.bundle.T(lang, "error.500.text"), true
	case code == aman.EUnauthorized:
		view.OfferSignIn = true
	}
	if renderErr := h.render(w, r, status, viewError, titleKey, view); renderErr != nil {
		// The error page itself failed: answer in plain text rather than recurse.
		httpx.LogIfInternal(r, h.logger, aman.EInternal, renderErr)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(h.bundle.T(lang, aman.EInternal) + "\n" + h.bundle.T(lang, "error.request_id", "id", httpx.RequestID(r.Context())) + "\n"))
	}
}

// NotFound answers with the 404 page; wire it as the router's fallback.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) {
	h.Errors(w, r, aman.Errorf(aman.ENotFound, "no page at this path"))
}
