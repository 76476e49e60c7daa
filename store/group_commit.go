package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Group commit for SQLite's single writer.
//
// A commit in WAL mode writes every page the transaction changed to the log, one system call per page.
// Logging a call changes a dozen pages (the calls table and its indexes, the reason, the audit entry
// and its indexes, the chain head), and most of them are the same pages for the next call: the
// right-hand edges of indexes on time-ordered keys. Committing each call alone writes those pages once
// per call, and under load the commits, not the statements, are where the writer's time goes.
//
// So on SQLite every Write goes through one writer goroutine. When it becomes free it takes every
// Write that is waiting (up to maxGroup), runs each inside its own savepoint of one transaction, and
// commits them together: the shared pages are written once per group. Each Write still succeeds or
// fails alone: one that returns an error (or panics) is rolled back to its savepoint, and the others
// go on. No caller hears of success before the group's commit, so an acknowledged write is as durable
// as before, and a Write that comes when the writer is idle runs alone, with no wait added.

// maxGroup bounds a group, so that one commit never holds a very long line of callers.
const maxGroup = 64

// savepoint is the name each member of a group runs under.
const savepoint = "aman_group_member"

// ErrClosed is returned by a Write on a database that has been closed.
var ErrClosed = errors.New("store: the database is closed")

type writeRequest struct {
	ctx   context.Context
	fn    func(context.Context, *Tx) error
	reply chan writeReply
}

// writeReply is a Write's outcome; a panic in fn is carried back and raised again in the caller's
// goroutine, where the caller's recovery (an HTTP handler's, say) can see it.
type writeReply struct {
	err      error
	panicked any
	// after are the write's AfterCommit functions, run by the caller: one that writes again must not
	// wait for the writer that is running it.
	after []func()
}

// groupWriter owns the writes of one SQLite database until the database is closed.
type groupWriter struct {
	db        *DB
	requests  chan *writeRequest
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	// groups counts the groups of two or more writes committed, for tests.
	groups atomic.Int64
}

