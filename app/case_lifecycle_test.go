package app_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// closing is a complete request to close a case.
func closing() app.TransitionInput {
	return app.TransitionInput{To: aman.CaseClosed, ClosureReason: aman.ClosureGoalsMet, ClosureOutcome: aman.ClosureOutcomeGoalsAchieved}
}

// caseAt opens a case of worker A and walks it along the main line to stage, each approval given by the
// supervisor of the unit.
func caseAt(t *testing.T, env *apptest.Env, s staff, stage aman.CaseStatus) aman.Case {
	t.Helper()
	k := openCase(t, env, s.workerA)
	for _, next := range []aman.CaseStatus{aman.CaseAssessment, aman.CaseCarePlan, aman.CaseInProgress, aman.CaseReview, aman.CaseClosed} {
		if k.Status == stage {
			break
		}
		in := app.TransitionInput{To: next}
		if next == aman.CaseClosed {
			in = closing()
		}
		res, err := env.Cases.Transition(ctx, s.workerA, k.ID, in)
		if err != nil {
			t.Fatalf("%s → %s: %v", k.Status, next, err)
		}
		k = res.Case
		if res.Submitted {
			if k, err = env.Cases.Decide(ctx, s.supervisor, k.ID, app.DecisionInput{Decision: aman.DecisionApprove}); err != nil {
				t.Fatalf("approve %s → %s: %v", k.Status, next, err)
			}
		}
	}
	if k.Status != stage {
		t.Fatalf("walked to %s, want %s", k.Status, stage)
	}
	return k
}

