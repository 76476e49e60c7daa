package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
)

// lifecycleSection is where the case stands and the moves the reader may make from there: the stage
// as a step indicator, what waits for a supervisor, what a supervisor sent back, and the forms of the
// legal next moves. A form is nil when the reader may not use it.
type lifecycleSection struct {
	CaseID string
	Steps  []lifecycleStep
	// Pending is the request that waits for a supervisor; nil when none.
	Pending *pendingRequest
	// Returned is a supervisor's rejection of the last request, with their comments, until the case
	// is submitted again.
	Returned *returnedRequest
	Moves    *caseMoveForm
	Closure  *caseClosureForm
	Reopen   *caseReopenForm
	Decision *caseDecisionForm
	Priority *casePriorityForm
	Notice   string
	// Problem is why a move was refused when its form is no longer offered (the case moved meanwhile).
	Problem string
}

// lifecycleStep is one stage of the step indicator.
type lifecycleStep struct {
	Status  aman.CaseStatus
	Done    bool
	Current bool
}

// pendingRequest is a move submitted for approval.
type pendingRequest struct {
	Kind aman.ApprovalKind
	By   string
	At   shownTime
	// Comment, ClosureReason and ClosureOutcome are what the requester wrote and chose.
	Comment        string
	ClosureReason  aman.ClosureReason
	ClosureOutcome aman.ClosureOutcome
	// Own is set for a supervisor who asked: another supervisor of the unit decides. A worker's own
	// request is simply waiting, and is told so.
	Own bool
}

// returnedRequest is a supervisor's rejection, shown to whoever works on the case.
type returnedRequest struct {
	Kind    aman.ApprovalKind
	By      string
	At      shownTime
	Comment string
}

// caseMoveForm offers the moves that take effect at once or go for approval, one button each, with
// one comment for whichever is pressed.
type caseMoveForm struct {
	Moves   []moveChoice
	Comment string
	formState
}

// moveChoice is one legal move. LabelKey says what pressing it does for this reader: a move that needs
// approval is "submitted" by a worker, and made at once by a supervisor of the unit who does not carry
// the case.
type moveChoice struct {
	To       aman.CaseStatus
	LabelKey string
	// Approval is set when the move waits for a supervisor's approval.
	Approval bool
}

// caseClosureForm asks for a closure: reason, outcome and comment. Immediate is set for a supervisor
// whose request is the approval; Open keeps the form unfolded when it comes back with a problem.
type caseClosureForm struct {
	Reasons   []option
	Outcomes  []option
	Comment   string
	Immediate bool
	Open      bool
	formState
}

// caseReopenForm reopens a closed case, with the comment that says why.
type caseReopenForm struct {
	To      aman.CaseStatus
	Comment string
	formState
}

// caseDecisionForm approves or rejects the pending request.
type caseDecisionForm struct {
	Comment string
	formState
}

// casePriorityForm sets the priority, never below the floor the latest risk result set.
type casePriorityForm struct {
	Options []option
	Floor   aman.Priority
	formState
}

