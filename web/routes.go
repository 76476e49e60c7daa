package web

import (
	"net/http"

	"aman.qa/aman/httpx"
	"aman.qa/aman/policy"
)

// page wraps a page handler so an explicit ?lang= choice is remembered.
func pageRoute(f http.HandlerFunc) http.Handler { return httpx.RememberLanguage(f) }

// Routes registers the staff UI routes. Pages remember an explicit ?lang= choice; assets do not, because
// they are not something a person navigates to.
func (h *Handler) Routes(rt *httpx.Router) {
	rt.Handle("GET /{$}", httpx.Public(), httpx.RememberLanguage(http.HandlerFunc(h.showHome)))
	rt.Handle("GET /sign-in", httpx.Public(), httpx.RememberLanguage(http.HandlerFunc(h.showSignIn)))
	rt.Handle("POST /sign-in", httpx.Public(), http.HandlerFunc(h.signIn))
	rt.Handle("GET /setup/{token}", httpx.Public(), httpx.RememberLanguage(http.HandlerFunc(h.showSetup)))
	rt.Handle("POST /setup/{token}", httpx.Public(), http.HandlerFunc(h.completeSetup))
	rt.Handle("GET /static/{path...}", httpx.Public(), http.HandlerFunc(h.serveStatic))

	rt.Handle("GET /enrol", httpx.Enrolling(), pageRoute(h.showEnrol))
	rt.Handle("POST /enrol", httpx.Enrolling(), http.HandlerFunc(h.confirmEnrol))
	rt.Handle("POST /sign-out", httpx.Enrolling(), http.HandlerFunc(h.signOut))
	rt.Handle("POST /sign-out-everywhere", httpx.Staff(string(policy.SessionSelf)), http.HandlerFunc(h.signOutEverywhere))
	rt.Handle("GET /dashboard", httpx.Staff(string(policy.DashboardView)), pageRoute(h.showDashboard))

	// The administrator's pages: accounts and units only, never case content.
	rt.Handle("GET /admin/users", httpx.Staff(string(policy.UsersManage)), pageRoute(h.showUsers))
	rt.Handle("GET /admin/users/new", httpx.Staff(string(policy.UsersManage)), pageRoute(h.showNewUser))
	rt.Handle("POST /admin/users", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.createUser))
	rt.Handle("GET /admin/users/{id}", httpx.Staff(string(policy.UsersManage)), pageRoute(h.showUser))
	rt.Handle("POST /admin/users/{id}/assignment", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.assignUser))
	rt.Handle("POST /admin/users/{id}/disabled", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.setUserDisabled))
	rt.Handle("POST /admin/users/{id}/reset-2fa", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.resetUserTOTP))
	rt.Handle("GET /admin/units", httpx.Staff(string(policy.UsersManage)), pageRoute(h.showUnits))
	rt.Handle("POST /admin/units", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.createUnit))

	// The auditor's pages.
	rt.Handle("GET /audit", httpx.Staff(string(policy.AuditRead)), pageRoute(h.showAuditTrail))
	rt.Handle("GET /audit/export.csv", httpx.Staff(string(policy.AuditExport)), http.HandlerFunc(h.exportAuditTrail))

	// Case pages. Need-to-know for the one case is decided by app.Cases on top of the route's action.
	rt.Handle("GET /cases/{id}", httpx.Staff(string(policy.CaseView)), pageRoute(h.showCase))
	rt.Handle("POST /cases/{id}/break-glass", httpx.Staff(string(policy.CaseBreakGlass)), http.HandlerFunc(h.breakGlass))
	rt.Handle("POST /cases/{id}/assignment", httpx.Staff(string(policy.CaseAssign)), http.HandlerFunc(h.assignCase))

	// Alerts are the signed-in person's own: MarkRead touches only theirs.
	rt.Handle("POST /notifications/{id}/read", httpx.Staff(string(policy.SessionSelf)), http.HandlerFunc(h.markNotificationRead))
}
