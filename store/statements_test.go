package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// The cache prepares a query after its first transaction, reuses it in later ones on the single write
// connection and on every reader, and results are the same as unprepared.
func TestStatementsArePreparedOnceAndReused(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	if err := db.Write(ctx, func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const insert = `INSERT INTO t (id, v) VALUES ($1, $2)`
	const read = `SELECT v FROM t WHERE id = $1`
	for i := range 50 {
		if err := db.Write(ctx, func(ctx context.Context, tx *Tx) error {
			_, err := tx.ExecContext(ctx, insert, i, "value")
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if db.writeStatements.lookup(insert) == nil {
		t.Fatal("the insert was not prepared after its first transaction")
	}
	// Concurrent readers each get the statement prepared on their own connection.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range 50 {
				var v string
				err := db.Read(ctx, func(ctx context.Context, tx *Tx) error { return tx.QueryRowContext(ctx, read, i).Scan(&v) })
				if err != nil || v != "value" {
					t.Errorf("read %d = %q, %v", i, v, err)
				}
			}
		})
	}
	wg.Wait()
	db.readStatements.wg.Wait()
	if db.readStatements.lookup(read) == nil {
		t.Fatal("the read was not prepared")
	}
	wantRows(t, db, 50)
}

// A query that cannot be prepared on its own still runs, unprepared, and the cache stays bounded.
func TestStatementsFallBackAndStayBounded(t *testing.T) {
	db := openTestDB(t)
	s := db.writeStatements
	for i := range maxStatements + 10 {
		s.lookup("SELECT " + string(rune('a'+i%26)) + string(rune(i)))
	}
	if got := len(s.wanted) + len(s.ready); got > maxStatements {
		t.Fatalf("cache holds %d queries, bound is %d", got, maxStatements)
	}
	s.mu.Lock()
	s.wanted = map[string]bool{`SELECT * FROM no_such_table`: true}
	s.mu.Unlock()
	s.prepareWanted()
	s.wg.Wait()
	if s.lookup(`SELECT * FROM no_such_table`) != nil {
		t.Fatal("a statement that failed to prepare was cached")
	}
}

// The writer prepares between two transactions, before the next one takes the only connection: a
// generator that runs transactions back to back finds each statement prepared from its second
// transaction on, however little time passes between them.
func TestTheWriterPreparesBeforeItsNextTransaction(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	const create = `CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)`
	if err := db.Write(ctx, func(ctx context.Context, tx *Tx) error {
		_, err := tx.ExecContext(ctx, create)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	queries := make([]string, 20)
	for i := range queries {
		queries[i] = fmt.Sprintf(`INSERT INTO t (v) VALUES ($1 || '%d')`, i)
	}
	if err := db.Write(ctx, func(ctx context.Context, tx *Tx) error {
		for _, q := range queries {
			if _, err := tx.ExecContext(ctx, q, "v"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		if db.writeStatements.lookup(q) == nil {
			t.Fatalf("%q was not prepared when the transaction that first ran it returned", q)
		}
	}
}

// A prepared statement run many times in one transaction is bound to it once, so a long transaction
// (aman demo's) does not keep a binding per run until it ends.
func TestAStatementIsBoundToItsTransactionOnce(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	const insert = `INSERT INTO t (v) VALUES ($1)`
	for range 2 { // the first transaction prepares the statement, the second uses it
		if err := db.Write(ctx, func(ctx context.Context, tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
				return err
			}
			var first *sql.Stmt
			for i := range 100 {
				if _, err := tx.ExecContext(ctx, insert, "v"); err != nil {
					return err
				}
				st := tx.prepared(ctx, insert)
				if i == 0 {
					first = st
				}
				if st != first {
					t.Fatalf("run %d bound the statement again", i)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if db.writeStatements.lookup(insert) == nil {
		t.Fatal("the insert was never prepared")
	}
	wantRows(t, db, 200)
}

// openTestDB opens a fresh SQLite database in the test's directory, closed when the test ends.
func openTestDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), Config{DataDir: filepath.Join(t.TempDir(), "data")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// wantRows checks that table t holds want rows.
func wantRows(t *testing.T, db *DB, want int) {
	t.Helper()
	var n int
	if err := db.Read(context.Background(), func(ctx context.Context, tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM t`).Scan(&n)
	}); err != nil || n != want {
		t.Fatalf("count = %d, %v; want %d", n, err, want)
	}
}