// newLifecycleSection builds the lifecycle section for the reader of d.
func (h *Handler) newLifecycleSection(r *http.Request, d caseRecords, names func(string) string) *lifecycleSection {
	k := d.k
	s := &lifecycleSection{CaseID: k.ID}
	reached := true
	for _, status := range aman.CaseStatuses() {
		current := status == k.Status
		s.Steps = append(s.Steps, lifecycleStep{Status: status, Current: current, Done: reached && !current})
		if current {
			reached = false
		}
	}
	if k.Status == aman.CaseClosed {
		// A closed case has been through every stage it needed, whichever it closed from.
		for i := range s.Steps {
			s.Steps[i].Done = !s.Steps[i].Current
		}
	}
	last := lastRequestEvent(d.history)
	switch {
	case k.PendingApproval != "" && last != nil && last.Kind == aman.EventSubmitted:
		s.Pending = &pendingRequest{Kind: k.PendingApproval, By: names(last.ActorID), At: showTime(last.At, h.zone), Comment: last.Comment,
			ClosureReason: last.ClosureReason, ClosureOutcome: last.ClosureOutcome,
			Own: last.ActorID == d.actor.UserID && d.actor.Role == aman.RoleSupervisor}
	case k.PendingApproval != "":
		s.Pending = &pendingRequest{Kind: k.PendingApproval}
	case last != nil && last.Kind == aman.EventRejected:
		s.Returned = &returnedRequest{Kind: last.Approval, By: names(last.ActorID), At: showTime(last.At, h.zone), Comment: last.Comment}
	}

	supervises := policy.SuperviseCase(d.actor, caseFacts(k)).Allowed
	mayEdit := d.staff.MayEdit
	switch {
	case k.Status == aman.CaseClosed:
		if supervises {
			for _, m := range aman.Moves() {
				if m.From == k.Status && m.Reopen {
					s.Reopen = &caseReopenForm{To: m.To}
				}
			}
		}
	case mayEdit && k.PendingApproval == "":
		// A supervisor of the unit who does not carry the case approves by making the move.
		approves := supervises && d.actor.UserID != k.AssignedWorkerID
		moves := &caseMoveForm{}
		for _, m := range aman.Moves() {
			switch {
			case m.From != k.Status:
			case m.To == aman.CaseClosed:
				s.Closure = h.newClosureForm(r, "", "")
				s.Closure.Immediate = approves
			default:
				choice := moveChoice{To: m.To, LabelKey: "case.move." + string(m.From) + "." + string(m.To), Approval: m.Approval != "" && !approves}
				if choice.Approval {
					choice.LabelKey = "case.move.submit." + string(m.Approval)
				}
				moves.Moves = append(moves.Moves, choice)
			}
		}
		if len(moves.Moves) > 0 {
			s.Moves = moves
		}
	}
	if k.PendingApproval != "" && supervises && (s.Pending == nil || !s.Pending.Own) {
		s.Decision = &caseDecisionForm{}
	}
	if supervises {
		s.Priority = h.newPriorityForm(r, k, k.Priority)
	}
	return s
}

// lastRequestEvent is the latest event about a request for approval (submitted, approved, rejected), or
// nil: it tells what waits, or what was sent back.
func lastRequestEvent(history []app.CaseEvent) *app.CaseEvent {
	for i := len(history) - 1; i >= 0; i-- {
		switch history[i].Kind {
		case aman.EventSubmitted, aman.EventRejected, aman.EventApproved, aman.EventReopened:
			return &history[i]
		}
	}
	return nil
}

// caseFacts is what the policy needs to know about the case, for deciding what the page offers; the use
// cases decide again, from the stored case, when a form is sent.
func caseFacts(k aman.Case) policy.CaseFacts {
	return policy.CaseFacts{UnitID: k.UnitID, AssignedWorkerID: k.AssignedWorkerID, TeamUserIDs: k.TeamUserIDs, Closed: k.Status == aman.CaseClosed}
}

// newClosureForm offers every closure reason and outcome, with reason and outcome chosen.
func (h *Handler) newClosureForm(r *http.Request, reason aman.ClosureReason, outcome aman.ClosureOutcome) *caseClosureForm {
	lang := langOf(r)
	f := &caseClosureForm{}
	for _, c := range aman.ClosureReasons() {
		f.Reasons = append(f.Reasons, option{Value: string(c), Label: h.bundle.T(lang, "case.closure_reason."+string(c)), Selected: c == reason})
	}
	for _, o := range aman.ClosureOutcomes() {
		f.Outcomes = append(f.Outcomes, option{Value: string(o), Label: h.bundle.T(lang, "case.closure_outcome."+string(o)), Selected: o == outcome})
	}
	return f
}

// newPriorityForm offers the priorities from the risk floor up, with chosen selected.
func (h *Handler) newPriorityForm(r *http.Request, k aman.Case, chosen aman.Priority) *casePriorityForm {
	f := &casePriorityForm{Floor: k.RiskPriority}
	for _, p := range aman.Priorities() {
		if !p.Below(k.RiskPriority) {
			f.Options = append(f.Options, option{Value: string(p), Label: h.bundle.T(langOf(r), "case.priority."+string(p)), Selected: p == chosen})
		}
	}
	return f
}
