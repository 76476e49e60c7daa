package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// ResealArgs asks a node to move every sealed value to the current primary key. `aman keys rotate`
// enqueues one at once; a daily run also catches rows that nodes sealed with the old key before they
// learned of the new one.
type ResealArgs struct {
	Period int64 `json:"period"`
}

// Kind names the job in the queue.
func (ResealArgs) Kind() string { return "reseal_sealed_fields" }

func (a ResealArgs) withPeriod(start int64) river.JobArgs { a.Period = start; return a }

type resealWorker struct {
	river.WorkerDefaults[ResealArgs]
	keys *app.Keys
	db   *store.DB
	node string
}

// Timeout is generous: a national registry takes minutes to walk, in small transactions.
func (w *resealWorker) Timeout(*river.Job[ResealArgs]) time.Duration { return 2 * time.Hour }

func (w *resealWorker) Work(ctx context.Context, job *river.Job[ResealArgs]) error {
	started := w.db.Now()
	n, err := w.keys.ResealAll(ctx)
	if err != nil {
		return fmt.Errorf("reseal: %w", err)
	}
	return w.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return recordRun(ctx, tx, job.Args.Kind(), w.node, job.Args.Period, started, int64(n))
	})
}

// EnqueueReseal schedules a re-seal inside tx, from a process that runs no workers (the command line):
// the job exists only if tx commits.
func EnqueueReseal(ctx context.Context, db *store.DB, tx *store.Tx) error {
	client, err := river.NewClient(driverFor(db), &river.Config{})
	if err != nil {
		return err
	}
	_, err = client.InsertTx(ctx, tx.Tx, ResealArgs{Period: store.Millis(tx.Now)}, nil)
	return err
}
