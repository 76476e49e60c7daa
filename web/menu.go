package web

import (
	"aman.qa/aman"
	"aman.qa/aman/policy"
)

// menuItem is one entry of the signed-in navigation.
type menuItem struct {
	Path     string
	LabelKey string
}

// menuFor lists the pages a role may open, in a fixed order. Entries appear only for actions policy
// allows, so nobody is shown a door that would answer "forbidden".
func menuFor(role aman.Role) []menuItem {
	all := []struct {
		action policy.Action
		item   menuItem
	}{
		{policy.DashboardView, menuItem{"/dashboard", "nav.dashboard"}},
		{policy.CallLog, menuItem{"/hotline", "nav.hotline"}},
		{policy.CallList, menuItem{"/hotline/shift", "nav.hotline_shift"}},
		{policy.CallbackList, menuItem{"/hotline/callbacks", "nav.callbacks"}},
		{policy.TriageView, menuItem{"/triage", "nav.triage"}},
		{policy.ReferralCreate, menuItem{"/desk", "nav.desk"}},
		{policy.BeneficiarySearch, menuItem{"/people", "nav.people"}},
		{policy.UsersManage, menuItem{"/admin/users", "nav.users"}},
		{policy.UsersManage, menuItem{"/admin/units", "nav.units"}},
		{policy.AuditRead, menuItem{"/audit", "nav.audit"}},
	}
	var menu []menuItem
	for _, e := range all {
		if policy.Allows(role, e.action) {
			menu = append(menu, e.item)
		}
	}
	return menu
}
