package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"aman.qa/aman/store"
)

// PurgeSessionsArgs schedules the deletion of sessions past their absolute expiry. An expired session
// can no longer sign anyone in, but its row would still say who was signed in when; deleting it keeps
// the table small and that trail in the audit, where it belongs.
type PurgeSessionsArgs struct {
	Period int64 `json:"period"`
}

// Kind names the job in the queue.
func (PurgeSessionsArgs) Kind() string { return "purge_expired_sessions" }

func (a PurgeSessionsArgs) withPeriod(start int64) river.JobArgs { a.Period = start; return a }

type purgeSessionsWorker struct {
	river.WorkerDefaults[PurgeSessionsArgs]
	db   *store.DB
	node string
}

func (w *purgeSessionsWorker) Work(ctx context.Context, job *river.Job[PurgeSessionsArgs]) error {
	started := w.db.Now()
	return w.db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, store.Millis(tx.Now))
		if err != nil {
			return err
		}
		purged, _ := res.RowsAffected()
		return recordRun(ctx, tx, job.Args.Kind(), w.node, job.Args.Period, started, purged)
	})
}
