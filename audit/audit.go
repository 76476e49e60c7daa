// Package audit is Aman's audit trail: an append-only, hash-chained log of every read and write of
// protected data, every export, sign-in, failed sign-in and permission change (DESIGN.md §4).
//
// # Same transaction
//
// [Log.Append] records an entry in the *store.Tx of the change it describes (written with the
// transaction's other entries just before it commits), so the entry commits if and only if the change
// does: a rolled-back change leaves no entry, and no change escapes the log.
// Reads of protected data are audited the same way, in a write transaction the caller opens for the
// entry.
//
// # The chain
//
// Entries are numbered 1, 2, 3… with no gaps (seq). Entry n stores prev_hash, the hash of entry n-1
// (32 zero bytes for entry 1), and
//
//	hash = MAC_k("audit.entry", canonical(entry))
//
// where MAC_k is [seal.Keyring.MAC] (HMAC-SHA256 under the keyring's index key) and canonical is the
// length-prefixed encoding of every column except hash, prev_hash included; see appendCanonical.
// Because the MAC is keyed, someone who can edit the database but does not hold the key material
// cannot recompute the chain after a change: a plain SHA-256 chain would only catch accidents.
//
// The single row of audit_head holds the last seq and hash and a MAC of the two, updated in the same
// transaction as each entry. A transaction's entries are chained as it commits, under a lock on that
// row (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer), which makes transactions take turns
// at the chain, each for no longer than its last inserts and its commit: two transactions can never
// both extend entry n. The head's
// MAC is what detects entries cut off the end of the log: without it, deleting the last entries and
// rolling the head back would leave a chain that checks out.
//
// # What verification proves, and what it cannot
//
// [Log.Verify] proves that the log is the one the application wrote, up to its head: no entry altered,
// removed, inserted or moved. It cannot tell a database restored, wholesale, to an older copy of itself
// (older entries and older head, both genuine) from the real thing, nor an emptied log from a new one:
// only a record kept outside the database can. Operators should keep the output of `aman audit verify`
// (the entry count) somewhere else; a count that goes down is an alarm.
//
// # Personal data
//
// Entries hold identifiers and facts, never personal data: detail is a small map of non-personal
// facts (e.g. role_from, role_to), and the one free-text field, a break-glass reason, is sealed with
// seal.AAD("audit_log", "reason", seq). Errors name fields and sequence numbers, never values.
package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"aman.qa/aman"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Actions. Any dotted snake_case name is accepted; these are the ones the platform records.
const (
	ActionSignIn         = "auth.sign_in"
	ActionSignInFailed   = "auth.sign_in_failed"
	ActionLocked         = "auth.locked"
	ActionUserCreate     = "user.create"
	ActionUserRoleChange = "user.role_change"
	ActionCaseRead       = "case.read"
	ActionCaseUpdate     = "case.update"
	ActionExportCSV      = "export.csv"
	ActionKeysRotate     = "keys.rotate"
	ActionBreakGlass     = "break_glass"
)

// Entity types an entry can be about.
const (
	EntityCase        = "case"
	EntityUser        = "user"
	EntityBeneficiary = "beneficiary"
)

// Limits keep entries small (the log grows forever) and make it hard to smuggle narratives into
// fields meant for identifiers and facts.
const (
	maxNameLen      = 64   // action, entity, detail keys
	maxFieldLen     = 256  // actor id, role, entity id, ip, request id, each detail value
	maxDetailBytes  = 2048 // the encoded detail object
	maxReasonBytes  = 4096 // a break-glass reason, before sealing
	hashSize        = seal.MACSize
	entryMACDomain  = "audit.entry"
	headMACDomain   = "audit.head"
	entryLabel      = "aman.audit.entry/v1"
	headLabel       = "aman.audit.head/v1"
	reasonTable     = "audit_log"
	reasonColumn    = "reason"
	emptyDetailJSON = "{}"
)

