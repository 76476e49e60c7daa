package app

import (
	"context"
	"sort"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// LineOperator is someone whose shift a supervisor may list: an account's id and names only.
type LineOperator struct {
	ID       string
	Username string
	// DisplayName is the name shown on screens; the username when the account has none.
	DisplayName string
}

// Operators lists whose shift a supervisor may choose on the shift view, by name: every enabled hotline
// operator, and anyone else who logged a call in the last ShiftWindow (an account disabled or moved to
// another role since), so no call on the line is left without its operator to choose. Staff names
// are not case content, so the listing adds no audit entry: choosing one lists calls, and that is
// audited by Shift.
func (c *Calls) Operators(ctx context.Context, actor aman.Actor) ([]LineOperator, error) {
	if err := authorize(actor, policy.CallList); err != nil {
		return nil, err
	}
	if !policy.ListCalls(actor, "") {
		return nil, aman.Errorf(aman.EForbidden, "the line's operators")
	}
	var out []LineOperator
	err := c.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, username, display_name FROM users
			WHERE (role = $1 AND NOT disabled)
			OR id IN (SELECT operator_id FROM calls WHERE status = $2 AND started_at >= $3 AND operator_id IS NOT NULL)`,
			string(aman.RoleHotlineOperator), string(aman.CallLogged), store.Millis(tx.Now.Add(-ShiftWindow)))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o LineOperator
			if err := rows.Scan(&o.ID, &o.Username, &o.DisplayName); err != nil {
				return err
			}
			if strings.TrimSpace(o.DisplayName) == "" {
				o.DisplayName = o.Username
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].DisplayName != out[j].DisplayName {
			return out[i].DisplayName < out[j].DisplayName
		}
		return out[i].Username < out[j].Username
	})
	return out, err
}
