package store

import (
	"context"
	"database/sql"
	"sync"
)

// statements keeps SQLite's prepared statements. The pure-Go SQLite driver parses every statement it
// is given, and parsing costs more than running a typical indexed insert or lookup, so a use case
// that runs ten statements spends most of its time in the parser. PostgreSQL needs none of this: pgx
// already caches prepared statements per connection.
//
// A statement is prepared on the pool, never inside a transaction: on the single-connection write
// pool the transaction holds the only connection, so preparing from inside it would wait for itself.
// The first time a query is seen it runs unprepared and is noted; once the transaction has let go of
// its connection, the statement is prepared, and later transactions reuse it through Tx.StmtContext,
// which finds the statement already prepared on their connection.
//
// On the read pool the preparation runs in the background: connections are to spare. On the write
// pool it runs at once, in the writer's goroutine, between two transactions. In the background it
// would queue for the only connection behind the next transaction and get it for one statement per
// transaction: a writer that runs long transactions back to back (the demo generator commits once per
// simulated week) kept parsing most of its statements for the whole run.
type statements struct {
	pool *sql.DB
	// inline prepares in the caller's goroutine, which must not hold a connection of the pool.
	inline bool

	mu        sync.Mutex
	ready     map[string]*sql.Stmt
	wanted    map[string]bool
	preparing bool
	closed    bool
	wg        sync.WaitGroup
}

// maxStatements bounds the cache. The application's queries are a few hundred fixed strings; queries
// built with a variable number of placeholders would otherwise grow it without end.
const maxStatements = 2000

func newStatements(pool *sql.DB, inline bool) *statements {
	return &statements{pool: pool, inline: inline, ready: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// lookup returns the prepared statement for query, or nil: after noting that it is wanted, or
// because it cannot be prepared.
func (s *statements) lookup(query string) *sql.Stmt {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.ready[query]; ok {
		return st
	}
	if !s.closed && len(s.ready)+len(s.wanted) < maxStatements {
		s.wanted[query] = true
	}
	return nil
}

// prepareWanted prepares the queries noted since the last time, and any noted while it works: one
// preparer at a time, which stops when nothing is left. Call it after a transaction has ended.
func (s *statements) prepareWanted() {
	if s == nil {
		return
	}
	s.mu.Lock()
	if s.preparing || s.closed || len(s.wanted) == 0 {
		s.mu.Unlock()
		return
	}
	s.preparing = true
	s.mu.Unlock()
	if s.inline {
		s.prepareUntilDone()
		return
	}
	s.wg.Go(s.prepareUntilDone)
}

func (s *statements) prepareUntilDone() {
	for {
		s.mu.Lock()
		if s.closed || len(s.wanted) == 0 {
			s.preparing = false
			s.mu.Unlock()
			return
		}
		queries := make([]string, 0, len(s.wanted))
		for q := range s.wanted {
			queries = append(queries, q)
		}
		s.wanted = map[string]bool{}
		s.mu.Unlock()
		for _, q := range queries {
			st, err := s.pool.PrepareContext(context.Background(), q)
			s.mu.Lock()
			switch {
			case err != nil:
				// Not preparable on its own (it names a table a transaction creates, say): it
				// runs unprepared, as before, and is not tried again.
				s.ready[q] = nil
			case s.closed:
				_ = st.Close()
			default:
				s.ready[q] = st
			}
			s.mu.Unlock()
		}
	}
}

// close waits for a background preparation and closes every statement.
func (s *statements) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.ready {
		if st != nil {
			_ = st.Close()
		}
	}
	s.ready = map[string]*sql.Stmt{}
}