// Entry is one audit record.
//
// On Append the caller fills Action, Entity, EntityID, BreakGlass, Detail and Reason; Seq and At are
// stamped by Append and the actor fields come from the aman.Actor argument (values set here are
// ignored), so nobody can back-date an entry or record it in someone else's name.
type Entry struct {
	Seq       int64
	At        time.Time
	ActorID   string
	ActorRole aman.Role
	IP        string
	RequestID string

	// Action is what happened, as a dotted snake_case name such as "case.read".
	Action string
	// Entity and EntityID name what it happened to ("case", and the case id); both may be empty, e.g.
	// for a failed sign-in by an unknown name.
	Entity   string
	EntityID string
	// BreakGlass marks access under break-glass, so auditors see it first.
	BreakGlass bool
	// Detail holds small, NON-personal facts: {"role_from": "case_worker", "role_to": "supervisor"}.
	// Never names, numbers, or text a person wrote.
	Detail map[string]string
	// Reason is free text (a break-glass reason) and may name people: it is sealed at rest. In Query
	// results it is filled only when Filter.OpenReasons asks for it.
	Reason string
	// HasReason tells, in Query results, that a sealed reason is stored, opened or not.
	HasReason bool
}

// Log appends to and checks the audit chain. It holds no state but the keyring, so one Log serves
// every request concurrently.
type Log struct {
	keys *seal.Keyring
}

// New returns a Log whose chain is keyed by keys (see [seal.Keyring.MAC]) and whose reasons are sealed
// with it. keys must not be nil.
func New(keys *seal.Keyring) *Log {
	if keys == nil {
		panic("audit: New needs a keyring")
	}
	return &Log{keys: keys}
}

// genesisHash is the prev_hash of entry 1, and the head's hash before any entry. It is all zeros
// (the migration writes the same) rather than keyed: entry 1's MAC already binds it to the key.
func genesisHash() []byte { return make([]byte, hashSize) }

// Append records e in tx, stamped with tx.Now and actor, as the next entry of the chain. The entry
// is checked now and numbered, chained and written with the transaction's other entries just before
// it commits (see chain). tx must be a write transaction.
func (l *Log) Append(ctx context.Context, tx *store.Tx, actor aman.Actor, e Entry) error {
	r := row{
		at:         store.Millis(tx.Now),
		actorID:    []byte(actor.UserID),
		actorRole:  []byte(actor.Role),
		action:     []byte(e.Action),
		entity:     []byte(e.Entity),
		entityID:   []byte(e.EntityID),
		ip:         []byte(actor.IP),
		requestID:  []byte(actor.RequestID),
		breakGlass: e.BreakGlass || e.Action == ActionBreakGlass,
	}
	if err := r.validate(); err != nil {
		return err
	}
	detail, err := encodeDetail(e.Detail)
	if err != nil {
		return err
	}
	r.detail = detail
	if e.Action == ActionBreakGlass && e.Reason == "" {
		return errors.New("audit: a break_glass entry needs a reason")
	}
	if len(e.Reason) > maxReasonBytes || !validText(e.Reason) {
		return errors.New("audit: the reason is too long or not valid UTF-8 text")
	}
	c := l.chainOf(tx)
	c.waiting = append(c.waiting, waitingEntry{row: r, reason: e.Reason})
	if len(c.waiting) >= maxPending {
		return l.write(ctx, tx, c, false)
	}
	return nil
}

// Entries wait in the transaction and are written together (see chain), in statements of a few fixed
// sizes so that each size is prepared once: a batch of 13 goes as 8, 4 and 1.
//
// maxPending, the largest statement, stays modest: on PostgreSQL each size is a prepared statement per
// connection. On SQLite the statement's parameters are anonymous (?): the driver looks a named
// parameter ($N) up in a list, so binding a statement of $N parameters costs the square of their
// number, and at 256 entries (3,584 parameters) binding took a fifth of the demo's time.
const (
	entryColumns = 14
	maxPending   = 64 // a power of two
)

