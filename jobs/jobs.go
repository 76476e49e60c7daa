// Package jobs runs Aman's background work on River, with the same code on SQLite and PostgreSQL.
// Jobs live in the database, never in a node's memory: any node may run any job, a job enqueued in a
// transaction exists only if that transaction commits, and periodic jobs are scheduled by one elected
// leader, so several nodes on one PostgreSQL never run the same period twice.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// Config sets up a runner.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger
	// Node names this process in job_runs and River's leader election.
	Node string
	// SessionPurgeEvery is how often expired sessions are deleted.
	SessionPurgeEvery time.Duration
	// PollEvery is how often idle workers look for new jobs.
	PollEvery time.Duration
	// Keys re-seals data after key rotations; without it the re-seal job is not run on this node.
	Keys *app.Keys
	// Tasks sends task reminders; without it the reminder job is not run on this node.
	Tasks *app.Tasks
	// TaskRemindEvery is how often reminders are sent; a reminder is at most this late.
	TaskRemindEvery time.Duration
	// Mailer sends critical-intake emails; without it no email is sent (in-app alerts still are).
	Mailer *Mailer
}

// Runner is one node's job client.
type Runner struct {
	client *river.Client[*sql.Tx]
	db     *store.DB
	// mail is set when critical-intake emails are worked on this node.
	mail bool
}

func driverFor(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Engine() == store.Postgres {
		// The database/sql driver shares our pool and polls instead of listening; with the small job
		// volume of maintenance work, polling costs nothing worth a second pool.
		return riverdatabasesql.New(db.WritePool())
	}
	// SQLite has one writer; River shares our single write connection rather than fighting it for the
	// lock.
	return riversqlite.New(db.WritePool())
}

// Migrate creates or updates River's own tables.
func Migrate(ctx context.Context, db *store.DB, logger *slog.Logger) error {
	migrator, err := rivermigrate.New(driverFor(db), &rivermigrate.Config{Logger: quiet(logger)})
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// quiet keeps River's informational chatter out of the service log; warnings and errors still show.
func quiet(logger *slog.Logger) *slog.Logger {
	if logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelFloor{logger.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.Handler.Enabled(ctx, level)
}

func (l levelFloor) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFloor{l.Handler.WithAttrs(attrs), l.min}
}

func (l levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{l.Handler.WithGroup(name), l.min}
}

// New builds a runner with every worker and periodic job registered. Call Migrate first.
func New(cfg Config) (*Runner, error) {
	if cfg.SessionPurgeEvery <= 0 {
		cfg.SessionPurgeEvery = 10 * time.Minute
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = time.Second
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &purgeSessionsWorker{db: cfg.DB, node: cfg.Node})
	periodicJobs := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(cfg.SessionPurgeEvery),
			periodic(PurgeSessionsArgs{}, cfg.SessionPurgeEvery, cfg.DB),
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
	if cfg.Keys != nil {
		river.AddWorker(workers, &resealWorker{keys: cfg.Keys, db: cfg.DB, node: cfg.Node})
		periodicJobs = append(periodicJobs, river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			periodic(ResealArgs{}, 24*time.Hour, cfg.DB), nil))
	}
	if cfg.Tasks != nil {
		if cfg.TaskRemindEvery <= 0 {
			cfg.TaskRemindEvery = 15 * time.Minute
		}
		river.AddWorker(workers, &taskRemindersWorker{tasks: cfg.Tasks, db: cfg.DB, node: cfg.Node})
		periodicJobs = append(periodicJobs, river.NewPeriodicJob(river.PeriodicInterval(cfg.TaskRemindEvery),
			periodic(TaskRemindersArgs{}, cfg.TaskRemindEvery, cfg.DB), &river.PeriodicJobOpts{RunOnStart: true}))
	}
	if cfg.Mailer != nil {
		river.AddWorker(workers, &criticalMailWorker{mailer: cfg.Mailer, db: cfg.DB})
	}

	client, err := river.NewClient(driverFor(cfg.DB), &river.Config{
		ID:                cfg.Node,
		Logger:            quiet(cfg.Logger),
		FetchPollInterval: cfg.PollEvery,
		FetchCooldown:     min(cfg.PollEvery, 100*time.Millisecond),
		PollOnly:          true,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}},
		Workers:           workers,
		PeriodicJobs:      periodicJobs,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{client: client, db: cfg.DB, mail: cfg.Mailer != nil}, nil
}

// Start begins working jobs until Stop.
func (r *Runner) Start(ctx context.Context) error { return r.client.Start(ctx) }

// Stop lets running jobs finish, within ctx's deadline, and stops fetching new ones.
func (r *Runner) Stop(ctx context.Context) error { return r.client.Stop(ctx) }

// periodicArgs are the arguments of a job scheduled once per period.
type periodicArgs interface {
	river.JobArgs
	withPeriod(start int64) river.JobArgs
}

// periodic stamps each scheduled job with the start of its period, and makes it unique per period so
// that even a brief overlap of two leaders cannot enqueue one period twice.
func periodic(args periodicArgs, every time.Duration, db *store.DB) river.PeriodicJobConstructor {
	return func() (river.JobArgs, *river.InsertOpts) {
		start := db.Now().Truncate(every)
		return args.withPeriod(store.Millis(start)), &river.InsertOpts{
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: every},
		}
	}
}

// recordRun notes one run of a periodic job in job_runs, in the job's own transaction.
func recordRun(ctx context.Context, tx *store.Tx, job, node string, period int64, started time.Time, affected int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO job_runs (job, node, period, started_at, finished_at, affected)
		VALUES ($1, $2, $3, $4, $5, $6)`, job, node, period, store.Millis(started), store.Millis(tx.Now), affected)
	return err
}
