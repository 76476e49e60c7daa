package aman

import "slices"

// Lifecycle error codes.
const (
	// EInvalidTransition: the case cannot move from its stage to the one asked for.
	EInvalidTransition = "invalid_transition"
	// EApprovalPending: a move of the case already waits for a supervisor; nothing else moves it until
	// the supervisor decides.
	EApprovalPending = "approval_pending"
	// ENoPendingApproval: a decision was sent for a case that awaits none.
	ENoPendingApproval = "no_pending_approval"
	// ESelfApproval: nobody decides their own request; approval exists to add a second pair of eyes.
	ESelfApproval           = "self_approval"
	EInvalidClosureReason   = "invalid_closure_reason"
	EInvalidClosureOutcome  = "invalid_closure_outcome"
	EInvalidDecision        = "invalid_decision"
	EInvalidPriority        = "invalid_priority"
	EInvalidStatus          = "invalid_status"
	EPriorityBelowRisk      = "priority_below_risk"
	ETextTooLong            = "text_too_long"
	EDateInPast             = "date_in_past"
	EAssigneeNotOnCase      = "assignee_not_on_case"
	EClosureOnlyWhenClosing = "closure_only_when_closing"
)

// MaxCommentLength bounds a lifecycle comment (a submission, a decision, a reopening), in characters:
// enough to explain, not a case note.
const MaxCommentLength = 4000

// Valid tells whether s is one of the stages.
func (s CaseStatus) Valid() bool { return slices.Contains(CaseStatuses(), s) }

// ApprovalKind names what a supervisor approves before a move takes effect.
type ApprovalKind string

const (
	// ApprovalCarePlan: the plan is approved before work on it starts (care_plan → in_progress).
	ApprovalCarePlan ApprovalKind = "care_plan"
	// ApprovalClosure: a case is closed only with a supervisor's agreement.
	ApprovalClosure ApprovalKind = "closure"
)

// Move is one legal step of the case lifecycle.
type Move struct {
	From, To CaseStatus
	// Approval is what a supervisor of the case's unit approves before the move takes effect; "" when
	// it takes effect at once.
	Approval ApprovalKind
	// Reopen marks the way out of closed. It is a supervisor's act: whoever could approve the closure
	// decides that it no longer stands.
	Reopen bool
}

// Moves is the lifecycle, every legal step and nothing else:
//
//	new → assessment → care_plan ⇒ in_progress → review ⇒ closed → assessment (reopen)
//
// where ⇒ needs a supervisor's approval. Besides the main line:
//   - care_plan → assessment: a plan in the making may show the assessment was incomplete;
//   - in_progress → care_plan: a plan that does not work is revised, and approved again;
//   - review → in_progress: a review may find the work is not done;
//   - any open stage ⇒ closed: a beneficiary may withdraw, move away or become unreachable before any
//     plan, so closure is possible from every stage, always with a supervisor's approval and a reason;
//   - a reopened case starts again at assessment, because a case that comes back has a new situation
//     to assess before any plan.
//
// Stages are never skipped forward: a plan needs an assessment, and work needs an approved plan.
func Moves() []Move {
	closing := func(from CaseStatus) Move { return Move{From: from, To: CaseClosed, Approval: ApprovalClosure} }
	return []Move{
		{From: CaseNew, To: CaseAssessment},
		closing(CaseNew),
		{From: CaseAssessment, To: CaseCarePlan},
		closing(CaseAssessment),
		{From: CaseCarePlan, To: CaseInProgress, Approval: ApprovalCarePlan},
		{From: CaseCarePlan, To: CaseAssessment},
		closing(CaseCarePlan),
		{From: CaseInProgress, To: CaseReview},
		{From: CaseInProgress, To: CaseCarePlan},
		closing(CaseInProgress),
		{From: CaseReview, To: CaseInProgress},
		closing(CaseReview),
		{From: CaseClosed, To: CaseAssessment, Reopen: true},
	}
}

// FindMove returns the legal move from one stage to another, if there is one.
func FindMove(from, to CaseStatus) (Move, bool) {
	i := slices.IndexFunc(Moves(), func(m Move) bool { return m.From == from && m.To == to })
	if i < 0 {
		return Move{}, false
	}
	return Moves()[i], true
}

