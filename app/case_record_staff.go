package app

import (
	"context"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// RecordStaff is what the forms and lists on a case's records (risk, incidents, assessment, care plan,
// services) need to know about staff: whether the reader may add to them, whom a form may name as
// responsible or as provider, and the names behind the ids the records carry.
type RecordStaff struct {
	// MayEdit tells whether the actor may change the case's records (the use cases that write them would
	// let them, on the same need-to-know decision).
	MayEdit bool
	// Choices are whom a form may name, by name: the enabled case staff of the case's unit, and the case's
	// worker and team while they are enabled case staff. Empty unless MayEdit.
	Choices []StaffMember
	// Names holds a name for each asked id: an id with no account behind it is shown as itself.
	Names map[string]StaffMember
}

// RecordStaff names the people behind ids (who wrote an assessment, who is responsible for a goal, who
// delivered a service) for someone the case is open to, and, when they may change the case, whom its
// forms may name. Like Staff, it reads no case content, so it adds no audit entry of its own: the reads
// that show the records are audited.
func (c *Cases) RecordStaff(ctx context.Context, actor aman.Actor, caseID string, ids []string) (RecordStaff, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return RecordStaff{}, err
	}
	out := RecordStaff{Names: map[string]StaffMember{}}
	err := c.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, caseID, false)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if policy.Allows(actor.Role, policy.CaseEdit) {
			if out.MayEdit, err = mayEditCase(ctx, tx, actor, k); err != nil {
				return err
			}
		}
		onCase := append([]string{k.AssignedWorkerID}, k.TeamUserIDs...)
		people, unitStaff, err := loadStaff(ctx, tx, append(append([]string{}, ids...), onCase...), k.UnitID, out.MayEdit)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if id == "" {
				continue
			}
			if p, ok := people[id]; ok {
				out.Names[id] = p.StaffMember
			} else {
				out.Names[id] = StaffMember{ID: id, DisplayName: id}
			}
		}
		if out.MayEdit {
			out.Choices = withPeopleOnCase(unitStaff, people, onCase)
		}
		return nil
	})
	return out, err
}

// mayEditCase tells whether actor may change the case k now, on its live break-glass grants too.
func mayEditCase(ctx context.Context, tx *store.Tx, actor aman.Actor, k aman.Case) (bool, error) {
	grants, err := liveGrants(ctx, tx, k.ID)
	if err != nil {
		return false, err
	}
	return policy.EditCase(actor, facts(k), grants, tx.Now).Allowed, nil
}

// withPeopleOnCase adds to the unit's staff (from loadStaff) the people on the case, by id, who are
// enabled case staff and not listed yet, so that a form never drops someone it did not show; the list
// comes back by name.
func withPeopleOnCase(unitStaff []StaffMember, people map[string]*staffRow, onCase []string) []StaffMember {
	out := unitStaff
	for _, id := range onCase {
		if p, ok := people[id]; ok && p.assignable && !p.listed {
			out = append(out, p.StaffMember)
			p.listed = true
		}
	}
	sortByName(out)
	return out
}
