package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// Cases is the case file: opening, need-to-know access, assignment and break-glass.
type Cases struct {
	Deps
}

// Case error codes.
const (
	EReasonTooShort     = "reason_too_short"
	EBreakGlassNeedless = "break_glass_needless"
	ENotCaseStaff       = "not_case_staff"
)

// MinBreakGlassReason is the shortest reason accepted for break-glass: long enough that it has to say
// something an auditor can check.
const MinBreakGlassReason = 15

// caseStaff are the roles a case can be assigned to.
func caseStaff(role aman.Role) bool {
	return role == aman.RoleCaseWorker || role == aman.RolePsychologist || role == aman.RoleLegalOfficer || role == aman.RoleSupervisor
}

// OpenCaseInput is what opening a case needs.
type OpenCaseInput struct {
	BeneficiaryID string
	// UnitID defaults to the opener's unit.
	UnitID string
}

// Open opens a case for a registered person. Case staff who open a case are assigned to it, so it is
// theirs at once; a supervisor assigns someone later.
func (c *Cases) Open(ctx context.Context, actor aman.Actor, in OpenCaseInput) (aman.Case, error) {
	if err := authorize(actor, policy.CaseCreate); err != nil {
		return aman.Case{}, err
	}
	if strings.TrimSpace(in.BeneficiaryID) == "" {
		return aman.Case{}, aman.FieldError("beneficiary_id", aman.ERequired)
	}
	k := aman.Case{ID: newID(), BeneficiaryID: in.BeneficiaryID, UnitID: in.UnitID, Status: aman.CaseNew, Priority: aman.PriorityNormal, RiskPriority: aman.PriorityNormal}
	if k.UnitID == "" {
		k.UnitID = actor.UnitID
	}
	if actor.Role != aman.RoleSupervisor && caseStaff(actor.Role) {
		k.AssignedWorkerID = actor.UserID
	}
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var merged sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT merged_into FROM beneficiaries WHERE id = $1`, k.BeneficiaryID).Scan(&merged)
		if errors.Is(err, sql.ErrNoRows) {
			return aman.FieldError("beneficiary_id", aman.ENotFound)
		}
		if err != nil {
			return err
		}
		// A record merged into another is history; new work goes on the record that was kept.
		if merged.Valid {
			return aman.FieldError("beneficiary_id", aman.EAlreadyMerged)
		}
		if err := checkUnit(ctx, tx, k.UnitID); err != nil {
			return err
		}
		year := localYear(tx.Now)
		seq, err := nextCaseSeq(ctx, tx, year)
		if err != nil {
			return err
		}
		k.Number, k.OpenedAt, k.UpdatedAt = aman.CaseNumber(year, seq), tx.Now, tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO cases (id, number, beneficiary_id, unit_id, assigned_worker_id, status, priority,
			opened_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)`,
			k.ID, k.Number, k.BeneficiaryID, nullable(k.UnitID), nullable(k.AssignedWorkerID), string(k.Status), string(k.Priority),
			store.Millis(tx.Now), actor.UserID); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.create", Entity: "case", EntityID: k.ID})
	})
	return k, err
}

// Together runs fn in one transaction: the use cases fn calls with the ctx it receives join it. A page
// that shows a dozen parts of one case (people, plans, notes, history, ...) still has each part
// authorized and audited by its own use case, but commits once instead of a dozen times. A refusal
// that must be recorded (CommitAndFail) commits what was recorded and returns the refusal.
//
// It is for reading a page: the parts' need-to-know decisions are each made afresh, but on the case,
// team and break-glass grants as loaded once for the page (see accessFacts).
func (c *Cases) Together(ctx context.Context, fn func(ctx context.Context) error) error {
	return c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		tx.SetMemo(pageReadKey{}, map[string]caseAccessFacts{})
		return fn(ctx)
	})
}

// pageReadKey marks a transaction of Together; its memo holds the facts loaded for each case.
type pageReadKey struct{}

