package web

import (
	"net/http"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
)

// maxFormBytes bounds an ordinary form post; uploads have their own limits.
const maxFormBytes = 64 << 10

// parseForm reads a posted form of ordinary size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return aman.Errorf(aman.ETooLarge, "form: %v", err)
	}
	return nil
}

// formValue is a trimmed form field.
func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// fieldErrors maps a field name to its translated message, so a form can re-render with each problem
// beside its input.
type fieldErrors map[string]string

// messageFor translates a use case's error for a form: a field error lands on its field, anything else
// becomes the form's general message.
func (h *Handler) messageFor(r *http.Request, err error) (field, message string) {
	return aman.ErrorField(err), h.bundle.T(langOf(r), aman.ErrorCode(err))
}

// langOf is the language the request is answered in.
func langOf(r *http.Request) i18n.Lang { return httpx.Lang(r.Context()) }

// statusOf is the HTTP status of a use case's error.
func statusOf(err error) int { return httpx.Status(aman.ErrorCode(err)) }
