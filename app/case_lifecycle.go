package app

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// TransitionInput asks to move a case to another stage. Closing needs a reason and an outcome; the
// comment explains the move, and is required when reopening and when the reason is "other".
type TransitionInput struct {
	To             aman.CaseStatus
	Comment        string
	ClosureReason  aman.ClosureReason
	ClosureOutcome aman.ClosureOutcome
}

// TransitionResult is where the case stands after a move.
type TransitionResult struct {
	Case aman.Case
	// Submitted tells that the move waits for a supervisor's approval: the case has not moved yet, and
	// Case.PendingApproval says what waits.
	Submitted bool
}

// Transition moves a case along its lifecycle (aman.Moves). Whoever may edit the case may move it. A
// move that needs approval (the care plan, the closure) is submitted to the supervisors of the case's
// unit, unless a supervisor of the unit makes it about someone else's work: then their move is the
// approval, and it takes effect at once. A supervisor who carries the case as its worker submits like
// any worker, so that another supervisor approves: nobody approves their own work. Reopening a closed
// case is a supervisor's act, and needs a comment saying why.
func (c *Cases) Transition(ctx context.Context, actor aman.Actor, caseID string, in TransitionInput) (TransitionResult, error) {
	if err := authorize(actor, policy.CaseEdit); err != nil {
		return TransitionResult{}, err
	}
	comment, err := lifecycleComment(in.Comment)
	if err != nil {
		return TransitionResult{}, err
	}
	if err := validateTransitionInput(in); err != nil {
		return TransitionResult{}, err
	}
	in.Comment = comment
	var out TransitionResult
	err = c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, caseID, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if k.PendingApproval != "" {
			return aman.Errorf(aman.EApprovalPending, "a %s request waits for a supervisor", k.PendingApproval)
		}
		move, ok := aman.FindMove(k.Status, in.To)
		if !ok {
			return aman.Errorf(aman.EInvalidTransition, "%s → %s is not a move of the lifecycle", k.Status, in.To)
		}
		if err := checkClosureInput(move, in); err != nil {
			return err
		}
		supervises := policy.SuperviseCase(actor, facts(k)).Allowed
		entry := audit.Entry{Action: "case.transition", Entity: "case", EntityID: k.ID, BreakGlass: d.Basis == policy.BasisBreakGlass,
			Detail: map[string]string{"from": string(move.From), "to": string(move.To)}}
		switch {
		case move.Reopen:
			if !supervises {
				return aman.Errorf(aman.EForbidden, "only a supervisor of the case's unit reopens it")
			}
			if in.Comment == "" {
				return aman.FieldError("comment", aman.ERequired)
			}
			if err := c.applyMove(ctx, tx, k, move, actor); err != nil {
				return err
			}
			if err := c.addHistory(ctx, tx, k.ID, actor.UserID, historyEntry{Kind: aman.EventReopened, From: move.From, To: move.To, Comment: in.Comment}); err != nil {
				return err
			}
			if err := notify(ctx, tx, recipients(actor, k.AssignedWorkerID), "case_reopened", "case", k.ID); err != nil {
				return err
			}
			entry.Action = "case.reopen"
		case move.Approval == "":
			if err := c.applyMove(ctx, tx, k, move, actor); err != nil {
				return err
			}
			if err := c.addHistory(ctx, tx, k.ID, actor.UserID, historyEntry{Kind: aman.EventMoved, From: move.From, To: move.To, Comment: in.Comment}); err != nil {
				return err
			}
		case supervises && actor.UserID != k.AssignedWorkerID:
			approvalID, err := insertApproval(ctx, tx, k, move, in, actor, true)
			if err != nil {
				return err
			}
			if err := c.applyMove(ctx, tx, k, move, actor); err != nil {
				return err
			}
			if err := c.addHistory(ctx, tx, k.ID, actor.UserID, historyEntry{Kind: aman.EventApproved, From: move.From, To: move.To,
				ApprovalID: approvalID, Comment: in.Comment}); err != nil {
				return err
			}
			if err := notify(ctx, tx, recipients(actor, k.AssignedWorkerID), "approval_granted", "case", k.ID); err != nil {
				return err
			}
			entry.Detail["approval"] = string(move.Approval)
		default:
			approvalID, err := insertApproval(ctx, tx, k, move, in, actor, false)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET pending_approval = $1, updated_at = $2 WHERE id = $3`,
				string(move.Approval), store.Millis(tx.Now), k.ID); err != nil {
				return err
			}
			if err := c.addHistory(ctx, tx, k.ID, actor.UserID, historyEntry{Kind: aman.EventSubmitted, From: move.From, To: move.To,
				ApprovalID: approvalID, Comment: in.Comment}); err != nil {
				return err
			}
			supervisors, err := unitSupervisors(ctx, tx, k.UnitID)
			if err != nil {
				return err
			}
			if err := notify(ctx, tx, recipients(actor, supervisors...), "approval_requested", "case", k.ID); err != nil {
				return err
			}
			entry.Action = "case.approval_requested"
			entry.Detail["approval"] = string(move.Approval)
			out.Submitted = true
		}
		if err := c.record(ctx, tx, actor, entry); err != nil {
			return err
		}
		out.Case, err = reloadCase(ctx, tx, k)
		return err
	})
	return out, err
}

// DecisionInput is a supervisor's answer to a submitted move. A rejection must say why: the comment is
// what the worker reads to put the work right.
type DecisionInput struct {
	Decision aman.Decision
	Comment  string
}

// Decide approves or rejects the move a case waits for. Only a supervisor of the case's unit decides,
// and never on their own request. Approval makes the move (a closure also schedules its follow-ups);
// rejection leaves the case where it was, in its worker's hands, with the supervisor's comments. Both
// the requester and the case's worker are told.
func (c *Cases) Decide(ctx context.Context, actor aman.Actor, caseID string, in DecisionInput) (aman.Case, error) {
	if err := authorize(actor, policy.CaseApprove); err != nil {
		return aman.Case{}, err
	}
	switch {
	case in.Decision == "":
		return aman.Case{}, aman.FieldError("decision", aman.ERequired)
	case !in.Decision.Valid():
		return aman.Case{}, aman.FieldError("decision", aman.EInvalidDecision)
	}
	comment, err := lifecycleComment(in.Comment)
	if err != nil {
		return aman.Case{}, err
	}
	if in.Decision == aman.DecisionReject && comment == "" {
		return aman.Case{}, aman.FieldError("comment", aman.ERequired)
	}
	var out aman.Case
	err = c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, err := c.supervised(ctx, tx, actor, caseID)
		if err != nil {
			return err
		}
		if k.PendingApproval == "" {
			return aman.Errorf(aman.ENoPendingApproval, "the case awaits no decision")
		}
		req, err := pendingApproval(ctx, tx, k.ID)
		if err != nil {
			return err
		}
		if req.requestedBy == actor.UserID {
			return aman.Errorf(aman.ESelfApproval, "a supervisor decided their own request")
		}
		move, ok := aman.FindMove(req.from, req.to)
		if !ok || k.Status != req.from {
			// Transitions wait while a request is pending, so this means the data was changed by hand.
			return aman.Errorf(aman.EInvalidTransition, "the request moves %s → %s but the case is at %s", req.from, req.to, k.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_approvals SET decision = $1, decided_by = $2, decided_at = $3 WHERE id = $4`,
			string(in.Decision), actor.UserID, store.Millis(tx.Now), req.id); err != nil {
			return err
		}
		event, kind := aman.EventApproved, "approval_granted"
		if in.Decision == aman.DecisionApprove {
			if err := c.applyMove(ctx, tx, k, move, actor); err != nil {
				return err
			}
		} else {
			event, kind = aman.EventRejected, "approval_rejected"
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET pending_approval = NULL, updated_at = $1 WHERE id = $2`, store.Millis(tx.Now), k.ID); err != nil {
				return err
			}
		}
		if err := c.addHistory(ctx, tx, k.ID, actor.UserID, historyEntry{Kind: event, From: move.From, To: move.To, ApprovalID: req.id, Comment: comment}); err != nil {
			return err
		}
		if err := notify(ctx, tx, recipients(actor, req.requestedBy, k.AssignedWorkerID), kind, "case", k.ID); err != nil {
			return err
		}
		if err := c.record(ctx, tx, actor, audit.Entry{Action: "case.approval_decided", Entity: "case", EntityID: k.ID,
			Detail: map[string]string{"approval": string(move.Approval), "decision": string(in.Decision)}}); err != nil {
			return err
		}
		out, err = reloadCase(ctx, tx, k)
		return err
	})
	return out, err
}

// SetPriority sets a case's priority: a supervisor's judgement on top of the risk result, never below
// what the latest risk result derived. When it rises to high or critical, the worker and the unit's
// other supervisors are told.
func (c *Cases) SetPriority(ctx context.Context, actor aman.Actor, caseID string, p aman.Priority) (aman.Case, error) {
	if err := authorize(actor, policy.CaseApprove); err != nil {
		return aman.Case{}, err
	}
	switch {
	case p == "":
		return aman.Case{}, aman.FieldError("priority", aman.ERequired)
	case !p.Valid():
		return aman.Case{}, aman.FieldError("priority", aman.EInvalidPriority)
	}
	var out aman.Case
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, err := c.supervised(ctx, tx, actor, caseID)
		if err != nil {
			return err
		}
		if p.Below(k.RiskPriority) {
			return aman.Errorf(aman.EPriorityBelowRisk, "%s is below the risk result's %s", p, k.RiskPriority)
		}
		if p == k.Priority {
			out = k
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET priority = $1, updated_at = $2 WHERE id = $3`, string(p), store.Millis(tx.Now), k.ID); err != nil {
			return err
		}
		if err := c.addHistory(ctx, tx, k.ID, actor.UserID, historyEntry{Kind: aman.EventPriorityChanged, FromPriority: k.Priority, ToPriority: p}); err != nil {
			return err
		}
		if k.Priority.Below(p) && p.Urgent() {
			supervisors, err := unitSupervisors(ctx, tx, k.UnitID)
			if err != nil {
				return err
			}
			if err := notify(ctx, tx, recipients(actor, append(supervisors, k.AssignedWorkerID)...), "case_priority_raised", "case", k.ID); err != nil {
				return err
			}
		}
		if err := c.record(ctx, tx, actor, audit.Entry{Action: "case.priority", Entity: "case", EntityID: k.ID,
			Detail: map[string]string{"from": string(k.Priority), "to": string(p)}}); err != nil {
			return err
		}
		out, err = reloadCase(ctx, tx, k)
		return err
	})
	return out, err
}

