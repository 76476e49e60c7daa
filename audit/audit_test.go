package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// baseAt is the test clock's start plus d. Each reading of the test clock advances it by one second,
// so entries have distinct, predictable times.
func baseAt(d time.Duration) time.Time {
	return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).Add(d)
}

func testClock() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return baseAt(time.Duration(n.Add(1)-1) * time.Second) }
}

func newTestLog(t testing.TB) (*Log, *store.DB) {
	t.Helper()
	keys, err := seal.LoadOrCreate(context.Background(), &seal.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	return New(keys), storetest.Open(t, storetest.Options{Clock: testClock()})
}

func actor(i int) aman.Actor {
	return aman.Actor{
		UserID: fmt.Sprintf("u-%d", i%3), Role: aman.RoleCaseWorker, RequestID: fmt.Sprintf("req-%d", i),
		IP: "10.0.0.7", Username: "not-stored",
	}
}

// sampleEntry is entry i (1-based) of the test chains: every fifth is a break-glass entry with a
// reason, and some carry detail, so the tamper cases have every kind of column to work on.
func sampleEntry(i int) Entry {
	e := Entry{Action: ActionCaseRead, Entity: EntityCase, EntityID: fmt.Sprintf("c-%d", i%4)}
	switch {
	case i%5 == 0:
		e.Action, e.BreakGlass, e.Reason = ActionBreakGlass, true, fmt.Sprintf("child at risk, reason %d", i)
	case i%3 == 0:
		e.Action, e.Entity, e.EntityID = ActionUserRoleChange, EntityUser, "u-9"
		e.Detail = map[string]string{"role_from": "case_worker", "role_to": "supervisor"}
	}
	return e
}

func appendN(t testing.TB, l *Log, db *store.DB, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
			return l.Append(ctx, tx, actor(i), sampleEntry(i))
		})
		if err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
}

func wantCount(t *testing.T, l *Log, db *store.DB, want int64) {
	t.Helper()
	n, err := l.Verify(context.Background(), db)
	if err != nil || n != want {
		t.Fatalf("Verify = %d, %v; want %d, nil", n, err, want)
	}
}

// tamper runs fn as someone with full control of the database: it first drops the triggers that keep
// the application from changing entries.
func tamper(t *testing.T, db *store.DB, fn func(ctx context.Context, tx *store.Tx) error) {
	t.Helper()
	err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		drops := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
		if tx.Engine == store.Postgres {
			drops = []string{`DROP TRIGGER audit_log_append_only ON audit_log`, `DROP TRIGGER audit_log_no_truncate ON audit_log`}
		}
		for _, q := range drops {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return fn(ctx, tx)
	})
	if err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

// sqls returns a tamper function running statements in order.
func sqls(stmts ...string) func(ctx context.Context, tx *store.Tx) error {
	return func(ctx context.Context, tx *store.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	}
}

// move renumbers entry from to to, one statement per row as PostgreSQL checks the primary key row by
// row.
func move(ctx context.Context, tx *store.Tx, from, to int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE audit_log SET seq = $1 WHERE seq = $2`, to, from)
	return err
}

// forge inserts an entry the application did not write, linked to the entry before it, with a hash
// made up without the key.
func forge(ctx context.Context, tx *store.Tx, seq int64) error {
	prev := genesisHash()
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq-1).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	fake := sha256.Sum256([]byte("forged"))
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (`+columns+`)
		VALUES ($1, $2, 'u-0', 'supervisor', 'case.read', 'case', 'c-1', '', '', $3, '{}', NULL, $4, $5)`,
		seq, store.Millis(baseAt(0)), false, prev, fake[:])
	return err
}

// setHead points the head at entry seq, as a tamperer covering their tracks would; keepMAC leaves the
// head's seal as it was (the tamperer cannot compute a new one).
func setHead(ctx context.Context, tx *store.Tx, seq int64, keepMAC bool) error {
	var hash []byte
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, seq).Scan(&hash); err != nil {
		return err
	}
	q := `UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1`
	if !keepMAC {
		q = `UPDATE audit_head SET last_seq = $1, last_hash = $2, mac = NULL WHERE id = 1`
	}
	_, err := tx.ExecContext(ctx, q, seq, hash)
	return err
}

