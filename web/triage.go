package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const (
	viewTriage       = "triage"
	viewTriageIntake = "triage_intake"
)

// triageRow is one intake of the queue: what triage needs to choose, nothing of what it says.
type triageRow struct {
	ID         string
	SourceID   string
	Channel    string
	Urgency    string
	Status     string
	Received   shownTime
	Age        string
	Timer      string
	Breached   bool
	IsReferral bool
}

// triageView is the queue page: one page of the open queue, and how many intakes the whole queue holds.
type triageView struct {
	Rows  []triageRow
	Total int
	// TotalAtLeast is set when the queue was counted only as far as app.MaxCountedQueue.
	TotalAtLeast bool
	// MoreURL opens the next page of the queue (triage_more.go); "" on its last page. FirstURL returns
	// to the head of the queue from a later page; "" on the head.
	MoreURL      string
	FirstURL     string
	MayAct       bool
	MayAnswer    bool
	MayRead      bool
	IsSupervisor bool
	OnDuty       bool
	Notice       string
}

// triageIntakeView is one intake and its decisions.
type triageIntakeView struct {
	Intake   triageRow
	MayAct   bool
	Open     bool
	Referral *app.ReferredPerson
	// RefAge is the referred person's age in years, from the birth date or the estimate.
	RefAge  int
	Query   string
	Results []personRow
	// Searched tells an empty result from no search.
	Searched bool
	// Picked is the person chosen from the results, with PickedCases: their open cases the triager may
	// open, any of which the intake can be linked to. Nil before a choice.
	Picked      *personRow
	PickedCases []personCaseView
	Reasons     []option
	formState
}

func (h *Handler) triageOnly(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.triage == nil || h.cases == nil || h.beneficiaries == nil {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}

// span is a duration as people read it: minutes, hours and minutes, or days.
func (h *Handler) span(lang i18n.Lang, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return h.bundle.T(lang, "triage.span.minutes", "n", strconv.Itoa(m))
	case m < 48*60:
		return h.bundle.T(lang, "triage.span.hours", "h", strconv.Itoa(m/60), "m", strconv.Itoa(m%60))
	}
	return h.bundle.T(lang, "triage.span.days", "n", strconv.Itoa(m/(24*60)))
}

func (h *Handler) newTriageRow(lang i18n.Lang, in aman.Intake, now time.Time) triageRow {
	row := triageRow{ID: in.ID, SourceID: in.SourceID, Channel: string(in.Channel), Urgency: string(in.Urgency), Status: string(in.Status), Received: showTime(in.ReceivedAt, h.zone),
		Breached: in.Breached, IsReferral: in.Channel == aman.ChannelReferral}
	row.Age = h.bundle.T(lang, "triage.age", "time", h.span(lang, now.Sub(in.ReceivedAt)))
	if in.Status == aman.IntakeOpen {
		if now.After(in.DueAt) {
			row.Breached = true
			row.Timer = h.bundle.T(lang, "triage.overdue_by", "time", h.span(lang, now.Sub(in.DueAt)))
		} else {
			row.Timer = h.bundle.T(lang, "triage.due_in", "time", h.span(lang, in.DueAt.Sub(now)))
		}
	}
	return row
}

// What a triage post reports after its redirect.
var triageDone = []string{"linked", "linked_case", "case_opened", "closed", "on_duty", "off_duty"}

// showTriage is a page of the open queue, most urgent and oldest first, under the size of the whole
// queue.
func (h *Handler) showTriage(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	page := queuePage(r)
	queue, err := h.triage.QueuePage(r.Context(), actor, page)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	lang, now := langOf(r), h.triage.DB.Now()
	v := triageView{Total: queue.Open, TotalAtLeast: queue.CountedInPart(), MayAct: policy.Allows(actor.Role, policy.TriageAct), MayAnswer: h.publicIntake != nil && policy.Allows(actor.Role, policy.ConsultationAnswer), MayRead: h.publicIntake != nil, IsSupervisor: actor.Role == aman.RoleSupervisor}
	for _, in := range queue.Intakes {
		v.Rows = append(v.Rows, h.newTriageRow(lang, in, now))
	}
	if queue.HasMore() {
		v.MoreURL = moreQueueURL(queue.Next)
	}
	if !page.After.IsZero() {
		v.FirstURL = firstQueueURL
	}
	if v.IsSupervisor {
		if v.OnDuty, err = h.triage.OnDuty(r.Context(), actor); err != nil {
			h.Errors(w, r, err)
			return
		}
	}
	if done := r.URL.Query().Get("done"); slices.Contains(triageDone, done) {
		v.Notice = h.bundle.T(lang, "triage.done."+done)
	}
	h.show(w, r, http.StatusOK, viewTriage, "triage.title", v)
}

