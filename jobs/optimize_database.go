package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"aman.qa/aman/store"
)

// optimizeEvery is how often the planner's statistics are refreshed: often enough to follow a
// register that grows by thousands a day, rarely enough to cost nothing.
const optimizeEvery = 6 * time.Hour

// OptimizeDatabaseArgs schedules a refresh of the query planner's statistics (see store.DB.Optimize).
type OptimizeDatabaseArgs struct {
	Period int64 `json:"period"`
}

// Kind names the job in the queue.
func (OptimizeDatabaseArgs) Kind() string { return "optimize_database" }

func (a OptimizeDatabaseArgs) withPeriod(start int64) river.JobArgs { a.Period = start; return a }

type optimizeDatabaseWorker struct {
	river.WorkerDefaults[OptimizeDatabaseArgs]
	db   *store.DB
	node string
}

func (w *optimizeDatabaseWorker) Work(ctx context.Context, job *river.Job[OptimizeDatabaseArgs]) error {
	started := w.db.Now()
	return w.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := w.db.Optimize(ctx); err != nil {
			return err
		}
		return recordRun(ctx, tx, job.Args.Kind(), w.node, job.Args.Period, started, 0)
	})
}
