package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// recordRisk scores a completed instrument on the case and stores the result through app, which raises
// the case's priority and alerts supervisors when the result calls for it. Success returns to the case
// at its risk summary, where the new result shows; a problem brings the form back with every answer.
func (h *Handler) recordRisk(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	in, ok := h.instruments.Get(r.PathValue("instrument"))
	if !ok {
		h.NotFound(w, r)
		return
	}
	typed := app.RiskAssessmentInput{Instrument: in.ID, Answers: map[string]bool{}, ProfessionalJudgement: formValue(r, "professional_judgement")}
	var err error
	// Only the instrument's own questions are read, so the answers can never name an item it lacks.
	for _, it := range in.Items {
		field := "answers." + it.ID
		switch formValue(r, field) {
		case answerYes:
			typed.Answers[it.ID] = true
		case answerNo:
			typed.Answers[it.ID] = false
		case "":
		default:
			err = aman.FieldError(field, aman.EInvalid)
		}
	}
	if err == nil {
		if _, err = h.assessments.RecordRisk(r.Context(), actor, id, typed); err == nil {
			redirectCare(w, r, id, doneRisk, anchorRisk)
			return
		}
	}
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	form, loadErr := h.riskForm(r, &typed)
	if loadErr != nil {
		h.Errors(w, r, loadErr)
		return
	}
	fields := []string{}
	for _, it := range form.Items {
		fields = append(fields, "answers."+it.ID)
	}
	if len(form.Judgement) > 0 {
		fields = append(fields, "professional_judgement")
	}
	form.formState = placeErrors(state, fields)
	h.show(w, r, statusOf(err), viewCaseRisk, "case.risk.form_title", form)
}