// chain is what a transaction has done to the audit chain: the entries it recorded that are not
// written yet, and, once it has taken the head, the head as it has advanced it.
//
// Entries wait and are written just before commit (or sooner, when maxPending wait or the transaction
// reads the log), numbered and chained only then. Taking the head locks it (on PostgreSQL, FOR UPDATE;
// on SQLite the one writer holds the database) until commit, and every audited transaction waits for
// it: taken at the end, it is held for the last inserts and the commit only, not through the rest of
// the transaction. A case page that records a dozen reads used to hold it from its first part to its
// last, and sent a dozen inserts, each a round trip on PostgreSQL; now it takes it at commit and sends
// two. The head is read once and written once per transaction, however many entries it records. A
// rollback drops the waiting entries with the rest of the transaction.
type chain struct {
	waiting []waitingEntry
	head    *chainHead // nil until taken
}

// waitingEntry is a checked entry without its place in the chain: seq, prev_hash, hash, and the
// reason, which is sealed to its seq.
type waitingEntry struct {
	row    row
	reason string
}

// chainHead is the head of the chain as the transaction has advanced it.
type chainHead struct {
	seq  int64
	hash []byte
}

type chainKey struct{}

// chainOf is tx's chain, made on first use with what runs before tx commits: the waiting entries are
// written and the stored head advanced.
func (l *Log) chainOf(tx *store.Tx) *chain {
	if c, ok := tx.Memo(chainKey{}); ok {
		return c.(*chain)
	}
	c := &chain{}
	tx.SetMemo(chainKey{}, c)
	tx.BeforeCommit(func(ctx context.Context) error { return l.write(ctx, tx, c, true) })
	return c
}

// write numbers, chains and inserts the entries waiting in c, oldest first, taking the head first if
// c has not. At commit it also moves the stored head to the last entry; on PostgreSQL in the same
// statement as the last inserts, one round trip fewer while the head is locked.
func (l *Log) write(ctx context.Context, tx *store.Tx, c *chain, commit bool) error {
	if len(c.waiting) > 0 && c.head == nil {
		h, err := takeHead(ctx, tx)
		if err != nil {
			return err
		}
		c.head = h
	}
	if c.head == nil {
		return nil // nothing recorded
	}
	first := c.head.seq + 1
	cols := insertedColumns(tx.Engine)
	args, err := l.chainWaiting(c, tx.Engine)
	if err != nil {
		return err
	}
	moveWithLast := commit && tx.Engine == store.Postgres && len(args) > 0
	for len(args) > 0 {
		n := 1
		for n*2*cols <= len(args) {
			n *= 2
		}
		insert, batch := insertEntries(tx.Engine, n), slices.Clip(args[:n*cols])
		args = args[n*cols:]
		if len(args) == 0 && moveWithLast {
			// Statements in WITH run to completion whether or not the main statement reads them.
			return l.moveHead(ctx, tx, c.head, `WITH entries AS (`+insert+`) `, batch)
		}
		res, err := tx.ExecContext(ctx, insert, batch...)
		if err != nil {
			return fmt.Errorf("audit: append entries from %d: %w", first, err)
		}
		first += int64(n)
		if tx.Engine == store.SQLite {
			if err := checkAssignedSeq(res, first-1); err != nil {
				return err
			}
		}
	}
	if commit {
		return l.moveHead(ctx, tx, c.head, "", nil)
	}
	return nil
}