// raiseRiskPriority records the priority the latest risk result derived, inside the transaction that
// stores the result. The case's priority rises to it when lower, and never falls with it: a lower risk
// result leaves a raised priority for a supervisor to lower. When the priority rises to high or
// critical, the unit's supervisors are alerted. The caller audits the risk result itself.
func (c *Cases) raiseRiskPriority(ctx context.Context, tx *store.Tx, caseID string, p aman.Priority) error {
	if !p.Valid() {
		return aman.Errorf(aman.EInvalidPriority, "risk priority %q", p)
	}
	k, err := loadCase(ctx, tx, caseID)
	if err != nil {
		return err
	}
	priority := k.Priority
	if priority.Below(p) {
		priority = p
	}
	if p == k.RiskPriority && priority == k.Priority {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET risk_priority = $1, priority = $2, updated_at = $3 WHERE id = $4`,
		string(p), string(priority), store.Millis(tx.Now), k.ID); err != nil {
		return err
	}
	if priority == k.Priority {
		return nil
	}
	if err := c.addHistory(ctx, tx, k.ID, aman.System("risk").UserID, historyEntry{Kind: aman.EventPriorityFromRisk, FromPriority: k.Priority, ToPriority: priority}); err != nil {
		return err
	}
	if !priority.Urgent() {
		return nil
	}
	supervisors, err := unitSupervisors(ctx, tx, k.UnitID)
	if err != nil {
		return err
	}
	return notify(ctx, tx, supervisors, "case_priority_raised", "case", k.ID)
}

// CaseEvent is one entry of a case's history.
type CaseEvent struct {
	ID         string
	At         time.Time
	ActorID    string
	Kind       aman.CaseEventKind
	FromStatus aman.CaseStatus
	ToStatus   aman.CaseStatus
	// FromPriority and ToPriority are set on priority events.
	FromPriority aman.Priority
	ToPriority   aman.Priority
	// Approval, ClosureReason and ClosureOutcome are set on the events of a request for approval.
	Approval       aman.ApprovalKind
	ClosureReason  aman.ClosureReason
	ClosureOutcome aman.ClosureOutcome
	Comment        string
}

// History lists a case's lifecycle events, oldest first, for someone the case is open to. The comments
// are case content, so the read is audited, and so is a refusal.
func (c *Cases) History(ctx context.Context, actor aman.Actor, caseID string) ([]CaseEvent, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var events []CaseEvent
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		d, err := c.auditedRead(ctx, tx, actor, caseID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT h.id, h.occurred_at, h.actor_id, h.event, COALESCE(h.from_status, ''), COALESCE(h.to_status, ''),
			COALESCE(h.from_priority, ''), COALESCE(h.to_priority, ''), COALESCE(a.kind, ''), COALESCE(a.closure_reason, ''),
			COALESCE(a.closure_outcome, ''), h.comment_sealed
			FROM case_history h LEFT JOIN case_approvals a ON a.id = h.approval_id
			WHERE h.case_id = $1 ORDER BY h.occurred_at, h.id`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e CaseEvent
			var at int64
			var kind, from, to, fromP, toP, approval, reason, outcome string
			var comment seal.Sealed
			if err := rows.Scan(&e.ID, &at, &e.ActorID, &kind, &from, &to, &fromP, &toP, &approval, &reason, &outcome, &comment); err != nil {
				return err
			}
			e.At, e.Kind = store.Time(at), aman.CaseEventKind(kind)
			e.FromStatus, e.ToStatus = aman.CaseStatus(from), aman.CaseStatus(to)
			e.FromPriority, e.ToPriority = aman.Priority(fromP), aman.Priority(toP)
			e.Approval, e.ClosureReason, e.ClosureOutcome = aman.ApprovalKind(approval), aman.ClosureReason(reason), aman.ClosureOutcome(outcome)
			if e.Comment, err = c.Keys.Row("case_history", e.ID).Open("comment", comment); err != nil {
				return err
			}
			events = append(events, e)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.history_read", Entity: "case", EntityID: caseID,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"basis": d.Basis}})
	})
	return events, err
}