// caseAccessFacts are what a need-to-know decision on a case is made on.
type caseAccessFacts struct {
	k      aman.Case
	grants []policy.Grant
}

// accessFacts loads what access decides on. Within a page read (Together) a case's facts are loaded
// once and reused by every part of the page: on PostgreSQL each load is two round trips, and a
// case page has a dozen parts. An access for editing always reloads and forgets what was kept, so a
// change made in the transaction is never decided on from facts read before it.
func accessFacts(ctx context.Context, tx *store.Tx, id string, edit bool) (caseAccessFacts, error) {
	memo, _ := tx.Memo(pageReadKey{})
	kept, _ := memo.(map[string]caseAccessFacts) // nil outside a page read
	if f, ok := kept[id]; ok && !edit {
		f.k.TeamUserIDs = slices.Clone(f.k.TeamUserIDs)
		return f, nil
	}
	delete(kept, id)
	f, err := loadAccessFacts(ctx, tx, id)
	if err != nil {
		return caseAccessFacts{}, err
	}
	if kept != nil && !edit {
		kept[id] = f
		f.k.TeamUserIDs = slices.Clone(f.k.TeamUserIDs)
	}
	return f, nil
}

// qatar is the centre's time zone: case numbers follow the calendar year in Doha.
var qatar = time.FixedZone("AST", 3*60*60)

func localYear(t time.Time) int { return t.In(qatar).Year() }

// nextCaseSeq hands out the next number of the year inside the opening transaction, so numbers have no
// gaps from failed openings and never repeat.
func nextCaseSeq(ctx context.Context, tx *store.Tx, year int) (int64, error) {
	var last int64
	err := tx.QueryRowContext(ctx, `UPDATE case_counters SET last = last + 1 WHERE year = $1 RETURNING last`, year).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `INSERT INTO case_counters (year, last) VALUES ($1, 1)`, year)
		return 1, err
	}
	return last, err
}

// loadCase loads a case with the facts the policy needs, its team among them.
func loadCase(ctx context.Context, tx *store.Tx, id string) (aman.Case, error) {
	f, err := loadAccessFacts(ctx, tx, id)
	return f.k, err
}

// caseRow loads a case's own row.
func caseRow(ctx context.Context, tx *store.Tx, id string) (aman.Case, error) {
	var k aman.Case
	var unit, worker sql.NullString
	var status, priority, riskPriority string
	var pending sql.NullString
	var opened, updated int64
	var closed sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT id, number, beneficiary_id, unit_id, assigned_worker_id, status, priority, opened_at, closed_at, updated_at,
		risk_priority, pending_approval FROM cases WHERE id = $1`, id).Scan(&k.ID, &k.Number, &k.BeneficiaryID, &unit, &worker, &status, &priority,
		&opened, &closed, &updated, &riskPriority, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return k, aman.Errorf(aman.ENotFound, "no such case")
	}
	if err != nil {
		return k, err
	}
	k.UnitID, k.AssignedWorkerID = unit.String, worker.String
	k.Status, k.Priority = aman.CaseStatus(status), aman.Priority(priority)
	k.RiskPriority, k.PendingApproval = aman.Priority(riskPriority), aman.ApprovalKind(pending.String)
	k.OpenedAt, k.UpdatedAt = store.Time(opened), store.Time(updated)
	if closed.Valid {
		k.ClosedAt = store.Time(closed.Int64)
	}
	return k, nil
}

// loadAccessFacts loads a case with its team and its live break-glass grants: the team and the grants
// come in one statement, as every use case on a case's records starts here.
func loadAccessFacts(ctx context.Context, tx *store.Tx, id string) (caseAccessFacts, error) {
	k, err := caseRow(ctx, tx, id)
	if err != nil {
		return caseAccessFacts{k: k}, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT user_id, NULL FROM case_team WHERE case_id = $1
		UNION ALL SELECT user_id, expires_at FROM break_glass_grants WHERE case_id = $1 AND expires_at > $2`, id, store.Millis(tx.Now))
	if err != nil {
		return caseAccessFacts{k: k}, err
	}
	defer rows.Close()
	f := caseAccessFacts{k: k}
	for rows.Next() {
		var user string
		var expires sql.NullInt64
		if err := rows.Scan(&user, &expires); err != nil {
			return f, err
		}
		if expires.Valid {
			f.grants = append(f.grants, policy.Grant{UserID: user, ExpiresAt: store.Time(expires.Int64)})
		} else {
			f.k.TeamUserIDs = append(f.k.TeamUserIDs, user)
		}
	}
	slices.Sort(f.k.TeamUserIDs)
	return f, rows.Err()
}

