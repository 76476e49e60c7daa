package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	return db.run(ctx, db.write, nil, true, fn)
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
	return db.run(ctx, db.read, opts, false, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, writing bool, fn func(context.Context, *Tx) error) (err error) {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	hooks := []func(){}
	tx := &Tx{Tx: sqlTx, Now: db.Now(), Engine: db.engine, writing: writing, hooks: &hooks}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(context.WithValue(ctx, txKey{}, tx), tx); err != nil {
		var keep *commitAndFail
		if !errors.As(err, &keep) {
			return err
		}
		if cerr := sqlTx.Commit(); cerr != nil {
			return fmt.Errorf("commit: %w", cerr)
		}
		return keep.err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, h := range hooks {
		h()
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
