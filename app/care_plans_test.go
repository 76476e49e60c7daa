package app_test

import (
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
)

func TestCarePlanGoalsInterventionsAndNotes(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	other := openCase(t, env, s.workerA)

	vocational, err := env.CarePlans.AddGoal(ctx, s.workerA, k.ID, app.GoalInput{Track: "vocational", Description: "Finish the sewing course",
		ResponsibleUserID: s.workerB.UserID, DueOn: "2026-06-30"})
	if err != nil || vocational.Status != aman.GoalPlanned || vocational.DueOn.Format(time.DateOnly) != "2026-06-30" {
		t.Fatalf("add goal: %+v %v", vocational, err)
	}
	legal, err := env.CarePlans.AddGoal(ctx, s.workerA, k.ID, app.GoalInput{Track: "legal", Description: "Custody hearing", Status: "in_progress"})
	if err != nil {
		t.Fatal(err)
	}
	session, err := env.CarePlans.AddIntervention(ctx, s.workerA, k.ID, vocational.ID, app.InterventionInput{Description: "Enrol at the training centre", DueOn: "2026-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	achieved := "achieved"
	if iv, err := env.CarePlans.ChangeIntervention(ctx, s.workerA, k.ID, vocational.ID, session.ID, app.InterventionChange{Status: &achieved}); err != nil ||
		iv.Status != aman.GoalAchieved || iv.Description != "Enrol at the training centre" || iv.DueOn.Format(time.DateOnly) != "2026-04-01" {
		t.Fatalf("change intervention: %+v %v", iv, err)
	}
	for _, text := range []string{"Attended the first two weeks", "Missed a week: childcare"} {
		if _, err := env.CarePlans.AddProgressNote(ctx, s.workerA, k.ID, vocational.ID, text); err != nil {
			t.Fatal(err)
		}
		env.Clock.Advance(time.Minute)
	}
	inProgress, noDay, nobody := "in_progress", "", ""
	if g, err := env.CarePlans.ChangeGoal(ctx, s.workerA, k.ID, vocational.ID, app.GoalChange{Status: &inProgress, DueOn: &noDay, ResponsibleUserID: &nobody}); err != nil ||
		g.Status != aman.GoalInProgress || !g.DueOn.IsZero() || g.ResponsibleUserID != "" || g.Description != "Finish the sewing course" {
		t.Fatalf("change goal: %+v %v", g, err)
	}
	if _, err := env.CarePlans.SetReviewDate(ctx, s.workerA, k.ID, "2026-04-15"); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Stay with her sister in Al Wakra", "Shelter villa 2 if he finds the sister's house"} {
		sp, err := env.CarePlans.SaveSafetyPlan(ctx, s.workerA, k.ID, text, "2026-03-22")
		if err != nil || sp.Version != i+1 {
			t.Fatalf("safety plan %d: %+v %v", i+1, sp, err)
		}
	}

	plan, err := env.CarePlans.Plan(ctx, s.supervisor, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Goals) != 2 || plan.Goals[0].ID != vocational.ID || plan.Goals[1].ID != legal.ID || plan.ReviewOn.Format(time.DateOnly) != "2026-04-15" {
		t.Fatalf("plan: %+v", plan)
	}
	g := plan.Goals[0]
	if len(g.Interventions) != 1 || g.Interventions[0].Status != aman.GoalAchieved || len(g.ProgressNotes) != 2 ||
		g.ProgressNotes[0].Text != "Attended the first two weeks" || g.ProgressNotes[1].Text != "Missed a week: childcare" {
		t.Fatalf("goal read back: %+v", g)
	}
	if len(plan.Goals[1].Interventions) != 0 || plan.Goals[1].Status != aman.GoalInProgress {
		t.Fatalf("second goal: %+v", plan.Goals[1])
	}
	if plan.SafetyPlan == nil || plan.SafetyPlan.Version != 2 || plan.SafetyPlan.Text != "Shelter villa 2 if he finds the sister's house" ||
		plan.SafetyPlan.ReviewOn.Format(time.DateOnly) != "2026-03-22" {
		t.Fatalf("safety plan: %+v", plan.SafetyPlan)
	}
	if empty, err := env.CarePlans.Plan(ctx, s.workerA, other.ID); err != nil || len(empty.Goals) != 0 || empty.SafetyPlan != nil || !empty.ReviewOn.IsZero() {
		t.Fatalf("an empty plan: %+v %v", empty, err)
	}
	if _, err := env.CarePlans.SafetyPlan(ctx, s.workerA, other.ID); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("safety plan of a case without one: %v", err)
	}

	// A goal is reached only through its own case.
	if _, err := env.CarePlans.AddIntervention(ctx, s.workerA, other.ID, vocational.ID, app.InterventionInput{Description: "x"}); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("intervention through another case: %v", err)
	}
	if _, err := env.CarePlans.AddProgressNote(ctx, s.workerA, other.ID, vocational.ID, "x"); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("note through another case: %v", err)
	}
	if _, err := env.CarePlans.ChangeIntervention(ctx, s.workerA, k.ID, legal.ID, session.ID, app.InterventionChange{Status: &achieved}); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("intervention through another goal: %v", err)
	}
}

