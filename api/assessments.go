package api

import (
	"net/http"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/risk"
)

type assessmentOut struct {
	CaseID  string `json:"case_id"`
	Version int    `json:"version"`
	// Versions is how many versions the case has; the latest is the assessment.
	Versions  int                                           `json:"versions"`
	Sections  map[aman.AssessmentSection]aman.SectionAnswer `json:"sections"`
	CreatedBy string                                        `json:"created_by"`
	CreatedAt string                                        `json:"created_at"`
}

func assessmentJSON(a aman.Assessment, versions int) assessmentOut {
	return assessmentOut{CaseID: a.CaseID, Version: a.Version, Versions: versions, Sections: a.Sections, CreatedBy: a.CreatedBy,
		CreatedAt: a.CreatedAt.Format(timeFormat)}
}

// saveAssessment is POST /api/v1/cases/{id}/assessments {"sections":{…}}: 201 with the new version.
func (h *Handler) saveAssessment(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Sections map[aman.AssessmentSection]aman.SectionAnswer `json:"sections"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	a, err := h.assessments.SaveAssessment(r.Context(), actor, r.PathValue("id"), body.Sections)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, assessmentJSON(a, a.Version))
}

// getAssessment is GET /api/v1/cases/{id}/assessments[?version=N]: the latest version, or version N.
func (h *Handler) getAssessment(w http.ResponseWriter, r *http.Request) {
	version := 0
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			h.errors(w, r, aman.FieldError("version", aman.EInvalid))
			return
		}
		version = n
	}
	actor := actorOf(r)
	a, versions, err := h.assessments.Assessment(r.Context(), actor, r.PathValue("id"), version)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, assessmentJSON(a, versions))
}

type riskAssessmentOut struct {
	ID     string `json:"id"`
	CaseID string `json:"case_id"`
	risk.Result
	Answers          map[string]bool `json:"answers"`
	Band             string          `json:"band"`
	IncidentsCounted int             `json:"incidents_counted"`
	CreatedBy        string          `json:"created_by"`
	CreatedAt        string          `json:"created_at"`
}

func riskAssessmentJSON(x app.RiskAssessment) riskAssessmentOut {
	return riskAssessmentOut{ID: x.ID, CaseID: x.CaseID, Result: x.Result, Answers: x.Answers, Band: x.Band,
		IncidentsCounted: x.IncidentsCounted, CreatedBy: x.CreatedBy, CreatedAt: x.CreatedAt.Format(timeFormat)}
}

// recordRiskAssessment is POST /api/v1/cases/{id}/risk-assessments
// {"instrument","answers","professional_judgement"?}: 201 with the stored result.
func (h *Handler) recordRiskAssessment(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Instrument            string          `json:"instrument"`
		Answers               map[string]bool `json:"answers"`
		ProfessionalJudgement string          `json:"professional_judgement"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	x, err := h.assessments.RecordRisk(r.Context(), actor, r.PathValue("id"), app.RiskAssessmentInput{Instrument: body.Instrument,
		Answers: body.Answers, ProfessionalJudgement: body.ProfessionalJudgement})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, riskAssessmentJSON(x))
}

// listRiskAssessments is GET /api/v1/cases/{id}/risk-assessments: {"summary":{…},"items":[…]}, newest
// first. The summary is the case's risk from the latest result of each instrument.
func (h *Handler) listRiskAssessments(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	summary, history, err := h.assessments.RiskHistory(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	items := make([]riskAssessmentOut, len(history))
	for i, x := range history {
		items[i] = riskAssessmentJSON(x)
	}
	latest := make([]string, len(summary.Latest))
	for i, x := range summary.Latest {
		latest[i] = x.ID
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"summary": map[string]any{
			"band": summary.Band, "marac_referral": summary.MARACReferral, "escalation": summary.Escalation,
			"immediate_danger": summary.ImmediateDanger, "safety_plan_missing": summary.SafetyPlanMissing,
			"priority": summary.Priority, "latest": latest,
		},
		"items": items,
	})
}
