package web

import (
	"slices"

	"aman.qa/aman"
	"aman.qa/aman/app"
)

// caseCarePlanView is the case's care plan: its goals by track, each with its status, due day, the
// person who answers for it, its interventions and progress notes, and the day the plan is reviewed.
type caseCarePlanView struct {
	ReviewOn string
	Tracks   []goalTrackView
	// Review and GoalForm are nil for those who may not change the case; so are each goal's forms.
	Review   *planReviewForm
	GoalForm *goalForm
	Notice   string
}

type goalTrackView struct {
	Track string
	Goals []goalView
}

type goalView struct {
	ID               string
	Description      string
	Status           string
	DueOn            string
	Responsible      string
	Interventions    []interventionView
	ProgressNotes    []progressNoteView
	StatusForm       *goalStatusForm
	InterventionForm *interventionForm
	NoteForm         *progressNoteForm
	// Notice confirms a change made to this goal.
	Notice string
}

type interventionView struct {
	Description string
	Status      string
	DueOn       string
	Responsible string
}

type progressNoteView struct {
	Text string
	By   string
	At   shownTime
}

type planReviewForm struct {
	ReviewOn string
	formState
}

// careItemFields are the fields a goal and an intervention share. Prefix makes the ids of their inputs
// unique on the page, which shows a form per goal.
type careItemFields struct {
	Prefix      string
	Description string
	Responsible []option
	DueOn       string
	Statuses    []option
}

// goalForm adds a goal. Status starts as planned.
type goalForm struct {
	Tracks []option
	careItemFields
	formState
}

type goalStatusForm struct {
	Statuses []option
	formState
}

// interventionForm adds an intervention to a goal. Open keeps it unfolded when it comes back with a
// problem.
type interventionForm struct {
	careItemFields
	Open bool
	formState
}

type progressNoteForm struct {
	Text string
	Open bool
	formState
}

func goalStatusCodes() []string {
	var out []string
	for _, s := range aman.GoalStatuses() {
		out = append(out, string(s))
	}
	return out
}

func (c careContext) carePlanSection(plan app.CarePlan) caseCarePlanView {
	v := caseCarePlanView{ReviewOn: c.day(plan.ReviewOn), Notice: c.notice(doneGoal, donePlanReview)}
	goalDone := c.r.URL.Query().Get("goal")
	for _, track := range aman.Tracks() {
		t := goalTrackView{Track: string(track)}
		for _, g := range plan.Goals {
			if g.Track != track {
				continue
			}
			gv := goalView{ID: g.ID, Description: g.Description, Status: string(g.Status), DueOn: c.day(g.DueOn), Responsible: c.name(g.ResponsibleUserID)}
			if g.ID == goalDone {
				gv.Notice = c.notice(doneGoalStatus, doneIntervention, doneProgressNote)
			}
			for _, iv := range g.Interventions {
				gv.Interventions = append(gv.Interventions, interventionView{Description: iv.Description, Status: string(iv.Status),
					DueOn: c.day(iv.DueOn), Responsible: c.name(iv.ResponsibleUserID)})
			}
			for _, n := range g.ProgressNotes {
				gv.ProgressNotes = append(gv.ProgressNotes, progressNoteView{Text: n.Text, By: c.name(n.CreatedBy), At: showTime(n.CreatedAt, c.h.zone)})
			}
			if c.staff.MayEdit {
				gv.StatusForm = &goalStatusForm{Statuses: c.codeOptions("care.status.", goalStatusCodes(), string(g.Status))}
				gv.InterventionForm = c.newInterventionForm(g.ID, app.InterventionInput{})
				gv.NoteForm = &progressNoteForm{}
			}
			t.Goals = append(t.Goals, gv)
		}
		if len(t.Goals) > 0 {
			v.Tracks = append(v.Tracks, t)
		}
	}
	if c.staff.MayEdit {
		v.Review = &planReviewForm{ReviewOn: v.ReviewOn}
		v.GoalForm = c.newGoalForm(app.GoalInput{})
	}
	return v
}

func (c careContext) newGoalForm(typed app.GoalInput) *goalForm {
	var tracks []string
	for _, t := range aman.Tracks() {
		tracks = append(tracks, string(t))
	}
	offered := append([]option{{Value: "", Label: c.h.bundle.T(c.lang, "case.care_plan.track_choose"), Selected: typed.Track == ""}},
		c.codeOptions("care.track.", tracks, typed.Track)...)
	return &goalForm{Tracks: offered, careItemFields: c.itemFields("goal-new", typed.Description, typed.ResponsibleUserID, typed.DueOn, typed.Status)}
}

func (c careContext) newInterventionForm(goalID string, typed app.InterventionInput) *interventionForm {
	return &interventionForm{careItemFields: c.itemFields("goal-"+goalID+"-intervention", typed.Description, typed.ResponsibleUserID,
		typed.DueOn, typed.Status)}
}

// itemFields fills the shared fields as typed; a new goal or intervention starts as planned.
func (c careContext) itemFields(prefix, description, responsible, dueOn, status string) careItemFields {
	if status == "" {
		status = string(aman.GoalPlanned)
	}
	return careItemFields{Prefix: prefix, Description: description, Responsible: c.staffOptions(responsible), DueOn: dueOn,
		Statuses: c.codeOptions("care.status.", goalStatusCodes(), status)}
}

// goalOnPage finds the goal with id among the plan's tracks; nil when it is not there.
func (v *caseCarePlanView) goalOnPage(id string) *goalView {
	for i := range v.Tracks {
		if at := slices.IndexFunc(v.Tracks[i].Goals, func(g goalView) bool { return g.ID == id }); at >= 0 {
			return &v.Tracks[i].Goals[at]
		}
	}
	return nil
}
