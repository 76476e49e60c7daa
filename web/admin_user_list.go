package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

const viewAdminUsers = "admin_users"

// userListView is the administrator's list of accounts.
type userListView struct {
	Users []accountView
}

// accountView is one account as the administrator's pages show it: no secret, no case content.
type accountView struct {
	ID           string
	Username     string
	DisplayName  string
	RoleKey      string
	Unit         string
	OrgID        string
	Email        string
	TOTPEnrolled bool
	Disabled     bool
}

// newAccountView describes u, naming its unit from unitNames (unit id → name in the page's language).
func newAccountView(u app.User, unitNames map[string]string) accountView {
	return accountView{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, RoleKey: "role." + string(u.Role),
		Unit: unitNames[u.UnitID], OrgID: u.OrgID, Email: u.Email, TOTPEnrolled: u.TOTPEnrolled, Disabled: u.Disabled,
	}
}

// showUsers lists every account by username.
func (h *Handler) showUsers(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	users, err := h.accounts.ListUsers(r.Context(), actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	units, err := h.accounts.ListUnits(r.Context())
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	names := unitNamesIn(langOf(r), units)
	view := userListView{Users: make([]accountView, 0, len(users))}
	for _, u := range users {
		view.Users = append(view.Users, newAccountView(u, names))
	}
	h.show(w, r, http.StatusOK, viewAdminUsers, "admin.users.title", view)
}
