package jobs_test

import (
	"context"
	"testing"
	"time"

	"aman.qa/aman/jobs"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// Two nodes share one database, as two `aman serve` processes share one PostgreSQL (or, on SQLite, one
// file). The periodic purge must run every period exactly once between them.
func TestPeriodicJobRunsOncePerPeriodAcrossNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for several job periods")
	}
	ctx := context.Background()
	cfg := storetest.Config(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first, second := open(), open()
	if _, err := first.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	seedSessions(t, first)

	const every = time.Second
	var runners []*jobs.Runner
	for i, db := range []*store.DB{first, second} {
		r, err := jobs.New(jobs.Config{DB: db, Node: []string{"node-a", "node-b"}[i], SessionPurgeEvery: every, PollEvery: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		runners = append(runners, r)
	}
	deadline := time.Now().Add(30 * time.Second)
	for countRows(t, first, `SELECT COUNT(*) FROM job_runs`) < 4 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	for _, r := range runners {
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := r.Stop(stopCtx); err != nil {
			t.Errorf("stop: %v", err)
		}
		cancel()
	}

	runs := countRows(t, first, `SELECT COUNT(*) FROM job_runs WHERE job = 'purge_expired_sessions'`)
	periods := countRows(t, first, `SELECT COUNT(DISTINCT period) FROM job_runs WHERE job = 'purge_expired_sessions'`)
	if runs < 3 {
		t.Fatalf("the periodic job ran %d times in the waiting time, want at least 3", runs)
	}
	if runs != periods {
		t.Fatalf("%d runs covered only %d periods: a period ran twice", runs, periods)
	}
	if n := countRows(t, first, `SELECT COUNT(*) FROM sessions`); n != 1 {
		t.Fatalf("%d sessions left, want only the live one", n)
	}
}

func seedSessions(t *testing.T, db *store.DB) {
	t.Helper()
	err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		now := store.Millis(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, role, password_hash, created_at, updated_at)
			VALUES ('u1', 'worker', 'case_worker', 'x', $1, $1)`, now); err != nil {
			return err
		}
		for i, expires := range []int64{now - 1000, now + 3_600_000} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at, expires_at)
				VALUES ($1, 'u1', 'active', $2, $2, $3)`, []byte{byte(i)}, now, expires); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countRows(t *testing.T, db *store.DB, query string) int {
	t.Helper()
	var n int
	if err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, query).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}