// chainWaiting gives the entries waiting in c their places after c's head, which it advances, and
// returns their column values, insertedColumns(engine) each: seq first unless the engine assigns it.
func (l *Log) chainWaiting(c *chain, engine store.Engine) ([]any, error) {
	h := c.head
	cols := insertedColumns(engine)
	args := make([]any, 0, len(c.waiting)*cols)
	for i := range c.waiting {
		r := &c.waiting[i].row
		r.seq, r.prevHash = h.seq+1, h.hash
		if reason := c.waiting[i].reason; reason != "" {
			sealed, err := l.keys.SealString(reason, reasonAAD(r.seq))
			if err != nil {
				return nil, fmt.Errorf("audit: seal reason: %w", err)
			}
			r.reason = sealed
		}
		r.hash = l.entryMAC(nil, r, r.seq)
		var reason any // a nil []byte must reach the driver as NULL, not as an empty value
		if r.reason != nil {
			reason = []byte(r.reason)
		}
		if cols == entryColumns {
			args = append(args, r.seq)
		}
		args = append(args, r.at, string(r.actorID), string(r.actorRole), string(r.action), string(r.entity),
			string(r.entityID), string(r.ip), string(r.requestID), r.breakGlass, string(r.detail), reason,
			[]byte(r.prevHash), []byte(r.hash))
		h.seq, h.hash = r.seq, r.hash
	}
	clear(c.waiting)
	c.waiting = c.waiting[:0]
	return args, nil
}

// moveHead stores h as the chain's head, after whatever prefix does with args (on PostgreSQL, the
// last inserts), and checks that the head row was there to move.
func (l *Log) moveHead(ctx context.Context, tx *store.Tx, h *chainHead, prefix string, args []any) error {
	args = append(args, h.seq, h.hash, l.headMAC(h.seq, h.hash))
	n := len(args)
	res, err := tx.ExecContext(ctx, prefix+fmt.Sprintf(`UPDATE audit_head SET last_seq = $%d, last_hash = $%d, mac = $%d WHERE id = 1`, n-2, n-1, n), args...)
	if err != nil {
		return fmt.Errorf("audit: advance chain head to %d: %w", h.seq, err)
	}
	if rows, err := res.RowsAffected(); err == nil && rows != 1 {
		return errors.New("audit: the chain head is missing; run aman audit verify")
	}
	return nil
}

// insertEntries is the statement that inserts n entries: with anonymous parameters on SQLite, which
// binds them without a lookup (see maxPending), and numbered ones on PostgreSQL, which has no others.
//
// On SQLite the statement leaves seq, the rowid, to the engine, and says OR FAIL. SQLite gives a
// statement that writes many rows and may stop halfway a journal of its own, so that it can undo
// just itself: every page the statement touches is first copied aside, and the entries' five indexes
// made that the largest cost of the generator after its commits. An explicit rowid, or a constraint
// that aborts (the default), is what makes SQLite keep that journal; OR FAIL stops where it fails
// without undoing, which is all we need, because a failed append fails the whole write and rolls it
// back. Without an explicit seq, SQLite numbers the rows from the largest seq plus one, which is the
// chain head's next number while the log is only ever appended to through the chain; checkAssignedSeq
// holds SQLite to that.
func insertEntries(engine store.Engine, n int) string {
	cols := insertedColumns(engine)
	var b strings.Builder
	if engine == store.SQLite {
		b.WriteString(`INSERT OR FAIL INTO audit_log (` + strings.TrimPrefix(columns, "seq, ") + `) VALUES `)
	} else {
		b.WriteString(`INSERT INTO audit_log (` + columns + `) VALUES `)
	}
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			if engine == store.SQLite {
				b.WriteByte('?')
				continue
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*cols + c + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// insertedColumns is how many values an entry's insert carries: all its columns, or all but seq on
// SQLite, which assigns it (see insertEntries).
func insertedColumns(engine store.Engine) int {
	if engine == store.SQLite {
		return entryColumns - 1
	}
	return entryColumns
}

// checkAssignedSeq fails the write if SQLite numbered the last entry of an insert otherwise than the
// chain did: its MAC covers the number it was given, so a different one must never be committed.
func checkAssignedSeq(res sql.Result, want int64) error {
	got, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("audit: the number of the appended entry: %w", err)
	}
	if got != want {
		return fmt.Errorf("audit: the log numbered entry %d as %d; the log holds entries the chain does not, run aman audit verify", want, got)
	}
	return nil
}

// writeWaiting writes the entries tx has recorded that still wait for its commit. Whatever reads the
// log calls it first, so that a read inside the transaction that records sees its own entries.
func (l *Log) writeWaiting(ctx context.Context, tx *store.Tx) error {
	if c, ok := tx.Memo(chainKey{}); ok {
		return l.write(ctx, tx, c.(*chain), false)
	}
	return nil
}

// takeHead reads the chain head, locking it until commit so that no other transaction can take the
// next seq.
func takeHead(ctx context.Context, tx *store.Tx) (*chainHead, error) {
	q := `SELECT last_seq, last_hash FROM audit_head WHERE id = 1`
	if tx.Engine == store.Postgres {
		q += ` FOR UPDATE`
	}
	h := &chainHead{}
	if err := tx.QueryRowContext(ctx, q).Scan(&h.seq, &h.hash); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errors.New("audit: the chain head is missing; run aman audit verify")
		}
		return nil, fmt.Errorf("audit: read chain head: %w", err)
	}
	if len(h.hash) != hashSize || h.seq < 0 {
		// Building on a damaged head would hide the damage behind a new, valid-looking entry.
		return nil, errors.New("audit: the chain head is damaged; run aman audit verify")
	}
	return h, nil
}

