// Command enginebench compares two builds of SQLite on the kind of write aman demo makes: audit
// entries (64 a statement, the log's five indexes, seq left to the engine) and people with nine
// random-order search keys each (one statement a key), in large transactions, with the pragmas
// Aman uses. It is its own module so that the cgo driver never enters Aman's.
//
//	cd scripts/enginebench
//	go build -tags modernc -o /tmp/eb-modernc . && go build -tags mattn -o /tmp/eb-mattn .
//	CACHE_KB=1048576 GOMAXPROCS=1 /tmp/eb-modernc /tmp/eb.db
//	CACHE_KB=1048576 GOMAXPROCS=1 /tmp/eb-mattn /tmp/eb.db
//	CACHE_KB=1048576 GOMAXPROCS=1 DEFER_INDEXES=1 /tmp/eb-modernc /tmp/eb.db   # indexes built after
//
// docs/BENCHMARKS.md (Demo generation, sixth pass) has the results.
package main

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strings"
	"syscall"
	"time"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// execAll runs each statement in turn.
func execAll(db *sql.DB, statements ...string) {
	for _, s := range statements {
		_, err := db.Exec(s)
		must(err)
	}
}

func main() {
	path := os.Args[1]
	os.Remove(path)
	os.Remove(path + "-wal")
	db, err := sql.Open(driverName, dsn(path))
	must(err)
	db.SetMaxOpenConns(1)
	execAll(db, "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY", "PRAGMA cache_size=-"+os.Getenv("CACHE_KB"))
	auditIndexes := []string{
		`CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, seq)`,
		`CREATE INDEX audit_log_actor ON audit_log(actor_id, seq)`,
		`CREATE INDEX audit_log_action ON audit_log(action, seq)`,
		`CREATE INDEX audit_log_at ON audit_log(at)`,
		`CREATE INDEX audit_log_break_glass ON audit_log(seq) WHERE break_glass = TRUE`,
	}
	// DEFER_INDEXES=1 builds the audit log's indexes after its entries are in, as a bulk load could.
	deferIndexes := os.Getenv("DEFER_INDEXES") == "1"
	execAll(db, `CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL,
		action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, ip TEXT NOT NULL, request_id TEXT NOT NULL,
		break_glass INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL, reason_sealed BLOB, prev_hash BLOB NOT NULL, hash BLOB NOT NULL)`,
		`CREATE TABLE people (id TEXT PRIMARY KEY, name BLOB)`,
		`CREATE TABLE keys (kind TEXT NOT NULL, hash BLOB NOT NULL, person_id TEXT NOT NULL REFERENCES people(id), PRIMARY KEY (kind, hash, person_id))`,
		`CREATE INDEX keys_owner ON keys(person_id)`)
	if !deferIndexes {
		execAll(db, auditIndexes...)
	}
	rng := mrand.New(mrand.NewPCG(1, 2))
	actions := []string{"call.log", "note.create", "case.transition", "beneficiary.create", "task.update", "service_delivery.create"}
	const entries, perStmt, perTx = 1_000_000, 64, 100_000
	var q strings.Builder
	q.WriteString(`INSERT OR FAIL INTO audit_log (at, actor_id, actor_role, action, entity, entity_id, ip, request_id, break_glass, detail, reason_sealed, prev_hash, hash) VALUES `)
	for i := range perStmt {
		if i > 0 {
			q.WriteString(",")
		}
		q.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?)")
	}
	start, startCPU := time.Now(), cpu()
	hash := make([]byte, 32)
	var tx *sql.Tx
	var st *sql.Stmt
	seq := 0
	for seq < entries {
		if seq%perTx == 0 {
			if tx != nil {
				must(tx.Commit())
			}
			tx, err = db.Begin()
			must(err)
			st, err = tx.Prepare(q.String())
			must(err)
		}
		args := make([]any, 0, perStmt*13)
		for range perStmt {
			seq++
			rand.Read(hash)
			entity := fmt.Sprintf("0193%04x-%04x-7%03x-8000-%012x", seq/1000, seq%1000, rng.IntN(4096), rng.Uint64()&0xffffffffffff)
			if rng.IntN(3) == 0 { // an older case's record
				entity = fmt.Sprintf("0192%04x-0000-7000-8000-%012x", rng.IntN(30000), rng.IntN(1000))
			}
			args = append(args, int64(seq)*1000, fmt.Sprintf("u-%d", rng.IntN(120)), "case_worker", actions[rng.IntN(len(actions))], "case",
				entity, "192.0.2.1", "demo", 0, `{"outcome":"counselling"}`, nil, hash, hash)
		}
		_, err := st.Exec(args...)
		must(err)
	}
	must(tx.Commit())
	if deferIndexes {
		execAll(db, auditIndexes...)
	}
	fmt.Printf("%s audit (indexes deferred: %t): %d entries in %s wall, %s CPU (%.1f µs CPU an entry)\n", driverName, deferIndexes, entries, time.Since(start).Round(time.Millisecond),
		(cpu() - startCPU).Round(time.Millisecond), float64((cpu()-startCPU).Microseconds())/entries)

	const people = 200_000
	start, startCPU = time.Now(), cpu()
	tx, err = db.Begin()
	must(err)
	ins, err := tx.Prepare(`INSERT INTO people (id, name) VALUES (?, ?)`)
	must(err)
	keyIns, err := tx.Prepare(`INSERT INTO keys (kind, hash, person_id) VALUES (?, ?, ?)`)
	must(err)
	for i := range people {
		id := fmt.Sprintf("0193%08x-7000-8000-%012x", i, rng.Uint64()&0xffffffffffff)
		_, err := ins.Exec(id, hash)
		must(err)
		for k := range 9 {
			h := make([]byte, 32)
			rand.Read(h)
			_, err := keyIns.Exec([]string{"name", "name_pair", "qid", "phone"}[k%4], h, id)
			must(err)
		}
		if i%50_000 == 49_999 {
			must(tx.Commit())
			tx, err = db.Begin()
			must(err)
			ins, _ = tx.Prepare(`INSERT INTO people (id, name) VALUES (?, ?)`)
			keyIns, _ = tx.Prepare(`INSERT INTO keys (kind, hash, person_id) VALUES (?, ?, ?)`)
		}
	}
	must(tx.Commit())
	fmt.Printf("%s keys: %d people with 9 random keys each in %s wall, %s CPU (%.1f µs CPU a person)\n", driverName, people, time.Since(start).Round(time.Millisecond),
		(cpu() - startCPU).Round(time.Millisecond), float64((cpu()-startCPU).Microseconds())/people)
	must(db.Close())
}
