package api

import (
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

	rt.HandleFunc("POST /api/v1/instruments/dash/score", httpx.Staff(string(policy.AssessmentScore)), h.scoreDASH)
	rt.HandleFunc("POST /api/v1/incidents/classify", httpx.Staff(string(policy.AssessmentScore)), h.classifyIncident)
}
