// Package store is Aman's storage on two engines: embedded SQLite (the default) and PostgreSQL (to scale
// out over several nodes). Queries are written once with $N placeholders, which both drivers accept;
// where the dialects differ, the difference is named by Engine and kept in this package.
//
// Business rules never live here: the app package decides, the store only reads and writes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Engine names a database engine. Its values are the ones GET /healthz reports.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// SQLiteFile is the database file's name inside the data directory.
const SQLiteFile = "aman.db"

// Config says which database to open.
type Config struct {
	// DataDir holds the SQLite database when DatabaseURL is empty.
	DataDir string
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or postgresql://.
	DatabaseURL string
	// Clock gives the fixed "now" of each transaction; time.Now when nil. Tests set it.
	Clock func() time.Time
}

// DB is an open database. On SQLite it holds a pool for reads and a single-connection pool for writes,
// because SQLite admits one writer at a time and queueing writers in Go beats retrying on SQLITE_BUSY.
// On PostgreSQL both are the same pool.
type DB struct {
	engine Engine
	read   *sql.DB
	write  *sql.DB
	clock  func() time.Time
	// readStatements and writeStatements cache prepared statements on SQLite; nil on PostgreSQL.
	readStatements, writeStatements *statements
	// writer commits SQLite's writes in groups (see group_commit.go); nil on PostgreSQL, whose
	// writers run side by side.
	writer *groupWriter
}

// Open opens (and for SQLite creates) the database that cfg names. It does not migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	if cfg.DatabaseURL != "" {
		if !IsPostgresURL(cfg.DatabaseURL) {
			return nil, errors.New("database URL must start with postgres:// or postgresql://")
		}
		return openPostgres(ctx, cfg.DatabaseURL, clock)
	}
	return openSQLite(ctx, cfg.DataDir, clock)
}

// IsPostgresURL tells whether u selects PostgreSQL.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

func openPostgres(ctx context.Context, dsn string, clock func() time.Time) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(25)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return &DB{engine: Postgres, read: pool, write: pool, clock: clock}, nil
}

func openSQLite(ctx context.Context, dataDir string, clock func() time.Time) (*DB, error) {
	if dataDir == "" {
		return nil, errors.New("no data directory given")
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, SQLiteFile)
	// These pragmas run on every new connection: WAL lets readers proceed during a write, NORMAL
	// synchronous is durable in WAL mode except on power loss of the last commits, and foreign keys are off
	// in SQLite unless asked for.
	pragmas := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)", "temp_store(MEMORY)"} {
		pragmas.Add("_pragma", p)
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath()

	writeParams := cloneValues(pragmas)
	// The writer walks every index a write touches; a 32 MiB page cache keeps their upper levels in
	// memory instead of reading them back through the kernel on every insert (the default is 2 MiB).
	writeParams.Add("_pragma", "cache_size(-32768)")
	// Checkpoint every 64 MiB of WAL rather than every 4 MiB: hot index pages rewritten by many
	// commits are copied back to the database once per checkpoint, not once per 4 MiB.
	writeParams.Add("_pragma", "wal_autocheckpoint(16384)")
	// BEGIN IMMEDIATE takes the write lock at the start, so a transaction never fails half-way when it
	// upgrades from reading to writing.
	writeParams.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", base+"?"+writeParams.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	// Make the file (and WAL mode) exist before readers open it.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		write.Close()
		return nil, fmt.Errorf("protect sqlite file: %w", err)
	}

	readParams := cloneValues(pragmas)
	readParams.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", base+"?"+readParams.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	readers := max(4, 2*runtime.NumCPU())
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	db := &DB{engine: SQLite, read: read, write: write, clock: clock,
		readStatements: newStatements(read, false), writeStatements: newStatements(write, true)}
	db.writer = startGroupWriter(db)
	return db, nil
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// Engine tells which engine this database runs on.
func (db *DB) Engine() Engine { return db.engine }

// Now is the database clock, in UTC and truncated to the millisecond that timestamps are stored with.
func (db *DB) Now() time.Time { return db.clock().UTC().Truncate(time.Millisecond) }

// WritePool is the pool that writes go through. The job runner enqueues through it so that a job and the
// change that caused it commit together.
func (db *DB) WritePool() *sql.DB { return db.write }

// Pools names each distinct pool, for metrics.
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"main": db.write}
	}
	return map[string]*sql.DB{"read": db.read, "write": db.write}
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Close closes every pool.
func (db *DB) Close() error {
	if db.writer != nil {
		db.writer.close()
	}
	db.readStatements.close()
	db.writeStatements.close()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// UseLargeWriterCache gives SQLite's writer a page cache of the given size for the rest of this DB's
// life. A bulk load that runs alone (aman demo) touches index pages all over a large file; with them in
// memory, each insert stops reading pages back through the kernel. The server keeps its small cache, so
// its memory stays within budget. On PostgreSQL, whose cache is the server's, it does nothing.
func (db *DB) UseLargeWriterCache(ctx context.Context, bytes int64) error {
	if db.engine != SQLite {
		return nil
	}
	return db.Write(ctx, func(ctx context.Context, tx *Tx) error {
		// PRAGMA takes no bound parameters; the size is a number we format ourselves.
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bytes/1024))
		return err
	})
}

// CatchUpMaintenance has PostgreSQL do now what autovacuum would have done by now, for a bulk load
// (aman demo) that changes tables faster than autovacuum notices, or where autovacuum is turned off.
//   - ANALYZE: without fresh statistics the planner keeps the plans it made for empty tables. The
//     demo's duplicate check, planned when the register was empty, took 600 ms a registration at
//     5,000 people, and a case page's incident codes were hash-joined by scanning the whole table.
//     ANALYZE also invalidates the cached plans, so prepared statements are planned again.
//   - VACUUM: an update leaves the row's old version, and its index entries, until a vacuum removes
//     them. At 100,000 people the demo's 95,000 decided intakes had filled the head of the triage
//     queue's index with dead entries, and a page of the queue took 17 ms where it takes 0.2 ms after a
//     vacuum (see migration 00025 for the server's side of it).
//
// SQLite updates in place and keeps no statistics unless asked (its plans are made for that: see
// BENCHMARKS.md, Growth), so on SQLite it does nothing.
func (db *DB) CatchUpMaintenance(ctx context.Context) error {
	if db.engine != Postgres {
		return nil
	}
	// Aman's own tables only: a database-wide VACUUM would also take every other schema's tables on
	// the server (each test's schema, say).
	var tables string
	err := db.WritePool().QueryRowContext(ctx, `SELECT COALESCE(string_agg(quote_ident(tablename), ', '), '')
		FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables)
	if err != nil || tables == "" {
		return err
	}
	// VACUUM cannot run inside a transaction; on the pool it runs alone.
	_, err = db.WritePool().ExecContext(ctx, `VACUUM (ANALYZE) `+tables)
	return err
}
