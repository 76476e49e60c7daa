package app

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// CarePlans are the rehabilitation plans of cases: goals per track with their interventions and
// progress notes, the plan's review date, and the safety plan.
type CarePlans struct {
	Deps
}

// Free-text bounds, in characters.
const (
	maxGoalText = 5000
	maxPlanText = 20000
)

// CarePlan is a case's whole plan as one screen shows it.
type CarePlan struct {
	CaseID string
	// ReviewOn is the day the plan is next reviewed; zero when none is set.
	ReviewOn time.Time
	Goals    []aman.Goal
	// SafetyPlan is the latest safety plan, nil when the case has none.
	SafetyPlan *aman.SafetyPlan
}

// GoalInput is a new goal.
type GoalInput struct {
	Track             string
	Description       string
	ResponsibleUserID string
	// DueOn is YYYY-MM-DD, optional.
	DueOn string
	// Status defaults to planned.
	Status string
}

// GoalChange changes the fields it sets; nil leaves a field as it is. An empty DueOn clears the day.
type GoalChange struct {
	Description       *string
	ResponsibleUserID *string
	DueOn             *string
	Status            *string
}

// InterventionInput is a new intervention on a goal.
type InterventionInput struct {
	Description       string
	ResponsibleUserID string
	DueOn             string
	Status            string
}

// InterventionChange is GoalChange for an intervention.
type InterventionChange = GoalChange

// planItem is what goals and interventions share: the fields a form sets and a change edits.
type planItem struct {
	description string
	responsible string
	dueOn       time.Time
	status      aman.GoalStatus
}

// apply validates the change c on top of item, as the form would: a description and a status are
// always required, a responsible person must be staff who work on cases.
func (item planItem) apply(ctx context.Context, tx *store.Tx, c GoalChange) (planItem, error) {
	var err error
	if c.Description != nil {
		if item.description, err = boundedText("description", *c.Description, maxGoalText); err != nil {
			return item, err
		}
	}
	if item.description == "" {
		return item, aman.FieldError("description", aman.ERequired)
	}
	if c.Status != nil {
		item.status = aman.GoalStatus(*c.Status)
	}
	if !item.status.Valid() {
		return item, aman.FieldError("status", aman.EInvalidGoalStatus)
	}
	if c.DueOn != nil {
		if item.dueOn, err = parseQatarDay("due_on", *c.DueOn); err != nil {
			return item, err
		}
	}
	if c.ResponsibleUserID != nil && *c.ResponsibleUserID != item.responsible {
		item.responsible = *c.ResponsibleUserID
		if item.responsible != "" {
			if err := checkStaffMember(ctx, tx, "responsible_user_id", item.responsible); err != nil {
				return item, err
			}
		}
	}
	return item, nil
}

// asChange is a new item's input as a change on an empty one, so creation and editing validate alike.
func asChange(description, responsible, dueOn, status string) GoalChange {
	if status == "" {
		status = string(aman.GoalPlanned)
	}
	return GoalChange{Description: &description, ResponsibleUserID: &responsible, DueOn: &dueOn, Status: &status}
}

// AddGoal adds a goal to a case's plan.
func (p *CarePlans) AddGoal(ctx context.Context, actor aman.Actor, caseID string, in GoalInput) (aman.Goal, error) {
	g := aman.Goal{ID: newID(), CaseID: caseID, Track: aman.Track(in.Track), CreatedBy: actor.UserID}
	if in.Track == "" {
		return g, aman.FieldError("track", aman.ERequired)
	}
	if !g.Track.Valid() {
		return g, aman.FieldError("track", aman.EInvalidTrack)
	}
	err := p.onCaseRecords(ctx, actor, caseID, true, "care_goal.create", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		item, err := planItem{}.apply(ctx, tx, asChange(in.Description, in.ResponsibleUserID, in.DueOn, in.Status))
		if err != nil {
			return nil, err
		}
		g.Description, g.ResponsibleUserID, g.DueOn, g.Status = item.description, item.responsible, item.dueOn, item.status
		g.CreatedAt, g.UpdatedAt = tx.Now, tx.Now
		sealed, err := p.Keys.Row("care_goals", g.ID).Seal("description", g.Description)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_goals (id, case_id, track, description_sealed, responsible_user_id, due_on, status,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			g.ID, caseID, string(g.Track), sealed, nullable(g.ResponsibleUserID), store.NullMillis(g.DueOn), string(g.Status), actor.UserID,
			store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		return map[string]string{"goal": g.ID, "track": string(g.Track)}, nil
	})
	return g, err
}

