package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/store"
)

// The reminder job, worked directly as River would: it tells the assignee once that a task fell due,
// and records each run in job_runs with the number of alerts it left.
func TestTaskRemindersJobSendsEachReminderOnce(t *testing.T) {
	ctx := context.Background()
	env := apptest.New(t)
	unit, err := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "الوحدة", NameEN: "Unit"})
	if err != nil {
		t.Fatal(err)
	}
	user, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "worker.a", Role: aman.RoleCaseWorker, UnitID: unit.ID, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	worker := user.Actor()
	person, err := env.Beneficiaries.Create(ctx, worker, app.BeneficiaryInput{NameAR: "مريم"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := env.Cases.Open(ctx, worker, app.OpenCaseInput{BeneficiaryID: person.ID})
	if err != nil {
		t.Fatal(err)
	}
	tomorrow := env.Clock.Now().Add(24 * time.Hour).In(time.FixedZone("AST", 3*60*60)).Format(time.DateOnly)
	if _, err := env.Tasks.Create(ctx, worker, k.ID, app.NewTask{Title: "Home visit", DueOn: tomorrow}); err != nil {
		t.Fatal(err)
	}

	w := &taskRemindersWorker{tasks: env.Tasks, db: env.DB, node: "node-a"}
	runs := []struct {
		name    string
		advance time.Duration
		want    int64
	}{
		{"before the day", 0, 0},
		{"on the day", 24 * time.Hour, 1},
		{"again on the day", time.Hour, 0},
		{"the day after", 24 * time.Hour, 1},
		{"two days after", 24 * time.Hour, 0},
	}
	for i, run := range runs {
		env.Clock.Advance(run.advance)
		job := &river.Job[TaskRemindersArgs]{Args: TaskRemindersArgs{Period: int64(i)}}
		if err := w.Work(ctx, job); err != nil {
			t.Fatalf("%s: %v", run.name, err)
		}
		var affected int64
		err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT affected FROM job_runs WHERE job = $1 AND period = $2`, "send_task_reminders", int64(i)).Scan(&affected)
		})
		if err != nil || affected != run.want {
			t.Fatalf("%s: the run recorded %d alerts (%v), want %d", run.name, affected, err, run.want)
		}
	}
	alerts, err := env.Notifications.Unread(ctx, worker)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, a := range alerts {
		got[a.Kind]++
	}
	if got["task_due"] != 1 || got["task_overdue"] != 1 {
		t.Fatalf("alerts %v, want one due and one overdue", got)
	}
}
