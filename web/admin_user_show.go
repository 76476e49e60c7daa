package web

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

const viewAdminUser = "admin_user"

// userDetailView is one account's page: what it is, and four small forms that change it. Each form
// keeps its own problems, so a failure shows beside the form that caused it.
type userDetailView struct {
	Account    accountView
	CreatedAt  shownTime
	Notice     string
	Assignment assignmentForm
	Email      emailForm
	Access     formState
	Reset      formState
}

// emailForm sets or clears the account's address for alert emails.
type emailForm struct {
	Address string
	formState
}

// assignmentForm changes an account's role, unit and partner organisation.
type assignmentForm struct {
	Roles []option
	Units []option
	OrgID string
	formState
}

// showUser opens an account's page, with the confirmation of the change that led here, if any.
func (h *Handler) showUser(w http.ResponseWriter, r *http.Request) {
	view, err := h.userDetail(r, nil)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	view.Notice = h.doneNotice(r)
	h.show(w, r, http.StatusOK, viewAdminUser, "admin.user.title", view)
}

// userDetail loads the account named by the path. The assignment form shows typed when a failed save
// brings the page back, and the account's current assignment otherwise.
func (h *Handler) userDetail(r *http.Request, typed *app.Assignment) (userDetailView, error) {
	_, actor, _ := session.From(r.Context())
	u, err := h.accounts.GetUser(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return userDetailView{}, err
	}
	units, err := h.accounts.ListUnits(r.Context())
	if err != nil {
		return userDetailView{}, err
	}
	assignment := app.Assignment{Role: u.Role, UnitID: u.UnitID, OrgID: u.OrgID}
	if typed != nil {
		assignment = *typed
	}
	return userDetailView{
		Account:   newAccountView(u, unitNamesIn(langOf(r), units)),
		CreatedAt: showTime(u.CreatedAt, h.zone),
		Assignment: assignmentForm{
			Roles: h.roleOptions(r, assignment.Role), Units: h.unitOptions(r, units, assignment.UnitID), OrgID: assignment.OrgID,
		},
		Email: emailForm{Address: u.Email},
	}, nil
}

// showUserProblem brings an account's page back after one of its forms failed, with the problem on
// that form (chosen by on) and the status the error calls for.
func (h *Handler) showUserProblem(w http.ResponseWriter, r *http.Request, err error, typed *app.Assignment, on func(*userDetailView) *formState) {
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	view, loadErr := h.userDetail(r, typed)
	if loadErr != nil {
		h.Errors(w, r, loadErr)
		return
	}
	*on(&view) = state
	h.show(w, r, statusOf(err), viewAdminUser, "admin.user.title", view)
}
