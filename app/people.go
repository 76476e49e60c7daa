package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// looksLikePassport tells a passport number from the other things a search box receives: it mixes
// letters and digits, which names, QIDs and phones never do.
func looksLikePassport(s string) bool {
	if len(s) < 6 || len(s) > 12 {
		return false
	}
	var letters, digits bool
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			letters = true
		case r >= '0' && r <= '9':
			digits = true
		default:
			return false
		}
	}
	return letters && digits
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// possibleDuplicates finds existing people who look like b: any shared identifier (QID, passport,
// phone), or every name token shared with the same birth year. Creation goes ahead — a hotline operator
// at 3 a.m. must never be blocked — but the caller is shown the candidates, and a supervisor can merge.
func (r *Beneficiaries) possibleDuplicates(ctx context.Context, tx *store.Tx, b aman.Beneficiary) ([]string, error) {
	found := map[string]bool{}
	var ids []string
	add := func(id string) {
		if id != b.ID && !found[id] {
			found[id] = true
			ids = append(ids, id)
		}
	}
	for _, k := range r.blindKeys(b) {
		if k.kind == keyName || k.kind == keyNamePair {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT beneficiary_id FROM beneficiary_keys WHERE kind = $1 AND hash = $2 LIMIT 10`, k.kind, k.hash)
		if err != nil {
			return nil, err
		}
		if err := collect(rows, func(id string, _ int) { add(id) }); err != nil {
			return nil, err
		}
	}
	same, err := r.sameNameAndYear(ctx, tx, b)
	if err != nil {
		return nil, err
	}
	for _, id := range same {
		add(id)
	}
	return ids, nil
}

// Merge folds the duplicate record into the one kept. Nothing is lost: the duplicate stays, marked as
// merged, with its own audit history; its cases, case memberships and search keys move to the kept
// record, so both histories are found from one place. Merging is a supervisor's decision.
func (r *Beneficiaries) Merge(ctx context.Context, actor aman.Actor, keepID, duplicateID string) error {
	if err := authorize(actor, policy.BeneficiaryMerge); err != nil {
		return err
	}
	if keepID == duplicateID || keepID == "" || duplicateID == "" {
		return aman.FieldError("duplicate_id", aman.EInvalid)
	}
	return r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		for _, id := range []string{keepID, duplicateID} {
			var merged *string
			if err := tx.QueryRowContext(ctx, `SELECT merged_into FROM beneficiaries WHERE id = $1`, id).Scan(&merged); err != nil {
				return aman.Errorf(aman.ENotFound, "no such beneficiary")
			}
			if merged != nil {
				return aman.Errorf(aman.EAlreadyMerged, "already merged")
			}
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE cases SET beneficiary_id = $1 WHERE beneficiary_id = $2`, []any{keepID, duplicateID}},
			// Services follow the person, so the yearly count of beneficiaries counts a merged pair once.
			{`UPDATE service_deliveries SET beneficiary_id = $1 WHERE beneficiary_id = $2`, []any{keepID, duplicateID}},
			{`INSERT INTO case_people (case_id, person_id, role, relationship, added_at)
				SELECT case_id, $1, role, relationship, added_at FROM case_people WHERE person_id = $2 ON CONFLICT DO NOTHING`, []any{keepID, duplicateID}},
			{`DELETE FROM case_people WHERE person_id = $1`, []any{duplicateID}},
			{`INSERT INTO beneficiary_keys (kind, hash, beneficiary_id, birth_year)
				SELECT kind, hash, $1, birth_year FROM beneficiary_keys WHERE beneficiary_id = $2 ON CONFLICT DO NOTHING`, []any{keepID, duplicateID}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE beneficiaries SET merged_into = $1, updated_at = $2 WHERE id = $3`, keepID, store.Millis(tx.Now), duplicateID); err != nil {
			return err
		}
		for _, e := range []audit.Entry{
			{Action: "beneficiary.merge", Entity: "beneficiary", EntityID: keepID, Detail: map[string]string{"merged": duplicateID}},
			{Action: "beneficiary.merged_into", Entity: "beneficiary", EntityID: duplicateID, Detail: map[string]string{"kept": keepID}},
		} {
			if err := r.record(ctx, tx, actor, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// Roles a person can have in a case besides being its primary beneficiary.
const (
	PersonHousehold   = "household"
	PersonGuardian    = "guardian"
	PersonPerpetrator = "perpetrator"
)

// EInvalidPersonRole and EInvalidRelationship reject a person added to a case with an unknown role or
// relationship.
const (
	EInvalidPersonRole   = "invalid_person_role"
	EInvalidRelationship = "invalid_relationship"
)

// relationships lists, per role, the relationships to the primary beneficiary a form offers.
func relationships(role string) []string {
	switch role {
	case PersonPerpetrator:
		return []string{"husband", "former_husband", "father", "mother", "brother", "other_relative", "employer_sponsor", "other"}
	case PersonGuardian:
		return []string{"mother", "father", "grandparent", "sibling", "other_relative", "legal_guardian", "other"}
	case PersonHousehold:
		return []string{"spouse", "former_spouse", "child", "mother", "father", "sibling", "grandparent", "other_relative", "other"}
	}
	return nil
}

// CasePerson is someone in a case, with their role and relationship.
type CasePerson struct {
	aman.Beneficiary
	Role         string
	Relationship string
}

// AddPerson links a registered person to a case as a household member, guardian or alleged
// perpetrator.
func (c *Cases) AddPerson(ctx context.Context, actor aman.Actor, caseID, personID, role, relationship string) error {
	if err := authorize(actor, policy.CaseEdit); err != nil {
		return err
	}
	allowed := relationships(role)
	if allowed == nil {
		return aman.FieldError("role", EInvalidPersonRole)
	}
	relationship = strings.ToLower(strings.TrimFunc(relationship, unicode.IsSpace))
	if !slices.Contains(allowed, relationship) {
		return aman.FieldError("relationship", EInvalidRelationship)
	}
	return c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, caseID, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if personID == k.BeneficiaryID {
			return aman.FieldError("person_id", aman.EConflict)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM beneficiaries WHERE id = $1 AND merged_into IS NULL`, personID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return aman.FieldError("person_id", aman.ENotFound)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_people (case_id, person_id, role, relationship, added_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (case_id, person_id, role) DO UPDATE SET relationship = excluded.relationship`,
			caseID, personID, role, relationship, store.Millis(tx.Now)); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.person_add", Entity: "case", EntityID: caseID,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"person": personID, "role": role, "relationship": relationship}})
	})
}

// People lists everyone in a case, the primary beneficiary first, opened for someone who may see the
// case. The read is audited.
func (c *Cases) People(ctx context.Context, actor aman.Actor, caseID string, registry *Beneficiaries) ([]CasePerson, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var people []CasePerson
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := c.access(ctx, tx, actor, caseID, false)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+prefixed("p.", beneficiaryColumns)+`, 'primary', ''
			FROM beneficiaries p WHERE p.id = $1
			UNION ALL
			SELECT `+prefixed("p.", beneficiaryColumns)+`, cp.role, cp.relationship
			FROM case_people cp JOIN beneficiaries p ON p.id = cp.person_id WHERE cp.case_id = $2`, k.BeneficiaryID, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cp CasePerson
			b, err := registry.scan(scannerWithTail{rows, []any{&cp.Role, &cp.Relationship}})
			if err != nil {
				return err
			}
			cp.Beneficiary = b
			people = append(people, cp)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "case.people_read", Entity: "case", EntityID: caseID,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"count": strconv.Itoa(len(people))}})
	})
	return people, err
}

// scannerWithTail scans a beneficiary row followed by extra columns.
type scannerWithTail struct {
	rows interface{ Scan(...any) error }
	tail []any
}

func (s scannerWithTail) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.tail...)...) }

func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
