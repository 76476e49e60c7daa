package audit

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Page sizes. Screens page with BeforeSeq; exports walk the whole selection in pages of exportPage so
// no read transaction stays open while a slow client downloads.
const (
	DefaultLimit = 50
	MaxLimit     = 500
	exportPage   = 500
)

// Filter selects entries for the auditor's screens and exports. Empty fields select everything.
type Filter struct {
	EntityType string // with EntityID: one record's history
	EntityID   string
	ActorID    string
	Action     string
	// BreakGlassOnly keeps only entries made under break-glass.
	BreakGlassOnly bool
	// From is inclusive and To exclusive; zero means unbounded.
	From, To time.Time
	// BeforeSeq pages backwards: only entries with a smaller seq (0: from the newest).
	BeforeSeq int64
	// Limit caps the entries returned: DefaultLimit when 0, at most MaxLimit. For ExportCSV, 0 means
	// every selected entry.
	Limit int
	// OpenReasons opens sealed break-glass reasons. Leave it false unless the reader is entitled to
	// read them (an auditor investigating), because a reason may name people; by default a stored
	// reason shows only as present.
	OpenReasons bool
}

// Query returns entries matching f, newest first. To page, pass the smallest Seq returned as the next
// BeforeSeq; seq never changes, so pages neither skip nor repeat entries while new ones are added.
func (l *Log) Query(ctx context.Context, db *store.DB, f Filter) ([]Entry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	if limit > MaxLimit {
		limit = MaxLimit
	}
	return l.page(ctx, db, f, f.BeforeSeq, limit)
}

func (l *Log) page(ctx context.Context, db *store.DB, f Filter, before int64, limit int) ([]Entry, error) {
	if f.EntityID != "" && f.EntityType == "" {
		return nil, errors.New("audit: filtering by entity id needs the entity type")
	}
	var out []Entry
	err := db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := l.writeWaiting(ctx, tx); err != nil {
			return err
		}
		sp, err := spanOf(ctx, tx, f.From, f.To)
		if err != nil || sp.empty {
			return err
		}
		q, args := selectQuery(f, before, limit, sp)
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("audit: query: %w", err)
		}
		defer rows.Close()
		var r row
		dest := r.scanDest()
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return fmt.Errorf("audit: query: %w", err)
			}
			e, err := l.entryOf(&r, f.OpenReasons)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// clockSlack widens a period's stretch of the chain on both sides. Entries are appended in time order
// on one node; nodes whose clocks disagree by a little may append a few out of order, and an entry of
// the period that lies outside the stretch would be missed. The exact time condition still applies.
const clockSlack = 1000

// span is the stretch of the chain (by seq) that a period covers; zero bounds are open.
type span struct {
	low, high int64
	empty     bool
}

// spanOf finds the stretch of the chain that [from, to) covers, with one index probe per bound. A
// period then reads entries in chain order from its end, through the same indexes as any other
// filter, instead of collecting every entry of the period and sorting them: a year of a national
// centre is millions of entries.
func spanOf(ctx context.Context, tx *store.Tx, from, to time.Time) (span, error) {
	var sp span
	if !from.IsZero() {
		err := tx.QueryRowContext(ctx, `SELECT seq FROM audit_log WHERE at >= $1 ORDER BY at, seq LIMIT 1`, store.Millis(from)).Scan(&sp.low)
		if errors.Is(err, sql.ErrNoRows) {
			return span{empty: true}, nil
		}
		if err != nil {
			return span{}, fmt.Errorf("audit: query: %w", err)
		}
		sp.low = max(sp.low-clockSlack, 1)
	}
	if !to.IsZero() {
		err := tx.QueryRowContext(ctx, `SELECT seq FROM audit_log WHERE at < $1 ORDER BY at DESC, seq DESC LIMIT 1`, store.Millis(to)).Scan(&sp.high)
		if errors.Is(err, sql.ErrNoRows) {
			return span{empty: true}, nil
		}
		if err != nil {
			return span{}, fmt.Errorf("audit: query: %w", err)
		}
		sp.high += clockSlack
	}
	return sp, nil
}

