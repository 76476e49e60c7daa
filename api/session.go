package api

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

type signInBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
	OTP      string `json:"otp"`
}

type sessionBody struct {
	User      sessionUser `json:"user"`
	Stage     string      `json:"stage"`
	ExpiresAt string      `json:"expires_at"`
}

type sessionUser struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}

// signIn is POST /api/v1/session: 200 with the session cookie, 401 invalid_credentials or 423
// account_locked, exactly as CONTRACT.md says.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	var body signInBody
	if !h.decode(w, r, &body) {
		return
	}
	s, err := h.accounts.SignIn(r.Context(), session.Meta(r), app.SignInInput{Username: body.Username, Password: body.Password, OTP: body.OTP, Previous: session.Token(r)})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	session.Set(w, r, s)
	httpx.WriteJSON(w, http.StatusOK, sessionBody{
		User:      sessionUser{ID: s.User.ID, Username: s.User.Username, DisplayName: s.User.DisplayName, Role: string(s.User.Role)},
		Stage:     s.Stage,
		ExpiresAt: s.ExpiresAt.Format(timeFormat),
	})
}

// signOut is DELETE /api/v1/session.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	s, _, _ := session.From(r.Context())
	if err := h.accounts.SignOut(r.Context(), session.Meta(r), s); err != nil {
		h.errors(w, r, err)
		return
	}
	session.Clear(w, r)
	w.WriteHeader(http.StatusNoContent)
}
