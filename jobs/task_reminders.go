package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// TaskRemindersArgs schedules a round of task reminders: each assignee is told once when a task falls
// due and once when it is overdue. What was sent is stamped on the task, so a round that runs twice, or
// on two nodes, sends nothing twice.
type TaskRemindersArgs struct {
	Period int64 `json:"period"`
}

// Kind names the job in the queue.
func (TaskRemindersArgs) Kind() string { return "send_task_reminders" }

func (a TaskRemindersArgs) withPeriod(start int64) river.JobArgs { a.Period = start; return a }

type taskRemindersWorker struct {
	river.WorkerDefaults[TaskRemindersArgs]
	tasks *app.Tasks
	db    *store.DB
	node  string
}

// Work sends the round's reminders and records the run in the same transaction, so a run that fails
// leaves neither alerts nor a record, and River tries again.
func (w *taskRemindersWorker) Work(ctx context.Context, job *river.Job[TaskRemindersArgs]) error {
	started := w.db.Now()
	return w.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		sent, err := w.tasks.SendReminders(ctx)
		if err != nil {
			return fmt.Errorf("task reminders: %w", err)
		}
		return recordRun(ctx, tx, job.Args.Kind(), w.node, job.Args.Period, started, int64(sent))
	})
}
