package app

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// Audit trail error codes.
const (
	// EUnknownUser: the auditor named an account that does not exist. Saying so, rather than showing an
	// empty trail, keeps a mistyped name from reading as "this person opened nothing".
	EUnknownUser      = "unknown_user"
	EInvalidDateRange = "invalid_date_range"
)

// Actions the trail records about its own use.
const (
	// ActionAuditReasonsOpen is an auditor reading sealed break-glass reasons, which may name people.
	ActionAuditReasonsOpen = "audit.reasons_open"
	// entityAuditLog is what an export or a reading of reasons is about: the log itself.
	entityAuditLog = "audit_log"
)

// maxFilterValue bounds each typed value of a filter. The log holds no longer identifier, and a filter's
// values go into the detail of the entry that records an export, which refuses longer ones.
const maxFilterValue = 256

// systemActorPrefix marks the ids of aman.System actors (the command line, jobs), which have no account.
const systemActorPrefix = "system:"

// AuditTrail is the auditor's window on the audit log: searching it, opening break-glass reasons, and
// exporting it. Only the auditor holds audit.read and audit.export (policy.Allows): who saw what names
// cases and people, so it is not for the administrator who manages the accounts it mentions.
type AuditTrail struct{ Deps }

// AuditQuery is what an auditor asks of the trail: the log's filter, with the actor named the way a
// person names them. Filter.Limit is the page size for Search (audit.DefaultLimit when 0) and the most
// rows for Export (every selected entry when 0). Filter.OpenReasons opens sealed break-glass reasons,
// and opening them is itself recorded, because a reason may name people.
type AuditQuery struct {
	audit.Filter
	// Actor answers "what did this user do": a username or a user id, resolved to Filter.ActorID,
	// which it replaces when set. The id of a system actor ("system:cli") is taken as it is.
	Actor string
}

// AuditPage is one page of a search, newest first.
type AuditPage struct {
	Entries []audit.Entry
	// Usernames maps the account ids among the page's actors to their usernames, read in one query.
	// System actors and ids no account has are absent.
	Usernames map[string]string
	// Older is the BeforeSeq of the next, older page; 0 when this page reaches the oldest match.
	Older int64
}

