package app

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/textnorm"
)

// SocialServices are the catalogue of social services and the records of their delivery, from which
// the yearly count of social-service beneficiaries is made.
type SocialServices struct {
	Deps
}

// maxOrgName bounds a partner organisation's name, in characters.
const maxOrgName = 200

// Catalogue lists every service, active first in catalogue order, then the retired ones a record may
// still name.
func (s *SocialServices) Catalogue(ctx context.Context, actor aman.Actor) ([]aman.Service, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var out []aman.Service
	err := s.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT code, name_ar, name_en, active FROM service_catalogue ORDER BY active DESC, position, code`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var svc aman.Service
			if err := rows.Scan(&svc.Code, &svc.NameAR, &svc.NameEN, &svc.Active); err != nil {
				return err
			}
			out = append(out, svc)
		}
		return rows.Err()
	})
	return out, err
}

// DeliveryInput is one service delivery as typed or posted.
type DeliveryInput struct {
	ServiceCode string
	// BeneficiaryID defaults to the case's beneficiary.
	BeneficiaryID string
	// DeliveredAt is an RFC 3339 instant.
	DeliveredAt string
	// Exactly one of ProviderUserID (a member of staff) and ProviderOrg (a partner organisation's name).
	ProviderUserID string
	ProviderOrg    string
	Outcome        string
	Note           string
}

// RecordDelivery records a service delivered (or attempted) to the beneficiary of a case.
func (s *SocialServices) RecordDelivery(ctx context.Context, actor aman.Actor, caseID string, in DeliveryInput) (aman.ServiceDelivery, error) {
	d := aman.ServiceDelivery{ID: newID(), CaseID: caseID, ServiceCode: strings.TrimSpace(in.ServiceCode), Outcome: aman.ServiceOutcome(in.Outcome),
		ProviderUserID: strings.TrimSpace(in.ProviderUserID), CreatedBy: actor.UserID}
	if d.ServiceCode == "" {
		return d, aman.FieldError("service", aman.ERequired)
	}
	at := textnorm.FoldDigits(strings.TrimSpace(in.DeliveredAt))
	if at == "" {
		return d, aman.FieldError("delivered_at", aman.ERequired)
	}
	when, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return d, aman.FieldError("delivered_at", aman.EInvalidDate)
	}
	d.DeliveredAt = when.UTC().Truncate(time.Millisecond)
	if d.DeliveredAt.After(s.DB.Now()) {
		return d, aman.FieldError("delivered_at", aman.EDateInFuture)
	}
	if in.Outcome == "" {
		return d, aman.FieldError("outcome", aman.ERequired)
	}
	if !d.Outcome.Valid() {
		return d, aman.FieldError("outcome", aman.EInvalidOutcome)
	}
	if d.ProviderOrg, err = boundedText("provider_org", strings.Join(strings.Fields(in.ProviderOrg), " "), maxOrgName); err != nil {
		return d, err
	}
	if (d.ProviderUserID == "") == (d.ProviderOrg == "") {
		return d, aman.FieldError("provider", aman.EOneProvider)
	}
	if d.Note, err = boundedText("note", in.Note, maxPlanText); err != nil {
		return d, err
	}
	note, err := s.Keys.Row("service_deliveries", d.ID).Seal("note", d.Note)
	if err != nil {
		return d, err
	}
	err = s.onCaseRecords(ctx, actor, caseID, true, "service_delivery.create", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		d.BeneficiaryID = strings.TrimSpace(in.BeneficiaryID)
		if d.BeneficiaryID == "" {
			d.BeneficiaryID = k.BeneficiaryID
		}
		if d.BeneficiaryID != k.BeneficiaryID {
			// A household member or a child's guardian may be served too; an alleged perpetrator is in
			// the case but is not the centre's beneficiary.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_people WHERE case_id = $1 AND person_id = $2 AND role <> $3`,
				caseID, d.BeneficiaryID, PersonPerpetrator).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, aman.FieldError("beneficiary_id", aman.ENotOnCase)
			}
		}
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active FROM service_catalogue WHERE code = $1`, d.ServiceCode).Scan(&active)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !active {
			return nil, aman.FieldError("service", aman.EUnknownService)
		}
		if err != nil {
			return nil, err
		}
		if d.ProviderUserID != "" {
			if err := checkStaffMember(ctx, tx, "provider_user_id", d.ProviderUserID); err != nil {
				return nil, err
			}
		}
		d.CreatedAt = tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO service_deliveries (id, case_id, beneficiary_id, service_code, delivered_at, provider_user_id,
			provider_org, outcome, note_sealed, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			d.ID, caseID, d.BeneficiaryID, d.ServiceCode, store.Millis(d.DeliveredAt), nullable(d.ProviderUserID), nullable(d.ProviderOrg),
			string(d.Outcome), note, actor.UserID, store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		return map[string]string{"service_delivery": d.ID, "service": d.ServiceCode, "outcome": string(d.Outcome)}, nil
	})
	return d, err
}

// Deliveries lists a case's service deliveries, most recent first, notes opened. The read is audited.
func (s *SocialServices) Deliveries(ctx context.Context, actor aman.Actor, caseID string) ([]aman.ServiceDelivery, error) {
	var out []aman.ServiceDelivery
	err := s.onCaseRecords(ctx, actor, caseID, false, "service_delivery.list", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		rows, err := tx.QueryContext(ctx, `SELECT id, beneficiary_id, service_code, delivered_at, provider_user_id, provider_org, outcome, note_sealed,
			created_by, created_at FROM service_deliveries WHERE case_id = $1 ORDER BY delivered_at DESC, id DESC`, caseID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			d := aman.ServiceDelivery{CaseID: caseID}
			var delivered, created int64
			var provider, org sql.NullString
			var outcome string
			var note seal.Sealed
			if err := rows.Scan(&d.ID, &d.BeneficiaryID, &d.ServiceCode, &delivered, &provider, &org, &outcome, &note, &d.CreatedBy, &created); err != nil {
				return nil, err
			}
			d.DeliveredAt, d.CreatedAt, d.ProviderUserID, d.ProviderOrg, d.Outcome = store.Time(delivered), store.Time(created), provider.String, org.String, aman.ServiceOutcome(outcome)
			if d.Note, err = s.Keys.Row("service_deliveries", d.ID).Open("note", note); err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return map[string]string{"count": strconv.Itoa(len(out))}, rows.Err()
	})
	return out, err
}

// BeneficiariesServed is the yearly figure "social-service beneficiaries", defined here and in
// docs/case-management.md:
//
//	the number of distinct beneficiaries with at least one service delivery record whose outcome is
//	delivered or partially, and whose delivery instant falls within the calendar year in Qatar time
//	(from 1 January 00:00 to 31 December 24:00, UTC+3).
//
// So a person served ten times counts once; a person served in two years counts in each; a delivery
// recorded as not_delivered counts for no one; a delivery at 23:30 on 31 December in Doha belongs to
// that year although it is already 1 January nowhere. It is an aggregate that identifies no one, for
// those who may view statistics.
func (s *SocialServices) BeneficiariesServed(ctx context.Context, actor aman.Actor, year int) (int, error) {
	if err := authorize(actor, policy.StatsView); err != nil {
		return 0, err
	}
	if year < 2000 || year > 9999 {
		return 0, aman.FieldError("year", aman.EInvalid)
	}
	from, to := time.Date(year, time.January, 1, 0, 0, 0, 0, qatar), time.Date(year+1, time.January, 1, 0, 0, 0, 0, qatar)
	// Which outcomes count is the domain's rule (ServiceOutcome.Reached); the query only applies it.
	args, holders := []any{store.Millis(from), store.Millis(to)}, []string{}
	for _, o := range aman.ServiceOutcomes() {
		if o.Reached() {
			args = append(args, string(o))
			holders = append(holders, "$"+strconv.Itoa(len(args)))
		}
	}
	var n int
	err := s.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT beneficiary_id) FROM service_deliveries
			WHERE delivered_at >= $1 AND delivered_at < $2 AND outcome IN (`+strings.Join(holders, ", ")+`)`, args...).Scan(&n)
	})
	return n, err
}