// auditedRead decides whether actor may read case content, in tx. A refusal is audited and committed,
// as Get does, so an auditor sees who tried; the caller then gets the refusal.
func (c *Cases) auditedRead(ctx context.Context, tx *store.Tx, actor aman.Actor, caseID string) (policy.Decision, error) {
	_, d, err := c.access(ctx, tx, actor, caseID, false)
	if err != nil {
		return d, err
	}
	if !d.Allowed {
		if err := c.record(ctx, tx, actor, audit.Entry{Action: "case.read_denied", Entity: "case", EntityID: caseID,
			Detail: map[string]string{"code": d.Code}}); err != nil {
			return d, err
		}
		return d, store.CommitAndFail(d.Err())
	}
	return d, nil
}

// supervised loads a case for a supervisor's decision on it: only a supervisor of its unit gets it. The
// refusal is a plain forbidden, since break-glass would not make anyone the case's supervisor.
func (c *Cases) supervised(ctx context.Context, tx *store.Tx, actor aman.Actor, caseID string) (aman.Case, error) {
	k, d, err := c.access(ctx, tx, actor, caseID, true)
	if err != nil {
		return k, err
	}
	if s := policy.SuperviseCase(actor, facts(k)); !s.Allowed {
		return k, s.Err()
	}
	if !d.Allowed {
		return k, d.Err()
	}
	return k, nil
}

