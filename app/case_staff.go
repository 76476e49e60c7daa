package app

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// StaffMember is a member of staff as case screens name them: a name and a role, never an account's
// secrets or state.
type StaffMember struct {
	ID string
	// DisplayName is the name shown on screens; the username when the account has none.
	DisplayName string
	Role        aman.Role
}

// CaseStaff names the people of one case, and whom it could be given to.
type CaseStaff struct {
	// Unit is the case's unit; zero when the case has none.
	Unit Unit
	// Worker is the assigned worker; zero while the case is unassigned.
	Worker StaffMember
	Team   []StaffMember
	// MayAssign tells whether the actor may change the assignment (Cases.Assign would let them).
	MayAssign bool
	// Candidates are the choices of the assignment form, by name: the enabled case staff of the case's
	// unit, and whoever is assigned now if still enabled case staff, so that saving the form unchanged
	// never drops someone the form did not show. Empty unless MayAssign.
	Candidates []StaffMember
}

// caseStaffRoles are the roles a case can be assigned to, as a list for SQL. It must say what caseStaff
// says; a test holds the two together.
func caseStaffRoles() []aman.Role {
	return []aman.Role{aman.RoleCaseWorker, aman.RolePsychologist, aman.RoleLegalOfficer, aman.RoleSupervisor}
}

// Staff names the unit, worker and team of a case for someone it is open to, and, when they may assign
// it, the people it could be assigned to. Staff names are not case content, so this read adds no audit
// entry: the case read that shows them (Get) has its own.
func (c *Cases) Staff(ctx context.Context, actor aman.Actor, caseID string) (CaseStaff, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return CaseStaff{}, err
	}
	var out CaseStaff
	err := c.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, caseID, false)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		// The form shows exactly when Cases.Assign would accept it: a supervisor of the case's unit who may
		// edit it (break-glass lets nobody take a case over).
		if policy.Allows(actor.Role, policy.CaseAssign) && policy.SuperviseCase(actor, facts(k)).Allowed {
			if out.MayAssign, err = mayEditCase(ctx, tx, actor, k); err != nil {
				return err
			}
		}
		if out.Unit, err = loadUnit(ctx, tx, k.UnitID); err != nil {
			return err
		}
		people, unitStaff, err := loadStaff(ctx, tx, append([]string{k.AssignedWorkerID}, k.TeamUserIDs...), k.UnitID, out.MayAssign)
		if err != nil {
			return err
		}
		name := func(id string) StaffMember {
			if p, ok := people[id]; ok {
				return p.StaffMember
			}
			// An id with no account behind it still has to be shown as something a person can report.
			return StaffMember{ID: id, DisplayName: id}
		}
		if k.AssignedWorkerID != "" {
			out.Worker = name(k.AssignedWorkerID)
		}
		for _, id := range k.TeamUserIDs {
			out.Team = append(out.Team, name(id))
		}
		sortByName(out.Team)
		if out.MayAssign {
			out.Candidates = withPeopleOnCase(unitStaff, people, append([]string{k.AssignedWorkerID}, k.TeamUserIDs...))
		}
		return nil
	})
	return out, err
}

// staffRow is one account as loadStaff reads it.
type staffRow struct {
	StaffMember
	// assignable: enabled and in a case-staff role, so Assign would accept it.
	assignable bool
	// listed: already among the candidates.
	listed bool
}

// loadStaff reads, in one query, the named accounts and (with candidates) the enabled case staff of
// unitID; no unit matches the staff who have none, as a case without a unit belongs to no unit's team.
// It returns the named accounts by id and the unit's staff by name.
func loadStaff(ctx context.Context, tx *store.Tx, ids []string, unitID string, candidates bool) (map[string]*staffRow, []StaffMember, error) {
	var args []any
	var holders []string
	for _, id := range ids {
		if id != "" {
			args = append(args, id)
			holders = append(holders, "$"+strconv.Itoa(len(args)))
		}
	}
	var where []string
	if len(holders) > 0 {
		where = append(where, `id IN (`+strings.Join(holders, ", ")+`)`)
	}
	var roleHolders []string
	if candidates {
		for _, role := range caseStaffRoles() {
			args = append(args, string(role))
			roleHolders = append(roleHolders, "$"+strconv.Itoa(len(args)))
		}
		unitMatch := `unit_id IS NULL`
		if unitID != "" {
			args = append(args, unitID)
			unitMatch = `unit_id = $` + strconv.Itoa(len(args))
		}
		where = append(where, `(NOT disabled AND role IN (`+strings.Join(roleHolders, ", ")+`) AND `+unitMatch+`)`)
	}
	people := map[string]*staffRow{}
	if len(where) == 0 {
		return people, nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, username, display_name, role, COALESCE(unit_id, ''), disabled FROM users
		WHERE `+strings.Join(where, " OR "), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	named := map[string]bool{}
	for _, id := range ids {
		named[id] = true
	}
	var unitStaff []StaffMember
	for rows.Next() {
		var p staffRow
		var username, role, unit string
		var disabled bool
		if err := rows.Scan(&p.ID, &username, &p.DisplayName, &role, &unit, &disabled); err != nil {
			return nil, nil, err
		}
		if strings.TrimSpace(p.DisplayName) == "" {
			p.DisplayName = username
		}
		p.Role = aman.Role(role)
		p.assignable = !disabled && caseStaff(p.Role)
		if candidates && p.assignable && unit == unitID {
			unitStaff = append(unitStaff, p.StaffMember)
			p.listed = true
		}
		if named[p.ID] {
			people[p.ID] = &p
		}
	}
	return people, unitStaff, rows.Err()
}

// loadUnit reads one unit; the zero Unit for none.
func loadUnit(ctx context.Context, tx *store.Tx, id string) (Unit, error) {
	if id == "" {
		return Unit{}, nil
	}
	u := Unit{ID: id}
	err := tx.QueryRowContext(ctx, `SELECT name_ar, name_en FROM units WHERE id = $1`, id).Scan(&u.NameAR, &u.NameEN)
	if errors.Is(err, sql.ErrNoRows) {
		// The foreign key makes this impossible; show the case rather than fail it over a name.
		return Unit{ID: id}, nil
	}
	return u, err
}

// sortByName orders people by the name a person reads, then by id so equal names keep one order.
func sortByName(people []StaffMember) {
	sort.SliceStable(people, func(i, j int) bool {
		if people[i].DisplayName != people[j].DisplayName {
			return people[i].DisplayName < people[j].DisplayName
		}
		return people[i].ID < people[j].ID
	})
}