// rechainUnkeyed replaces the hashes of entries from..last with a plain SHA-256 chain over the same
// canonical encoding, and the head with its end: what someone without the key would do to make an
// edit look consistent.
func rechainUnkeyed(ctx context.Context, tx *store.Tx, from, last int64) error {
	var prev []byte
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, from-1).Scan(&prev); err != nil {
		return err
	}
	for seq := from; seq <= last; seq++ {
		var (
			r                                                           row
			actorID, actorRole, action, entity, entityID, ip, requestID string
			detail                                                      string
			sealed                                                      []byte
		)
		err := tx.QueryRowContext(ctx, `SELECT at, actor_id, actor_role, action, entity, entity_id, ip, request_id, break_glass, detail, reason_sealed
			FROM audit_log WHERE seq = $1`, seq).Scan(&r.at, &actorID, &actorRole, &action, &entity, &entityID, &ip, &requestID, &r.breakGlass, &detail, &sealed)
		if err != nil {
			return err
		}
		r.actorID, r.actorRole, r.action, r.entity, r.entityID, r.ip, r.requestID = []byte(actorID), []byte(actorRole), []byte(action), []byte(entity), []byte(entityID), []byte(ip), []byte(requestID)
		r.detail, r.reason, r.prevHash = []byte(detail), sealed, prev
		if seq == from {
			r.action = []byte("case.update") // the edit being covered up
		}
		h := sha256.Sum256(appendCanonical(nil, &r, seq))
		if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET action = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
			string(r.action), prev, h[:], seq); err != nil {
			return err
		}
		prev = h[:]
	}
	// Only a rechained end can be matched by the head; a rechained middle leaves it alone.
	_, err := tx.ExecContext(ctx, `UPDATE audit_head SET last_hash = $1 WHERE id = 1 AND last_seq = $2`, prev, last)
	return err
}

