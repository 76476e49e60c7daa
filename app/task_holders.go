package app

import (
	"context"
	"strconv"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// TaskHolders lists, by name, the people a task on the case may be given to: exactly those Tasks.Create
// accepts as assignee (enabled, with a standing tie to the case: its worker, its team, the supervisors
// of its unit; policy.HoldTask). It is for someone who may see the case; staff names are not case
// content, so, as with Staff, the read adds no audit entry.
func (t *Tasks) TaskHolders(ctx context.Context, actor aman.Actor, caseID string) ([]StaffMember, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var out []StaffMember
	err := t.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := t.cases().access(ctx, tx, actor, caseID, false)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		var args []any
		var where []string
		var holders []string
		for _, id := range append([]string{k.AssignedWorkerID}, k.TeamUserIDs...) {
			if id != "" {
				args = append(args, id)
				holders = append(holders, "$"+strconv.Itoa(len(args)))
			}
		}
		if len(holders) > 0 {
			where = append(where, `id IN (`+strings.Join(holders, ", ")+`)`)
		}
		if k.UnitID != "" {
			args = append(args, string(aman.RoleSupervisor), k.UnitID)
			where = append(where, `(role = $`+strconv.Itoa(len(args)-1)+` AND unit_id = $`+strconv.Itoa(len(args))+`)`)
		}
		if len(where) == 0 {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, username, display_name, role, COALESCE(unit_id, '') FROM users
			WHERE NOT disabled AND (`+strings.Join(where, " OR ")+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m StaffMember
			var username, role, unit string
			if err := rows.Scan(&m.ID, &username, &m.DisplayName, &role, &unit); err != nil {
				return err
			}
			if strings.TrimSpace(m.DisplayName) == "" {
				m.DisplayName = username
			}
			m.Role = aman.Role(role)
			if policy.HoldTask(aman.Actor{UserID: m.ID, Role: m.Role, UnitID: unit}, facts(k)) {
				out = append(out, m)
			}
		}
		return rows.Err()
	})
	sortByName(out)
	return out, err
}