// unreadKinds lists the kinds of a person's unread alerts.
func unreadKinds(t *testing.T, env *apptest.Env, who aman.Actor) []string {
	t.Helper()
	alerts, err := env.Notifications.Unread(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, a := range alerts {
		kinds = append(kinds, a.Kind)
	}
	return kinds
}

func lastEvent(t *testing.T, env *apptest.Env, who aman.Actor, caseID string) app.CaseEvent {
	t.Helper()
	events, err := env.Cases.History(ctx, who, caseID)
	if err != nil || len(events) == 0 {
		t.Fatalf("history: %d events, %v", len(events), err)
	}
	return events[len(events)-1]
}

// Every pair of stages, tried by the case's worker: the spec below is written out by hand rather than
// read from aman.Moves, so that a wrong line in the lifecycle table fails here.
func TestEveryMoveOfTheLifecycle(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	type step = [2]aman.CaseStatus
	const moves, submits = "moves", "submits"
	spec := map[step]string{
		{aman.CaseNew, aman.CaseAssessment}:        moves,
		{aman.CaseNew, aman.CaseClosed}:            submits,
		{aman.CaseAssessment, aman.CaseCarePlan}:   moves,
		{aman.CaseAssessment, aman.CaseClosed}:     submits,
		{aman.CaseCarePlan, aman.CaseInProgress}:   submits,
		{aman.CaseCarePlan, aman.CaseAssessment}:   moves,
		{aman.CaseCarePlan, aman.CaseClosed}:       submits,
		{aman.CaseInProgress, aman.CaseReview}:     moves,
		{aman.CaseInProgress, aman.CaseCarePlan}:   moves,
		{aman.CaseInProgress, aman.CaseClosed}:     submits,
		{aman.CaseReview, aman.CaseInProgress}:     moves,
		{aman.CaseReview, aman.CaseClosed}:         submits,
		{aman.CaseClosed, aman.CaseAssessment}:     moves, // by a supervisor only; see below
		{aman.CaseAssessment, aman.CaseAssessment}: "",    // staying put is not a move
	}
	for _, from := range aman.CaseStatuses() {
		for _, to := range aman.CaseStatuses() {
			t.Run(string(from)+"→"+string(to), func(t *testing.T) {
				k := caseAt(t, env, s, from)
				in := app.TransitionInput{To: to, Comment: "as discussed with the family"}
				if to == aman.CaseClosed {
					in = closing()
				}
				by := s.workerA
				if from == aman.CaseClosed {
					// A closed case is read-only to its worker, whatever the move.
					if _, err := env.Cases.Transition(ctx, s.workerA, k.ID, in); aman.ErrorCode(err) != aman.EForbidden {
						t.Fatalf("the worker moved a closed case: %v", err)
					}
					by = s.supervisor
				}
				res, err := env.Cases.Transition(ctx, by, k.ID, in)
				switch spec[step{from, to}] {
				case moves:
					if err != nil || res.Submitted || res.Case.Status != to || res.Case.PendingApproval != "" {
						t.Fatalf("got %+v, %v; want the case at %s", res, err, to)
					}
					e := lastEvent(t, env, s.workerA, k.ID)
					if e.FromStatus != from || e.ToStatus != to || e.ActorID != by.UserID || e.Comment != in.Comment {
						t.Fatalf("history %+v", e)
					}
				case submits:
					want := aman.ApprovalClosure
					if to == aman.CaseInProgress {
						want = aman.ApprovalCarePlan
					}
					if err != nil || !res.Submitted || res.Case.Status != from || res.Case.PendingApproval != want {
						t.Fatalf("got %+v, %v; want a %s request with the case still at %s", res, err, want, from)
					}
					if e := lastEvent(t, env, s.workerA, k.ID); e.Kind != aman.EventSubmitted || e.Approval != want || e.ToStatus != to {
						t.Fatalf("history %+v", e)
					}
				default:
					if aman.ErrorCode(err) != aman.EInvalidTransition {
						t.Fatalf("got %+v, %v; want invalid_transition", res, err)
					}
					after, _ := env.Cases.Get(ctx, s.workerA, k.ID)
					if after.Status != from {
						t.Fatalf("a refused move left the case at %s", after.Status)
					}
				}
			})
		}
	}
}

func TestApprovalIsForASupervisorOfTheUnitAndNeverTheRequester(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	second, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "super.three", Role: aman.RoleSupervisor, UnitID: s.unit, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	secondSupervisor := second.Actor()

	k := caseAt(t, env, s, aman.CaseCarePlan)
	if _, err := env.Cases.Decide(ctx, s.supervisor, k.ID, app.DecisionInput{Decision: aman.DecisionApprove}); aman.ErrorCode(err) != aman.ENoPendingApproval {
		t.Fatalf("a decision on nothing: %v", err)
	}
	res, err := env.Cases.Transition(ctx, s.workerA, k.ID, app.TransitionInput{To: aman.CaseInProgress, Comment: "plan agreed with her"})
	if err != nil || !res.Submitted {
		t.Fatalf("submit: %+v %v", res, err)
	}
	if kinds := unreadKinds(t, env, s.supervisor); !slices.Contains(kinds, "approval_requested") {
		t.Fatalf("the unit's supervisor was not asked: %v", kinds)
	}
	if kinds := unreadKinds(t, env, s.otherSupervisor); slices.Contains(kinds, "approval_requested") {
		t.Fatal("another unit's supervisor was asked")
	}
	refusals := []struct {
		name  string
		actor aman.Actor
		in    app.DecisionInput
		code  string
	}{
		{"the worker", s.workerA, app.DecisionInput{Decision: aman.DecisionApprove}, aman.EForbidden},
		{"a supervisor of another unit", s.otherSupervisor, app.DecisionInput{Decision: aman.DecisionApprove}, aman.EForbidden},
		{"an administrator", s.admin, app.DecisionInput{Decision: aman.DecisionApprove}, aman.EForbidden},
		{"no decision", s.supervisor, app.DecisionInput{}, aman.ERequired},
		{"an unknown decision", s.supervisor, app.DecisionInput{Decision: "maybe"}, aman.EInvalidDecision},
	}
	for _, tc := range refusals {
		if _, err := env.Cases.Decide(ctx, tc.actor, k.ID, tc.in); aman.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	// Break-glass opens the case to the other unit's supervisor, but does not make them its supervisor.
	if _, err := env.Cases.BreakGlass(ctx, s.otherSupervisor, k.ID, "The police asked about this family tonight"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Cases.Decide(ctx, s.otherSupervisor, k.ID, app.DecisionInput{Decision: aman.DecisionApprove}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a supervisor under break-glass decided: %v", err)
	}
	approved, err := env.Cases.Decide(ctx, s.supervisor, k.ID, app.DecisionInput{Decision: aman.DecisionApprove, Comment: "Good plan"})
	if err != nil || approved.Status != aman.CaseInProgress || approved.PendingApproval != "" {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	if kinds := unreadKinds(t, env, s.workerA); !slices.Contains(kinds, "approval_granted") {
		t.Fatalf("the worker was not told: %v", kinds)
	}
	if e := lastEvent(t, env, s.workerA, k.ID); e.Kind != aman.EventApproved || e.ActorID != s.supervisor.UserID || e.Comment != "Good plan" || e.Approval != aman.ApprovalCarePlan {
		t.Fatalf("history %+v", e)
	}

	// A supervisor's own move on a worker's case is the approval.
	direct := caseAt(t, env, s, aman.CaseCarePlan)
	res, err = env.Cases.Transition(ctx, s.supervisor, direct.ID, app.TransitionInput{To: aman.CaseInProgress})
	if err != nil || res.Submitted || res.Case.Status != aman.CaseInProgress {
		t.Fatalf("a supervisor's move: %+v %v", res, err)
	}
	if e := lastEvent(t, env, s.supervisor, direct.ID); e.Kind != aman.EventApproved || e.ActorID != s.supervisor.UserID {
		t.Fatalf("history %+v", e)
	}

	// A supervisor who carries a case as its worker submits like any worker, and may not decide it.
	own := caseAt(t, env, s, aman.CaseCarePlan)
	if err := env.Cases.Assign(ctx, s.supervisor, own.ID, app.CaseAssignment{WorkerID: s.supervisor.UserID}); err != nil {
		t.Fatal(err)
	}
	res, err = env.Cases.Transition(ctx, s.supervisor, own.ID, app.TransitionInput{To: aman.CaseInProgress})
	if err != nil || !res.Submitted {
		t.Fatalf("the supervisor-worker's move: %+v %v", res, err)
	}
	if _, err := env.Cases.Decide(ctx, s.supervisor, own.ID, app.DecisionInput{Decision: aman.DecisionApprove}); aman.ErrorCode(err) != aman.ESelfApproval {
		t.Fatalf("a supervisor approved their own request: %v", err)
	}
	if k, err := env.Cases.Decide(ctx, secondSupervisor, own.ID, app.DecisionInput{Decision: aman.DecisionApprove}); err != nil || k.Status != aman.CaseInProgress {
		t.Fatalf("the second supervisor's approval: %+v %v", k, err)
	}
}

func TestRejectionReturnsTheCaseToTheWorkerWithComments(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := caseAt(t, env, s, aman.CaseReview)
	res, err := env.Cases.Transition(ctx, s.workerA, k.ID, closing())
	if err != nil || !res.Submitted || res.Case.PendingApproval != aman.ApprovalClosure {
		t.Fatalf("submit closure: %+v %v", res, err)
	}
	if _, err := env.Cases.Transition(ctx, s.workerA, k.ID, app.TransitionInput{To: aman.CaseInProgress}); aman.ErrorCode(err) != aman.EApprovalPending {
		t.Fatalf("a move while a request waits: %v", err)
	}
	if _, err := env.Cases.Decide(ctx, s.supervisor, k.ID, app.DecisionInput{Decision: aman.DecisionReject, Comment: "  "}); aman.ErrorCode(err) != aman.ERequired || aman.ErrorField(err) != "comment" {
		t.Fatalf("a rejection without comments: %v", err)
	}
	const why = "Closure is premature: call her sister first and check the school"
	back, err := env.Cases.Decide(ctx, s.supervisor, k.ID, app.DecisionInput{Decision: aman.DecisionReject, Comment: why})
	if err != nil || back.Status != aman.CaseReview || back.PendingApproval != "" || !back.ClosedAt.IsZero() {
		t.Fatalf("reject: %+v %v", back, err)
	}
	if kinds := unreadKinds(t, env, s.workerA); !slices.Contains(kinds, "approval_rejected") {
		t.Fatalf("the worker was not told: %v", kinds)
	}
	e := lastEvent(t, env, s.workerA, k.ID)
	if e.Kind != aman.EventRejected || e.Comment != why || e.ActorID != s.supervisor.UserID || e.ClosureReason != aman.ClosureGoalsMet ||
		e.ClosureOutcome != aman.ClosureOutcomeGoalsAchieved || e.ToStatus != aman.CaseClosed {
		t.Fatalf("history %+v", e)
	}
	if tasks, err := env.Tasks.ForCase(ctx, s.workerA, k.ID); err != nil || len(tasks) != 0 {
		t.Fatalf("a rejected closure scheduled follow-ups: %v %v", tasks, err)
	}
	// The comment is sealed at rest.
	err = env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_history WHERE case_id = $1 AND comment_sealed IS NOT NULL`, k.ID).Scan(&n); err != nil || n == 0 {
			t.Errorf("no sealed comment stored: %d %v", n, err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT comment_sealed FROM case_history`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var raw []byte
			if err := rows.Scan(&raw); err != nil {
				return err
			}
			if bytes.Contains(raw, []byte("premature")) {
				t.Error("a comment is readable in the database")
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	// The worker carries on, and may submit again.
	if res, err := env.Cases.Transition(ctx, s.workerA, k.ID, app.TransitionInput{To: aman.CaseInProgress}); err != nil || res.Case.Status != aman.CaseInProgress {
		t.Fatalf("back to work: %+v %v", res, err)
	}
}

func TestClosureNeedsAReasonAndAnOutcome(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := caseAt(t, env, s, aman.CaseReview)
	with := func(change func(*app.TransitionInput)) app.TransitionInput {
		in := closing()
		change(&in)
		return in
	}
	tests := []struct {
		name  string
		in    app.TransitionInput
		field string
		code  string
	}{
		{"no reason", with(func(in *app.TransitionInput) { in.ClosureReason = "" }), "closure_reason", aman.ERequired},
		{"no outcome", with(func(in *app.TransitionInput) { in.ClosureOutcome = "" }), "closure_outcome", aman.ERequired},
		{"unknown reason", with(func(in *app.TransitionInput) { in.ClosureReason = "bored" }), "closure_reason", aman.EInvalidClosureReason},
		{"unknown outcome", with(func(in *app.TransitionInput) { in.ClosureOutcome = "fine" }), "closure_outcome", aman.EInvalidClosureOutcome},
		{"other without a word", with(func(in *app.TransitionInput) { in.ClosureReason = aman.ClosureOther }), "comment", aman.ERequired},
		{"a comment too long", with(func(in *app.TransitionInput) { in.Comment = strings.Repeat("ع", aman.MaxCommentLength+1) }), "comment", aman.ETextTooLong},
		{"a reason on another move", app.TransitionInput{To: aman.CaseInProgress, ClosureReason: aman.ClosureGoalsMet}, "closure_reason", aman.EClosureOnlyWhenClosing},
		{"an outcome on another move", app.TransitionInput{To: aman.CaseInProgress, ClosureOutcome: aman.ClosureOutcomeGoalsAchieved}, "closure_outcome", aman.EClosureOnlyWhenClosing},
		{"no stage", app.TransitionInput{}, "to", aman.ERequired},
		{"an unknown stage", app.TransitionInput{To: "archived"}, "to", aman.EInvalidStatus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Cases.Transition(ctx, s.workerA, k.ID, tc.in)
			if aman.ErrorCode(err) != tc.code || aman.ErrorField(err) != tc.field {
				t.Fatalf("err = %v, want %s on %s", err, tc.code, tc.field)
			}
		})
	}
	in := with(func(in *app.TransitionInput) {
		in.ClosureReason, in.Comment = aman.ClosureOther, "She asked us to stop; her family will support her"
	})
	if res, err := env.Cases.Transition(ctx, s.workerA, k.ID, in); err != nil || !res.Submitted {
		t.Fatalf("a complete closure request: %+v %v", res, err)
	}
}

// Closing schedules follow-ups at three and six months, on the calendar of Doha: the day the case
// closed there, and the last day of a shorter month.
func TestClosureSchedulesFollowUpsInDoha(t *testing.T) {
	tests := []struct {
		name         string
		closeAt      time.Time
		want3, want6 string
	}{
		{"midday", time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC), "2026-06-15", "2026-09-15"},
		{"after midnight in Doha, the evening before in UTC", time.Date(2026, 5, 30, 22, 30, 0, 0, time.UTC), "2026-08-31", "2026-11-30"},
		{"the last day of August", time.Date(2026, 8, 31, 8, 0, 0, 0, time.UTC), "2026-11-30", "2027-02-28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := apptest.New(t)
			s := newStaff(t, env)
			env.Clock.Advance(tc.closeAt.Sub(env.Clock.Now()))
			closed := caseAt(t, env, s, aman.CaseClosed)
			if !closed.ClosedAt.Equal(tc.closeAt) {
				t.Fatalf("closed at %v, want %v", closed.ClosedAt, tc.closeAt)
			}
			tasks, err := env.Tasks.ForCase(ctx, s.workerA, closed.ID)
			if err != nil || len(tasks) != 2 {
				t.Fatalf("follow-ups: %+v %v", tasks, err)
			}
			got := map[aman.TaskKind]string{}
			for _, task := range tasks {
				got[task.Kind] = task.DueOn.Format(time.DateOnly)
				if task.AssigneeID != s.workerA.UserID || task.Status != aman.TaskOpen || task.Title != "" || task.CaseNumber != closed.Number {
					t.Errorf("follow-up %+v", task)
				}
				if _, off := task.DueOn.Zone(); off != 3*60*60 || task.DueOn.Hour() != 0 {
					t.Errorf("due %v is not midnight in Doha", task.DueOn)
				}
			}
			if got[aman.TaskClosureFollowUp3Mo] != tc.want3 || got[aman.TaskClosureFollowUp6Mo] != tc.want6 {
				t.Fatalf("follow-ups due %v, want %s and %s", got, tc.want3, tc.want6)
			}
		})
	}
}

func TestReopenIsASupervisorsActAndCancelsTheFollowUps(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := caseAt(t, env, s, aman.CaseClosed)
	reopen := app.TransitionInput{To: aman.CaseAssessment, Comment: "She called the hotline again: the abuse has started again"}
	if _, err := env.Cases.Transition(ctx, s.workerA, k.ID, reopen); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("the worker reopened: %v", err)
	}
	if _, err := env.Cases.Transition(ctx, s.otherSupervisor, k.ID, reopen); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Fatalf("another unit's supervisor reopened: %v", err)
	}
	if _, err := env.Cases.BreakGlass(ctx, s.otherSupervisor, k.ID, "The police asked about this family tonight"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Cases.Transition(ctx, s.otherSupervisor, k.ID, reopen); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("another unit's supervisor reopened under break-glass: %v", err)
	}
	if _, err := env.Cases.Transition(ctx, s.supervisor, k.ID, app.TransitionInput{To: aman.CaseAssessment}); aman.ErrorCode(err) != aman.ERequired || aman.ErrorField(err) != "comment" {
		t.Fatalf("a reopening without a word: %v", err)
	}
	res, err := env.Cases.Transition(ctx, s.supervisor, k.ID, reopen)
	if err != nil || res.Case.Status != aman.CaseAssessment || !res.Case.ClosedAt.IsZero() {
		t.Fatalf("reopen: %+v %v", res, err)
	}
	if e := lastEvent(t, env, s.workerA, k.ID); e.Kind != aman.EventReopened || e.Comment != reopen.Comment {
		t.Fatalf("history %+v", e)
	}
	if kinds := unreadKinds(t, env, s.workerA); !slices.Contains(kinds, "case_reopened") {
		t.Fatalf("the worker was not told: %v", kinds)
	}
	if tasks, err := env.Tasks.ForCase(ctx, s.workerA, k.ID); err != nil || len(tasks) != 0 {
		t.Fatalf("the follow-ups of the old closure are still there: %+v %v", tasks, err)
	}
	if mine, _ := env.Tasks.MyTasks(ctx, s.workerA); len(mine) != 0 {
		t.Fatalf("cancelled follow-ups on the dashboard: %+v", mine)
	}
}

