package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

func TestMigrationsMatchOnBothDialects(t *testing.T) {
	versions := func(dir string) []string {
		entries, err := filepath.Glob(filepath.Join("migrations", dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, strings.SplitN(filepath.Base(e), "_", 2)[0])
		}
		sort.Strings(out)
		return out
	}
	lite, pg := versions("sqlite"), versions("postgres")
	if strings.Join(lite, ",") != strings.Join(pg, ",") || len(lite) == 0 {
		t.Fatalf("migration versions differ: sqlite %v, postgres %v", lite, pg)
	}
}

func TestMigrateReachesKnownVersion(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	known, err := db.KnownSchemaVersion()
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != known || known < 1 {
		t.Fatalf("schema version %d, want %d", got, known)
	}
	// Migrating again is a no-op.
	if v, err := db.Migrate(ctx, nil); err != nil || v != known {
		t.Fatalf("second migrate: %d, %v", v, err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	known, _ := db.KnownSchemaVersion()
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, $2)`, known+1, true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Migrate(ctx, nil)
	if aman.ErrorCode(err) != aman.ESchemaTooNew {
		t.Fatalf("migrate on a newer schema: %v, want %s", err, aman.ESchemaTooNew)
	}
}

func insertRun(ctx context.Context, tx *store.Tx, job string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO job_runs (job, node, period, started_at, finished_at) VALUES ($1, $2, $3, $3, $3)`,
		job, "test", store.Millis(tx.Now))
	return err
}

func countRuns(t *testing.T, db *store.DB, job string) int {
	t.Helper()
	var n int
	err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_runs WHERE job = $1`, job).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWriteCommitsAndRollsBack(t *testing.T) {
	fixed := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)
	db := storetest.Open(t, storetest.Options{Clock: func() time.Time { return fixed }})
	ctx := context.Background()
	boom := errors.New("boom")

	tests := []struct {
		name    string
		fn      func(ctx context.Context, tx *store.Tx) error
		wantErr error
		want    int
	}{
		{"commit", func(ctx context.Context, tx *store.Tx) error { return insertRun(ctx, tx, "commit") }, nil, 1},
		{"rollback on error", func(ctx context.Context, tx *store.Tx) error {
			if err := insertRun(ctx, tx, "rollback on error"); err != nil {
				return err
			}
			return boom
		}, boom, 0},
		{"nested write joins outer and rolls back with it", func(ctx context.Context, tx *store.Tx) error {
			if err := db.Write(ctx, func(ctx context.Context, inner *store.Tx) error {
				if inner != tx {
					t.Error("nested write opened a second transaction")
				}
				return insertRun(ctx, inner, "nested write joins outer and rolls back with it")
			}); err != nil {
				return err
			}
			return boom
		}, boom, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hookRan := false
			err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				if !tx.Now.Equal(fixed.Truncate(time.Millisecond)) {
					t.Errorf("tx.Now = %v, want %v", tx.Now, fixed)
				}
				tx.AfterCommit(func() { hookRan = true })
				return tc.fn(ctx, tx)
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got := countRuns(t, db, tc.name); got != tc.want {
				t.Fatalf("rows = %d, want %d", got, tc.want)
			}
			if hookRan != (tc.wantErr == nil) {
				t.Fatalf("after-commit hook ran = %v on err %v", hookRan, err)
			}
		})
	}
}

func TestReadCannotWrite(t *testing.T) {
	db := storetest.Open(t)
	err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return insertRun(ctx, tx, "read")
	})
	if err == nil {
		t.Fatal("a write inside a read-only transaction succeeded")
	}
	err = db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return db.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return nil })
	})
	if err == nil {
		t.Fatal("a Write nested in a Read was allowed")
	}
}

func TestUniqueViolationIsRecognised(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	insertUser := func(ctx context.Context, tx *store.Tx, id string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, role, password_hash, created_at, updated_at)
			VALUES ($1, 'same', 'admin', 'x', $2, $2)`, id, store.Millis(tx.Now))
		return err
	}
	if err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return insertUser(ctx, tx, "a") }); err != nil {
		t.Fatal(err)
	}
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return insertUser(ctx, tx, "b") })
	if !store.IsUniqueViolation(err) {
		t.Fatalf("IsUniqueViolation(%v) = false", err)
	}
}

func TestMillisRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 28, 22, 0, 0, 5_000_000, time.FixedZone("AST", 3*3600))
	if got := store.Time(store.Millis(at)); !got.Equal(at) || got.Location() != time.UTC {
		t.Fatalf("round trip: %v", got)
	}
	if !store.Time(store.Millis(time.Time{})).IsZero() {
		t.Fatal("zero time does not round-trip")
	}
}

func TestCommitAndFailKeepsTheWriteAndReturnsTheError(t *testing.T) {
	db := storetest.Open(t)
	refused := errors.New("refused")
	err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		if err := insertRun(ctx, tx, "kept"); err != nil {
			return err
		}
		return store.CommitAndFail(refused)
	})
	if !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the wrapped error", err)
	}
	if n := countRuns(t, db, "kept"); n != 1 {
		t.Fatalf("%d rows kept, want 1", n)
	}
}

// BeforeCommit work runs inside the transaction just before it commits, once for nested Writes, and
// its failure rolls everything back; Memo is shared by the nested Writes of one transaction.
func TestBeforeCommitAndMemo(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	if err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE hooked (n INTEGER)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	runs := 0
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		tx.SetMemo("k", 1)
		tx.BeforeCommit(func(ctx context.Context) error {
			runs++
			_, err := tx.ExecContext(ctx, `INSERT INTO hooked (n) VALUES (2)`)
			return err
		})
		return db.Write(ctx, func(ctx context.Context, inner *store.Tx) error {
			if v, ok := inner.Memo("k"); !ok || v != 1 {
				t.Errorf("nested Write sees memo %v, %v", v, ok)
			}
			_, err := inner.ExecContext(ctx, `INSERT INTO hooked (n) VALUES (1)`)
			return err
		})
	})
	if err != nil || runs != 1 {
		t.Fatalf("Write = %v, before-commit ran %d times", err, runs)
	}
	boom := errors.New("boom")
	err = db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		tx.BeforeCommit(func(context.Context) error { return boom })
		_, err := tx.ExecContext(ctx, `INSERT INTO hooked (n) VALUES (3)`)
		return err
	})
	if !errors.Is(err, boom) {
		t.Fatalf("failing before-commit: %v", err)
	}
	var n int
	if err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM hooked`).Scan(&n)
	}); err != nil || n != 2 {
		t.Fatalf("rows = %d, %v; want the two of the committed transaction", n, err)
	}
}

// QueryRow reads outside any transaction, the same query twice (the second time prepared, on SQLite),
// and inside a Write joins it, seeing what the Write has not committed yet.
func TestQueryRowReadsAloneOrJoins(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	if err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE alone (n INTEGER)`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO alone (n) VALUES (1)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	count := func(ctx context.Context) int {
		t.Helper()
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM alone WHERE n > $1`, 0).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 3 {
		if n := count(ctx); n != 1 {
			t.Fatalf("count = %d, want 1", n)
		}
	}
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO alone (n) VALUES (2)`); err != nil {
			return err
		}
		if n := count(ctx); n != 2 {
			t.Errorf("inside the Write, count = %d, want 2: it did not join", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT n FROM alone WHERE n > $1`, 5).Scan(&n); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("no row: err = %v", err)
	}
}