// applyMove puts the case at the move's stage and clears any pending request. Closing stamps the case
// and schedules its follow-ups; reopening clears the stamp and cancels the follow-ups still open.
func (c *Cases) applyMove(ctx context.Context, tx *store.Tx, k aman.Case, move aman.Move, by aman.Actor) error {
	var closedAt time.Time
	if move.To == aman.CaseClosed {
		closedAt = tx.Now
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cases SET status = $1, pending_approval = NULL, closed_at = $2, updated_at = $3 WHERE id = $4`,
		string(move.To), store.NullMillis(closedAt), store.Millis(tx.Now), k.ID); err != nil {
		return err
	}
	switch {
	case move.To == aman.CaseClosed:
		return c.scheduleFollowUps(ctx, tx, k, by)
	case move.Reopen:
		return cancelFollowUps(ctx, tx, k.ID)
	}
	return nil
}

// scheduleFollowUps gives the case's worker (the closer when it has none) the follow-ups of a closure,
// months after the day it closed in Doha. The follow-up is a call to check the person is still safe;
// if not, a supervisor reopens the case.
func (c *Cases) scheduleFollowUps(ctx context.Context, tx *store.Tx, k aman.Case, by aman.Actor) error {
	assignee := k.AssignedWorkerID
	if assignee == "" {
		assignee = by.UserID
	}
	closedOn := qatarDay(tx.Now)
	for _, f := range aman.ClosureFollowUps() {
		task := aman.Task{ID: newID(), CaseID: k.ID, Kind: f.Kind, DueOn: addCalendarMonths(closedOn, f.Months), AssigneeID: assignee,
			Status: aman.TaskOpen, CreatedBy: by.UserID}
		if err := insertTask(ctx, tx, c.Keys, task); err != nil {
			return err
		}
	}
	return nil
}

// cancelFollowUps cancels the closure follow-ups of a case that are still open: a reopened case is
// worked again, and its follow-ups would only be noise on the dashboards.
func cancelFollowUps(ctx context.Context, tx *store.Tx, caseID string) error {
	for _, f := range aman.ClosureFollowUps() {
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = $1, updated_at = $2 WHERE case_id = $3 AND status = $4 AND kind = $5`,
			string(aman.TaskCancelled), store.Millis(tx.Now), caseID, string(aman.TaskOpen), string(f.Kind)); err != nil {
			return err
		}
	}
	return nil
}