func TestVerifyDetectsTampering(t *testing.T) {
	const n = 10
	tests := []struct {
		name        string
		sqliteOnly  bool
		fn          func(ctx context.Context, tx *store.Tx) error
		wantSeq     int64
		wantProblem string
	}{
		{"edit a field", false, sqls(`UPDATE audit_log SET entity_id = 'c-999' WHERE seq = 4`), 4, Altered},
		{"edit the time", false, sqls(`UPDATE audit_log SET at = at + 1 WHERE seq = 7`), 7, Altered},
		{"clear the break-glass mark", false, sqls(`UPDATE audit_log SET break_glass = FALSE WHERE seq = 5`), 5, Altered},
		{"edit the detail", false, sqls(`UPDATE audit_log SET detail = '{"role_from":"case_worker","role_to":"admin"}' WHERE seq = 3`), 3, Altered},
		{"drop a sealed reason", false, sqls(`UPDATE audit_log SET reason_sealed = NULL WHERE seq = 10`), 10, Altered},
		{"copy a sealed reason onto another entry", false,
			sqls(`UPDATE audit_log SET reason_sealed = (SELECT reason_sealed FROM audit_log WHERE seq = 5) WHERE seq = 6`), 6, Altered},
		{"relink an entry", false, sqls(`UPDATE audit_log SET prev_hash = hash WHERE seq = 2`), 2, Altered},
		{"replace a hash with an unkeyed hash", false, func(ctx context.Context, tx *store.Tx) error { return rechainUnkeyed(ctx, tx, 6, 6) }, 6, Altered},
		{"rechain the rest with unkeyed hashes", false, func(ctx context.Context, tx *store.Tx) error { return rechainUnkeyed(ctx, tx, 4, n) }, 4, Altered},
		{"store a value of another type", true, sqls(`UPDATE audit_log SET at = 'yesterday' WHERE seq = 2`), 2, Altered},

		{"delete an entry in the middle", false, sqls(`DELETE FROM audit_log WHERE seq = 4`), 4, Missing},
		{"delete the first entry", false, sqls(`DELETE FROM audit_log WHERE seq = 1`), 1, Missing},
		{"delete every entry", false, sqls(`DELETE FROM audit_log`), 1, Missing},
		{"delete the last entry", false, sqls(`DELETE FROM audit_log WHERE seq = 10`), 10, Missing},
		{"delete the last entries and roll the head back", false, func(ctx context.Context, tx *store.Tx) error {
			if err := sqls(`DELETE FROM audit_log WHERE seq >= 8`)(ctx, tx); err != nil {
				return err
			}
			return setHead(ctx, tx, 7, true)
		}, 8, Missing},
		{"delete the last entry and reset the head's seal", false, func(ctx context.Context, tx *store.Tx) error {
			if err := sqls(`DELETE FROM audit_log WHERE seq = 10`)(ctx, tx); err != nil {
				return err
			}
			return setHead(ctx, tx, 9, false)
		}, 10, Missing},
		{"delete an entry and renumber the rest", false, func(ctx context.Context, tx *store.Tx) error {
			if err := sqls(`DELETE FROM audit_log WHERE seq = 4`)(ctx, tx); err != nil {
				return err
			}
			for s := int64(5); s <= n; s++ {
				if err := move(ctx, tx, s, s-1); err != nil {
					return err
				}
			}
			return setHead(ctx, tx, n-1, true)
		}, 4, Missing},
		{"move the head past the end", false, sqls(`UPDATE audit_head SET last_seq = 15`), 11, Missing},
		{"delete the head", false, sqls(`DELETE FROM audit_head`), 11, Missing},

		{"forge an entry at the end", false, func(ctx context.Context, tx *store.Tx) error { return forge(ctx, tx, n+1) }, 11, Inserted},
		{"forge an entry at the end and advance the head", false, func(ctx context.Context, tx *store.Tx) error {
			if err := forge(ctx, tx, n+1); err != nil {
				return err
			}
			return setHead(ctx, tx, n+1, true)
		}, 11, Inserted},
		{"forge an entry in the middle, shifting the rest", false, func(ctx context.Context, tx *store.Tx) error {
			for s := int64(n); s >= 4; s-- {
				if err := move(ctx, tx, s, s+1); err != nil {
					return err
				}
			}
			if err := forge(ctx, tx, 4); err != nil {
				return err
			}
			return setHead(ctx, tx, n+1, true)
		}, 4, Inserted},

		{"forge an entry past the end, leaving a gap", false, func(ctx context.Context, tx *store.Tx) error { return forge(ctx, tx, n+2) }, 12, Inserted},
		{"forge an entry numbered 0", false, func(ctx context.Context, tx *store.Tx) error { return forge(ctx, tx, 0) }, 0, Inserted},

		{"swap two entries", false, func(ctx context.Context, tx *store.Tx) error {
			return errors.Join(move(ctx, tx, 3, -3), move(ctx, tx, 7, 3), move(ctx, tx, -3, 7))
		}, 3, OutOfOrder},
		{"swap neighbours", false, func(ctx context.Context, tx *store.Tx) error {
			return errors.Join(move(ctx, tx, 5, -5), move(ctx, tx, 6, 5), move(ctx, tx, -5, 6))
		}, 5, OutOfOrder},
		{"move an entry past the end", false, func(ctx context.Context, tx *store.Tx) error { return move(ctx, tx, 6, 20) }, 6, OutOfOrder},
		{"move an entry below the first", false, func(ctx context.Context, tx *store.Tx) error { return move(ctx, tx, 3, -3) }, 3, OutOfOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, db := newTestLog(t)
			if tt.sqliteOnly && db.Engine() != store.SQLite {
				t.Skip("PostgreSQL enforces column types")
			}
			appendN(t, l, db, n)
			wantCount(t, l, db, n)
			tamper(t, db, tt.fn)

			count, err := l.Verify(context.Background(), db)
			var broken *BrokenChain
			if !errors.As(err, &broken) {
				t.Fatalf("Verify = %d, %v; want a broken chain at %d", count, err, tt.wantSeq)
			}
			if broken.Seq != tt.wantSeq || broken.Problem != tt.wantProblem {
				t.Fatalf("Verify: %v; want entry %d %s", err, tt.wantSeq, tt.wantProblem)
			}
			if wantGood := min(tt.wantSeq-1, n); tt.wantSeq > 0 && count != wantGood {
				t.Errorf("good entries before the break = %d, want %d", count, wantGood)
			}
			want := fmt.Sprintf("audit chain broken at entry %d: %s", tt.wantSeq, tt.wantProblem)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
			for _, secret := range []string{"child at risk", "c-999", "u-0", "10.0.0.7"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows entry content %q", err, secret)
				}
			}
		})
	}
}

