package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"

	"aman.qa/aman/store"
)

// Problems a broken chain can have at its first bad entry.
const (
	// Altered: the entry at this position is not what the application wrote (a column, its hash or
	// its link to the previous entry was changed), and no genuine entry for the position was found.
	Altered = "altered"
	// Missing: the entry with this number is gone (deleted, or cut off the end of the log).
	Missing = "missing"
	// OutOfOrder: the genuine entry for this position is in the log, but under another number.
	OutOfOrder = "out_of_order"
	// Inserted: an entry the application did not write stands at this position, ahead of the
	// genuine entries, or past the recorded end of the chain.
	Inserted = "inserted"
)

// BrokenChain is the error Verify returns when the chain is not whole. It names the first bad
// position; what follows it is not examined.
type BrokenChain struct {
	Seq     int64
	Problem string // Altered, Missing, OutOfOrder or Inserted
	// Detail explains the finding for the operator. It is fixed text and sequence numbers, never
	// the content of an entry.
	Detail string
}

func (e *BrokenChain) Error() string {
	msg := fmt.Sprintf("audit chain broken at entry %d: %s", e.Seq, e.Problem)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// head is the audit_head row.
type head struct {
	present bool
	seq     int64
	hash    []byte
	mac     []byte
}

// Verify checks the whole chain and returns the number of entries. When the chain is not whole it
// returns the count of good entries before the first bad one and a *BrokenChain naming it; any other
// error means the check could not be made.
//
// It reads every entry once, in order, in one read-only snapshot (REPEATABLE READ on PostgreSQL, so
// entries appended meanwhile neither count nor confuse it), holding one entry in memory at a time:
// ten million entries verify in constant memory. Only when an entry fails does it look further, to
// say whether the entry was altered, removed, moved or inserted.
func (l *Log) Verify(ctx context.Context, db *store.DB) (int64, error) {
	_, joined := store.TxFrom(ctx)
	var count int64
	err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		if tx.Engine == store.Postgres && !joined {
			// Must be the first statement. The head and the entries are read by separate
			// statements, which under READ COMMITTED could see different commits.
			if _, err := tx.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
				return fmt.Errorf("audit: verify: %w", err)
			}
		}
		if err := l.writeWaiting(ctx, tx); err != nil {
			return err
		}
		n, err := l.verify(ctx, tx)
		count = n
		return err
	})
	return count, err
}

