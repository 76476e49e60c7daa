package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

// pickIntakePerson shows the person chosen from an intake's search with their open cases the triager
// may open, so the intake can be linked to one of them, or to the person alone. The choice travels in
// the body, like the search: the address names neither the person nor the query.
func (h *Handler) pickIntakePerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	v, err := h.intakeView(r, actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	if !v.Open {
		h.triageFailed(w, r, actor, aman.Errorf(app.EIntakeNotOpen, "already triaged"))
		return
	}
	id := formValue(r, "beneficiary_id")
	if id == "" {
		h.triageFailed(w, r, actor, aman.FieldError("beneficiary_id", aman.ERequired))
		return
	}
	b, err := h.beneficiaries.Get(ctx, actor, id)
	if err == nil && b.MergedInto != "" {
		// A merged record takes no new links; its survivor is the one to choose.
		err = aman.FieldError("beneficiary_id", aman.ENotFound)
	}
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	cases, err := h.triage.CasesToLink(ctx, actor, b.ID, h.cases)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	lang := langOf(r)
	row := h.newPersonRow(lang, b, policy.Allows(actor.Role, policy.BeneficiaryView))
	v.Picked, v.Query = &row, formValue(r, "q")
	for _, k := range cases {
		v.PickedCases = append(v.PickedCases, personCaseView{Number: k.Number, MayOpen: k.MayOpen, ID: k.ID, Status: k.Status, Role: k.Role,
			OpenedAt: showTime(k.OpenedAt, h.zone)})
	}
	h.show(w, r, http.StatusOK, viewTriageIntake, "triage.intake.title", v)
}
