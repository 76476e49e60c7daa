package web

import (
	"encoding/base64"
	"html/template"
	"net/http"

	qrcode "github.com/skip2/go-qrcode"

	"aman.qa/aman/session"
)

const viewEnrol = "enrol"

// enrolView is the enrolment page: the QR code (drawn here, never by an outside service, because the
// secret must not leave the server), the secret for typing by hand, and the code field.
type enrolView struct {
	QR     template.URL
	Secret string
	Error  string
}

// showEnrol starts (or restarts) second-factor enrolment for a signed-in user who has none.
func (h *Handler) showEnrol(w http.ResponseWriter, r *http.Request) {
	s, _, _ := session.From(r.Context())
	if s.User.TOTPEnrolled {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	view, err := h.newEnrolment(r)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewEnrol, "enrol.title", view)
}

func (h *Handler) newEnrolment(r *http.Request) (enrolView, error) {
	s, _, _ := session.From(r.Context())
	e, err := h.accounts.BeginEnrolment(r.Context(), session.Meta(r), s)
	if err != nil {
		return enrolView{}, err
	}
	png, err := qrcode.Encode(e.URI, qrcode.Medium, 256)
	if err != nil {
		return enrolView{}, err
	}
	// A data: URL is the only way to show the code without storing it or serving it from another path;
	// the CSP allows data: images for exactly this.
	return enrolView{QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), Secret: e.Secret}, nil
}
