package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
)

// The administrator's pages show account data only: usernames, display names, roles, units and the
// state of each account. Nothing on them comes from a case.

// option is one choice of a select, its label already in the request's language.
type option struct {
	Value    string
	Label    string
	Selected bool
}

// formState is what a form needs besides its values to be shown again after a failure: each problem
// beside its field, and the problem that belongs to no field.
type formState struct {
	Errors fieldErrors
	Error  string
}

// roleOptions lists every role, in the order aman.Roles gives, with selected chosen.
func (h *Handler) roleOptions(r *http.Request, selected aman.Role) []option {
	roles := aman.Roles()
	options := make([]option, 0, len(roles))
	for _, role := range roles {
		options = append(options, option{Value: string(role), Label: h.bundle.T(langOf(r), "role."+string(role)), Selected: role == selected})
	}
	return options
}

// unitOptions lists "no unit" and then every unit, with selected chosen.
func (h *Handler) unitOptions(r *http.Request, units []app.Unit, selected string) []option {
	lang := langOf(r)
	options := []option{{Value: "", Label: h.bundle.T(lang, "admin.unit.none"), Selected: selected == ""}}
	for _, u := range units {
		options = append(options, option{Value: u.ID, Label: unitName(lang, u), Selected: u.ID == selected})
	}
	return options
}

// unitName is the unit's name in lang.
func unitName(lang i18n.Lang, u app.Unit) string {
	if lang == i18n.English {
		return u.NameEN
	}
	return u.NameAR
}

// unitNamesIn maps each unit's id to its name in lang, so a list names every account's unit from one
// query.
func unitNamesIn(lang i18n.Lang, units []app.Unit) map[string]string {
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.ID] = unitName(lang, u)
	}
	return names
}

// formProblem sorts a use case's error for a form. Bad input (422) and conflicts (409) are the
// person's to fix, so the form comes back with the problem beside its field, or above the form when it
// belongs to none. Anything else (not found, forbidden, a server error) is not about what was typed and
// gets the error page instead: ok is false.
func (h *Handler) formProblem(r *http.Request, err error) (state formState, ok bool) {
	switch statusOf(err) {
	case http.StatusUnprocessableEntity, http.StatusConflict:
	default:
		return formState{}, false
	}
	field, message := h.messageFor(r, err)
	if field == "" {
		return formState{Error: message}, true
	}
	return formState{Errors: fieldErrors{field: message}}, true
}

// What a successful post reports after its redirect, as ?done=…. The value names the action only, so
// the address carries no personal data and a reload does not post again.
const (
	doneUserCreated = "created"
	doneAssignment  = "assignment"
	doneEmail       = "email"
	doneDisabled    = "disabled"
	doneEnabled     = "enabled"
	doneReset2FA    = "reset_2fa"
	doneUnitCreated = "unit_created"
)

// doneNotice is the confirmation for the request's ?done=, or "" for none or an unknown value.
func (h *Handler) doneNotice(r *http.Request) string {
	switch done := r.URL.Query().Get("done"); done {
	case doneUserCreated, doneAssignment, doneEmail, doneDisabled, doneEnabled, doneReset2FA, doneUnitCreated:
		return h.bundle.T(langOf(r), "admin.done."+done)
	}
	return ""
}

// redirectDone ends a successful post: 303 to the page that shows the result, with its confirmation.
func redirectDone(w http.ResponseWriter, r *http.Request, path, done string) {
	http.Redirect(w, r, path+"?done="+done, http.StatusSeeOther)
}