// selectQuery builds the query for f within sp. Every shape reads an index in seq order from the newest
// end and stops at the page's limit: (entity, entity_id, seq), (actor_id, seq), (action, seq), the
// partial break-glass index, or the chain itself; a period is a seq range on any of them.
func selectQuery(f Filter, before int64, limit int, sp span) (string, []any) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.EntityType != "" {
		add("entity = ?", f.EntityType)
	}
	if f.EntityID != "" {
		add("entity_id = ?", f.EntityID)
	}
	if f.ActorID != "" {
		add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.BreakGlassOnly {
		where = append(where, "break_glass = TRUE") // literal, so the partial index applies
	}
	if !f.From.IsZero() {
		add("at >= ?", store.Millis(f.From))
		add("seq >= ?", sp.low)
	}
	if !f.To.IsZero() {
		add("at < ?", store.Millis(f.To))
		add("seq <= ?", sp.high)
	}
	if before > 0 {
		add("seq < ?", before)
	}
	q := `SELECT ` + columns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	q += ` ORDER BY seq DESC LIMIT $` + strconv.Itoa(len(args))
	return q, args
}

// entryOf turns a stored row into an Entry, opening the reason only when asked.
func (l *Log) entryOf(r *row, openReason bool) (Entry, error) {
	e := Entry{
		Seq:        r.seq,
		At:         store.Time(r.at),
		ActorID:    string(r.actorID),
		ActorRole:  aman.Role(r.actorRole),
		IP:         string(r.ip),
		RequestID:  string(r.requestID),
		Action:     string(r.action),
		Entity:     string(r.entity),
		EntityID:   string(r.entityID),
		BreakGlass: r.breakGlass,
		HasReason:  len(r.reason) > 0,
	}
	if len(r.detail) > 0 && string(r.detail) != emptyDetailJSON {
		if err := json.Unmarshal(r.detail, &e.Detail); err != nil {
			return Entry{}, fmt.Errorf("audit: entry %d has an unreadable detail; run aman audit verify", r.seq)
		}
	}
	if e.HasReason && openReason {
		reason, err := l.keys.OpenString(r.reason, reasonAAD(r.seq))
		if err != nil {
			// A reason that does not open under its own entry's AAD was tampered with or moved.
			return Entry{}, fmt.Errorf("audit: the reason of entry %d cannot be opened; run aman audit verify: %w", r.seq, seal.ErrOpen)
		}
		e.Reason = reason
	}
	return e, nil
}

// csvHeader is the first row of an export. The reason column holds "" when there is none, "sealed"
// when there is one and the caller did not ask to open it, and the text otherwise.
func csvHeader() []string {
	return []string{"seq", "at", "actor_id", "actor_role", "action", "entity", "entity_id", "ip",
		"request_id", "break_glass", "detail", "reason"}
}

// ReasonSealed is what an export shows for a reason it was not asked to open.
const ReasonSealed = "sealed"

// ExportCSV writes the entries matching f to w as CSV with a header row, newest first. It streams:
// entries are read in pages, each in its own short read transaction, and written as they come, so
// memory stays flat and a slow reader holds no transaction open. Times are RFC 3339 UTC with
// milliseconds.
//
// Exporting the audit trail is itself an export: the caller records it (ActionExportCSV).
func (l *Log) ExportCSV(ctx context.Context, db *store.DB, f Filter, w io.Writer) error {
	cw := csv.NewWriter(w)
	header := csvHeader()
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	remaining := f.Limit // 0: no limit
	before := f.BeforeSeq
	record := make([]string, len(header))
	for {
		n := exportPage
		if f.Limit > 0 {
			n = min(n, remaining)
		}
		entries, err := l.page(ctx, db, f, before, n)
		if err != nil {
			return err
		}
		for _, e := range entries {
			detail := ""
			if len(e.Detail) > 0 {
				b, err := json.Marshal(e.Detail)
				if err != nil {
					return fmt.Errorf("audit: export: %w", err)
				}
				detail = string(b)
			}
			reason := ""
			switch {
			case e.HasReason && f.OpenReasons:
				reason = e.Reason
			case e.HasReason:
				reason = ReasonSealed
			}
			record = append(record[:0],
				strconv.FormatInt(e.Seq, 10), e.At.Format("2006-01-02T15:04:05.000Z07:00"),
				e.ActorID, string(e.ActorRole), e.Action, e.Entity, e.EntityID, e.IP, e.RequestID,
				strconv.FormatBool(e.BreakGlass), detail, reason)
			for i := range record {
				record[i] = defuseFormula(record[i])
			}
			if err := cw.Write(record); err != nil {
				return fmt.Errorf("audit: export: %w", err)
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("audit: export: %w", err)
		}
		if len(entries) < n {
			return nil
		}
		before = entries[len(entries)-1].Seq
		if f.Limit > 0 {
			if remaining -= len(entries); remaining == 0 {
				return nil
			}
		}
	}
}

// defuseFormula keeps a spreadsheet from running a cell as a formula (CSV injection): a cell that
// starts with = + - @ or a control character gets a leading apostrophe. Only free text (a reason) and
// identifiers reach here, never numbers that start with a sign, so nothing legitimate is changed.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
