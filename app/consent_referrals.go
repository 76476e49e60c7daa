package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Consent kinds.
const (
	ConsentServices   = "services"
	ConsentSharing    = "sharing"
	ConsentStatistics = "statistics"
)

// Consent and referral error codes.
const (
	EInvalidConsentKind  = "invalid_consent_kind"
	EGuardianRequired    = "guardian_consent_required"
	EConsentRequired     = "consent_required"
	EInvalidReferralMove = "invalid_referral_status"
)

// ConsentInput is a consent as obtained from the person (and, for a child, the guardian).
type ConsentInput struct {
	Kind string
	// PartnerOrgID names the partner a sharing consent is for; sharing consent is never general.
	PartnerOrgID string
	Given        bool
	// For a child: the child's own assent, and the guardian who consented.
	ChildAssent     bool
	GuardianID      string
	GuardianConsent bool
}

// Consent is a recorded consent.
type Consent struct {
	ConsentInput
	ID          string
	ObtainedBy  string
	ObtainedAt  time.Time
	WithdrawnAt time.Time
	Child       bool
}

// Consents and referrals out of a case.
type Referrals struct {
	Deps
	Cases *Cases
}

// isChild tells whether the case's primary beneficiary is under 18 on day, from the sealed birth date
// or the estimated birth year.
func (r *Referrals) isChild(ctx context.Context, tx *store.Tx, beneficiaryID string, day time.Time) (bool, error) {
	var birth seal.Sealed
	var year sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT birth_date_sealed, birth_year FROM beneficiaries WHERE id = $1`, beneficiaryID).Scan(&birth, &year); err != nil {
		return false, err
	}
	date, err := r.Keys.Row(beneficiaryTable, beneficiaryID).Open("birth_date", birth)
	if err != nil {
		return false, err
	}
	if born, err := time.Parse(time.DateOnly, date); err == nil {
		return born.AddDate(18, 0, 0).After(day), nil
	}
	// Only a year is known: count the person as a child while they may still be under 18.
	return year.Valid && int(year.Int64)+18 > localYear(day), nil
}

// RecordConsent records a consent on a case. For a child, a consent counts only with the child's
// assent and a guardian's consent, and the guardian must be linked to the case as a guardian.
func (r *Referrals) RecordConsent(ctx context.Context, actor aman.Actor, caseID string, in ConsentInput) (Consent, error) {
	if err := authorize(actor, policy.CaseEdit); err != nil {
		return Consent{}, err
	}
	if !slices.Contains([]string{ConsentServices, ConsentSharing, ConsentStatistics}, in.Kind) {
		return Consent{}, aman.FieldError("kind", EInvalidConsentKind)
	}
	if in.Kind == ConsentSharing && in.PartnerOrgID == "" {
		return Consent{}, aman.FieldError("partner_org_id", aman.ERequired)
	}
	c := Consent{ConsentInput: in, ID: newID(), ObtainedBy: actor.UserID}
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := r.Cases.access(ctx, tx, actor, caseID, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if in.PartnerOrgID != "" {
			if ok, err := partnerExists(ctx, tx, in.PartnerOrgID); err != nil || !ok {
				return errors.Join(err, aman.FieldError("partner_org_id", aman.ENotFound))
			}
		}
		if c.Child, err = r.isChild(ctx, tx, k.BeneficiaryID, tx.Now); err != nil {
			return err
		}
		var assent, guardianConsent any
		var guardian any
		if c.Child {
			if in.Given && (!in.ChildAssent || !in.GuardianConsent || in.GuardianID == "") {
				return aman.FieldError("guardian_id", EGuardianRequired)
			}
			if in.GuardianID != "" {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_people WHERE case_id = $1 AND person_id = $2 AND role = $3`,
					caseID, in.GuardianID, PersonGuardian).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return aman.FieldError("guardian_id", EGuardianRequired)
				}
				guardian = in.GuardianID
			}
			assent, guardianConsent = in.ChildAssent, in.GuardianConsent
		}
		c.ObtainedAt = tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents (id, case_id, kind, partner_org_id, given, child_assent, guardian_id, guardian_consent, obtained_by, obtained_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, caseID, in.Kind, nullable(in.PartnerOrgID), in.Given, assent, guardian, guardianConsent,
			actor.UserID, store.Millis(tx.Now)); err != nil {
			return err
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "consent.record", Entity: "case", EntityID: caseID, BreakGlass: d.Basis == policy.BasisBreakGlass,
			Detail: map[string]string{"kind": in.Kind, "given": boolString(in.Given), "partner": in.PartnerOrgID}})
	})
	return c, err
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// sharingConsent returns the id of the latest standing consent to share the case with partner, if the
// latest sharing consent for that partner was given and not withdrawn.
func sharingConsent(ctx context.Context, tx *store.Tx, caseID, partnerID string) (string, bool, error) {
	var id string
	var given bool
	var withdrawn sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT id, given, withdrawn_at FROM consents WHERE case_id = $1 AND kind = $2 AND partner_org_id = $3
		ORDER BY obtained_at DESC, id DESC LIMIT 1`, caseID, ConsentSharing, partnerID).Scan(&id, &given, &withdrawn)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil && given && !withdrawn.Valid, err
}

// Referral statuses, followed until the partner's feedback arrives.
const (
	ReferralSent      = "sent"
	ReferralAccepted  = "accepted"
	ReferralDeclined  = "declined"
	ReferralCompleted = "completed"
)

// ReferralInput is a referral of a case to a partner.
type ReferralInput struct {
	PartnerOrgID string
	Purpose      string
	// OverrideReason lets a supervisor refer without consent to share, for a written reason.
	OverrideReason string
}

// Referral is a referral out of a case.
type Referral struct {
	ID             string
	CaseID         string
	PartnerOrgID   string
	Purpose        string
	Status         string
	Feedback       string
	ConsentID      string
	Overridden     bool
	OverrideReason string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ReferOut refers a case to a partner. It needs the person's standing consent to share with that
// partner; without it, only a supervisor may refer, by writing a reason, which is sealed and audited.
func (r *Referrals) ReferOut(ctx context.Context, actor aman.Actor, caseID string, in ReferralInput) (Referral, error) {
	if err := authorize(actor, policy.ReferralOut); err != nil {
		return Referral{}, err
	}
	if in.PartnerOrgID == "" {
		return Referral{}, aman.FieldError("partner_org_id", aman.ERequired)
	}
	ref := Referral{ID: newID(), CaseID: caseID, PartnerOrgID: in.PartnerOrgID, Purpose: strings.TrimSpace(in.Purpose), Status: ReferralSent}
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, d, err := r.Cases.access(ctx, tx, actor, caseID, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if ok, err := partnerExists(ctx, tx, in.PartnerOrgID); err != nil || !ok {
			return errors.Join(err, aman.FieldError("partner_org_id", aman.ENotFound))
		}
		consentID, consented, err := sharingConsent(ctx, tx, caseID, in.PartnerOrgID)
		if err != nil {
			return err
		}
		row := r.Keys.Row("referrals_out", ref.ID)
		var override seal.Sealed
		if !consented {
			reason := strings.TrimSpace(in.OverrideReason)
			if !policy.Allows(actor.Role, policy.CaseApprove) {
				return aman.FieldError("partner_org_id", EConsentRequired)
			}
			if utf8.RuneCountInString(reason) < MinBreakGlassReason {
				return aman.FieldError("override_reason", EReasonTooShort)
			}
			if override, err = row.Seal("override_reason", reason); err != nil {
				return err
			}
			ref.Overridden, ref.OverrideReason, consentID = true, reason, ""
		}
		ref.ConsentID = consentID
		purpose, err := row.Seal("purpose", ref.Purpose)
		if err != nil {
			return err
		}
		ref.CreatedAt, ref.UpdatedAt = tx.Now, tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO referrals_out (id, case_id, partner_org_id, purpose_sealed, consent_id, override_reason_sealed, status,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			ref.ID, caseID, in.PartnerOrgID, purpose, nullable(consentID), override, ReferralSent, actor.UserID, store.Millis(tx.Now)); err != nil {
			return err
		}
		e := audit.Entry{Action: "referral.out", Entity: "case", EntityID: caseID, BreakGlass: d.Basis == policy.BasisBreakGlass,
			Detail: map[string]string{"partner": in.PartnerOrgID, "referral": ref.ID}}
		if ref.Overridden {
			e.Action, e.Reason = "referral.out_without_consent", ref.OverrideReason
		}
		return r.record(ctx, tx, actor, e)
	})
	return ref, err
}

// UpdateReferral records a partner's answer: accepted or declined, then completed, with their
// feedback (sealed).
func (r *Referrals) UpdateReferral(ctx context.Context, actor aman.Actor, referralID, status, feedback string) error {
	if err := authorize(actor, policy.ReferralOut); err != nil {
		return err
	}
	return r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var caseID, current string
		err := tx.QueryRowContext(ctx, `SELECT case_id, status FROM referrals_out WHERE id = $1`, referralID).Scan(&caseID, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return aman.Errorf(aman.ENotFound, "no such referral")
		}
		if err != nil {
			return err
		}
		_, d, err := r.Cases.access(ctx, tx, actor, caseID, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if !slices.Contains(NextReferralStatuses(current), status) {
			return aman.FieldError("status", EInvalidReferralMove)
		}
		sealed, err := r.Keys.Row("referrals_out", referralID).Seal("feedback", strings.TrimSpace(feedback))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referrals_out SET status = $1, feedback_sealed = COALESCE($2, feedback_sealed), updated_at = $3 WHERE id = $4`,
			status, sealed, store.Millis(tx.Now), referralID); err != nil {
			return err
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "referral.update", Entity: "case", EntityID: caseID,
			Detail: map[string]string{"referral": referralID, "from": current, "to": status}})
	})
}

