package api

import (
	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/policy"
)

// Routes registers every API and operational route. Each /api/v1 route must also be in openapi.json;
// a test holds the two together.
func (h *Handler) Routes(rt *httpx.Router) {
	rt.HandleFunc("GET /healthz", httpx.Public(), h.health)
	// Metrics carry route names and counts, never personal data; restrict them at the proxy in production.
	rt.Handle("GET /metrics", httpx.Public(), h.metrics)
	rt.HandleFunc("GET /api/v1/openapi.json", httpx.Public(), h.openAPI)
	rt.HandleFunc("POST /api/v1/session", httpx.Public(), h.signIn)
	rt.HandleFunc("DELETE /api/v1/session", httpx.Enrolling(), h.signOut)

	rt.HandleFunc("POST /api/v1/beneficiaries", httpx.Staff(string(policy.BeneficiaryCreate)), h.createBeneficiary)
	rt.HandleFunc("GET /api/v1/beneficiaries", httpx.Staff(string(policy.BeneficiarySearch)), h.searchBeneficiaries)
	rt.HandleFunc("GET /api/v1/beneficiaries/{id}", httpx.Staff(string(policy.BeneficiaryView)), h.getBeneficiary)
	rt.HandleFunc("POST /api/v1/beneficiaries/{id}/merge", httpx.Staff(string(policy.BeneficiaryMerge)), h.mergeBeneficiaries)

	rt.HandleFunc("POST /api/v1/cases", httpx.Staff(string(policy.CaseCreate)), h.openCase)
	rt.HandleFunc("GET /api/v1/cases/{id}", httpx.Staff(string(policy.CaseView)), h.getCase)
	rt.HandleFunc("POST /api/v1/cases/{id}/break-glass", httpx.Staff(string(policy.CaseBreakGlass)), h.breakGlass)
	rt.HandleFunc("PUT /api/v1/cases/{id}/assignment", httpx.Staff(string(policy.CaseAssign)), h.assignCase)
	rt.HandleFunc("GET /api/v1/cases/{id}/people", httpx.Staff(string(policy.CaseView)), h.casePeople)
	rt.HandleFunc("POST /api/v1/cases/{id}/people", httpx.Staff(string(policy.CaseEdit)), h.addCasePerson)
	rt.HandleFunc("POST /api/v1/cases/{id}/consents", httpx.Staff(string(policy.CaseEdit)), h.recordConsent)
	rt.HandleFunc("POST /api/v1/cases/{id}/referrals", httpx.Staff(string(policy.ReferralOut)), h.referOut)
	rt.HandleFunc("GET /api/v1/cases/{id}/referrals", httpx.Staff(string(policy.CaseView)), h.listReferrals)
	rt.HandleFunc("PATCH /api/v1/referrals/{id}", httpx.Staff(string(policy.ReferralOut)), h.updateReferral)
	rt.HandleFunc("GET /api/v1/triage", httpx.Staff(string(policy.TriageView)), h.triageQueue)
	// The partner desk refers in and follows its own organisation's referrals; app decides which those are.
	rt.HandleFunc("POST /api/v1/referrals-in", httpx.Staff(string(policy.ReferralCreate)), h.createReferralIn)
	rt.HandleFunc("GET /api/v1/referrals-in", httpx.Staff(string(policy.ReferralViewOwn)), h.listReferralsIn)
	rt.HandleFunc("GET /api/v1/referrals-in/{id}", httpx.Staff(string(policy.ReferralViewOwn)), h.getReferralIn)
	rt.HandleFunc("GET /api/v1/figures/intake", httpx.Staff(string(policy.StatsView)), h.intakeFiguresReport)

	// The hotline. Who may open one call (its operator, supervisors, the linked case's staff) is decided
	// by app.Calls through policy.ViewCall on top of call.view. The telephone system's webhook is public
	// because it has no session; it is trusted only through its HMAC signature.
	rt.HandleFunc("POST /api/v1/calls", httpx.Staff(string(policy.CallLog)), h.logCall)
	rt.HandleFunc("GET /api/v1/calls", httpx.Staff(string(policy.CallList)), h.listCalls)
	rt.HandleFunc("GET /api/v1/calls/{id}", httpx.Staff(string(policy.CallView)), h.getCall)
	rt.HandleFunc("GET /api/v1/callbacks", httpx.Staff(string(policy.CallbackList)), h.listCallbacks)
	rt.HandleFunc("POST /api/v1/callbacks/{id}/reveal", httpx.Staff(string(policy.CallbackList)), h.revealCallback)
	rt.HandleFunc("POST /api/v1/callbacks/{id}/close", httpx.Staff(string(policy.CallbackList)), h.closeCallback)
	rt.HandleFunc("POST /public/api/v1/telephony/events", httpx.Public(), h.telephonyEvent)

	// The public apps (Sa'idni, Shawirni, Ballighni): no session, no cookie, nothing cached; the app
	// layer rate-limits per client address and per follow-up code. Counsellors answer consultations.
	rt.HandleFunc("POST /public/api/v1/help-requests", httpx.Public(), h.publicSubmit(aman.ChannelHelpRequest))
	rt.HandleFunc("POST /public/api/v1/consultations", httpx.Public(), h.publicSubmit(aman.ChannelConsultation))
	rt.HandleFunc("POST /public/api/v1/reports", httpx.Public(), h.publicSubmit(aman.ChannelReport))
	rt.HandleFunc("POST /public/api/v1/follow-up", httpx.Public(), h.publicFollowUp)
	rt.HandleFunc("POST /public/api/v1/follow-up/messages", httpx.Public(), h.publicFollowUpMessage)
	rt.HandleFunc("GET /api/v1/consultations/{id}", httpx.Staff(string(policy.ConsultationAnswer)), h.getConsultation)
	rt.HandleFunc("POST /api/v1/consultations/{id}/replies", httpx.Staff(string(policy.ConsultationAnswer)), h.answerConsultation)
	rt.HandleFunc("GET /api/v1/partners", httpx.Staff(string(policy.SessionSelf)), h.listPartners)
	rt.HandleFunc("POST /api/v1/partners", httpx.Staff(string(policy.PartnerManage)), h.createPartner)

	rt.HandleFunc("POST /api/v1/cases/{id}/incidents", httpx.Staff(string(policy.CaseEdit)), h.recordIncident)
	rt.HandleFunc("GET /api/v1/cases/{id}/incidents", httpx.Staff(string(policy.CaseView)), h.listIncidents)
	rt.HandleFunc("POST /api/v1/cases/{id}/assessments", httpx.Staff(string(policy.CaseEdit)), h.saveAssessment)
	rt.HandleFunc("GET /api/v1/cases/{id}/assessments", httpx.Staff(string(policy.CaseView)), h.getAssessment)
	rt.HandleFunc("POST /api/v1/cases/{id}/risk-assessments", httpx.Staff(string(policy.CaseEdit)), h.recordRiskAssessment)
	rt.HandleFunc("GET /api/v1/cases/{id}/risk-assessments", httpx.Staff(string(policy.CaseView)), h.listRiskAssessments)
	rt.HandleFunc("GET /api/v1/cases/{id}/care-plan", httpx.Staff(string(policy.CaseView)), h.getCarePlan)
	rt.HandleFunc("PUT /api/v1/cases/{id}/care-plan", httpx.Staff(string(policy.CaseEdit)), h.setCarePlanReview)
	rt.HandleFunc("POST /api/v1/cases/{id}/care-plan/goals", httpx.Staff(string(policy.CaseEdit)), h.addGoal)
	rt.HandleFunc("PATCH /api/v1/cases/{id}/care-plan/goals/{goal}", httpx.Staff(string(policy.CaseEdit)), h.changeGoal)
	rt.HandleFunc("POST /api/v1/cases/{id}/care-plan/goals/{goal}/interventions", httpx.Staff(string(policy.CaseEdit)), h.addIntervention)
	rt.HandleFunc("PATCH /api/v1/cases/{id}/care-plan/goals/{goal}/interventions/{intervention}", httpx.Staff(string(policy.CaseEdit)), h.changeIntervention)
	rt.HandleFunc("POST /api/v1/cases/{id}/care-plan/goals/{goal}/progress-notes", httpx.Staff(string(policy.CaseEdit)), h.addProgressNote)
	rt.HandleFunc("PUT /api/v1/cases/{id}/safety-plan", httpx.Staff(string(policy.CaseEdit)), h.saveSafetyPlan)
	rt.HandleFunc("GET /api/v1/cases/{id}/safety-plan", httpx.Staff(string(policy.CaseView)), h.getSafetyPlan)
	rt.HandleFunc("POST /api/v1/cases/{id}/service-deliveries", httpx.Staff(string(policy.CaseEdit)), h.recordDelivery)
	rt.HandleFunc("GET /api/v1/cases/{id}/service-deliveries", httpx.Staff(string(policy.CaseView)), h.listDeliveries)
	rt.HandleFunc("GET /api/v1/services", httpx.Staff(string(policy.CaseView)), h.listServices)
	rt.HandleFunc("GET /api/v1/stats/social-service-beneficiaries", httpx.Staff(string(policy.StatsView)), h.socialServiceBeneficiaries)

	// The lifecycle: moves (submitted for approval where the lifecycle says so), a supervisor's
	// decisions, and the history that is the case's timeline.
	rt.HandleFunc("POST /api/v1/cases/{id}/transitions", httpx.Staff(string(policy.CaseEdit)), h.transitionCase)
	rt.HandleFunc("POST /api/v1/cases/{id}/approvals", httpx.Staff(string(policy.CaseApprove)), h.decideApproval)
	rt.HandleFunc("PUT /api/v1/cases/{id}/priority", httpx.Staff(string(policy.CaseApprove)), h.setCasePriority)
	rt.HandleFunc("GET /api/v1/cases/{id}/history", httpx.Staff(string(policy.CaseView)), h.caseHistory)
	rt.HandleFunc("POST /api/v1/cases/{id}/tasks", httpx.Staff(string(policy.CaseEdit)), h.createTask)
	rt.HandleFunc("GET /api/v1/cases/{id}/tasks", httpx.Staff(string(policy.CaseView)), h.caseTasks)
	rt.HandleFunc("PATCH /api/v1/tasks/{id}", httpx.Staff(string(policy.CaseEdit)), h.updateTask)
	rt.HandleFunc("GET /api/v1/tasks/mine", httpx.Staff(string(policy.CaseView)), h.myTasks)
	// Those who assign the unit's work see what of it is late.
	rt.HandleFunc("GET /api/v1/tasks/overdue", httpx.Staff(string(policy.CaseAssign)), h.unitOverdueTasks)

	// Notes and documents: reads need the case; writes need note.write or document.upload on top, and
	// the app decides each note by discipline and each file by its bytes.
	rt.HandleFunc("POST /api/v1/cases/{id}/notes", httpx.Staff(string(policy.NoteWrite)), h.createNote)
	rt.HandleFunc("GET /api/v1/cases/{id}/notes", httpx.Staff(string(policy.CaseView)), h.listNotes)
	rt.HandleFunc("PATCH /api/v1/notes/{id}", httpx.Staff(string(policy.NoteWrite)), h.editNote)
	rt.HandleFunc("POST /api/v1/notes/{id}/amendments", httpx.Staff(string(policy.NoteWrite)), h.amendNote)
	rt.HandleFunc("POST /api/v1/cases/{id}/documents", httpx.Staff(string(policy.DocumentUpload)), h.uploadDocument)
	rt.HandleFunc("GET /api/v1/cases/{id}/documents", httpx.Staff(string(policy.CaseView)), h.listDocuments)
	rt.HandleFunc("GET /api/v1/documents/{id}/content", httpx.Staff(string(policy.DocumentDownload)), h.downloadDocument)

	rt.HandleFunc("POST /api/v1/instruments/dash/score", httpx.Staff(string(policy.AssessmentScore)), h.scoreDASH)
	rt.HandleFunc("POST /api/v1/incidents/classify", httpx.Staff(string(policy.AssessmentScore)), h.classifyIncident)
}