// reasonAAD binds a sealed reason to its entry, so a reason copied onto another entry does not open.
func reasonAAD(seq int64) []byte {
	return seal.AAD(reasonTable, reasonColumn, strconv.FormatInt(seq, 10))
}

// encodeDetail checks and encodes the detail map. encoding/json writes map keys sorted, so the same
// facts always give the same bytes; the stored bytes, not the map, are what the MAC covers.
func encodeDetail(d map[string]string) ([]byte, error) {
	if len(d) == 0 {
		return []byte(emptyDetailJSON), nil
	}
	for k, v := range d {
		if !isName(k, false) {
			return nil, errors.New("audit: detail keys must be snake_case names")
		}
		if len(v) > maxFieldLen || !validText(v) {
			return nil, errors.New("audit: a detail value is too long or not valid UTF-8 text")
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("audit: encode detail: %w", err)
	}
	if len(b) > maxDetailBytes {
		return nil, errors.New("audit: detail is too large; keep it to a few facts")
	}
	return b, nil
}

// validate checks the fields an entry is made of. PostgreSQL refuses text that is not UTF-8 or holds
// NUL, and SQLite would keep it: refusing it here keeps both engines, and the MAC, agreeing.
func (r *row) validate() error {
	if !isName(string(r.action), true) {
		return errors.New("audit: action must be a dotted snake_case name")
	}
	if len(r.entity) > 0 && !isName(string(r.entity), false) {
		return errors.New("audit: entity must be a snake_case name")
	}
	if len(r.entityID) > 0 && len(r.entity) == 0 {
		return errors.New("audit: an entity id needs an entity type")
	}
	for _, f := range []struct {
		name  string
		value []byte
	}{
		{"actor id", r.actorID}, {"actor role", r.actorRole}, {"entity id", r.entityID},
		{"ip", r.ip}, {"request id", r.requestID},
	} {
		if len(f.value) > maxFieldLen || !validText(string(f.value)) {
			return fmt.Errorf("audit: %s is too long or not valid UTF-8 text", f.name)
		}
	}
	return nil
}

// isName accepts snake_case names, and with dots, dotted ones ("auth.sign_in"). Names are
// vocabulary, not data: the strict shape keeps free text out of them.
func isName(s string, dots bool) bool {
	if s == "" || len(s) > maxNameLen {
		return false
	}
	start := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
		case (c >= '0' && c <= '9') || c == '_':
			if start {
				return false
			}
		case c == '.' && dots:
			if start || i == len(s)-1 {
				return false
			}
			start = true
			continue
		default:
			return false
		}
		start = false
	}
	return true
}

func validText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