// ClosureReason says why a case was closed. The list is a vocabulary so the yearly figures can count
// closures by reason; "other" needs a comment that says what it was.
type ClosureReason string

const (
	ClosureGoalsMet            ClosureReason = "goals_met"
	ClosureBeneficiaryWithdrew ClosureReason = "beneficiary_withdrew"
	ClosureTransferred         ClosureReason = "transferred"
	ClosureUnreachable         ClosureReason = "unreachable"
	ClosureMovedAway           ClosureReason = "moved_away"
	ClosureDuplicate           ClosureReason = "duplicate"
	ClosureDeceased            ClosureReason = "deceased"
	ClosureOther               ClosureReason = "other"
)

// ClosureReasons lists the reasons in the order forms offer them.
func ClosureReasons() []ClosureReason {
	return []ClosureReason{ClosureGoalsMet, ClosureBeneficiaryWithdrew, ClosureTransferred, ClosureUnreachable,
		ClosureMovedAway, ClosureDuplicate, ClosureDeceased, ClosureOther}
}

// Valid tells whether r is one of the reasons.
func (r ClosureReason) Valid() bool { return slices.Contains(ClosureReasons(), r) }

// NeedsComment tells whether the reason says too little on its own.
func (r ClosureReason) NeedsComment() bool { return r == ClosureOther }

// ClosureOutcome says how far the case's goals were reached when it closed.
type ClosureOutcome string

const (
	ClosureOutcomeGoalsAchieved       ClosureOutcome = "goals_achieved"
	ClosureOutcomeGoalsPartlyAchieved ClosureOutcome = "goals_partly_achieved"
	ClosureOutcomeGoalsNotAchieved    ClosureOutcome = "goals_not_achieved"
	// ClosureOutcomeNotAssessable: the case ended before anyone could judge, e.g. the person was unreachable.
	ClosureOutcomeNotAssessable ClosureOutcome = "not_assessable"
)

// ClosureOutcomes lists the outcomes, best first.
func ClosureOutcomes() []ClosureOutcome {
	return []ClosureOutcome{ClosureOutcomeGoalsAchieved, ClosureOutcomeGoalsPartlyAchieved, ClosureOutcomeGoalsNotAchieved, ClosureOutcomeNotAssessable}
}

// Valid tells whether o is one of the outcomes.
func (o ClosureOutcome) Valid() bool { return slices.Contains(ClosureOutcomes(), o) }

// Priorities lists the priorities, lowest first.
func Priorities() []Priority { return []Priority{PriorityNormal, PriorityHigh, PriorityCritical} }

// Valid tells whether p is one of the priorities.
func (p Priority) Valid() bool { return slices.Contains(Priorities(), p) }

// Below tells whether p is lower than q. An unknown priority ranks below every known one, so a
// damaged value can only ever be raised.
func (p Priority) Below(q Priority) bool {
	return slices.Index(Priorities(), p) < slices.Index(Priorities(), q)
}

// Urgent tells whether p calls for the supervisors' attention at once.
func (p Priority) Urgent() bool { return p == PriorityHigh || p == PriorityCritical }

// CaseEventKind names an entry of a case's history, the backbone of its timeline.
type CaseEventKind string

const (
	// EventMoved: the case moved to another stage at once.
	EventMoved CaseEventKind = "moved"
	// EventSubmitted: a move was submitted for a supervisor's approval.
	EventSubmitted CaseEventKind = "submitted"
	// EventApproved: a supervisor approved a move, which then took effect.
	EventApproved CaseEventKind = "approved"
	// EventRejected: a supervisor sent the case back to its worker, with comments.
	EventRejected CaseEventKind = "rejected"
	// EventReopened: a supervisor reopened a closed case.
	EventReopened CaseEventKind = "reopened"
	// EventPriorityChanged: a supervisor set the case's priority.
	EventPriorityChanged CaseEventKind = "priority_changed"
	// EventPriorityFromRisk: a risk result raised the case's priority.
	EventPriorityFromRisk CaseEventKind = "priority_from_risk"
)

// Decision is a supervisor's answer to a submitted move.
type Decision string

const (
	DecisionApprove Decision = "approve"
	DecisionReject  Decision = "reject"
)

// Valid tells whether d is one of the decisions.
func (d Decision) Valid() bool { return d == DecisionApprove || d == DecisionReject }
