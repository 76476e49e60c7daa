package app

import (
	"context"
	"database/sql"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// Consents lists the consents recorded on a case, newest first, for someone the case is open to. Which
// consents a person gave is case content, so the read is audited, and so is a refusal.
func (r *Referrals) Consents(ctx context.Context, actor aman.Actor, caseID string) ([]Consent, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var out []Consent
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		d, err := r.Cases.auditedRead(ctx, tx, actor, caseID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, COALESCE(partner_org_id, ''), given, child_assent, COALESCE(guardian_id, ''),
			guardian_consent, obtained_by, obtained_at, withdrawn_at FROM consents WHERE case_id = $1 ORDER BY obtained_at DESC, id DESC`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c Consent
			var assent, guardianConsent sql.NullBool
			var obtained int64
			var withdrawn sql.NullInt64
			if err := rows.Scan(&c.ID, &c.Kind, &c.PartnerOrgID, &c.Given, &assent, &c.GuardianID, &guardianConsent, &c.ObtainedBy,
				&obtained, &withdrawn); err != nil {
				return err
			}
			// Only a child's consent records an assent, given or not.
			c.Child, c.ChildAssent, c.GuardianConsent = assent.Valid, assent.Bool, guardianConsent.Bool
			c.ObtainedAt = store.Time(obtained)
			if withdrawn.Valid {
				c.WithdrawnAt = store.Time(withdrawn.Int64)
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "consent.list", Entity: "case", EntityID: caseID,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"count": strconv.Itoa(len(out))}})
	})
	return out, err
}
