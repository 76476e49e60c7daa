package main

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
)

// unitStaff is a member of staff in a unit, signed in to the API of an in-process server whose clock the
// test moves.
type unitStaff struct {
	*client
	username, secret string
}

func newUnitStaff(t *testing.T, env *apptest.Env, base, username string, role aman.Role, unitID string) *unitStaff {
	t.Helper()
	_, uri, err := env.Accounts.CreateUser(context.Background(), apptest.Admin(), app.NewUser{Username: username, Role: role, UnitID: unitID,
		Password: apptest.StrongPassword, EnrolTOTP: true})
	if err != nil {
		t.Fatal(err)
	}
	s := &unitStaff{client: newClient(t, base), username: username, secret: apptest.SecretFromURI(t, uri)}
	s.signIn(t, env)
	return s
}

// signIn starts a session at the clock's time; moving the clock by days ends the old one.
func (s *unitStaff) signIn(t *testing.T, env *apptest.Env) {
	t.Helper()
	code := apptest.Code(t, s.secret, env.Clock.Now())
	if status, body := s.json("POST", "/api/v1/session", map[string]string{"username": s.username, "password": apptest.StrongPassword, "otp": code}); status != 200 {
		t.Fatalf("sign in %s: %d %v", s.username, status, body)
	}
}

// apiStep is one request of a journey, by one person, and what it must answer.
type apiStep struct {
	name       string
	as         *unitStaff
	method     string
	path       string
	body       any
	wantStatus int
	wantCode   string
	// check lists fields of the answer and their expected values.
	check map[string]any
}