func TestPriorityIsNeverBelowTheRiskResult(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	if k.Priority != aman.PriorityNormal || k.RiskPriority != aman.PriorityNormal {
		t.Fatalf("a new case: %+v", k)
	}
	risk := func(p aman.Priority) func(t *testing.T) {
		return func(t *testing.T) {
			if err := env.Cases.RaiseRiskPriority(ctx, k.ID, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := []struct {
		name         string
		risk         func(t *testing.T)
		by           aman.Actor
		set          aman.Priority
		code         string
		wantPriority aman.Priority
		wantRisk     aman.Priority
	}{
		{name: "the worker may not", by: s.workerA, set: aman.PriorityHigh, code: aman.EForbidden, wantPriority: aman.PriorityNormal, wantRisk: aman.PriorityNormal},
		{name: "nor another unit's supervisor", by: s.otherSupervisor, set: aman.PriorityHigh, code: aman.EForbidden, wantPriority: aman.PriorityNormal, wantRisk: aman.PriorityNormal},
		{name: "an unknown priority", by: s.supervisor, set: "urgent", code: aman.EInvalidPriority, wantPriority: aman.PriorityNormal, wantRisk: aman.PriorityNormal},
		{name: "the supervisor raises", by: s.supervisor, set: aman.PriorityHigh, wantPriority: aman.PriorityHigh, wantRisk: aman.PriorityNormal},
		{name: "a critical risk result raises further", risk: risk(aman.PriorityCritical), wantPriority: aman.PriorityCritical, wantRisk: aman.PriorityCritical},
		{name: "no lower than the risk", by: s.supervisor, set: aman.PriorityHigh, code: aman.EPriorityBelowRisk, wantPriority: aman.PriorityCritical, wantRisk: aman.PriorityCritical},
		{name: "a lower risk result lowers nothing", risk: risk(aman.PriorityNormal), wantPriority: aman.PriorityCritical, wantRisk: aman.PriorityNormal},
		{name: "then the supervisor may lower it", by: s.supervisor, set: aman.PriorityNormal, wantPriority: aman.PriorityNormal, wantRisk: aman.PriorityNormal},
		{name: "a high risk result raises again", risk: risk(aman.PriorityHigh), wantPriority: aman.PriorityHigh, wantRisk: aman.PriorityHigh},
	}
	for _, st := range steps {
		if st.risk != nil {
			st.risk(t)
		} else if _, err := env.Cases.SetPriority(ctx, st.by, k.ID, st.set); aman.ErrorCode(err) != st.code {
			t.Fatalf("%s: %v, want %q", st.name, err, st.code)
		}
		got, err := env.Cases.Get(ctx, s.workerA, k.ID)
		if err != nil || got.Priority != st.wantPriority || got.RiskPriority != st.wantRisk {
			t.Fatalf("%s: priority %s (risk %s), want %s (risk %s); %v", st.name, got.Priority, got.RiskPriority, st.wantPriority, st.wantRisk, err)
		}
	}
	if kinds := unreadKinds(t, env, s.workerA); !slices.Contains(kinds, "case_priority_raised") {
		t.Fatalf("the worker was not told of the raise: %v", kinds)
	}
	raisedByRisk := 0
	for _, kind := range unreadKinds(t, env, s.supervisor) {
		if kind == "case_priority_raised" {
			raisedByRisk++
		}
	}
	if raisedByRisk != 2 {
		t.Fatalf("the supervisor got %d alerts of risk raising the priority, want 2 (to critical, to high)", raisedByRisk)
	}
	events, err := env.Cases.History(ctx, s.supervisor, k.ID)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, e := range events {
		trail = append(trail, string(e.Kind)+":"+string(e.FromPriority)+">"+string(e.ToPriority))
	}
	want := []string{"priority_changed:normal>high", "priority_from_risk:high>critical", "priority_changed:critical>normal", "priority_from_risk:normal>high"}
	if !slices.Equal(trail, want) {
		t.Fatalf("history %v, want %v", trail, want)
	}
}

func TestHistoryIsOnlyForThoseTheCaseIsOpenTo(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := caseAt(t, env, s, aman.CaseAssessment)
	if _, err := env.Cases.History(ctx, s.workerB, k.ID); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Fatalf("a colleague read the history: %v", err)
	}
	if _, err := env.Cases.History(ctx, s.admin, k.ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an administrator read the history: %v", err)
	}
	if events, err := env.Cases.History(ctx, s.supervisor, k.ID); err != nil || len(events) != 1 {
		t.Fatalf("the supervisor's read: %+v %v", events, err)
	}
}