func facts(k aman.Case) policy.CaseFacts {
	return policy.CaseFacts{UnitID: k.UnitID, AssignedWorkerID: k.AssignedWorkerID, TeamUserIDs: k.TeamUserIDs, Closed: k.Status == aman.CaseClosed}
}

// liveGrants are the break-glass grants on a case that have not yet expired.
func liveGrants(ctx context.Context, tx *store.Tx, caseID string) ([]policy.Grant, error) {
	rows, err := tx.QueryContext(ctx, `SELECT user_id, expires_at FROM break_glass_grants WHERE case_id = $1 AND expires_at > $2`, caseID, store.Millis(tx.Now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var grants []policy.Grant
	for rows.Next() {
		var g policy.Grant
		var exp int64
		if err := rows.Scan(&g.UserID, &exp); err != nil {
			return nil, err
		}
		g.ExpiresAt = store.Time(exp)
		grants = append(grants, g)
	}
	return grants, rows.Err()
}

// access decides whether actor may read (or, with edit, change) the case, in tx. A refusal is audited
// too: an auditor needs to see who tried to open what.
func (c *Cases) access(ctx context.Context, tx *store.Tx, actor aman.Actor, id string, edit bool) (aman.Case, policy.Decision, error) {
	f, err := accessFacts(ctx, tx, id, edit)
	if err != nil {
		return f.k, policy.Decision{}, err
	}
	k, grants := f.k, f.grants
	decide := policy.ViewCase
	if edit {
		decide = policy.EditCase
	}
	d := decide(actor, facts(k), grants, tx.Now)
	if d.Basis == policy.BasisBreakGlass {
		for _, g := range grants {
			if g.UserID == actor.UserID && g.ExpiresAt.After(k.BreakGlassExpireAt) {
				k.BreakGlassExpireAt = g.ExpiresAt
			}
		}
	}
	k.AccessBasis = d.Basis
	return k, d, nil
}

// Get opens a case for someone who needs to know. A stranger to the case gets break_glass_required
// (if their role may break the glass) or forbidden; either way the attempt is audited.
func (c *Cases) Get(ctx context.Context, actor aman.Actor, id string) (aman.Case, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return aman.Case{}, err
	}
	var k aman.Case
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var d policy.Decision
		var err error
		k, d, err = c.access(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		if !d.Allowed {
			// The refusal is recorded and kept, even when this read is part of a larger transaction.
			if err := c.record(ctx, tx, actor, audit.Entry{Action: "case.read_denied", Entity: "case", EntityID: id, Detail: map[string]string{"code": d.Code}}); err != nil {
				return err
			}
			return store.CommitAndFail(d.Err())
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.read", Entity: "case", EntityID: id,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"basis": d.Basis}})
	})
	if err != nil {
		return aman.Case{}, err
	}
	return k, nil
}

// BreakGlass gives actor one hour of access to a case outside their team, on a written reason. The
// grant is sealed, flagged in the audit, and announced at once to the supervisors of the case's unit.
func (c *Cases) BreakGlass(ctx context.Context, actor aman.Actor, id, reason string) (time.Time, error) {
	if err := authorize(actor, policy.CaseBreakGlass); err != nil {
		return time.Time{}, err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < MinBreakGlassReason {
		return time.Time{}, aman.FieldError("reason", EReasonTooShort)
	}
	var expires time.Time
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, id, false)
		if err != nil {
			return err
		}
		if d.Allowed {
			return aman.Errorf(EBreakGlassNeedless, "the case is already open to this user")
		}
		if !policy.CanBreakGlass(actor) {
			return d.Err()
		}
		grantID := newID()
		sealedReason, err := c.Keys.Row("break_glass_grants", grantID).Seal("reason", reason)
		if err != nil {
			return err
		}
		expires = tx.Now.Add(policy.BreakGlassDuration)
		if _, err := tx.ExecContext(ctx, `INSERT INTO break_glass_grants (id, case_id, user_id, reason_sealed, granted_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, grantID, id, actor.UserID, sealedReason, store.Millis(tx.Now), store.Millis(expires)); err != nil {
			return err
		}
		supervisors, err := unitSupervisors(ctx, tx, k.UnitID)
		if err != nil {
			return err
		}
		if err := notify(ctx, tx, supervisors, "break_glass", "case", id); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "break_glass", Entity: "case", EntityID: id, BreakGlass: true, Reason: reason,
			Detail: map[string]string{"expires_in": policy.BreakGlassDuration.String()}})
	})
	return expires, err
}

// unitSupervisors are the enabled supervisors of a unit; every supervisor when the case has no unit, so
// an alert always reaches someone.
func unitSupervisors(ctx context.Context, tx *store.Tx, unitID string) ([]string, error) {
	query, args := `SELECT id FROM users WHERE role = $1 AND NOT disabled AND unit_id = $2`, []any{string(aman.RoleSupervisor), unitID}
	if unitID == "" {
		query, args = `SELECT id FROM users WHERE role = $1 AND NOT disabled`, args[:1]
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Assignment of a case: its worker and team.
type CaseAssignment struct {
	WorkerID string
	TeamIDs  []string
}

// Assign gives a case its worker and team. Only a supervisor who may edit the case does it; the new
// worker and team members are told at once.
func (c *Cases) Assign(ctx context.Context, actor aman.Actor, id string, to CaseAssignment) error {
	if err := authorize(actor, policy.CaseAssign); err != nil {
		return err
	}
	return c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		// Editing access is not enough: break-glass opens a case to read and act in an emergency, never
		// to take it over. Only a supervisor of the case's own unit decides who carries it.
		if s := policy.SuperviseCase(actor, facts(k)); !s.Allowed {
			return s.Err()
		}
		people := append([]string{to.WorkerID}, to.TeamIDs...)
		for i, uid := range people {
			if uid == "" {
				if i == 0 {
					return aman.FieldError("worker_id", aman.ERequired)
				}
				continue
			}
			u, err := loadUserBy(ctx, tx, byID, uid)
			field := "worker_id"
			if i > 0 {
				field = "team"
			}
			if aman.ErrorCode(err) == aman.ENotFound || err == nil && (u.Disabled || !caseStaff(u.Role)) {
				return aman.FieldError(field, ENotCaseStaff)
			}
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET assigned_worker_id = $1, updated_at = $2 WHERE id = $3`, to.WorkerID, store.Millis(tx.Now), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM case_team WHERE case_id = $1`, id); err != nil {
			return err
		}
		var newcomers []string
		for _, uid := range to.TeamIDs {
			if uid == "" || uid == to.WorkerID {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_team (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, uid); err != nil {
				return err
			}
			if !slices.Contains(k.TeamUserIDs, uid) {
				newcomers = append(newcomers, uid)
			}
		}
		if to.WorkerID != k.AssignedWorkerID {
			newcomers = append(newcomers, to.WorkerID)
		}
		if err := handOverTasks(ctx, tx, k, to); err != nil {
			return err
		}
		if err := notify(ctx, tx, newcomers, "case_assigned", "case", id); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.assign", Entity: "case", EntityID: id,
			Detail: map[string]string{"worker": to.WorkerID, "team_size": strconv.Itoa(len(to.TeamIDs))}})
	})
}