func (l *Log) verify(ctx context.Context, tx *store.Tx) (int64, error) {
	h, err := readHead(ctx, tx)
	if err != nil {
		return 0, err
	}
	// An authentic head bounds the chain: an entry past it was not written by Append.
	trusted := h.present && len(h.mac) > 0 && hmac.Equal(h.mac, l.headMAC(h.seq, h.hash))

	// Rows numbered below 1 are outside the chain; they are looked for after it (see below).
	rows, err := tx.QueryContext(ctx, `SELECT `+columns+` FROM audit_log WHERE seq >= 1 ORDER BY seq`)
	if err != nil {
		return 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()

	var (
		r     row
		dest  = r.scanDest()
		prev  = genesisHash()
		buf   = make([]byte, 0, 512)
		count int64
	)
	for rows.Next() {
		want := count + 1
		if err := rows.Scan(dest...); err != nil {
			// Only a column changed to a value of another type gets here (SQLite keeps whatever it
			// is given). seq, scanned first, is already set.
			problem := Altered
			if r.seq > want {
				problem = Missing
			}
			return count, &BrokenChain{Seq: want, Problem: problem, Detail: "a column holds a value of the wrong type"}
		}
		if r.seq == want && !(trusted && want > h.seq) && bytes.Equal(r.prevHash, prev) && l.genuineAt(buf, &r, want) {
			prev = append(prev[:0], r.hash...)
			count++
			continue
		}
		bad := r.clone()
		rows.Close() // the diagnosis below queries on the same connection
		return count, l.diagnose(ctx, tx, want, prev, bad, h, trusted)
	}
	if err := rows.Err(); err != nil {
		return count, fmt.Errorf("audit: verify: %w", err)
	}
	// The chain itself is whole. A row numbered 0 or less is not part of it, so nothing above looked
	// at it: an entry moved there would have left a gap, so this one was put there.
	var stray sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MIN(seq) FROM audit_log WHERE seq < 1`).Scan(&stray); err != nil {
		return count, fmt.Errorf("audit: verify: %w", err)
	}
	if stray.Valid {
		return count, &BrokenChain{Seq: stray.Int64, Problem: Inserted, Detail: "entries are numbered from 1"}
	}

	switch {
	case !h.present:
		return count, &BrokenChain{Seq: count + 1, Problem: Missing, Detail: "the chain head record is gone"}
	case h.seq == count && bytes.Equal(h.hash, prev) && (trusted || (count == 0 && len(h.mac) == 0)):
		return count, nil // the last entry is the one the authentic head names, or both are genesis
	case trusted && h.seq > count:
		return count, &BrokenChain{Seq: count + 1, Problem: Missing,
			Detail: fmt.Sprintf("the chain head records %d entries", h.seq)}
	default:
		// Typically the last entries were deleted and the head rolled back to what is left; the
		// head's MAC gives it away.
		return count, &BrokenChain{Seq: count + 1, Problem: Missing,
			Detail: fmt.Sprintf("the chain head does not match entry %d; later entries may have been removed", count)}
	}
}

// diagnose names what is wrong at position want, where the genuine chain up to want-1 ends in prev
// and bad is the first row at or after want, which did not check out.
func (l *Log) diagnose(ctx context.Context, tx *store.Tx, want int64, prev []byte, bad *row, h head, trusted bool) error {
	buf := make([]byte, 0, 512)
	broken := func(problem, detail string) error {
		return &BrokenChain{Seq: want, Problem: problem, Detail: detail}
	}
	if trusted && want > h.seq {
		// Every entry the authentic head records is here and genuine; this row is past its end.
		return &BrokenChain{Seq: bad.seq, Problem: Inserted, Detail: fmt.Sprintf("the chain head records %d entries", h.seq)}
	}
	// Is the genuine entry for this position somewhere else in the log? It is the row that links to
	// prev and checks out as entry want. This scans the table, once, and only on a broken chain.
	genuine, err := l.findGenuine(ctx, tx, want, prev)
	if err != nil {
		return err
	}
	if bad.seq > want {
		if genuine != nil {
			return broken(OutOfOrder, fmt.Sprintf("it is stored as entry %d", genuine.seq))
		}
		return broken(Missing, "")
	}
	if genuine != nil {
		// The genuine entry was pushed one place down: something was put in front of it, unless the
		// row here is in turn the genuine next entry (two neighbours swapped).
		swapped := bytes.Equal(bad.prevHash, genuine.hash) && l.genuineAt(buf, bad, want+1)
		if genuine.seq == want+1 && !swapped {
			return broken(Inserted, "the genuine entry follows it")
		}
		return broken(OutOfOrder, fmt.Sprintf("it is stored as entry %d", genuine.seq))
	}
	if !trusted && h.present && len(h.mac) > 0 && hmac.Equal(h.mac, l.headMAC(want-1, prev)) {
		// The head was edited, but its MAC still seals the entry before this one as the last: this
		// row and any after it were added behind the application's back.
		return broken(Inserted, fmt.Sprintf("the chain head's seal ends at entry %d", want-1))
	}
	if !bytes.Equal(bad.prevHash, prev) && l.genuineAt(buf, bad, want+1) {
		// The row here is the genuine next entry, renumbered to close the gap left by a deletion.
		return broken(Missing, "later entries were renumbered to close the gap")
	}
	return broken(Altered, "")
}

// findGenuine returns the row that is genuine as entry seq after the entry whose hash is prev, or nil.
func (l *Log) findGenuine(ctx context.Context, tx *store.Tx, seq int64, prev []byte) (*row, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+columns+` FROM audit_log WHERE prev_hash = $1`, prev)
	if err != nil {
		return nil, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	var r row
	dest := r.scanDest()
	buf := make([]byte, 0, 512)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			continue // a row that does not even scan is not genuine
		}
		if l.genuineAt(buf, &r, seq) {
			return r.clone(), nil
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: verify: %w", err)
	}
	return nil, nil
}

func readHead(ctx context.Context, tx *store.Tx) (head, error) {
	var h head
	err := tx.QueryRowContext(ctx, `SELECT last_seq, last_hash, mac FROM audit_head WHERE id = 1`).Scan(&h.seq, &h.hash, &h.mac)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return head{}, nil
	case err != nil:
		return head{}, fmt.Errorf("audit: read chain head: %w", err)
	}
	h.present = true
	return h, nil
}