func TestVerifyEmptyAndWhole(t *testing.T) {
	l, db := newTestLog(t)
	wantCount(t, l, db, 0)
	appendN(t, l, db, 12)
	wantCount(t, l, db, 12)

	// Another keyring cannot vouch for the chain: without the key the entries cannot be told genuine.
	other, err := seal.LoadOrCreate(context.Background(), &seal.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(other).Verify(context.Background(), db)
	var broken *BrokenChain
	if !errors.As(err, &broken) || broken.Seq != 1 || broken.Problem != Altered {
		t.Fatalf("Verify under another key: %v, want entry 1 altered", err)
	}
}

func TestAppendRecordsEntry(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	a := aman.Actor{UserID: "u-7", Username: "mariam", Role: aman.RoleSupervisor, RequestID: "r-1", IP: "192.0.2.4"}
	var at time.Time
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		at = tx.Now
		return l.Append(ctx, tx, a, Entry{
			Seq: 99, At: baseAt(-time.Hour), ActorID: "someone-else", // ignored: Append stamps these
			Action: ActionUserRoleChange, Entity: EntityUser, EntityID: "u-9",
			Detail: map[string]string{"role_from": "case_worker", "role_to": "supervisor"},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Query(ctx, db, Filter{})
	if err != nil || len(got) != 1 {
		t.Fatalf("Query = %v, %v", got, err)
	}
	want := Entry{
		Seq: 1, At: at, ActorID: "u-7", ActorRole: aman.RoleSupervisor, IP: "192.0.2.4", RequestID: "r-1",
		Action: ActionUserRoleChange, Entity: EntityUser, EntityID: "u-9",
		Detail: map[string]string{"role_from": "case_worker", "role_to": "supervisor"},
	}
	if fmt.Sprint(got[0]) != fmt.Sprint(want) || !got[0].At.Equal(at) {
		t.Fatalf("entry = %+v\nwant    %+v", got[0], want)
	}
}

func TestRollbackLeavesNoEntry(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := l.Append(ctx, tx, actor(1), sampleEntry(1)); err != nil {
			return err
		}
		return boom // the change failed after its entry was written
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v", err)
	}
	wantCount(t, l, db, 0)
	if got, err := l.Query(ctx, db, Filter{}); err != nil || len(got) != 0 {
		t.Fatalf("Query after rollback = %v, %v", got, err)
	}
	// The head rolled back too, so the next entry is number 1 and the chain is whole.
	appendN(t, l, db, 1)
	wantCount(t, l, db, 1)
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	keys, err := seal.LoadOrCreate(context.Background(), &seal.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	l, db := New(keys), storetest.Open(t)
	const workers, each = 8, 10
	var (
		wg       sync.WaitGroup
		errs     = make(chan error, workers*each+workers)
		stop     = make(chan struct{})
		verified atomic.Int64
	)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
					return l.Append(ctx, tx, actor(w), Entry{Action: ActionCaseUpdate, Entity: EntityCase, EntityID: fmt.Sprintf("c-%d-%d", w, i)})
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	// Verification runs alongside, and must see a whole chain every time: its snapshot holds the
	// head and the entries at one moment.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := l.Verify(context.Background(), db); err != nil {
				errs <- fmt.Errorf("verify during appends: %w", err)
				return
			}
			verified.Add(1)
		}
	}()
	wg.Wait()
	close(stop)
	<-done
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	wantCount(t, l, db, workers*each)
	t.Logf("%d verifications ran during the appends", verified.Load())
}

// A transaction that has recorded an entry does not hold the chain until it commits: on PostgreSQL,
// where writers run side by side, another transaction records and commits in between (before, the
// first entry locked the head, and this test would wait forever). Both entries are in the chain.
func TestTheChainIsTakenOnlyAtCommit(t *testing.T) {
	l, db := newTestLog(t)
	if db.Engine() != store.Postgres {
		t.Skip("SQLite runs one writing transaction at a time")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	recorded, otherDone := make(chan struct{}), make(chan error, 1)
	go func() {
		<-recorded
		otherDone <- db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			return l.Append(ctx, tx, actor(2), sampleEntry(2))
		})
	}()
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := l.Append(ctx, tx, actor(1), sampleEntry(1)); err != nil {
			return err
		}
		close(recorded)
		return <-otherDone
	})
	if err != nil {
		t.Fatalf("the other transaction could not record while the first was open: %v", err)
	}
	wantCount(t, l, db, 2)
}

