package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/session"
)

// caseCareView is the protection and care work on a case page: its risk, incidents, comprehensive
// assessment, care plan, safety plan and services. Every piece is read through app, where need-to-know
// is decided and each read audited; the forms show only when app says the reader may change the case.
type caseCareView struct {
	CaseID string
	// MayEdit: the reader may add to the case's records (app.Cases.RecordStaff).
	MayEdit    bool
	Risk       caseRiskView
	Incidents  caseIncidentsView
	Assessment caseAssessmentView
	CarePlan   caseCarePlanView
	SafetyPlan caseSafetyPlanView
	Services   caseServicesView
	// build makes the sections' forms again when a failed post brings the page back.
	build careContext
}

// What a successful post on a care section reports after its redirect, as ?done=…; each is also the
// catalog key case.done.<value> of its confirmation, shown in its own section.
const (
	doneRisk         = "risk"
	doneIncident     = "incident"
	doneAssessment   = "assessment"
	doneGoal         = "goal"
	doneGoalStatus   = "goal_status"
	doneIntervention = "intervention"
	doneProgressNote = "progress_note"
	donePlanReview   = "plan_review"
	doneSafetyPlan   = "safety_plan"
	doneService      = "service"
)

// The anchors of the care sections, where a redirect lands so the confirmation is in view.
const (
	anchorRisk       = "case-risk"
	anchorIncidents  = "case-incidents"
	anchorAssessment = "case-assessment"
	anchorCarePlan   = "case-care-plan"
	anchorSafetyPlan = "case-safety-plan"
	anchorServices   = "case-services"
)

// careWired tells whether the case record services are wired in; a UI built without them (as some tests
// build it) leaves the care sections out and answers their routes with 404.
func (h *Handler) careWired() bool {
	return h.incidents != nil && h.assessments != nil && h.carePlans != nil && h.socialServices != nil
}

