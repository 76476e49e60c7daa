package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Tx is one database transaction with the fixed time it runs at. Every row it writes is stamped with
// Now, so a change and its audit entry agree to the millisecond.
type Tx struct {
	*sql.Tx
	Now     time.Time
	Engine  Engine
	writing bool
	hooks   *[]func()
	stmts   *statements
	bound   *boundStatements
	// beforeCommit and memo belong to the outermost transaction; nested Writes share them.
	beforeCommit *[]func(context.Context) error
	memo         map[any]any
}

// Memo returns what SetMemo stored under key in this transaction. A piece of state read once and kept
// up to date for the rest of the transaction (such as the audit chain's head) lives here rather than
// in a global.
func (tx *Tx) Memo(key any) (any, bool) {
	v, ok := tx.memo[key]
	return v, ok
}

// SetMemo stores v under key for the rest of this transaction.
func (tx *Tx) SetMemo(key, v any) {
	if tx.memo == nil {
		tx.memo = map[any]any{}
	}
	tx.memo[key] = v
}

// BeforeCommit runs fn just before the outermost transaction commits, inside it; an error rolls the
// whole transaction back. It lets a change made many times in one transaction be written once.
func (tx *Tx) BeforeCommit(fn func(ctx context.Context) error) {
	*tx.beforeCommit = append(*tx.beforeCommit, fn)
}

// ExecContext runs a statement that returns no rows, prepared once per connection where the engine
// benefits (see statements).
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query that returns rows, prepared as ExecContext's statements are.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query expected to return at most one row, prepared as ExecContext's are.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// boundStatements are the prepared statements a transaction has used, bound to it. database/sql binds
// a prepared statement to a transaction anew on every use (Tx.StmtContext), and keeps each binding, with
// an entry in the pool's dependency map, until the transaction ends: a transaction that runs a statement
// a million times (aman demo's, a simulated week long) held a million of them. Binding once per query
// keeps one.
type boundStatements struct {
	mu      sync.Mutex
	byQuery map[string]*sql.Stmt
}

func newBoundStatements() *boundStatements { return &boundStatements{byQuery: map[string]*sql.Stmt{}} }

// prepared is query's statement bound to tx, or nil if it is not prepared yet (see statements).
func (tx *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	tx.bound.mu.Lock()
	defer tx.bound.mu.Unlock()
	if st, ok := tx.bound.byQuery[query]; ok {
		return st
	}
	st := tx.stmts.lookup(query)
	if st == nil {
		return nil
	}
	bound := tx.Tx.StmtContext(ctx, st)
	tx.bound.byQuery[query] = bound
	return bound
}

// AfterCommit runs fn once the outermost transaction has committed. Nothing runs on rollback, so a
// notification can never announce a change that did not happen.
func (tx *Tx) AfterCommit(fn func()) { *tx.hooks = append(*tx.hooks, fn) }

type txKey struct{}

// TxFrom returns the transaction ctx carries, if any.
func TxFrom(ctx context.Context) (*Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*Tx)
	return tx, ok
}

// Write runs fn in a read-write transaction and commits it when fn returns nil. A Write inside another
// Write (reached through the ctx that fn receives) joins the outer transaction, so use cases compose
// without half-applied writes.
func (db *DB) Write(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if outer, ok := TxFrom(ctx); ok {
		if !outer.writing {
			return errors.New("store: write requested inside a read-only transaction")
		}
		return fn(ctx, outer)
	}
	if db.writer != nil {
		return db.writer.write(ctx, fn)
	}
	return db.run(ctx, db.write, db.writeStatements, nil, true, fn)
}

// Read runs fn in a read-only transaction, on the read pool, so it sees one consistent snapshot.
// Inside a Write it joins that transaction and sees its uncommitted changes.
func (db *DB) Read(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if outer, ok := TxFrom(ctx); ok {
		return fn(ctx, outer)
	}
	var opts *sql.TxOptions
	if db.engine == Postgres {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	return db.run(ctx, db.read, db.readStatements, opts, false, fn)
}

// QueryRow runs one query that only reads, outside any transaction: a single statement sees one
// moment of the database by itself, and a transaction around it would cost a begin and a commit (two
// round trips on PostgreSQL) for nothing. It serves what every request does before anything else, such
// as finding its session. Inside Read or Write (through ctx) it joins that transaction.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx, ok := TxFrom(ctx); ok {
		return tx.QueryRowContext(ctx, query, args...)
	}
	if st := db.readStatements.lookup(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	// The read pool has connections to spare, so the statement can be prepared at once.
	db.readStatements.prepareWanted()
	return db.read.QueryRowContext(ctx, query, args...)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, stmts *statements, opts *sql.TxOptions, writing bool, fn func(context.Context, *Tx) error) error {
	after, err := db.runTx(ctx, pool, stmts, opts, writing, fn)
	for _, h := range after {
		h()
	}
	return err
}

// runTx runs fn in a transaction and returns, once it has committed, the functions AfterCommit
// registered, for the caller to run in its own goroutine.
func (db *DB) runTx(ctx context.Context, pool *sql.DB, stmts *statements, opts *sql.TxOptions, writing bool, fn func(context.Context, *Tx) error) (after []func(), err error) {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	// Runs after the commit or rollback below, once the connection is free to prepare on.
	defer stmts.prepareWanted()
	tx := db.newTx(sqlTx, stmts, writing)
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	txCtx := context.WithValue(ctx, txKey{}, tx)
	commit := func() error {
		if err := tx.runBeforeCommit(txCtx); err != nil {
			return err
		}
		if err := sqlTx.Commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	}
	if err = fn(txCtx, tx); err != nil {
		var keep *commitAndFail
		if !errors.As(err, &keep) {
			return nil, err
		}
		if err = commit(); err != nil {
			return nil, err
		}
		return nil, keep.err
	}
	if err = commit(); err != nil {
		return nil, err
	}
	return *tx.hooks, nil
}

// newTx wraps a transaction just begun, stamped with the database's time now.
func (db *DB) newTx(sqlTx *sql.Tx, stmts *statements, writing bool) *Tx {
	return &Tx{Tx: sqlTx, Now: db.Now(), Engine: db.engine, writing: writing, hooks: &[]func(){}, stmts: stmts,
		bound: newBoundStatements(), beforeCommit: &[]func(context.Context) error{}}
}

// runBeforeCommit runs the functions BeforeCommit registered, in order; they may register more.
func (tx *Tx) runBeforeCommit(ctx context.Context) error {
	for i := 0; i < len(*tx.beforeCommit); i++ {
		if err := (*tx.beforeCommit)[i](ctx); err != nil {
			return err
		}
	}
	return nil
}

// IsUniqueViolation tells whether err is a unique-constraint failure on either engine, so callers can
// turn it into a coded conflict without parsing messages themselves.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState() == "23505"
	}
	var sqliteErr interface{ Code() int }
	if errors.As(err, &sqliteErr) {
		// SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
		return sqliteErr.Code() == 2067 || sqliteErr.Code() == 1555
	}
	return false
}

// CommitAndFail makes Write commit what its transaction did and still return err. It is for failures that
// must themselves be recorded: a failed sign-in counts toward lockout and is audited, yet the caller
// must see the failure.
func CommitAndFail(err error) error { return &commitAndFail{err} }

type commitAndFail struct{ err error }

func (c *commitAndFail) Error() string { return c.err.Error() }
func (c *commitAndFail) Unwrap() error { return c.err }