// ChangeGoal edits a goal of the case: its description, responsible person, due day or status.
func (p *CarePlans) ChangeGoal(ctx context.Context, actor aman.Actor, caseID, goalID string, c GoalChange) (aman.Goal, error) {
	var g aman.Goal
	err := p.onCaseRecords(ctx, actor, caseID, true, "care_goal.update", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		goals, err := p.loadGoals(ctx, tx, caseID, goalID)
		if err != nil {
			return nil, err
		}
		if len(goals) == 0 {
			return nil, aman.Errorf(aman.ENotFound, "no such goal on the case")
		}
		g = goals[0]
		item, err := planItem{g.Description, g.ResponsibleUserID, g.DueOn, g.Status}.apply(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		g.Description, g.ResponsibleUserID, g.DueOn, g.Status, g.UpdatedAt = item.description, item.responsible, item.dueOn, item.status, tx.Now
		sealed, err := p.Keys.Row("care_goals", g.ID).Seal("description", g.Description)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_goals SET description_sealed = $1, responsible_user_id = $2, due_on = $3, status = $4,
			updated_at = $5 WHERE id = $6`, sealed, nullable(g.ResponsibleUserID), store.NullMillis(g.DueOn), string(g.Status),
			store.Millis(tx.Now), g.ID); err != nil {
			return nil, err
		}
		return map[string]string{"goal": g.ID, "status": string(g.Status)}, nil
	})
	return g, err
}

// goalOnCase makes sure goalID is a goal of the case, so a path cannot attach work to another case's goal.
func goalOnCase(ctx context.Context, tx *store.Tx, caseID, goalID string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM care_goals WHERE id = $1 AND case_id = $2`, goalID, caseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return aman.Errorf(aman.ENotFound, "no such goal on the case")
	}
	return nil
}

// AddIntervention adds an intervention to a goal of the case.
func (p *CarePlans) AddIntervention(ctx context.Context, actor aman.Actor, caseID, goalID string, in InterventionInput) (aman.Intervention, error) {
	iv := aman.Intervention{ID: newID(), GoalID: goalID}
	err := p.onCaseRecords(ctx, actor, caseID, true, "care_intervention.create", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		if err := goalOnCase(ctx, tx, caseID, goalID); err != nil {
			return nil, err
		}
		item, err := planItem{}.apply(ctx, tx, asChange(in.Description, in.ResponsibleUserID, in.DueOn, in.Status))
		if err != nil {
			return nil, err
		}
		iv.Description, iv.ResponsibleUserID, iv.DueOn, iv.Status = item.description, item.responsible, item.dueOn, item.status
		iv.CreatedAt, iv.UpdatedAt = tx.Now, tx.Now
		sealed, err := p.Keys.Row("care_interventions", iv.ID).Seal("description", iv.Description)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_interventions (id, goal_id, case_id, description_sealed, responsible_user_id, due_on,
			status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			iv.ID, goalID, caseID, sealed, nullable(iv.ResponsibleUserID), store.NullMillis(iv.DueOn), string(iv.Status), actor.UserID,
			store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		return map[string]string{"goal": goalID, "intervention": iv.ID}, nil
	})
	return iv, err
}

// ChangeIntervention edits an intervention of a goal of the case.
func (p *CarePlans) ChangeIntervention(ctx context.Context, actor aman.Actor, caseID, goalID, interventionID string, c InterventionChange) (aman.Intervention, error) {
	var iv aman.Intervention
	err := p.onCaseRecords(ctx, actor, caseID, true, "care_intervention.update", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		all, err := p.loadInterventions(ctx, tx, caseID, interventionID)
		if err != nil {
			return nil, err
		}
		if len(all) == 0 || all[0].GoalID != goalID {
			return nil, aman.Errorf(aman.ENotFound, "no such intervention on the goal")
		}
		iv = all[0]
		item, err := planItem{iv.Description, iv.ResponsibleUserID, iv.DueOn, iv.Status}.apply(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		iv.Description, iv.ResponsibleUserID, iv.DueOn, iv.Status, iv.UpdatedAt = item.description, item.responsible, item.dueOn, item.status, tx.Now
		sealed, err := p.Keys.Row("care_interventions", iv.ID).Seal("description", iv.Description)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE care_interventions SET description_sealed = $1, responsible_user_id = $2, due_on = $3,
			status = $4, updated_at = $5 WHERE id = $6`, sealed, nullable(iv.ResponsibleUserID), store.NullMillis(iv.DueOn), string(iv.Status),
			store.Millis(tx.Now), iv.ID); err != nil {
			return nil, err
		}
		return map[string]string{"goal": goalID, "intervention": iv.ID, "status": string(iv.Status)}, nil
	})
	return iv, err
}

// AddProgressNote adds a dated note on how a goal is going. Notes are never edited: a correction is a
// new note.
func (p *CarePlans) AddProgressNote(ctx context.Context, actor aman.Actor, caseID, goalID, text string) (aman.ProgressNote, error) {
	n := aman.ProgressNote{ID: newID(), GoalID: goalID, CreatedBy: actor.UserID}
	var err error
	if n.Text, err = boundedText("text", text, maxPlanText); err != nil {
		return n, err
	}
	if n.Text == "" {
		return n, aman.FieldError("text", aman.ERequired)
	}
	sealed, err := p.Keys.Row("care_progress_notes", n.ID).Seal("note", n.Text)
	if err != nil {
		return n, err
	}
	err = p.onCaseRecords(ctx, actor, caseID, true, "care_progress_note.create", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		if err := goalOnCase(ctx, tx, caseID, goalID); err != nil {
			return nil, err
		}
		n.CreatedAt = tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO care_progress_notes (id, goal_id, case_id, note_sealed, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, n.ID, goalID, caseID, sealed, actor.UserID, store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		return map[string]string{"goal": goalID, "progress_note": n.ID}, nil
	})
	return n, err
}

// SetReviewDate sets (or, with "", clears) the day the case's plan is next reviewed.
func (p *CarePlans) SetReviewDate(ctx context.Context, actor aman.Actor, caseID, reviewOn string) (time.Time, error) {
	day, err := parseQatarDay("review_on", reviewOn)
	if err != nil {
		return day, err
	}
	err = p.onCaseRecords(ctx, actor, caseID, true, "care_plan.update", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO care_plans (case_id, review_on, updated_by, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (case_id) DO UPDATE SET review_on = excluded.review_on, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			caseID, store.NullMillis(day), actor.UserID, store.Millis(tx.Now))
		return nil, err
	})
	return day, err
}

// Plan returns the case's whole plan: goals in the order they were set, each with its interventions
// and progress notes, the review date and the latest safety plan. It reads a fixed number of queries
// however many goals there are. The read is audited.
func (p *CarePlans) Plan(ctx context.Context, actor aman.Actor, caseID string) (CarePlan, error) {
	plan := CarePlan{CaseID: caseID}
	err := p.onCaseRecords(ctx, actor, caseID, false, "care_plan.read", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		var review sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT review_on FROM care_plans WHERE case_id = $1`, caseID).Scan(&review)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		plan.ReviewOn = dayFrom(review)
		if plan.Goals, err = p.loadGoals(ctx, tx, caseID, ""); err != nil {
			return nil, err
		}
		at := map[string]int{}
		for i, g := range plan.Goals {
			at[g.ID] = i
		}
		interventions, err := p.loadInterventions(ctx, tx, caseID, "")
		if err != nil {
			return nil, err
		}
		for _, iv := range interventions {
			g := &plan.Goals[at[iv.GoalID]]
			g.Interventions = append(g.Interventions, iv)
		}
		notes, err := p.loadProgressNotes(ctx, tx, caseID)
		if err != nil {
			return nil, err
		}
		for _, n := range notes {
			g := &plan.Goals[at[n.GoalID]]
			g.ProgressNotes = append(g.ProgressNotes, n)
		}
		safety, err := p.latestSafetyPlan(ctx, tx, caseID)
		if err == nil {
			plan.SafetyPlan = &safety
		} else if aman.ErrorCode(err) != aman.ENotFound {
			return nil, err
		}
		return map[string]string{"goals": strconv.Itoa(len(plan.Goals))}, nil
	})
	return plan, err
}

