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
	rt.Handle("POST /admin/users/{id}/email", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.setUserEmail))
	rt.Handle("POST /admin/users/{id}/disabled", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.setUserDisabled))
	rt.Handle("POST /admin/users/{id}/reset-2fa", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.resetUserTOTP))
	rt.Handle("GET /admin/units", httpx.Staff(string(policy.UsersManage)), pageRoute(h.showUnits))
	rt.Handle("POST /admin/units", httpx.Staff(string(policy.UsersManage)), http.HandlerFunc(h.createUnit))

	// The auditor's pages.
	rt.Handle("GET /audit", httpx.Staff(string(policy.AuditRead)), pageRoute(h.showAuditTrail))
	rt.Handle("GET /audit/export.csv", httpx.Staff(string(policy.AuditExport)), http.HandlerFunc(h.exportAuditTrail))

	// The registry of people. A search and what it carries to the registration form travel in POST
	// bodies only, so no name or number is left in an address, a history or a log.
	rt.Handle("GET /people", httpx.Staff(string(policy.BeneficiarySearch)), pageRoute(h.showPeopleSearch))
	rt.Handle("GET /people/search", httpx.Staff(string(policy.BeneficiarySearch)), pageRoute(h.backToPeopleSearch))
	rt.Handle("POST /people/search", httpx.Staff(string(policy.BeneficiarySearch)), http.HandlerFunc(h.searchPeople))
	rt.Handle("GET /people/new", httpx.Staff(string(policy.BeneficiaryCreate)), pageRoute(h.showNewPerson))
	rt.Handle("POST /people/new", httpx.Staff(string(policy.BeneficiaryCreate)), http.HandlerFunc(h.prefillNewPerson))
	rt.Handle("POST /people", httpx.Staff(string(policy.BeneficiaryCreate)), http.HandlerFunc(h.createPerson))
	rt.Handle("GET /people/{id}", httpx.Staff(string(policy.BeneficiaryView)), pageRoute(h.showPerson))
	rt.Handle("POST /people/{id}/merge", httpx.Staff(string(policy.BeneficiaryMerge)), http.HandlerFunc(h.mergePerson))
	rt.Handle("POST /people/{id}/cases", httpx.Staff(string(policy.CaseCreate)), http.HandlerFunc(h.openCaseForPerson))

	// Case pages. Need-to-know for the one case is decided by app.Cases on top of the route's action.
	rt.Handle("GET /cases/{id}", httpx.Staff(string(policy.CaseView)), pageRoute(h.showCase))
	rt.Handle("POST /cases/{id}/break-glass", httpx.Staff(string(policy.CaseBreakGlass)), http.HandlerFunc(h.breakGlass))
	rt.Handle("POST /cases/{id}/assignment", httpx.Staff(string(policy.CaseAssign)), http.HandlerFunc(h.assignCase))

	// The case's protection and care work: each post changes the case, so app decides need-to-know on
	// case.edit; the instrument's form is only for those who may record its result.
	rt.Handle("GET /cases/{id}/risk/{instrument}", httpx.Staff(string(policy.CaseEdit)), pageRoute(h.careOnly(h.showRiskForm)))
	rt.Handle("POST /cases/{id}/risk/{instrument}", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.recordRisk))
	rt.Handle("POST /cases/{id}/incidents", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.addIncident))
	rt.Handle("POST /cases/{id}/assessment", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.saveAssessment))
	rt.Handle("POST /cases/{id}/care-plan/review", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.setPlanReview))
	rt.Handle("POST /cases/{id}/care-plan/goals", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.addGoal))
	rt.Handle("POST /cases/{id}/care-plan/goals/{goal}/status", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.changeGoalStatus))
	rt.Handle("POST /cases/{id}/care-plan/goals/{goal}/interventions", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.addIntervention))
	rt.Handle("POST /cases/{id}/care-plan/goals/{goal}/progress-notes", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.addProgressNote))
	rt.Handle("POST /cases/{id}/safety-plan", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.saveSafetyPlan))
	rt.Handle("POST /cases/{id}/services", httpx.Staff(string(policy.CaseEdit)), h.careOnly(h.recordService))

	// The case's work: lifecycle, tasks, people, notes, documents, consent and referrals. Each route
	// names the action its use case authorizes first; need-to-know for the case is decided by app.
	rt.Handle("POST /cases/{id}/lifecycle/moves", httpx.Staff(string(policy.CaseEdit)), h.workOnly(h.moveCase))
	rt.Handle("POST /cases/{id}/lifecycle/decision", httpx.Staff(string(policy.CaseApprove)), h.workOnly(h.decideCase))
	rt.Handle("POST /cases/{id}/lifecycle/priority", httpx.Staff(string(policy.CaseApprove)), h.workOnly(h.setCasePriority))
	rt.Handle("POST /cases/{id}/tasks", httpx.Staff(string(policy.CaseEdit)), h.workOnly(h.addCaseTask))
	rt.Handle("POST /cases/{id}/tasks/{taskID}/done", httpx.Staff(string(policy.CaseEdit)), h.workOnly(h.markCaseTaskDone))
	rt.Handle("POST /cases/{id}/people/search", httpx.Staff(string(policy.BeneficiarySearch)), h.workOnly(h.searchCasePeople))
	rt.Handle("POST /cases/{id}/people", httpx.Staff(string(policy.CaseEdit)), h.workOnly(h.addCasePerson))
	rt.Handle("POST /cases/{id}/notes", httpx.Staff(string(policy.NoteWrite)), h.workOnly(h.addCaseNote))
	rt.Handle("GET /cases/{id}/notes/{noteID}", httpx.Staff(string(policy.CaseView)), pageRoute(h.workOnly(h.showCaseNote)))
	rt.Handle("POST /cases/{id}/notes/{noteID}", httpx.Staff(string(policy.NoteWrite)), h.workOnly(h.editCaseNote))
	rt.Handle("POST /cases/{id}/notes/{noteID}/amendments", httpx.Staff(string(policy.NoteWrite)), h.workOnly(h.amendCaseNote))
	rt.Handle("POST /cases/{id}/documents", httpx.Staff(string(policy.DocumentUpload)), h.workOnly(h.uploadCaseDocument))
	rt.Handle("GET /cases/{id}/documents/{docID}", httpx.Staff(string(policy.DocumentDownload)), h.workOnly(h.downloadCaseDocument))
	rt.Handle("POST /cases/{id}/consents", httpx.Staff(string(policy.CaseEdit)), h.workOnly(h.recordCaseConsent))
	rt.Handle("POST /cases/{id}/referrals", httpx.Staff(string(policy.ReferralOut)), h.workOnly(h.referCase))
	rt.Handle("POST /cases/{id}/referrals/{referralID}", httpx.Staff(string(policy.ReferralOut)), h.workOnly(h.updateCaseReferral))

	// The hotline desk. The console posts both the call and the caller search, so what was typed is never
	// lost and no name or number goes into an address; who may open one call is policy.ViewCall's.
	rt.Handle("GET /hotline", httpx.Staff(string(policy.CallLog)), pageRoute(h.hotlineOnly(h.showConsole)))
	rt.Handle("POST /hotline", httpx.Staff(string(policy.CallLog)), h.hotlineOnly(h.postConsole))
	rt.Handle("GET /hotline/shift", httpx.Staff(string(policy.CallList)), pageRoute(h.hotlineOnly(h.showShift)))
	rt.Handle("GET /hotline/callbacks", httpx.Staff(string(policy.CallbackList)), pageRoute(h.hotlineOnly(h.showCallbacks)))
	rt.Handle("POST /hotline/callbacks/{id}/reveal", httpx.Staff(string(policy.CallbackList)), h.hotlineOnly(h.revealCallback))
	rt.Handle("POST /hotline/callbacks/{id}/close", httpx.Staff(string(policy.CallbackList)), h.hotlineOnly(h.closeCallback))
	rt.Handle("GET /hotline/calls/{id}", httpx.Staff(string(policy.CallView)), pageRoute(h.hotlineOnly(h.showCall)))

	// Triage: the queue and one intake's decision. Searches travel in POST bodies, like the registry's.
	rt.Handle("GET /triage", httpx.Staff(string(policy.TriageView)), pageRoute(h.triageOnly(h.showTriage)))
	rt.Handle("POST /triage/on-duty", httpx.Staff(string(policy.TriageView)), h.triageOnly(h.setOnDuty))
	rt.Handle("GET /triage/{id}", httpx.Staff(string(policy.TriageView)), pageRoute(h.triageOnly(h.showIntake)))
	rt.Handle("POST /triage/{id}/search", httpx.Staff(string(policy.TriageAct)), h.triageOnly(h.searchForIntake))
	rt.Handle("POST /triage/{id}/pick", httpx.Staff(string(policy.TriageAct)), h.triageOnly(h.pickIntakePerson))
	rt.Handle("POST /triage/{id}/link", httpx.Staff(string(policy.TriageAct)), h.triageOnly(h.linkIntake))
	rt.Handle("POST /triage/{id}/case", httpx.Staff(string(policy.TriageAct)), h.triageOnly(h.openIntakeCase))
	rt.Handle("POST /triage/{id}/close", httpx.Staff(string(policy.TriageAct)), h.triageOnly(h.closeIntake))
	rt.Handle("GET /triage/{id}/attachments/{fileID}", httpx.Staff(string(policy.TriageAct)), h.triageOnly(h.downloadReferralAttachment))

	// Public requests as staff read them: a consultation with the counsellor's reply form, a help request or a report read-only.
	rt.Handle("GET /consultations/{id}", httpx.Staff(string(policy.ConsultationAnswer)), pageRoute(h.publicOnly(h.showConsultation)))
	rt.Handle("POST /consultations/{id}", httpx.Staff(string(policy.ConsultationAnswer)), h.publicOnly(h.answerConsultation))
	rt.Handle("GET /requests/{id}", httpx.Staff(string(policy.TriageAct)), pageRoute(h.publicOnly(h.showPublicRequest)))

	// The partner desk: one form, and the organisation's own referrals with their statuses.
	rt.Handle("GET /desk", httpx.Staff(string(policy.ReferralViewOwn)), pageRoute(h.deskOnly(h.showDesk)))
	rt.Handle("POST /desk", httpx.Staff(string(policy.ReferralCreate)), h.deskOnly(h.referFromDesk))

	// Live alerts for the signed-in person, as server-sent events.
	rt.Handle("GET /events", httpx.Staff(string(policy.SessionSelf)), http.HandlerFunc(h.streamEvents))

	// Alerts are the signed-in person's own: MarkRead touches only theirs.
	rt.Handle("POST /notifications/{id}/read", httpx.Staff(string(policy.SessionSelf)), http.HandlerFunc(h.markNotificationRead))
}