func TestCaseLifecycleAndTasksAPI(t *testing.T) {
	env := apptest.New(t)
	srv := httptest.NewServer(newTestRouterFor(t, env).handler)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	unit, err := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "وحدة الحماية", NameEN: "Protection unit"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "وحدة أخرى", NameEN: "Other unit"})
	worker := newUnitStaff(t, env, srv.URL, "worker.one", aman.RoleCaseWorker, unit.ID)
	supervisor := newUnitStaff(t, env, srv.URL, "super.one", aman.RoleSupervisor, unit.ID)
	stranger := newUnitStaff(t, env, srv.URL, "super.two", aman.RoleSupervisor, other.ID)

	_, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_ar": "مريم", "sex": "female"})
	_, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	id := opened["id"].(string)
	base := "/api/v1/cases/" + id
	if opened["risk_priority"] != "normal" || opened["pending_approval"] != nil {
		t.Fatalf("opened: %v", opened)
	}

	steps := []apiStep{
		{"start the assessment", worker, "POST", base + "/transitions", map[string]string{"to": "assessment"}, 200, "", map[string]any{"status": "assessment"}},
		{"skip the plan", worker, "POST", base + "/transitions", map[string]string{"to": "in_progress"}, 409, "invalid_transition", nil},
		{"an unknown stage", worker, "POST", base + "/transitions", map[string]string{"to": "archived"}, 422, "invalid_status", nil},
		{"write the plan", worker, "POST", base + "/transitions", map[string]string{"to": "care_plan"}, 200, "", map[string]any{"status": "care_plan"}},
		{"submit the plan", worker, "POST", base + "/transitions", map[string]string{"to": "in_progress", "comment": "agreed with her"}, 202, "",
			map[string]any{"status": "care_plan", "pending_approval": "care_plan"}},
		{"the case shows what waits", worker, "GET", base, nil, 200, "", map[string]any{"pending_approval": "care_plan"}},
		{"move while waiting", worker, "POST", base + "/transitions", map[string]string{"to": "assessment"}, 409, "approval_pending", nil},
		{"the worker approves", worker, "POST", base + "/approvals", map[string]string{"decision": "approve"}, 403, "forbidden", nil},
		{"another unit's supervisor approves", stranger, "POST", base + "/approvals", map[string]string{"decision": "approve"}, 403, "forbidden", nil},
		{"a rejection without a word", supervisor, "POST", base + "/approvals", map[string]string{"decision": "reject"}, 422, "required", nil},
		{"reject", supervisor, "POST", base + "/approvals", map[string]string{"decision": "reject", "comment": "add the school's part"}, 200, "",
			map[string]any{"status": "care_plan"}},
		{"submit again", worker, "POST", base + "/transitions", map[string]string{"to": "in_progress"}, 202, "", nil},
		{"approve", supervisor, "POST", base + "/approvals", map[string]string{"decision": "approve"}, 200, "", map[string]any{"status": "in_progress"}},
		{"nothing waits", supervisor, "POST", base + "/approvals", map[string]string{"decision": "approve"}, 409, "no_pending_approval", nil},
		{"the worker sets priority", worker, "PUT", base + "/priority", map[string]string{"priority": "high"}, 403, "forbidden", nil},
		{"an unknown priority", supervisor, "PUT", base + "/priority", map[string]string{"priority": "urgent"}, 422, "invalid_priority", nil},
		{"the supervisor raises priority", supervisor, "PUT", base + "/priority", map[string]string{"priority": "critical"}, 200, "",
			map[string]any{"priority": "critical", "risk_priority": "normal"}},
		{"a task", worker, "POST", base + "/tasks", map[string]string{"title": "Home visit", "due_on": "2026-03-15"}, 201, "",
			map[string]any{"title": "Home visit", "due_on": "2026-03-15", "kind": "custom", "overdue": false, "case_number": opened["number"]}},
		{"a task on no day", worker, "POST", base + "/tasks", map[string]string{"title": "Call", "due_on": "15/03/2026"}, 422, "invalid_date", nil},
		{"a task for a stranger", worker, "POST", base + "/tasks", map[string]string{"title": "Call", "due_on": "2026-03-16", "assignee_id": "nobody"}, 422,
			"assignee_not_on_case", nil},
		{"a task with an unknown field", worker, "POST", base + "/tasks", map[string]string{"title": "Call", "due": "2026-03-16"}, 400, "invalid_json", nil},
		{"close without a reason", worker, "POST", base + "/transitions", map[string]string{"to": "closed"}, 422, "required", nil},
	}
	run := func(steps []apiStep) {
		t.Helper()
		for _, st := range steps {
			status, got := st.as.json(st.method, st.path, st.body)
			if status != st.wantStatus || errorCode(got) != st.wantCode {
				t.Fatalf("%s: %d %v, want %d %q", st.name, status, got, st.wantStatus, st.wantCode)
			}
			for k, v := range st.check {
				if got[k] != v {
					t.Fatalf("%s: %s = %v, want %v (%v)", st.name, k, got[k], v, got)
				}
			}
		}
	}
	run(steps)

	status, history := worker.json("GET", base+"/history", nil)
	events, _ := history["events"].([]any)
	if status != 200 || len(events) != 7 {
		t.Fatalf("history: %d %v", status, history)
	}
	rejected := events[3].(map[string]any)
	if rejected["event"] != "rejected" || rejected["comment"] != "add the school's part" || rejected["approval"] != "care_plan" {
		t.Fatalf("the rejection in the history: %v", rejected)
	}
	if status, body := stranger.json("GET", base+"/history", nil); status != 403 || errorCode(body) != "break_glass_required" {
		t.Fatalf("a stranger read the history: %d %v", status, body)
	}

	// Two days on, in a new session: the task is overdue on both dashboards.
	env.Clock.Advance(48 * time.Hour)
	worker.signIn(t, env)
	supervisor.signIn(t, env)
	status, mine := worker.json("GET", "/api/v1/tasks/mine", nil)
	tasks, _ := mine["tasks"].([]any)
	if status != 200 || len(tasks) != 1 || tasks[0].(map[string]any)["overdue"] != true {
		t.Fatalf("my tasks: %d %v", status, mine)
	}
	taskID := tasks[0].(map[string]any)["id"].(string)
	status, overdue := supervisor.json("GET", "/api/v1/tasks/overdue", nil)
	if status != 200 || len(overdue["tasks"].([]any)) != 1 || overdue["tasks"].([]any)[0].(map[string]any)["case_number"] != opened["number"] {
		t.Fatalf("the unit's overdue tasks: %d %v", status, overdue)
	}
	if status, body := worker.json("GET", "/api/v1/tasks/overdue", nil); status != 403 {
		t.Fatalf("a worker read the unit's overdue tasks: %d %v", status, body)
	}

	run([]apiStep{
		{"done", worker, "PATCH", "/api/v1/tasks/" + taskID, map[string]string{"status": "done"}, 200, "", map[string]any{"status": "done", "overdue": false}},
		{"nothing to change", worker, "PATCH", "/api/v1/tasks/" + taskID, map[string]string{}, 422, "invalid_input", nil},
		{"to review", worker, "POST", base + "/transitions", map[string]string{"to": "review"}, 200, "", nil},
		{"submit the closure", worker, "POST", base + "/transitions",
			map[string]string{"to": "closed", "closure_reason": "goals_met", "closure_outcome": "goals_achieved"}, 202, "", map[string]any{"pending_approval": "closure"}},
		{"approve the closure", supervisor, "POST", base + "/approvals", map[string]string{"decision": "approve"}, 200, "", map[string]any{"status": "closed"}},
		{"the worker reopens", worker, "POST", base + "/transitions", map[string]string{"to": "assessment", "comment": "she called again"}, 403, "forbidden", nil},
	})
	status, list := worker.json("GET", base+"/tasks", nil)
	kinds := map[any]any{}
	for _, x := range list["tasks"].([]any) {
		kinds[x.(map[string]any)["kind"]] = x.(map[string]any)["due_on"]
	}
	if status != 200 || kinds["closure_follow_up_3m"] != "2026-06-17" || kinds["closure_follow_up_6m"] != "2026-09-17" || kinds["custom"] == nil {
		t.Fatalf("the case's tasks after closure: %d %v", status, list)
	}
	if status, got := supervisor.json("POST", base+"/transitions", map[string]string{"to": "assessment", "comment": "she called again"}); status != 200 || got["status"] != "assessment" {
		t.Fatalf("reopen: %d %v", status, got)
	}
}