func TestAppendRejectsBadEntries(t *testing.T) {
	l, db := newTestLog(t)
	personal := "Fatima Al-Kuwari 55512345"
	tests := []struct {
		name  string
		actor aman.Actor
		entry Entry
	}{
		{"no action", actor(1), Entry{}},
		{"free text as action", actor(1), Entry{Action: personal}},
		{"action with a trailing dot", actor(1), Entry{Action: "case."}},
		{"upper-case action", actor(1), Entry{Action: "Case.Read"}},
		{"free text as entity", actor(1), Entry{Action: "case.read", Entity: personal, EntityID: "c-1"}},
		{"entity id without entity", actor(1), Entry{Action: "case.read", EntityID: "c-1"}},
		{"free text as detail key", actor(1), Entry{Action: "case.read", Detail: map[string]string{personal: "x"}}},
		{"oversized detail value", actor(1), Entry{Action: "case.read", Detail: map[string]string{"note": strings.Repeat(personal, 20)}}},
		{"oversized detail", actor(1), Entry{Action: "case.read", Detail: func() map[string]string {
			d := map[string]string{}
			for i := range 20 {
				d[fmt.Sprintf("k%d", i)] = strings.Repeat("x", 200)
			}
			return d
		}()}},
		{"break glass without reason", actor(1), Entry{Action: ActionBreakGlass, Entity: EntityCase, EntityID: "c-1"}},
		{"reason that is not UTF-8", actor(1), Entry{Action: ActionBreakGlass, Reason: "\xff" + personal}},
		{"actor id with NUL", aman.Actor{UserID: "u-1\x00" + personal}, Entry{Action: "case.read"}},
		{"entity id that is not UTF-8", actor(1), Entry{Action: "case.read", Entity: "case", EntityID: "\xc3" + personal}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
				return l.Append(ctx, tx, tt.actor, tt.entry)
			})
			if err == nil {
				t.Fatal("Append accepted a bad entry")
			}
			if strings.Contains(err.Error(), "Fatima") || strings.Contains(err.Error(), "555") {
				t.Fatalf("error %q repeats the value", err)
			}
		})
	}
	wantCount(t, l, db, 0)
}

func TestLogIsAppendOnlyForTheApplication(t *testing.T) {
	l, db := newTestLog(t)
	appendN(t, l, db, 2)
	for _, q := range []string{
		`UPDATE audit_log SET action = 'case.update' WHERE seq = 1`,
		`DELETE FROM audit_log WHERE seq = 2`,
	} {
		err := db.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, q)
			return err
		})
		if err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	wantCount(t, l, db, 2)
}

