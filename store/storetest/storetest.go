// Package storetest opens a fresh, migrated database for a test: SQLite in the test's temporary
// directory, or, when AMAN_TEST_DATABASE_URL is set, a PostgreSQL schema of its own that is dropped
// when the test ends. The same tests therefore run on both engines.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"aman.qa/aman/store"
)

// EnvDatabaseURL names the variable that points the tests at PostgreSQL.
const EnvDatabaseURL = "AMAN_TEST_DATABASE_URL"

// Options adjust a test database.
type Options struct {
	Clock func() time.Time
}

// Open returns a migrated database that lives only as long as t.
func Open(t testing.TB, opts ...Options) *store.DB {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	cfg := Config(t)
	cfg.Clock = o.Clock
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background(), nil); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// Config returns the store configuration of a fresh, empty database for t without opening it: a new
// SQLite directory, or a new PostgreSQL schema. Tests that start a whole server pass it on.
func Config(t testing.TB) store.Config {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	if base == "" {
		return store.Config{DataDir: t.TempDir()}
	}
	return store.Config{DataDir: t.TempDir(), DatabaseURL: FreshSchemaURL(t, base)}
}

// FreshSchemaURL creates an empty schema on the server base points at, drops it when t ends, and
// returns a URL whose connections use it.
func FreshSchemaURL(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvDatabaseURL, err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// QueryPlan returns the engine's plan for query, one line per step, for tests that check a query reads
// its index instead of scanning or sorting. On SQLite it is EXPLAIN QUERY PLAN's detail column, which
// depends on the schema alone. On PostgreSQL it is EXPLAIN (COSTS OFF) with table and bitmap scans
// priced out, so that what shows is whether an index can serve the query, not what an empty table's
// statistics make cheapest.
func QueryPlan(t testing.TB, db *store.DB, query string, args ...any) string {
	t.Helper()
	var plan []string
	err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		explain := "EXPLAIN QUERY PLAN "
		if db.Engine() == store.Postgres {
			explain = "EXPLAIN (COSTS OFF) "
			for _, set := range []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL enable_bitmapscan = off`} {
				if _, err := tx.ExecContext(ctx, set); err != nil {
					return err
				}
			}
		}
		rows, err := tx.QueryContext(ctx, explain+query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var line string
			dest := []any{&line}
			if db.Engine() == store.SQLite {
				var id, parent, unused int
				dest = []any{&id, &parent, &unused, &line}
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("plan of %q: %v", query, err)
	}
	return strings.Join(plan, "\n")
}
