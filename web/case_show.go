package web

import (
	"context"
	"net/http"
	"slices"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewCase = "case_show"

// caseView is the case page: the file's facts, the person it serves, the people on it, and for a
// supervisor the form that changes who they are.
type caseView struct {
	ID       string
	Number   string
	Status   aman.CaseStatus
	Priority aman.Priority
	NameAR   string
	NameEN   string
	// Unit is the unit's name in the page's language; "" for a case without a unit.
	Unit     string
	Worker   *staffView
	Team     []staffView
	OpenedAt shownTime
	// BreakGlass is set when the page is open on a break-glass grant, which ends at BreakGlassEnds.
	BreakGlass     bool
	BreakGlassEnds shownTime
	Notice         string
	// Assignment is the supervisor's form; nil for everyone who may not assign the case.
	Assignment *caseAssignmentForm
	// Care is the protection and care work: risk, incidents, assessment, care and safety plans, services.
	Care *caseCareView
	// Work is the sections on the case's work: lifecycle, timeline, tasks, people, notes, documents,
	// consent and referrals (case_work.go); nil in a UI built without them.
	Work *caseWork
}

// staffView is a member of staff on a case page. Role is shown through its catalog key.
type staffView struct {
	ID   string
	Name string
	Role aman.Role
}

// staffChoice is one person the assignment form offers.
type staffChoice struct {
	staffView
	Selected bool
}

// caseAssignmentForm chooses a case's worker and team among the people app.Cases.Staff offers.
type caseAssignmentForm struct {
	Workers []staffChoice
	Team    []staffChoice
	formState
}

// What a successful post on a case reports after its redirect, as ?done=….
const doneCaseAssignment = "assignment"

// showCase opens a case for someone who needs to know. A colleague to whom the case is not open is
// offered break-glass instead, with the status (403) that tells a script it was refused.
func (h *Handler) showCase(w http.ResponseWriter, r *http.Request) {
	view, err := h.casePage(r, nil)
	if err != nil {
		h.showCaseRefusal(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == doneCaseAssignment {
		view.Notice = h.bundle.T(langOf(r), "case.done.assignment")
	}
	h.show(w, r, http.StatusOK, viewCase, "case.title", view)
}

// casePage loads the case named by the path. Each read goes through app, so need-to-know is decided
// and audited there: the case read, then the person's record (an audited read of its own). The
// assignment form shows typed when a failed save brings the page back, and the case's current
// assignment otherwise.
func (h *Handler) casePage(r *http.Request, typed *app.CaseAssignment) (view caseView, err error) {
	err = h.cases.Together(r.Context(), func(ctx context.Context) error {
		view, err = h.loadCasePage(r.WithContext(ctx), typed)
		return err
	})
	return view, err
}

// loadCasePage gathers the case page's parts, each through its own use case.
func (h *Handler) loadCasePage(r *http.Request, typed *app.CaseAssignment) (caseView, error) {
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	id := r.PathValue("id")
	k, err := h.cases.Get(ctx, actor, id)
	if err != nil {
		return caseView{}, err
	}
	staff, err := h.cases.Staff(ctx, actor, id)
	if err != nil {
		return caseView{}, err
	}
	person, err := h.beneficiaries.Get(ctx, actor, k.BeneficiaryID)
	if err != nil {
		return caseView{}, err
	}
	view := caseView{
		ID: k.ID, Number: k.Number, Status: k.Status, Priority: k.Priority, NameAR: person.NameAR, NameEN: person.NameEN,
		OpenedAt: showTime(k.OpenedAt, h.zone),
	}
	if staff.Unit.ID != "" {
		view.Unit = unitName(langOf(r), staff.Unit)
	}
	if k.AssignedWorkerID != "" {
		worker := newStaffView(staff.Worker)
		view.Worker = &worker
	}
	for _, m := range staff.Team {
		view.Team = append(view.Team, newStaffView(m))
	}
	if k.AccessBasis == policy.BasisBreakGlass {
		view.BreakGlass, view.BreakGlassEnds = true, showTime(k.BreakGlassExpireAt, h.zone)
	}
	if staff.MayAssign {
		chosen := app.CaseAssignment{WorkerID: k.AssignedWorkerID, TeamIDs: k.TeamUserIDs}
		if typed != nil {
			chosen = *typed
		}
		view.Assignment = newCaseAssignmentForm(staff.Candidates, chosen)
	}
	if view.Care, err = h.caseCare(r, k, person); err != nil {
		return caseView{}, err
	}
	if view.Work, err = h.loadCaseWork(r, k); err != nil {
		return caseView{}, err
	}
	return view, nil
}

func newStaffView(m app.StaffMember) staffView {
	return staffView{ID: m.ID, Name: m.DisplayName, Role: m.Role}
}

// newCaseAssignmentForm offers every candidate as worker and as team member, with chosen selected.
func newCaseAssignmentForm(candidates []app.StaffMember, chosen app.CaseAssignment) *caseAssignmentForm {
	form := &caseAssignmentForm{}
	for _, m := range candidates {
		form.Workers = append(form.Workers, staffChoice{staffView: newStaffView(m), Selected: m.ID == chosen.WorkerID})
		form.Team = append(form.Team, staffChoice{staffView: newStaffView(m), Selected: slices.Contains(chosen.TeamIDs, m.ID)})
	}
	return form
}