func TestReasonsAreSealed(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	appendN(t, l, db, 5) // entry 5 is break-glass with a reason

	var stored []byte
	err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT reason_sealed FROM audit_log WHERE seq = 5`).Scan(&stored)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 || bytes.Contains(stored, []byte("child at risk")) {
		t.Fatalf("reason stored as %q", stored)
	}

	closed, err := l.Query(ctx, db, Filter{BreakGlassOnly: true})
	if err != nil || len(closed) != 1 {
		t.Fatalf("Query = %v, %v", closed, err)
	}
	if e := closed[0]; e.Seq != 5 || !e.BreakGlass || !e.HasReason || e.Reason != "" {
		t.Fatalf("without OpenReasons: %+v", e)
	}
	opened, err := l.Query(ctx, db, Filter{BreakGlassOnly: true, OpenReasons: true})
	if err != nil || len(opened) != 1 || opened[0].Reason != "child at risk, reason 5" {
		t.Fatalf("with OpenReasons: %+v, %v", opened, err)
	}

	// A reason moved onto another entry does not open there: its AAD names entry 5.
	tamper(t, db, sqls(`UPDATE audit_log SET reason_sealed = (SELECT reason_sealed FROM audit_log WHERE seq = 5) WHERE seq = 4`))
	_, err = l.Query(ctx, db, Filter{Action: ActionCaseRead, OpenReasons: true})
	if !errors.Is(err, seal.ErrOpen) || strings.Contains(err.Error(), "child") {
		t.Fatalf("opening a moved reason: %v", err)
	}
}

func seqs(es []Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestQueryFiltersAndPages(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	appendN(t, l, db, 20) // entry i is at baseAt((i-1)s)

	tests := []struct {
		name string
		f    Filter
		want []int64
	}{
		{"newest first with a limit", Filter{Limit: 3}, []int64{20, 19, 18}},
		{"next page", Filter{Limit: 3, BeforeSeq: 18}, []int64{17, 16, 15}},
		{"one record's history", Filter{EntityType: EntityCase, EntityID: "c-1"}, []int64{17, 13, 5, 1}},
		{"one actor", Filter{ActorID: "u-2", Limit: 4}, []int64{20, 17, 14, 11}},
		{"one action", Filter{Action: ActionUserRoleChange}, []int64{18, 12, 9, 6, 3}},
		{"break glass", Filter{BreakGlassOnly: true}, []int64{20, 15, 10, 5}},
		{"a period", Filter{From: baseAt(4 * time.Second), To: baseAt(7 * time.Second)}, []int64{7, 6, 5}},
		{"action in a period", Filter{Action: ActionBreakGlass, From: baseAt(9 * time.Second)}, []int64{20, 15, 10}},
		{"until a moment", Filter{To: baseAt(3 * time.Second), Limit: 10}, []int64{3, 2, 1}},
		{"a period after the last entry", Filter{From: baseAt(time.Hour)}, nil},
		{"a period before the first entry", Filter{To: baseAt(-time.Hour)}, nil},
		{"nothing", Filter{ActorID: "nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.Query(ctx, db, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(seqs(got)) != fmt.Sprint(tt.want) {
				t.Fatalf("seqs = %v, want %v", seqs(got), tt.want)
			}
		})
	}
	if _, err := l.Query(ctx, db, Filter{EntityID: "c-1"}); err == nil {
		t.Fatal("an entity id without its type was accepted")
	}
}

func TestExportCSV(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	appendN(t, l, db, 12)
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return l.Append(ctx, tx, actor(1), Entry{Action: ActionBreakGlass, Entity: EntityCase, EntityID: "c-1", Reason: "=HYPERLINK(\"http://x\")"})
	})
	if err != nil {
		t.Fatal(err)
	}

	read := func(f Filter) [][]string {
		t.Helper()
		var buf bytes.Buffer
		if err := l.ExportCSV(ctx, db, f, &buf); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}

	all := read(Filter{})
	if len(all) != 14 || strings.Join(all[0], ",") != strings.Join(csvHeader(), ",") {
		t.Fatalf("export has %d rows, header %v", len(all), all[0])
	}
	top := all[1]
	if top[0] != "13" || top[4] != ActionBreakGlass || top[9] != "true" || top[11] != ReasonSealed || top[1] != "2026-03-01T09:00:12.000Z" {
		t.Fatalf("newest row = %v", top)
	}
	if strings.Contains(fmt.Sprint(all), "child at risk") {
		t.Fatal("a sealed reason appears in an export that did not ask to open it")
	}
	if row9 := all[13-9+1]; row9[0] != "9" || row9[10] != `{"role_from":"case_worker","role_to":"supervisor"}` || row9[11] != "" {
		t.Fatalf("row 9 = %v", row9)
	}

	opened := read(Filter{BreakGlassOnly: true, OpenReasons: true})
	if len(opened) != 4 || opened[2][11] != "child at risk, reason 10" {
		t.Fatalf("opened export = %v", opened)
	}
	if got := opened[1][11]; got != `'=HYPERLINK("http://x")` {
		t.Fatalf("formula reason exported as %q", got)
	}

	limited := read(Filter{Limit: 2, BeforeSeq: 10})
	if len(limited) != 3 || limited[1][0] != "9" || limited[2][0] != "8" {
		t.Fatalf("limited export = %v", limited)
	}
}