// ListReferrals lists a case's referrals out, newest first, for someone who may see the case.
func (r *Referrals) ListReferrals(ctx context.Context, actor aman.Actor, caseID string) ([]Referral, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var out []Referral
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, d, err := r.Cases.access(ctx, tx, actor, caseID, false)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, partner_org_id, purpose_sealed, status, feedback_sealed, COALESCE(consent_id, ''),
			override_reason_sealed, created_at, updated_at FROM referrals_out WHERE case_id = $1 ORDER BY created_at DESC, id DESC`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ref Referral
			var purpose, feedback, override seal.Sealed
			var created, updated int64
			if err := rows.Scan(&ref.ID, &ref.PartnerOrgID, &purpose, &ref.Status, &feedback, &ref.ConsentID, &override, &created, &updated); err != nil {
				return err
			}
			opener := r.Keys.Row("referrals_out", ref.ID)
			if ref.Purpose, err = opener.Open("purpose", purpose); err != nil {
				return err
			}
			if ref.Feedback, err = opener.Open("feedback", feedback); err != nil {
				return err
			}
			if ref.OverrideReason, err = opener.Open("override_reason", override); err != nil {
				return err
			}
			ref.CaseID, ref.Overridden = caseID, len(override) > 0
			ref.CreatedAt, ref.UpdatedAt = store.Time(created), store.Time(updated)
			out = append(out, ref)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "referral.list", Entity: "case", EntityID: caseID, BreakGlass: d.Basis == policy.BasisBreakGlass})
	})
	return out, err
}
