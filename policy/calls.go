package policy

import "aman.qa/aman"

// The bases on which a call is open to someone, written into the audit entry of the read.
const (
	BasisCallOperator   = "call_operator"
	BasisCallSupervisor = "call_supervisor"
	// BasisLinkedCase: the call is linked to a case the reader may see; the case's own basis (team,
	// break-glass…) is audited beside it.
	BasisLinkedCase = "linked_case"
)

// CallFacts is what the policy needs to know about one call. Nothing in it is sealed.
type CallFacts struct {
	// OperatorID is the operator who took the call; empty for a call nobody answered yet.
	OperatorID string
	// CaseID is the case the call is linked to, if any.
	CaseID string
}

// ViewCall decides whether actor may read a call. A call is open to:
//   - the operator who took it: they wrote it;
//   - supervisors: they oversee the line, its escalations and its quality, whatever the unit;
//   - case staff of the case the call is linked to: the call is part of that person's file. linkedCase
//     is ViewCase's decision on that case for actor, loaded by the app layer only when the call is linked;
//     a break-glass grant on the case therefore opens its calls too, and is audited as such.
//
// Another operator does not see a colleague's call: the shift view and the callback list carry what the
// line needs to share, without the summary.
func ViewCall(actor aman.Actor, call CallFacts, linkedCase Decision) Decision {
	if !identified(actor) || !Allows(actor.Role, CallView) {
		return deny(aman.EForbidden)
	}
	switch {
	case actor.Role == aman.RoleHotlineOperator && call.OperatorID == actor.UserID:
		return allow(BasisCallOperator)
	case actor.Role == aman.RoleSupervisor:
		return allow(BasisCallSupervisor)
	// The case decision is ViewCase's, which already refuses roles without case.view; asking again keeps
	// a decision passed by mistake from opening calls to an operator.
	case call.CaseID != "" && linkedCase.Allowed && Allows(actor.Role, CaseView):
		return allow(BasisLinkedCase)
	}
	return deny(aman.EForbidden)
}

// ListCalls decides whether actor may list the calls taken by operatorID ("" meaning every operator).
// Operators list their own shift only; supervisors list anyone's, or the whole line.
func ListCalls(actor aman.Actor, operatorID string) bool {
	if !identified(actor) || !Allows(actor.Role, CallList) {
		return false
	}
	if actor.Role == aman.RoleSupervisor {
		return true
	}
	return operatorID == actor.UserID
}

// CompleteCall decides whether actor may complete a call the telephone system opened: the operator it
// was answered by, or any operator when the system could not say who answered (the first to complete it
// takes it).
func CompleteCall(actor aman.Actor, operatorID string) bool {
	if !identified(actor) || !Allows(actor.Role, CallLog) {
		return false
	}
	return operatorID == "" || operatorID == actor.UserID
}

// RevealCallerNumber decides whether actor may see the number of a missed call in order to call it
// back: a hotline operator (the one who will dial it; supervisors see the callback list without
// numbers), and only when calling back is known to be safe. Unknown safety is a refusal: an abuser may
// hold the phone, and a call from the centre can itself put the caller in danger.
func RevealCallerNumber(actor aman.Actor, safety aman.CallbackSafety) error {
	if !identified(actor) || !Allows(actor.Role, CallLog) || !Allows(actor.Role, CallbackList) {
		return &aman.Error{Code: aman.EForbidden}
	}
	if safety != aman.SafetySafe {
		return &aman.Error{Code: aman.ECallbackNotSafe}
	}
	return nil
}