// Search returns one page of the entries q selects.
func (t *AuditTrail) Search(ctx context.Context, by aman.Actor, q AuditQuery) (AuditPage, error) {
	if err := authorize(by, policy.AuditRead); err != nil {
		return AuditPage{}, err
	}
	f, err := t.filterOf(ctx, q)
	if err != nil {
		return AuditPage{}, err
	}
	if f.OpenReasons {
		if err := t.recordUse(ctx, by, ActionAuditReasonsOpen, f); err != nil {
			return AuditPage{}, err
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = audit.DefaultLimit
	}
	limit = min(limit, audit.MaxLimit-1)
	// One entry more than the page tells whether an older page exists, without a count and without a
	// last "older" link that opens onto nothing.
	f.Limit = limit + 1
	entries, err := t.Audit.Query(ctx, t.DB, f)
	if err != nil {
		return AuditPage{}, err
	}
	var page AuditPage
	if len(entries) > limit {
		entries = entries[:limit]
		page.Older = entries[limit-1].Seq
	}
	page.Entries = entries
	page.Usernames, err = t.usernames(ctx, entries)
	return page, err
}

// Export writes the entries q selects to w as CSV, newest first. The export is recorded, and committed,
// before the first row is written: an export that fails half-way, or a download the auditor abandons,
// still shows in the trail, since some rows may already have left.
func (t *AuditTrail) Export(ctx context.Context, by aman.Actor, q AuditQuery, w io.Writer) error {
	if err := authorize(by, policy.AuditExport); err != nil {
		return err
	}
	f, err := t.filterOf(ctx, q)
	if err != nil {
		return err
	}
	if err := t.recordUse(ctx, by, audit.ActionExportCSV, f); err != nil {
		return err
	}
	return t.Audit.ExportCSV(ctx, t.DB, f, w)
}

// filterOf checks q and turns it into the log's filter, resolving the actor to an account id.
func (t *AuditTrail) filterOf(ctx context.Context, q AuditQuery) (audit.Filter, error) {
	f := q.Filter
	f.EntityType, f.EntityID, f.Action = strings.TrimSpace(f.EntityType), strings.TrimSpace(f.EntityID), strings.TrimSpace(f.Action)
	f.BeforeSeq = max(f.BeforeSeq, 0)
	actor := strings.TrimSpace(q.Actor)
	for field, value := range map[string]string{"entity_type": f.EntityType, "entity_id": f.EntityID, "action": f.Action, "actor": actor} {
		if len(value) > maxFilterValue {
			return audit.Filter{}, aman.FieldError(field, aman.EInvalid)
		}
	}
	if f.EntityID != "" && f.EntityType == "" {
		return audit.Filter{}, aman.FieldError("entity_type", aman.ERequired)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return audit.Filter{}, aman.FieldError("to", EInvalidDateRange)
	}
	if actor == "" {
		return f, nil
	}
	if strings.HasPrefix(actor, systemActorPrefix) {
		f.ActorID = actor
		return f, nil
	}
	err := t.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		// A username wins over an id that happens to read the same: usernames are what people type.
		err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1 OR id = $2
			ORDER BY CASE WHEN username = $1 THEN 0 ELSE 1 END LIMIT 1`, NormalizeUsername(actor), actor).Scan(&f.ActorID)
		if errors.Is(err, sql.ErrNoRows) {
			return aman.FieldError("actor", EUnknownUser)
		}
		return err
	})
	return f, err
}

// usernames reads the usernames of the accounts among entries' actors in one query.
func (t *AuditTrail) usernames(ctx context.Context, entries []audit.Entry) (map[string]string, error) {
	names := map[string]string{}
	var args []any
	seen := map[string]bool{}
	for _, e := range entries {
		if e.ActorID == "" || seen[e.ActorID] || strings.HasPrefix(e.ActorID, systemActorPrefix) {
			continue
		}
		seen[e.ActorID] = true
		args = append(args, e.ActorID)
	}
	if len(args) == 0 {
		return names, nil
	}
	placeholders := make([]string, len(args))
	for i := range args {
		placeholders[i] = "$" + strconv.Itoa(i+1)
	}
	err := t.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, username FROM users WHERE id IN (`+strings.Join(placeholders, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, username string
			if err := rows.Scan(&id, &username); err != nil {
				return err
			}
			names[id] = username
		}
		return rows.Err()
	})
	return names, err
}

// recordUse commits an entry saying the auditor used the trail in a way that itself reveals protected
// data (an export, opened reasons). Its detail is the filter's facts: types, ids, dates and flags, no
// names; a username the auditor typed is recorded as the account id it resolved to.
func (t *AuditTrail) recordUse(ctx context.Context, by aman.Actor, action string, f audit.Filter) error {
	return t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return t.record(ctx, tx, by, audit.Entry{Action: action, Entity: entityAuditLog, Detail: filterFacts(f)})
	})
}

// filterFacts describes f for an audit entry's detail.
func filterFacts(f audit.Filter) map[string]string {
	facts := map[string]string{}
	for key, value := range map[string]string{
		"entity": f.EntityType, "entity_id": f.EntityID, "actor_id": f.ActorID, "action": f.Action,
	} {
		if value != "" {
			facts[key] = value
		}
	}
	for key, at := range map[string]time.Time{"from": f.From, "to": f.To} {
		if !at.IsZero() {
			facts[key] = at.UTC().Format(time.RFC3339)
		}
	}
	if f.BreakGlassOnly {
		facts["break_glass_only"] = "true"
	}
	if f.OpenReasons {
		facts["open_reasons"] = "true"
	}
	if f.BeforeSeq > 0 {
		facts["before_seq"] = strconv.FormatInt(f.BeforeSeq, 10)
	}
	if f.Limit > 0 {
		facts["limit"] = strconv.Itoa(f.Limit)
	}
	return facts
}