func startGroupWriter(db *DB) *groupWriter {
	w := &groupWriter{db: db, requests: make(chan *writeRequest), stop: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// write hands fn to the writer and waits for its outcome.
func (w *groupWriter) write(ctx context.Context, fn func(context.Context, *Tx) error) error {
	req := &writeRequest{ctx: ctx, fn: fn, reply: make(chan writeReply, 1)}
	select {
	case w.requests <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.done:
		return ErrClosed
	}
	// Once taken, a write is waited for even if ctx ends meanwhile: the caller must learn whether it
	// committed.
	rep := <-req.reply
	if rep.panicked != nil {
		panic(rep.panicked)
	}
	for _, h := range rep.after {
		h()
	}
	return rep.err
}

// close stops the writer after the group it is running.
func (w *groupWriter) close() {
	w.closeOnce.Do(func() { close(w.stop) })
	<-w.done
}

func (w *groupWriter) loop() {
	defer close(w.done)
	group := make([]*writeRequest, 0, maxGroup)
	for {
		select {
		case req := <-w.requests:
			group = append(group[:0], req)
		case <-w.stop:
			return
		}
	gather:
		for len(group) < maxGroup {
			select {
			case req := <-w.requests:
				group = append(group, req)
			default:
				break gather
			}
		}
		if len(group) == 1 {
			req := group[0]
			var after []func()
			rep := capture(func() (err error) {
				after, err = w.db.runTx(req.ctx, w.db.write, w.db.writeStatements, nil, true, req.fn)
				return err
			})
			rep.after = after
			req.reply <- rep
			continue
		}
		w.runGroup(group)
		w.db.writeStatements.prepareWanted()
	}
}

// capture runs f, turning a panic into a reply.
func capture(f func() error) (rep writeReply) {
	defer func() {
		if p := recover(); p != nil {
			rep = writeReply{panicked: p}
		}
	}()
	return writeReply{err: f()}
}

// member is a write of a group that reached its savepoint's release and waits for the commit.
type member struct {
	req   *writeRequest
	after []func()
	err   error // what the caller hears after a commit: nil, or the error of a CommitAndFail
}

func (w *groupWriter) runGroup(group []*writeRequest) {
	sqlTx, err := w.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, req := range group {
			req.reply <- writeReply{err: fmt.Errorf("begin: %w", err)}
		}
		return
	}
	var kept []member
	// The members share one transaction, so they share its bound statements too.
	bound := newBoundStatements()
	// abort ends the group when the transaction itself has failed: nothing of it commits, and every
	// write not yet answered hears so.
	abort := func(cause error, rest []*writeRequest) {
		_ = sqlTx.Rollback()
		for _, m := range kept {
			m.req.reply <- writeReply{err: cause}
		}
		for _, req := range rest {
			req.reply <- writeReply{err: cause}
		}
	}
	for i, req := range group {
		if err := req.ctx.Err(); err != nil {
			req.reply <- writeReply{err: err}
			continue
		}
		tx := w.db.newTx(sqlTx, w.db.writeStatements, true)
		tx.bound = bound
		if _, err := tx.ExecContext(context.Background(), "SAVEPOINT "+savepoint); err != nil {
			abort(fmt.Errorf("savepoint: %w", err), group[i:])
			return
		}
		m, rep, keep := runMember(tx, req)
		if keep {
			if _, err := tx.ExecContext(context.Background(), "RELEASE "+savepoint); err != nil {
				abort(fmt.Errorf("release savepoint: %w", err), group[i:])
				return
			}
			kept = append(kept, m)
			continue
		}
		// Undo this write alone. If SQLite has already rolled the whole transaction back (after some
		// I/O errors it does), the savepoint is gone and so is the group.
		err := undoMember(tx)
		req.reply <- rep
		if err != nil {
			abort(err, group[i+1:])
			return
		}
	}
	if err := sqlTx.Commit(); err != nil {
		for _, m := range kept {
			m.req.reply <- writeReply{err: fmt.Errorf("commit: %w", err)}
		}
		return
	}
	w.groups.Add(1)
	for _, m := range kept {
		rep := writeReply{err: m.err}
		if m.err == nil {
			rep.after = m.after
		}
		m.req.reply <- rep
	}
}

// undoMember rolls the group's transaction back to the savepoint of the member that just ran, and
// leaves the savepoint.
func undoMember(tx *Tx) error {
	if _, err := tx.ExecContext(context.Background(), "ROLLBACK TO "+savepoint); err != nil {
		return fmt.Errorf("roll back a write of the group: %w", err)
	}
	if _, err := tx.ExecContext(context.Background(), "RELEASE "+savepoint); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// runMember runs one write of a group in its own Tx (its own time, memo and hooks) on the group's
// transaction, inside the savepoint just opened. keep tells whether its changes stay; otherwise rep is what its caller hears.
func runMember(tx *Tx, req *writeRequest) (m member, rep writeReply, keep bool) {
	// A member runs to its end even if its caller goes away meanwhile: SQLite answers an interrupted
	// INSERT, UPDATE or DELETE inside a transaction by rolling back the whole transaction, which here
	// would be every other caller's write too.
	txCtx := context.WithValue(context.WithoutCancel(req.ctx), txKey{}, tx)
	rep = capture(func() error {
		err := req.fn(txCtx, tx)
		var fail *commitAndFail
		if err != nil && !errors.As(err, &fail) {
			return err
		}
		// Before-commit work runs at the end of the member, not of the group: it belongs to this
		// write (the audit chain's head, say) and the next member must see it done.
		if err := tx.runBeforeCommit(txCtx); err != nil {
			return err
		}
		if fail != nil {
			m.err = fail.err
		}
		return nil
	})
	if rep.panicked != nil || rep.err != nil {
		return member{}, rep, false
	}
	m.req, m.after = req, *tx.hooks
	return m, rep, true
}
