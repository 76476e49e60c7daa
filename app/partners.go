package app

import (
	"context"
	"slices"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// PartnerOrg is an official or civil body the centre works with.
type PartnerOrg struct {
	ID     string
	NameAR string
	NameEN string
	Kind   string
	Active bool
}

// PartnerKinds are the kinds of partner organisation.
func PartnerKinds() []string {
	return []string{"hospital", "health_centre", "public_prosecution", "police", "court", "school", "university", "ministry", "ngo", "international", "other"}
}

// EInvalidPartnerKind rejects an unknown kind of partner.
const EInvalidPartnerKind = "invalid_partner_kind"

// Partners is the directory of partner organisations.
type Partners struct {
	Deps
}

// Create adds a partner organisation.
func (p *Partners) Create(ctx context.Context, actor aman.Actor, org PartnerOrg) (PartnerOrg, error) {
	if err := authorize(actor, policy.PartnerManage); err != nil {
		return PartnerOrg{}, err
	}
	org.NameAR, org.NameEN, org.Kind = strings.TrimSpace(org.NameAR), strings.TrimSpace(org.NameEN), strings.TrimSpace(org.Kind)
	switch {
	case org.NameAR == "":
		return org, aman.FieldError("name_ar", aman.ERequired)
	case org.NameEN == "":
		return org, aman.FieldError("name_en", aman.ERequired)
	case !slices.Contains(PartnerKinds(), org.Kind):
		return org, aman.FieldError("kind", EInvalidPartnerKind)
	}
	org.ID, org.Active = newID(), true
	err := p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO partner_orgs (id, name_ar, name_en, kind, active, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			org.ID, org.NameAR, org.NameEN, org.Kind, true, store.Millis(tx.Now)); err != nil {
			return err
		}
		return p.record(ctx, tx, actor, audit.Entry{Action: "partner.create", Entity: "partner", EntityID: org.ID})
	})
	return org, err
}

// List returns the active partner organisations by Arabic name. Their names are public facts, so any
// signed-in staff member may read them (an administrator needs them to create partner accounts).
func (p *Partners) List(ctx context.Context, actor aman.Actor) ([]PartnerOrg, error) {
	if err := authorize(actor, policy.SessionSelf); err != nil {
		return nil, err
	}
	var orgs []PartnerOrg
	err := p.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name_ar, name_en, kind, active FROM partner_orgs WHERE active ORDER BY name_ar`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o PartnerOrg
			if err := rows.Scan(&o.ID, &o.NameAR, &o.NameEN, &o.Kind, &o.Active); err != nil {
				return err
			}
			orgs = append(orgs, o)
		}
		return rows.Err()
	})
	return orgs, err
}

func partnerExists(ctx context.Context, tx *store.Tx, id string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM partner_orgs WHERE id = $1 AND active`, id).Scan(&n)
	return n > 0, err
}
