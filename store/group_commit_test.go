package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// Writes that wait while SQLite's writer is busy are committed together, and each still succeeds or
// fails alone: a failing write, a panicking one and one cancelled before it started leave nothing
// behind, one whose caller leaves once it has started still commits, a
// CommitAndFail keeps its rows and returns its error, and the audit-like work of BeforeCommit runs for
// each write that stays. After-commit functions run in the caller's goroutine, free to write again.
func TestWritesWaitingTogetherCommitAsOneGroup(t *testing.T) {
	db := storetest.Open(t)
	if db.Engine() != store.SQLite {
		t.Skip("groups are SQLite's: PostgreSQL runs writers side by side")
	}
	ctx := context.Background()
	if err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE grouped (name TEXT PRIMARY KEY, stamp TEXT)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	insert := func(ctx context.Context, tx *store.Tx, name string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO grouped (name) VALUES ($1)`, name)
		if err != nil {
			return err
		}
		// Each kept write's before-commit work runs before the next write of the group starts.
		tx.BeforeCommit(func(ctx context.Context) error {
			_, err := tx.ExecContext(ctx, `UPDATE grouped SET stamp = 'sealed' WHERE name = $1`, name)
			return err
		})
		return nil
	}

	// Hold the writer until every other write is waiting for it.
	release := make(chan struct{})
	holding := make(chan struct{})
	go func() {
		_ = db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			close(holding)
			<-release
			return insert(ctx, tx, "holder")
		})
	}()
	<-holding

	boom, refused := errors.New("boom"), errors.New("refused")
	cancelled, cancel := context.WithCancel(ctx)
	leaving, leave := context.WithCancel(ctx)
	type outcome struct {
		err      error
		panicked any
		afterRan bool
	}
	cases := map[string]func(ctx context.Context, tx *store.Tx) error{
		"fails": func(ctx context.Context, tx *store.Tx) error {
			if err := insert(ctx, tx, "fails"); err != nil {
				return err
			}
			return boom
		},
		"panics": func(ctx context.Context, tx *store.Tx) error {
			if err := insert(ctx, tx, "panics"); err != nil {
				return err
			}
			panic("bug")
		},
		"cancelled": func(ctx context.Context, tx *store.Tx) error { return insert(ctx, tx, "cancelled") },
		// Its caller goes away once it has started: it runs to its end, and interrupts nobody else.
		"caller leaves": func(ctx context.Context, tx *store.Tx) error {
			leave()
			return insert(ctx, tx, "caller leaves")
		},
		"duplicate": func(ctx context.Context, tx *store.Tx) error { return insert(ctx, tx, "holder") },
		"commit and fail": func(ctx context.Context, tx *store.Tx) error {
			if err := insert(ctx, tx, "commit and fail"); err != nil {
				return err
			}
			return store.CommitAndFail(refused)
		},
	}
	for i := range 8 {
		name := fmt.Sprintf("ok-%d", i)
		cases[name] = func(ctx context.Context, tx *store.Tx) error { return insert(ctx, tx, name) }
	}
	var mu sync.Mutex
	got := map[string]*outcome{}
	var wg sync.WaitGroup
	for name, fn := range cases {
		o := &outcome{}
		got[name] = o
		wctx := ctx
		switch name {
		case "cancelled":
			wctx = cancelled
		case "caller leaves":
			wctx = leaving
		}
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					o.panicked = p
					mu.Unlock()
				}
			}()
			err := db.Write(wctx, func(ctx context.Context, tx *store.Tx) error {
				tx.AfterCommit(func() {
					// Runs in the caller's goroutine: writing again here must not wait for itself.
					if err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error { return nil }); err != nil {
						t.Errorf("write after commit: %v", err)
					}
					o.afterRan = true
				})
				return fn(ctx, tx)
			})
			mu.Lock()
			o.err = err
			mu.Unlock()
		})
	}
	cancel()
	// The writers are blocked handing their work over; give them a moment to line up.
	time.Sleep(200 * time.Millisecond)
	close(release)
	wg.Wait()

	if store.GroupsCommitted(db) == 0 {
		t.Fatal("no group was committed: the waiting writes ran one by one")
	}
	rows := map[string]string{}
	if err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		r, err := tx.QueryContext(ctx, `SELECT name, COALESCE(stamp, '') FROM grouped`)
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
			var name, stamp string
			if err := r.Scan(&name, &stamp); err != nil {
				return err
			}
			rows[name] = stamp
		}
		return r.Err()
	}); err != nil {
		t.Fatal(err)
	}
	for name, o := range got {
		switch {
		case name == "fails":
			if !errors.Is(o.err, boom) || o.afterRan {
				t.Errorf("%s: err %v, after-commit ran %v", name, o.err, o.afterRan)
			}
		case name == "panics":
			if o.panicked != "bug" {
				t.Errorf("%s: the panic did not reach its caller: %v", name, o.panicked)
			}
		case name == "cancelled":
			if !errors.Is(o.err, context.Canceled) {
				t.Errorf("%s: err %v", name, o.err)
			}
		case name == "duplicate":
			if !store.IsUniqueViolation(o.err) {
				t.Errorf("%s: err %v, want a unique violation", name, o.err)
			}
		case name == "commit and fail":
			if !errors.Is(o.err, refused) || o.afterRan {
				t.Errorf("%s: err %v, after-commit ran %v", name, o.err, o.afterRan)
			}
		default:
			if o.err != nil || !o.afterRan {
				t.Errorf("%s: err %v, after-commit ran %v", name, o.err, o.afterRan)
			}
		}
		_, present := rows[name]
		want := (o.err == nil && o.panicked == nil) || name == "commit and fail"
		if name == "duplicate" {
			continue
		}
		if present != want {
			t.Errorf("%s: row present %v, want %v", name, present, want)
		}
		if present && rows[name] != "sealed" {
			t.Errorf("%s: before-commit work missing", name)
		}
	}
	if rows["holder"] != "sealed" || len(rows) != 11 {
		t.Errorf("rows = %v, want the holder, nine writes and the commit-and-fail", rows)
	}
}

// A Write after Close fails plainly instead of waiting for a writer that has stopped.
func TestWriteAfterCloseFails(t *testing.T) {
	db, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(context.Context, *store.Tx) error { return nil })
	if err == nil {
		t.Fatal("a write after close succeeded")
	}
}