func TestCanonicalIsUnambiguous(t *testing.T) {
	mk := func(action, entity string, reason []byte) *row {
		return &row{seq: 1, at: 2, action: []byte(action), entity: []byte(entity), detail: []byte("{}"), reason: reason, prevHash: genesisHash()}
	}
	a := appendCanonical(nil, mk("case.read", "case", nil), 1)
	for name, b := range map[string][]byte{
		"bytes moved between fields": appendCanonical(nil, mk("case.rea", "dcase", nil), 1),
		"another seq":                appendCanonical(nil, mk("case.read", "case", nil), 2),
		"an empty reason vs none":    appendCanonical(nil, mk("case.read", "case", []byte{0}), 1),
	} {
		if bytes.Equal(a, b) {
			t.Errorf("%s: same encoding", name)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	l, db := newTestLog(b)
	ctx := context.Background()
	e := Entry{Action: ActionCaseRead, Entity: EntityCase, EntityID: "c-1", Detail: map[string]string{"fields": "summary"}}
	b.ReportAllocs()
	for b.Loop() {
		err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return l.Append(ctx, tx, actor(1), e) })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify reports the cost per entry: allocations per op divided by the entries stay flat as
// the log grows, which is what lets ten million entries verify in constant memory.
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			l, db := newTestLog(b)
			ctx := context.Background()
			// One transaction for the setup: the benchmark is about reading.
			err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				for i := 1; i <= n; i++ {
					if err := l.Append(ctx, tx, actor(i), sampleEntry(i)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if got, err := l.Verify(ctx, db); err != nil || got != int64(n) {
					b.Fatalf("Verify = %d, %v", got, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
		})
	}
}

// Many entries in one transaction form one stretch of the chain: the head is read once, advanced in
// memory, and written once at commit, and the next transaction continues from it. The entries wait
// and are written several at a time, in statements of a few sizes: 709 is 44 batches of 16 (never
// held longer), then 4 and 1. A read of the log inside the transaction sees its own entries.
func TestManyEntriesInOneTransaction(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	const many = 709
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		for i := range many {
			if err := l.Append(ctx, tx, actor(i), sampleEntry(i)); err != nil {
				return err
			}
			if i == 12 {
				seen, err := l.Query(ctx, db, Filter{Limit: 50})
				if err != nil {
					return err
				}
				if len(seen) != 13 || seen[0].Seq != 13 {
					t.Errorf("a read in the recording transaction saw %d entries; want its own 13", len(seen))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantCount(t, l, db, many)
	appendN(t, l, db, 3)
	wantCount(t, l, db, many+3)
	var seq int64
	if err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT last_seq FROM audit_head WHERE id = 1`).Scan(&seq)
	}); err != nil || seq != many+3 {
		t.Fatalf("head at %d, %v; want %d", seq, err, many+3)
	}
}

// Every filter of the auditor's screens reads an index in chain order and stops at the page: none
// collects all matching entries to sort them, which at a national centre would be millions.
func TestQueriesReadInChainOrderWithoutSorting(t *testing.T) {
	l, db := newTestLog(t)
	if db.Engine() != store.SQLite {
		t.Skip("the plan is checked on SQLite")
	}
	ctx := context.Background()
	appendN(t, l, db, 5)
	from, to := baseAt(time.Second), baseAt(4*time.Second)
	for name, f := range map[string]Filter{
		"one action":             {Action: ActionCaseRead},
		"one action in a period": {Action: ActionCaseRead, From: from, To: to},
		"a period":               {From: from, To: to},
		"one actor in a period":  {ActorID: "u-1", From: from},
		"one record":             {EntityType: EntityCase, EntityID: "c-1"},
		"break glass":            {BreakGlassOnly: true, To: to},
	} {
		var sp span
		err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) (err error) {
			sp, err = spanOf(ctx, tx, f.From, f.To)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		q, args := selectQuery(f, 0, DefaultLimit, sp)
		if plan := storetest.QueryPlan(t, db, q, args...); strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: the plan sorts:\n%s", name, plan)
		}
	}
}

// On SQLite the engine numbers appended entries (see insertEntries). A row slipped into the log behind
// the chain's back would shift those numbers away from the ones the MACs cover: the append must fail,
// and its write with it, rather than commit entries that verify as broken.
func TestAnEntryNumberedOtherwiseThanTheChainIsNotCommitted(t *testing.T) {
	l, db := newTestLog(t)
	ctx := context.Background()
	appendN(t, l, db, 2)
	err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (`+columns+`) VALUES (7, 0, 'x', 'x', 'x', 'x', 'x', 'x', 'x', FALSE, '', NULL, $1, $1)`, []byte("x"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var changed bool
	err = db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET mac = mac WHERE id = 1`); err != nil {
			return err
		}
		changed = true
		return l.Append(ctx, tx, actor(3), sampleEntry(3))
	})
	if !changed {
		t.Fatal("the write did not run")
	}
	if db.Engine() == store.SQLite && err == nil {
		t.Fatal("an entry SQLite numbered 8 where the chain said 3 was committed")
	}
	var seq int64
	if err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT last_seq FROM audit_head WHERE id = 1`).Scan(&seq)
	}); err != nil {
		t.Fatal(err)
	}
	if want := map[bool]int64{true: 2, false: 3}[db.Engine() == store.SQLite]; seq != want {
		t.Fatalf("head at %d; want %d", seq, want)
	}
}