// careOnly answers a care route with 404 in a UI built without the case record services.
func (h *Handler) careOnly(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.careWired() {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}

// caseCare loads the care sections of the case page for k, whose beneficiary is person. It is nil in a
// UI built without the case record services.
func (h *Handler) caseCare(r *http.Request, k aman.Case, person aman.Beneficiary) (*caseCareView, error) {
	if !h.careWired() {
		return nil, nil
	}
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	summary, _, err := h.assessments.RiskHistory(ctx, actor, k.ID)
	if err != nil {
		return nil, err
	}
	incidents, err := h.incidents.List(ctx, actor, k.ID)
	if err != nil {
		return nil, err
	}
	var latest *aman.Assessment
	assessment, versions, err := h.assessments.Assessment(ctx, actor, k.ID, 0)
	switch {
	case err == nil:
		latest = &assessment
	case aman.ErrorCode(err) != aman.ENotFound:
		return nil, err
	}
	plan, err := h.carePlans.Plan(ctx, actor, k.ID)
	if err != nil {
		return nil, err
	}
	deliveries, err := h.socialServices.Deliveries(ctx, actor, k.ID)
	if err != nil {
		return nil, err
	}
	catalogue, err := h.socialServices.Catalogue(ctx, actor)
	if err != nil {
		return nil, err
	}
	staff, err := h.cases.RecordStaff(ctx, actor, k.ID, careMentions(summary, latest, plan, deliveries))
	if err != nil {
		return nil, err
	}
	c := careContext{h: h, r: r, lang: langOf(r), staff: staff, done: r.URL.Query().Get("done"), catalogue: catalogue}
	return &caseCareView{
		build:      c,
		CaseID:     k.ID,
		MayEdit:    staff.MayEdit,
		Risk:       c.riskSection(k, summary),
		Incidents:  c.incidentsSection(incidents, person),
		Assessment: c.assessmentSection(latest, versions),
		CarePlan:   c.carePlanSection(plan),
		SafetyPlan: c.safetyPlanSection(plan.SafetyPlan, summary.SafetyPlanMissing),
		Services:   c.servicesSection(deliveries),
	}, nil
}

// careMentions lists the staff the care records name: who recorded them, who answers for them.
func careMentions(summary app.RiskSummary, latest *aman.Assessment, plan app.CarePlan, deliveries []aman.ServiceDelivery) []string {
	var ids []string
	for _, r := range summary.Latest {
		ids = append(ids, r.CreatedBy)
	}
	if latest != nil {
		ids = append(ids, latest.CreatedBy)
	}
	for _, g := range plan.Goals {
		ids = append(ids, g.ResponsibleUserID)
		for _, iv := range g.Interventions {
			ids = append(ids, iv.ResponsibleUserID)
		}
		for _, n := range g.ProgressNotes {
			ids = append(ids, n.CreatedBy)
		}
	}
	if plan.SafetyPlan != nil {
		ids = append(ids, plan.SafetyPlan.CreatedBy)
	}
	for _, d := range deliveries {
		ids = append(ids, d.ProviderUserID, d.CreatedBy)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// careContext is what building the care sections needs besides the records themselves.
type careContext struct {
	h     *Handler
	r     *http.Request
	lang  i18n.Lang
	staff app.RecordStaff
	done  string
	// catalogue is every social service, retired ones too, for naming deliveries and offering services.
	catalogue []aman.Service
}

// notice is the confirmation of the request's ?done= when it is one of values, else "".
func (c careContext) notice(values ...string) string {
	if c.done == "" || !slices.Contains(values, c.done) {
		return ""
	}
	return c.h.bundle.T(c.lang, "case.done."+c.done)
}

// name is how a page names the member of staff with id; "" for none.
func (c careContext) name(id string) string {
	if id == "" {
		return ""
	}
	if m, ok := c.staff.Names[id]; ok {
		return m.DisplayName
	}
	return id
}

// staffOptions offers the people a form may name, with an empty first choice, selected chosen.
func (c careContext) staffOptions(chosen string) []option {
	options := []option{{Value: "", Label: c.h.bundle.T(c.lang, "case.care.nobody"), Selected: chosen == ""}}
	for _, m := range c.staff.Choices {
		options = append(options, option{Value: m.ID, Label: m.DisplayName + " · " + c.h.bundle.T(c.lang, "role."+string(m.Role)),
			Selected: m.ID == chosen})
	}
	return options
}

// codeOptions offers codes labelled by the catalog keys prefix+code, selected chosen.
func (c careContext) codeOptions(prefix string, codes []string, chosen string) []option {
	options := make([]option, 0, len(codes))
	for _, code := range codes {
		options = append(options, option{Value: code, Label: c.h.bundle.T(c.lang, prefix+code), Selected: code == chosen})
	}
	return options
}

// day shows a stored calendar day (midnight in Qatar) as a form and a page write it; "" for none.
func (c careContext) day(t time.Time) string { return careDay(t, c.h.zone) }

func careDay(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zone).Format(dayLayout)
}

// checkbox is one choice of a group of checkboxes.
type checkbox struct {
	Value   string
	Checked bool
}

func checkboxes(codes, checked []string) []checkbox {
	out := make([]checkbox, 0, len(codes))
	for _, code := range codes {
		out = append(out, checkbox{Value: code, Checked: slices.Contains(checked, code)})
	}
	return out
}

// listIndex is the position app puts on an error about one item of a list ("acts[2]"); the form shows
// it beside the list.
var listIndex = regexp.MustCompile(`\[\d+\]$`)

// redirectCare ends a successful post on a care section: 303 to the case, at the section, with its
// confirmation. The address names the action only.
func redirectCare(w http.ResponseWriter, r *http.Request, caseID, done, anchor string) {
	http.Redirect(w, r, "/cases/"+url.PathEscape(caseID)+"?done="+done+"#"+anchor, http.StatusSeeOther)
}

// showCareProblem brings the case page back after a failed post on a care section: the problem beside
// its field and what was typed in place, put into the section's form by fill. fields are the names of
// the form's inputs: a problem app reports on any other field is shown above the form, so none is lost.
// An error that is not about what was typed, or a form the reader is no longer offered (fill returns
// false), gets the error page instead.
func (h *Handler) showCareProblem(w http.ResponseWriter, r *http.Request, err error, fields []string, fill func(care *caseCareView, state formState) bool) {
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	view, loadErr := h.casePage(r, nil)
	if loadErr != nil {
		h.Errors(w, r, loadErr)
		return
	}
	if view.Care == nil || !view.Care.MayEdit || !fill(view.Care, placeErrors(state, fields)) {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, statusOf(err), viewCase, "case.title", view)
}

// placeErrors puts each field's problem where the form shows it: a problem with one item of a list
// ("acts[2]") beside the list, and one about a field the form does not have above the form.
func placeErrors(state formState, fields []string) formState {
	if len(state.Errors) == 0 {
		return state
	}
	placed := fieldErrors{}
	for field, message := range state.Errors {
		field = listIndex.ReplaceAllString(field, "")
		switch {
		case slices.Contains(fields, field):
			placed[field] = message
		case state.Error == "":
			state.Error = message
		}
	}
	state.Errors = placed
	return state
}