func TestCarePlanInputIsChecked(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	tests := []struct {
		name      string
		in        app.GoalInput
		wantCode  string
		wantField string
	}{
		{"no track", app.GoalInput{Description: "x"}, aman.ERequired, "track"},
		{"unknown track", app.GoalInput{Track: "spiritual", Description: "x"}, aman.EInvalidTrack, "track"},
		{"no description", app.GoalInput{Track: "health", Description: "  "}, aman.ERequired, "description"},
		{"unknown status", app.GoalInput{Track: "health", Description: "x", Status: "done"}, aman.EInvalidGoalStatus, "status"},
		{"bad due day", app.GoalInput{Track: "health", Description: "x", DueOn: "next week"}, aman.EInvalidDate, "due_on"},
		{"administrator responsible", app.GoalInput{Track: "health", Description: "x", ResponsibleUserID: s.admin.UserID}, aman.ENotStaff, "responsible_user_id"},
		{"nobody responsible", app.GoalInput{Track: "health", Description: "x", ResponsibleUserID: "no-such-user"}, aman.ENotStaff, "responsible_user_id"},
		{"every track is accepted", app.GoalInput{Track: "shelter_safety", Description: "x", Status: "dropped"}, "", ""},
	}
	for _, tc := range tests {
		if _, err := env.CarePlans.AddGoal(ctx, s.workerA, k.ID, tc.in); aman.ErrorCode(err) != tc.wantCode && !(tc.wantCode == "" && err == nil) || aman.ErrorField(err) != tc.wantField {
			t.Errorf("%s: %v (field %q)", tc.name, err, aman.ErrorField(err))
		}
	}
	for _, track := range aman.Tracks() {
		if _, err := env.CarePlans.AddGoal(ctx, s.workerA, k.ID, app.GoalInput{Track: string(track), Description: "goal"}); err != nil {
			t.Errorf("track %s: %v", track, err)
		}
	}
	if _, err := env.CarePlans.SaveSafetyPlan(ctx, s.workerA, k.ID, "Call 919", ""); aman.ErrorCode(err) != aman.ERequired || aman.ErrorField(err) != "review_on" {
		t.Errorf("safety plan without a review day: %v", err)
	}
	if _, err := env.CarePlans.SaveSafetyPlan(ctx, s.workerA, k.ID, " ", "2026-04-01"); aman.ErrorCode(err) != aman.ERequired || aman.ErrorField(err) != "text" {
		t.Errorf("empty safety plan: %v", err)
	}
	if _, err := env.CarePlans.AddProgressNote(ctx, s.workerA, k.ID, "no-such-goal", "x"); aman.ErrorCode(err) != aman.ENotFound {
		t.Errorf("note on no goal: %v", err)
	}
}
