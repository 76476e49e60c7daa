package api

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

type interventionOut struct {
	ID                string `json:"id"`
	GoalID            string `json:"goal_id"`
	Description       string `json:"description"`
	ResponsibleUserID string `json:"responsible_user_id,omitempty"`
	DueOn             string `json:"due_on,omitempty"`
	Status            string `json:"status"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
}

func interventionJSON(iv aman.Intervention) interventionOut {
	return interventionOut{ID: iv.ID, GoalID: iv.GoalID, Description: iv.Description, ResponsibleUserID: iv.ResponsibleUserID,
		DueOn: dayJSON(iv.DueOn), Status: string(iv.Status), CreatedAt: iv.CreatedAt.Format(timeFormat), UpdatedAt: iv.UpdatedAt.Format(timeFormat)}
}

type progressNoteOut struct {
	ID        string `json:"id"`
	GoalID    string `json:"goal_id"`
	Text      string `json:"text"`
	CreatedBy string `json:"created_by"`
	CreatedAt string `json:"created_at"`
}

func progressNoteJSON(n aman.ProgressNote) progressNoteOut {
	return progressNoteOut{ID: n.ID, GoalID: n.GoalID, Text: n.Text, CreatedBy: n.CreatedBy, CreatedAt: n.CreatedAt.Format(timeFormat)}
}

type goalOut struct {
	ID                string            `json:"id"`
	CaseID            string            `json:"case_id"`
	Track             string            `json:"track"`
	Description       string            `json:"description"`
	ResponsibleUserID string            `json:"responsible_user_id,omitempty"`
	DueOn             string            `json:"due_on,omitempty"`
	Status            string            `json:"status"`
	Interventions     []interventionOut `json:"interventions"`
	ProgressNotes     []progressNoteOut `json:"progress_notes"`
	CreatedBy         string            `json:"created_by"`
	CreatedAt         string            `json:"created_at"`
	UpdatedAt         string            `json:"updated_at"`
}

func goalJSON(g aman.Goal) goalOut {
	out := goalOut{ID: g.ID, CaseID: g.CaseID, Track: string(g.Track), Description: g.Description, ResponsibleUserID: g.ResponsibleUserID,
		DueOn: dayJSON(g.DueOn), Status: string(g.Status), Interventions: []interventionOut{}, ProgressNotes: []progressNoteOut{},
		CreatedBy: g.CreatedBy, CreatedAt: g.CreatedAt.Format(timeFormat), UpdatedAt: g.UpdatedAt.Format(timeFormat)}
	for _, iv := range g.Interventions {
		out.Interventions = append(out.Interventions, interventionJSON(iv))
	}
	for _, n := range g.ProgressNotes {
		out.ProgressNotes = append(out.ProgressNotes, progressNoteJSON(n))
	}
	return out
}

type safetyPlanOut struct {
	CaseID    string `json:"case_id"`
	Version   int    `json:"version"`
	Text      string `json:"text"`
	ReviewOn  string `json:"review_on"`
	CreatedBy string `json:"created_by"`
	CreatedAt string `json:"created_at"`
}

func safetyPlanJSON(sp aman.SafetyPlan) safetyPlanOut {
	return safetyPlanOut{CaseID: sp.CaseID, Version: sp.Version, Text: sp.Text, ReviewOn: dayJSON(sp.ReviewOn), CreatedBy: sp.CreatedBy,
		CreatedAt: sp.CreatedAt.Format(timeFormat)}
}

// getCarePlan is GET /api/v1/cases/{id}/care-plan: goals with interventions and progress notes, the
// review date and the current safety plan (null when none).
func (h *Handler) getCarePlan(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	plan, err := h.carePlans.Plan(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	goals := make([]goalOut, len(plan.Goals))
	for i, g := range plan.Goals {
		goals[i] = goalJSON(g)
	}
	var safety *safetyPlanOut
	if plan.SafetyPlan != nil {
		sp := safetyPlanJSON(*plan.SafetyPlan)
		safety = &sp
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"case_id": plan.CaseID, "review_on": dayJSON(plan.ReviewOn), "goals": goals, "safety_plan": safety})
}

// setCarePlanReview is PUT /api/v1/cases/{id}/care-plan {"review_on"}: the plan's next review ("" clears).
func (h *Handler) setCarePlanReview(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ReviewOn string `json:"review_on"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	day, err := h.carePlans.SetReviewDate(r.Context(), actor, r.PathValue("id"), body.ReviewOn)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"review_on": dayJSON(day)})
}