// setOnDuty is a supervisor's on-duty switch.
func (h *Handler) setOnDuty(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	on := formValue(r, "on_duty") == "1"
	if err := h.triage.SetOnDuty(r.Context(), actor, on); err != nil {
		h.Errors(w, r, err)
		return
	}
	done := "off_duty"
	if on {
		done = "on_duty"
	}
	http.Redirect(w, r, "/triage?done="+done, http.StatusSeeOther)
}

func (h *Handler) intakeView(r *http.Request, actor aman.Actor) (triageIntakeView, error) {
	in, err := h.triage.Get(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return triageIntakeView{}, err
	}
	lang := langOf(r)
	v := triageIntakeView{Intake: h.newTriageRow(lang, in, h.triage.DB.Now()), MayAct: policy.Allows(actor.Role, policy.TriageAct),
		Open: in.Status == aman.IntakeOpen}
	for _, reason := range app.InfoOnlyReasons() {
		v.Reasons = append(v.Reasons, option{Value: reason, Label: h.bundle.T(lang, "triage.reason."+reason)})
	}
	if v.MayAct && in.Channel == aman.ChannelReferral && h.partnerReferrals != nil {
		p, err := h.partnerReferrals.ForIntake(r.Context(), actor, in.ID)
		if err != nil {
			return v, err
		}
		v.Referral = &p
		v.RefAge = p.Age
		if len(p.BirthDate) >= 4 {
			if y, err := strconv.Atoi(p.BirthDate[:4]); err == nil {
				v.RefAge = h.triage.DB.Now().In(h.zone).Year() - y
			}
		}
	}
	return v, nil
}

// showIntake is one intake with the decisions open to the viewer.
func (h *Handler) showIntake(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	v, err := h.intakeView(r, actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewTriageIntake, "triage.intake.title", v)
}

// searchForIntake searches the registry for the intake's person; the query travels in the body only.
func (h *Handler) searchForIntake(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	v, err := h.intakeView(r, actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	v.Query = formValue(r, "q")
	matches, err := h.beneficiaries.Search(r.Context(), actor, v.Query)
	if err != nil {
		state, ok := h.formProblem(r, err)
		if !ok {
			h.Errors(w, r, err)
			return
		}
		v.formState = state
		h.show(w, r, statusOf(err), viewTriageIntake, "triage.intake.title", v)
		return
	}
	v.Searched = true
	mayView := policy.Allows(actor.Role, policy.BeneficiaryView)
	for _, m := range matches {
		v.Results = append(v.Results, h.newPersonRow(langOf(r), m.Beneficiary, mayView))
	}
	h.show(w, r, http.StatusOK, viewTriageIntake, "triage.intake.title", v)
}

// triageFailed shows the intake page again with a decision's problem, or the error page.
func (h *Handler) triageFailed(w http.ResponseWriter, r *http.Request, actor aman.Actor, cause error) {
	state, ok := h.formProblem(r, cause)
	if !ok {
		h.Errors(w, r, cause)
		return
	}
	v, err := h.intakeView(r, actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	v.formState = state
	if v.Error == "" {
		for _, msg := range state.Errors {
			v.Error = msg
		}
	}
	h.show(w, r, statusOf(cause), viewTriageIntake, "triage.intake.title", v)
}

// linkIntake attaches the intake to a registered person, and to one of their cases when case_id names
// one (chosen from pickIntakePerson's list).
func (h *Handler) linkIntake(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	caseID := formValue(r, "case_id")
	if err := h.triage.LinkToBeneficiary(r.Context(), actor, r.PathValue("id"), formValue(r, "beneficiary_id"), caseID, h.cases); err != nil {
		h.triageFailed(w, r, actor, err)
		return
	}
	done := "linked"
	if caseID != "" {
		done = "linked_case"
	}
	http.Redirect(w, r, "/triage?done="+done, http.StatusSeeOther)
}

// openIntakeCase opens a case: for a registered person chosen from a search, or, for a partner
// referral, for the referred person registered from the referral itself.
func (h *Handler) openIntakeCase(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	var err error
	if b := formValue(r, "beneficiary_id"); b != "" {
		_, err = h.triage.OpenCase(r.Context(), actor, id, b, h.cases)
	} else if h.partnerReferrals != nil && formValue(r, "from_referral") == "1" {
		_, err = h.partnerReferrals.OpenCase(r.Context(), actor, id)
	} else {
		err = aman.FieldError("beneficiary_id", aman.ERequired)
	}
	if err != nil {
		h.triageFailed(w, r, actor, err)
		return
	}
	http.Redirect(w, r, "/triage?done=case_opened", http.StatusSeeOther)
}

// closeIntake closes an intake as information only, with a reason.
func (h *Handler) closeIntake(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	if err := h.triage.CloseAsInformation(r.Context(), actor, r.PathValue("id"), formValue(r, "reason")); err != nil {
		h.triageFailed(w, r, actor, err)
		return
	}
	http.Redirect(w, r, "/triage?done=closed", http.StatusSeeOther)
}