// loadGoals reads the case's goals, or only goalID when given, without interventions or notes.
func (p *CarePlans) loadGoals(ctx context.Context, tx *store.Tx, caseID, goalID string) ([]aman.Goal, error) {
	query, args := `SELECT id, track, description_sealed, responsible_user_id, due_on, status, created_by, created_at, updated_at
		FROM care_goals WHERE case_id = $1`, []any{caseID}
	if goalID != "" {
		query, args = query+` AND id = $2`, append(args, goalID)
	}
	rows, err := tx.QueryContext(ctx, query+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aman.Goal
	for rows.Next() {
		g := aman.Goal{CaseID: caseID}
		var track, status string
		var sealed seal.Sealed
		var responsible sql.NullString
		var due sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&g.ID, &track, &sealed, &responsible, &due, &status, &g.CreatedBy, &created, &updated); err != nil {
			return nil, err
		}
		g.Track, g.Status, g.ResponsibleUserID, g.DueOn = aman.Track(track), aman.GoalStatus(status), responsible.String, dayFrom(due)
		g.CreatedAt, g.UpdatedAt = store.Time(created), store.Time(updated)
		if g.Description, err = p.Keys.Row("care_goals", g.ID).Open("description", sealed); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// loadInterventions reads the case's interventions, or only interventionID when given.
func (p *CarePlans) loadInterventions(ctx context.Context, tx *store.Tx, caseID, interventionID string) ([]aman.Intervention, error) {
	query, args := `SELECT id, goal_id, description_sealed, responsible_user_id, due_on, status, created_at, updated_at
		FROM care_interventions WHERE case_id = $1`, []any{caseID}
	if interventionID != "" {
		query, args = query+` AND id = $2`, append(args, interventionID)
	}
	rows, err := tx.QueryContext(ctx, query+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aman.Intervention
	for rows.Next() {
		var iv aman.Intervention
		var status string
		var sealed seal.Sealed
		var responsible sql.NullString
		var due sql.NullInt64
		var created, updated int64
		if err := rows.Scan(&iv.ID, &iv.GoalID, &sealed, &responsible, &due, &status, &created, &updated); err != nil {
			return nil, err
		}
		iv.Status, iv.ResponsibleUserID, iv.DueOn = aman.GoalStatus(status), responsible.String, dayFrom(due)
		iv.CreatedAt, iv.UpdatedAt = store.Time(created), store.Time(updated)
		if iv.Description, err = p.Keys.Row("care_interventions", iv.ID).Open("description", sealed); err != nil {
			return nil, err
		}
		out = append(out, iv)
	}
	return out, rows.Err()
}

func (p *CarePlans) loadProgressNotes(ctx context.Context, tx *store.Tx, caseID string) ([]aman.ProgressNote, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, goal_id, note_sealed, created_by, created_at FROM care_progress_notes
		WHERE case_id = $1 ORDER BY created_at, id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aman.ProgressNote
	for rows.Next() {
		var n aman.ProgressNote
		var sealed seal.Sealed
		var created int64
		if err := rows.Scan(&n.ID, &n.GoalID, &sealed, &n.CreatedBy, &created); err != nil {
			return nil, err
		}
		n.CreatedAt = store.Time(created)
		if n.Text, err = p.Keys.Row("care_progress_notes", n.ID).Open("note", sealed); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// SaveSafetyPlan stores a new version of the case's safety plan, with the day it is next reviewed.
// Both are required: a safety plan nobody reviews goes stale while the danger changes.
func (p *CarePlans) SaveSafetyPlan(ctx context.Context, actor aman.Actor, caseID, text, reviewOn string) (aman.SafetyPlan, error) {
	sp := aman.SafetyPlan{CaseID: caseID, CreatedBy: actor.UserID}
	var err error
	if sp.Text, err = boundedText("text", text, maxPlanText); err != nil {
		return sp, err
	}
	if sp.Text == "" {
		return sp, aman.FieldError("text", aman.ERequired)
	}
	if sp.ReviewOn, err = parseQatarDay("review_on", reviewOn); err != nil {
		return sp, err
	}
	if sp.ReviewOn.IsZero() {
		return sp, aman.FieldError("review_on", aman.ERequired)
	}
	id := newID()
	sealed, err := p.Keys.Row("safety_plans", id).Seal("plan", sp.Text)
	if err != nil {
		return sp, err
	}
	err = p.onCaseRecords(ctx, actor, caseID, true, "safety_plan.create", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM safety_plans WHERE case_id = $1`, caseID).Scan(&sp.Version); err != nil {
			return nil, err
		}
		sp.CreatedAt = tx.Now
		_, err := tx.ExecContext(ctx, `INSERT INTO safety_plans (id, case_id, version, plan_sealed, review_on, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, caseID, sp.Version, sealed, store.Millis(sp.ReviewOn), actor.UserID, store.Millis(tx.Now))
		if store.IsUniqueViolation(err) {
			return nil, aman.Errorf(aman.EConflict, "safety plan version %d saved twice", sp.Version)
		}
		if err != nil {
			return nil, err
		}
		return map[string]string{"version": strconv.Itoa(sp.Version)}, nil
	})
	return sp, err
}

// SafetyPlan returns the case's current safety plan; not_found when it has none. The read is audited.
func (p *CarePlans) SafetyPlan(ctx context.Context, actor aman.Actor, caseID string) (aman.SafetyPlan, error) {
	var sp aman.SafetyPlan
	err := p.onCaseRecords(ctx, actor, caseID, false, "safety_plan.read", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		var err error
		sp, err = p.latestSafetyPlan(ctx, tx, caseID)
		return map[string]string{"version": strconv.Itoa(sp.Version)}, err
	})
	return sp, err
}

func (p *CarePlans) latestSafetyPlan(ctx context.Context, tx *store.Tx, caseID string) (aman.SafetyPlan, error) {
	sp := aman.SafetyPlan{CaseID: caseID}
	var id string
	var sealed seal.Sealed
	var review sql.NullInt64
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT id, version, plan_sealed, review_on, created_by, created_at FROM safety_plans
		WHERE case_id = $1 ORDER BY version DESC LIMIT 1`, caseID).Scan(&id, &sp.Version, &sealed, &review, &sp.CreatedBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return sp, aman.Errorf(aman.ENotFound, "the case has no safety plan")
	}
	if err != nil {
		return sp, err
	}
	sp.ReviewOn, sp.CreatedAt = dayFrom(review), store.Time(created)
	sp.Text, err = p.Keys.Row("safety_plans", id).Open("plan", sealed)
	return sp, err
}
