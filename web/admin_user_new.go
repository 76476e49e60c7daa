package web

import (
	"net/http"

	"aman.qa/aman/app"
)

const viewAdminUserNew = "admin_user_new"

// newUserForm is the form that creates an account. It never holds a password: after a failure the
// administrator types it again.
type newUserForm struct {
	Username    string
	DisplayName string
	OrgID       string
	Email       string
	Roles       []option
	Units       []option
	formState
}

// showNewUser opens an empty account form.
func (h *Handler) showNewUser(w http.ResponseWriter, r *http.Request) {
	form, err := h.newUserForm(r, app.NewUser{})
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewAdminUserNew, "admin.user.new.title", form)
}

// newUserForm fills the form with typed, except its password.
func (h *Handler) newUserForm(r *http.Request, typed app.NewUser) (newUserForm, error) {
	units, err := h.accounts.ListUnits(r.Context())
	if err != nil {
		return newUserForm{}, err
	}
	return newUserForm{
		Username: typed.Username, DisplayName: typed.DisplayName, OrgID: typed.OrgID, Email: typed.Email,
		Roles: h.roleOptions(r, typed.Role), Units: h.unitOptions(r, units, typed.UnitID),
	}, nil
}
