package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/demo"
	"aman.qa/aman/store"
)

var end = time.Date(2026, 11, 29, 18, 30, 0, 0, time.UTC)

func generate(t *testing.T, n int, seed uint64) (*apptest.Env, demo.Summary) {
	t.Helper()
	env := apptest.New(t)
	sum, err := demo.Generate(context.Background(), env.DB, env.Clock, env.Services, demo.Options{Beneficiaries: n, Seed: seed, End: end})
	if err != nil {
		t.Fatal(err)
	}
	return env, sum
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, query, args...).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The demo makes the counts asked for, through the use cases: everything is audited, the chain
// verifies, and the centre is lively: cases in every stage, an open triage queue, work waiting for
// supervisors.
func TestGenerateMakesALivelyCentre(t *testing.T) {
	const n = 400
	env, sum := generate(t, n, 7)
	db := env.DB
	if sum.Beneficiaries != n || count(t, db, `SELECT COUNT(*) FROM beneficiaries`) != n {
		t.Fatalf("beneficiaries: summary %d, stored %d, want %d", sum.Beneficiaries, count(t, db, `SELECT COUNT(*) FROM beneficiaries`), n)
	}
	if sum.Calls != 10*n || count(t, db, `SELECT COUNT(*) FROM calls`) != 10*n {
		t.Fatalf("calls: summary %d, want %d", sum.Calls, 10*n)
	}
	if cases := count(t, db, `SELECT COUNT(*) FROM cases`); cases != sum.Cases || cases < n/5 || cases > n/2 {
		t.Fatalf("cases = %d (summary %d), want about 0.3 N", cases, sum.Cases)
	}
	if notes := count(t, db, `SELECT COUNT(*) FROM case_notes`); notes != sum.Notes || notes < n {
		t.Fatalf("notes = %d (summary %d)", notes, sum.Notes)
	}
	if people := count(t, db, `SELECT COUNT(*) FROM case_people`); people == 0 {
		t.Fatal("no household members: families were not made")
	}
	for _, status := range aman.CaseStatuses() {
		if count(t, db, `SELECT COUNT(*) FROM cases WHERE status = $1`, string(status)) == 0 {
			t.Errorf("no case is in stage %s", status)
		}
	}
	if count(t, db, `SELECT COUNT(*) FROM cases WHERE pending_approval IS NOT NULL AND pending_approval <> ''`) == 0 {
		t.Error("no case waits for a supervisor's approval")
	}
	if count(t, db, `SELECT COUNT(*) FROM intakes WHERE status = 'open'`) == 0 {
		t.Error("the triage queue is empty")
	}
	if count(t, db, `SELECT COUNT(*) FROM intakes WHERE status <> 'open'`) == 0 {
		t.Error("no intake was ever triaged")
	}
	// Each round clears what waited more than an hour; only the last day's intakes are left.
	if old := count(t, db, `SELECT COUNT(*) FROM intakes WHERE status = 'open' AND received_at < $1`, end.Add(-48*time.Hour).UnixMilli()); old != 0 {
		t.Errorf("%d intakes older than two days are still open", old)
	}
	// Calls are spread over the history and follow the day: more at 20:00 than at 04:00 (Qatar).
	first := count(t, db, `SELECT MIN(started_at) FROM calls`)
	if span := end.Sub(time.UnixMilli(int64(first))); span < 80*24*time.Hour {
		t.Errorf("calls span %s, want about 90 days", span)
	}
	if entries, err := env.Audit.Verify(context.Background(), db); err != nil || entries < int64(11*n) {
		t.Fatalf("audit verify: %d entries, %v", entries, err)
	}
	// On PostgreSQL the planner is given statistics on what was made, not left to guess until
	// autovacuum comes round.
	if db.Engine() == store.Postgres && count(t, db, `SELECT COUNT(*) FROM pg_stat_user_tables WHERE relid = 'incident_codes'::regclass
		AND COALESCE(last_analyze, last_autoanalyze) IS NOT NULL`) != 1 {
		t.Error("the tables were not analysed after the demo")
	}
	if sum.Password == "" || len(sum.Accounts) < 8 {
		t.Fatalf("accounts not reported: %+v", sum.Accounts)
	}
}

// The same seed makes the same centre.
func TestGenerateIsDeterministic(t *testing.T) {
	_, a := generate(t, 120, 42)
	_, b := generate(t, 120, 42)
	a.Elapsed, b.Elapsed, a.Password, b.Password = 0, 0, "", ""
	if a.Beneficiaries != b.Beneficiaries || a.Cases != b.Cases || a.Notes != b.Notes || a.Incidents != b.Incidents ||
		a.Services != b.Services || a.Calls != b.Calls || a.Tasks != b.Tasks {
		t.Fatalf("same seed, different centres:\n%+v\n%+v", a, b)
	}
}

// Synthetic people never mix with real ones.
func TestGenerateRefusesADatabaseInUse(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser(t, "someone", aman.RoleCaseWorker)
	_, err := demo.Generate(context.Background(), env.DB, env.Clock, env.Services, demo.Options{Beneficiaries: 10, End: end})
	if !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("err = %v, want ErrNotEmpty", err)
	}
}

// On PostgreSQL the demo leaves its database as autovacuum would have by then: vacuumed, so the dead
// row versions of its updates (every decided intake among them) are gone from the indexes the screens
// read, and analysed, so the planner knows the tables' sizes.
func TestGenerateLeavesPostgreSQLMaintained(t *testing.T) {
	env, _ := generate(t, 60, 3)
	if env.DB.Engine() != store.Postgres {
		t.Skip("SQLite needs no vacuum")
	}
	for _, table := range []string{"intakes", "tasks", "cases", "beneficiaries"} {
		n := count(t, env.DB, `SELECT COUNT(*) FROM pg_stat_user_tables
			WHERE schemaname = current_schema() AND relname = $1 AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL`, table)
		if n != 1 {
			t.Errorf("%s was not vacuumed and analysed after the demo", table)
		}
	}
}
