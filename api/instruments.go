package api

import (
	"net/http"

	"aman.qa/aman/httpx"
	"aman.qa/aman/risk"
)

// dashBody is CONTRACT.md's DASH request: answers by item number, and an optional professional
// judgement that can raise the level but never lower it.
type dashBody struct {
	Answers               map[string]bool `json:"answers"`
	ProfessionalJudgement string          `json:"professional_judgement,omitempty"`
	IncidentsLast12Months int             `json:"incidents_last_12_months,omitempty"`
}

// scoreDASH is POST /api/v1/instruments/dash/score. It stores nothing.
func (h *Handler) scoreDASH(w http.ResponseWriter, r *http.Request) {
	var body dashBody
	if !h.decode(w, r, &body) {
		return
	}
	result, err := h.instruments.ScoreDASH(risk.ScoreRequest{Answers: body.Answers, ScoreOptions: risk.ScoreOptions{
		ProfessionalJudgement: body.ProfessionalJudgement, IncidentsLast12Months: body.IncidentsLast12Months,
	}})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, result)
}

// classifyIncident is POST /api/v1/incidents/classify {"acts":[…]}: the GBVIMS type. It stores nothing.
func (h *Handler) classifyIncident(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Acts []string `json:"acts"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	typ, err := risk.Classify(body.Acts)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"type": typ})
}
