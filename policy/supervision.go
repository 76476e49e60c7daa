package policy

import (
	"time"

	"aman.qa/aman"
)

// SuperviseCase decides whether actor may take a supervisor's decisions on a case: approve or reject a
// care plan or a closure, reopen a closed case, and set its priority. Only a supervisor of the case's
// own unit may: approval is the unit's control over its own work, so being on the case team does not
// grant it, and neither does break-glass, which opens a case in an emergency but makes no one its
// supervisor. A case outside any unit belongs to the whole centre: every supervisor may decide it, so
// such a case is never stuck waiting for a supervisor who cannot exist.
//
// Whether the supervisor is deciding their own request is the app layer's question (it knows who
// asked); this function only says who is a supervisor of the case.
func SuperviseCase(actor aman.Actor, c CaseFacts) Decision {
	if !identified(actor) || !Allows(actor.Role, CaseApprove) {
		return deny(aman.EForbidden)
	}
	if c.UnitID != "" && actor.UnitID != c.UnitID {
		return deny(aman.EForbidden)
	}
	return allow(BasisUnitSupervisor)
}

// EditTask decides whether actor may change a task (mark it done, reassign it, move its day) on a case.
// The task's assignee may, while the case is open to them on a standing basis, even once the case is
// closed: the follow-ups a closure schedules are the worker's, though the closed case is read-only to
// them. Anyone else needs EditCase on the case.
func EditTask(actor aman.Actor, c CaseFacts, assigneeID string, grants []Grant, now time.Time) Decision {
	if identified(actor) && actor.UserID == assigneeID && Allows(actor.Role, CaseEdit) {
		if basis := standingBasis(actor, c); basis != "" {
			return allow(basis)
		}
	}
	return EditCase(actor, c, grants, now)
}

// HoldTask decides whether a person may carry a task on a case: whether it may be assigned to them, and
// whether it shows on their task list. They must be able to edit cases and have a standing tie to this
// one (assigned, team, or supervisor of its unit). A break-glass grant is not enough: it lasts an hour,
// and a task would put the case on their dashboard for longer.
func HoldTask(person aman.Actor, c CaseFacts) bool {
	return identified(person) && Allows(person.Role, CaseEdit) && standingBasis(person, c) != ""
}