// interventionBody is the body of a new intervention; a new goal adds its track.
type interventionBody struct {
	Description       string `json:"description"`
	ResponsibleUserID string `json:"responsible_user_id"`
	DueOn             string `json:"due_on"`
	Status            string `json:"status"`
}

// planChangeBody is the body of a PATCH: fields left out stay as they are.
type planChangeBody struct {
	Description       *string `json:"description"`
	ResponsibleUserID *string `json:"responsible_user_id"`
	DueOn             *string `json:"due_on"`
	Status            *string `json:"status"`
}

func (b planChangeBody) change() app.GoalChange {
	return app.GoalChange{Description: b.Description, ResponsibleUserID: b.ResponsibleUserID, DueOn: b.DueOn, Status: b.Status}
}

// addGoal is POST /api/v1/cases/{id}/care-plan/goals: 201 with the goal.
func (h *Handler) addGoal(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Track string `json:"track"`
		interventionBody
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	g, err := h.carePlans.AddGoal(r.Context(), actor, r.PathValue("id"), app.GoalInput{Track: body.Track, Description: body.Description,
		ResponsibleUserID: body.ResponsibleUserID, DueOn: body.DueOn, Status: body.Status})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, goalJSON(g))
}

// changeGoal is PATCH /api/v1/cases/{id}/care-plan/goals/{goal}: 200 with the goal.
func (h *Handler) changeGoal(w http.ResponseWriter, r *http.Request) {
	var body planChangeBody
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	g, err := h.carePlans.ChangeGoal(r.Context(), actor, r.PathValue("id"), r.PathValue("goal"), body.change())
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, goalJSON(g))
}

// addIntervention is POST /api/v1/cases/{id}/care-plan/goals/{goal}/interventions: 201.
func (h *Handler) addIntervention(w http.ResponseWriter, r *http.Request) {
	var body interventionBody
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	iv, err := h.carePlans.AddIntervention(r.Context(), actor, r.PathValue("id"), r.PathValue("goal"), app.InterventionInput{
		Description: body.Description, ResponsibleUserID: body.ResponsibleUserID, DueOn: body.DueOn, Status: body.Status})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, interventionJSON(iv))
}

// changeIntervention is PATCH /api/v1/cases/{id}/care-plan/goals/{goal}/interventions/{intervention}.
func (h *Handler) changeIntervention(w http.ResponseWriter, r *http.Request) {
	var body planChangeBody
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	iv, err := h.carePlans.ChangeIntervention(r.Context(), actor, r.PathValue("id"), r.PathValue("goal"), r.PathValue("intervention"), body.change())
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, interventionJSON(iv))
}

// addProgressNote is POST /api/v1/cases/{id}/care-plan/goals/{goal}/progress-notes {"text"}: 201.
func (h *Handler) addProgressNote(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text string `json:"text"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	n, err := h.carePlans.AddProgressNote(r.Context(), actor, r.PathValue("id"), r.PathValue("goal"), body.Text)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, progressNoteJSON(n))
}

// saveSafetyPlan is PUT /api/v1/cases/{id}/safety-plan {"text","review_on"}: 200 with the new version.
func (h *Handler) saveSafetyPlan(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text     string `json:"text"`
		ReviewOn string `json:"review_on"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	sp, err := h.carePlans.SaveSafetyPlan(r.Context(), actor, r.PathValue("id"), body.Text, body.ReviewOn)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, safetyPlanJSON(sp))
}

// getSafetyPlan is GET /api/v1/cases/{id}/safety-plan: the current version; 404 when there is none.
func (h *Handler) getSafetyPlan(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	sp, err := h.carePlans.SafetyPlan(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, safetyPlanJSON(sp))
}
