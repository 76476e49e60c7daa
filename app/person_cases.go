package app

import (
	"context"
	"sort"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// PersonPrimary is the role of a case's own beneficiary in PersonCase.Role; the other roles are those
// of AddPerson (household, guardian, perpetrator).
const PersonPrimary = "primary"

// PersonCase is one case a person is in, as the person's page lists it. For a case the actor may not
// open only Number is set: staff learn that a file exists and can ask its team, and nothing of what is
// in it — not its stage, not even whether the person is its beneficiary or its alleged perpetrator.
type PersonCase struct {
	Number string
	// MayOpen tells whether the actor may open the case (need-to-know, or a live break-glass grant).
	MayOpen bool
	// The rest is set only when MayOpen.
	ID           string
	Status       aman.CaseStatus
	Role         string
	Relationship string
	OpenedAt     time.Time
}

// ForPerson lists the cases a person is in, as primary beneficiary or in the case's people, newest
// first. Each case is judged by the same need-to-know rule as opening it. The listing is audited, with
// how many cases were shown in full and how many by number only.
func (c *Cases) ForPerson(ctx context.Context, actor aman.Actor, personID string) ([]PersonCase, error) {
	if err := authorize(actor, policy.BeneficiaryView); err != nil {
		return nil, err
	}
	var out []PersonCase
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM beneficiaries WHERE id = $1`, personID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return aman.Errorf(aman.ENotFound, "no such beneficiary")
		}
		type link struct{ caseID, role, relationship string }
		var links []link
		rows, err := tx.QueryContext(ctx, `SELECT id, '`+PersonPrimary+`', '' FROM cases WHERE beneficiary_id = $1
			UNION ALL
			SELECT case_id, role, relationship FROM case_people WHERE person_id = $1`, personID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var l link
			if err := rows.Scan(&l.caseID, &l.role, &l.relationship); err != nil {
				rows.Close()
				return err
			}
			links = append(links, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The rows are read in full before each case is judged: one connection cannot hold a result open
		// while it runs the next query.
		type judged struct {
			PersonCase
			opened time.Time
		}
		var list []judged
		hidden := 0
		for _, l := range links {
			k, d, err := c.access(ctx, tx, actor, l.caseID, false)
			if err != nil {
				return err
			}
			s := PersonCase{Number: k.Number}
			if d.Allowed {
				s.MayOpen, s.ID, s.Status, s.Role, s.Relationship, s.OpenedAt = true, k.ID, k.Status, l.role, l.relationship, k.OpenedAt
			} else {
				hidden++
			}
			list = append(list, judged{s, k.OpenedAt})
		}
		sort.SliceStable(list, func(i, j int) bool {
			if !list[i].opened.Equal(list[j].opened) {
				return list[i].opened.After(list[j].opened)
			}
			return list[i].Number > list[j].Number
		})
		for _, j := range list {
			out = append(out, j.PersonCase)
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.cases_read", Entity: "beneficiary", EntityID: personID,
			Detail: map[string]string{"shown": strconv.Itoa(len(list) - hidden), "number_only": strconv.Itoa(hidden)}})
	})
	return out, err
}
