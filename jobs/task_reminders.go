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

// Work sends the round's reminders, in batches that each commit with their alerts and stamps (see
// Tasks.SendReminders), and then records the run. A run that fails has sent nothing twice and left no
// record; River tries again and the retry goes on from the last finished batch.
func (w *taskRemindersWorker) Work(ctx context.Context, job *river.Job[TaskRemindersArgs]) error {
	started := w.db.Now()
	sent, err := w.tasks.SendReminders(ctx)
	if err != nil {
		return fmt.Errorf("task reminders: %w", err)
	}
	return w.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return recordRun(ctx, tx, job.Args.Kind(), w.node, job.Args.Period, started, int64(sent))
	})
}