// historyEntry is one row of case_history to write.
type historyEntry struct {
	Kind                     aman.CaseEventKind
	From, To                 aman.CaseStatus
	FromPriority, ToPriority aman.Priority
	ApprovalID               string
	Comment                  string
}

func (c *Cases) addHistory(ctx context.Context, tx *store.Tx, caseID, actorID string, e historyEntry) error {
	id := newID()
	comment, err := c.Keys.Row("case_history", id).Seal("comment", e.Comment)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO case_history (id, case_id, occurred_at, actor_id, event, from_status, to_status, from_priority,
		to_priority, approval_id, comment_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		id, caseID, store.Millis(tx.Now), actorID, string(e.Kind), nullable(string(e.From)), nullable(string(e.To)),
		nullable(string(e.FromPriority)), nullable(string(e.ToPriority)), nullable(e.ApprovalID), comment)
	return err
}

// insertApproval records a request for approval; decided records it as approved at once by the
// requester, when a supervisor's own move is the approval.
func insertApproval(ctx context.Context, tx *store.Tx, k aman.Case, move aman.Move, in TransitionInput, actor aman.Actor, decided bool) (string, error) {
	id := newID()
	var decision, decidedBy any
	var decidedAt time.Time
	if decided {
		decision, decidedBy, decidedAt = string(aman.DecisionApprove), actor.UserID, tx.Now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_approvals (id, case_id, kind, from_status, to_status, closure_reason, closure_outcome,
		requested_by, requested_at, decision, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		id, k.ID, string(move.Approval), string(move.From), string(move.To), nullable(string(in.ClosureReason)), nullable(string(in.ClosureOutcome)),
		actor.UserID, store.Millis(tx.Now), decision, decidedBy, store.NullMillis(decidedAt))
	return id, err
}

// approvalRequest is the pending request of a case.
type approvalRequest struct {
	id, requestedBy string
	from, to        aman.CaseStatus
}

func pendingApproval(ctx context.Context, tx *store.Tx, caseID string) (approvalRequest, error) {
	var r approvalRequest
	var from, to string
	err := tx.QueryRowContext(ctx, `SELECT id, requested_by, from_status, to_status FROM case_approvals WHERE case_id = $1 AND decided_at IS NULL`,
		caseID).Scan(&r.id, &r.requestedBy, &from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return r, aman.Errorf(aman.ENoPendingApproval, "the case says a request waits but none is stored")
	}
	r.from, r.to = aman.CaseStatus(from), aman.CaseStatus(to)
	return r, err
}

// reloadCase reads the case as the move left it, keeping how the actor came to see it.
func reloadCase(ctx context.Context, tx *store.Tx, before aman.Case) (aman.Case, error) {
	k, err := loadCase(ctx, tx, before.ID)
	k.AccessBasis, k.BreakGlassExpireAt = before.AccessBasis, before.BreakGlassExpireAt
	return k, err
}

// validateTransitionInput checks the values given, before anything is read: the stage asked for and the
// closure codes must be known.
func validateTransitionInput(in TransitionInput) error {
	switch {
	case in.To == "":
		return aman.FieldError("to", aman.ERequired)
	case !in.To.Valid():
		return aman.FieldError("to", aman.EInvalidStatus)
	case in.ClosureReason != "" && !in.ClosureReason.Valid():
		return aman.FieldError("closure_reason", aman.EInvalidClosureReason)
	case in.ClosureOutcome != "" && !in.ClosureOutcome.Valid():
		return aman.FieldError("closure_outcome", aman.EInvalidClosureOutcome)
	}
	return nil
}

// checkClosureInput holds a move to the closure rules: closing needs a reason and an outcome (and a
// comment for the reason "other"); any other move takes neither, so a reason sent by mistake is not
// silently dropped.
func checkClosureInput(move aman.Move, in TransitionInput) error {
	if move.To != aman.CaseClosed {
		switch {
		case in.ClosureReason != "":
			return aman.FieldError("closure_reason", aman.EClosureOnlyWhenClosing)
		case in.ClosureOutcome != "":
			return aman.FieldError("closure_outcome", aman.EClosureOnlyWhenClosing)
		}
		return nil
	}
	switch {
	case in.ClosureReason == "":
		return aman.FieldError("closure_reason", aman.ERequired)
	case in.ClosureOutcome == "":
		return aman.FieldError("closure_outcome", aman.ERequired)
	case in.ClosureReason.NeedsComment() && in.Comment == "":
		return aman.FieldError("comment", aman.ERequired)
	}
	return nil
}

// lifecycleComment trims a comment and holds it to MaxCommentLength.
func lifecycleComment(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > aman.MaxCommentLength {
		return "", aman.FieldError("comment", aman.ETextTooLong)
	}
	return s, nil
}

// recipients are the people to tell about an act: each named id once, never the actor (who knows), and
// never an empty id (an unassigned case).
func recipients(actor aman.Actor, ids ...string) []string {
	var out []string
	seen := map[string]bool{actor.UserID: true, "": true}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// qatarDay is the calendar day of t in Doha, as midnight there.
func qatarDay(t time.Time) time.Time {
	y, m, d := t.In(qatar).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, qatar)
}

// addCalendarMonths moves a day by whole months on the calendar, keeping the day of the month where the
// target month has it and taking the month's last day where it does not: a case closed on 31 August
// is followed up on 30 November, not on 1 December.
func addCalendarMonths(day time.Time, months int) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, day.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, day.Location())
}
