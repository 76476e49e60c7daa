package app

import (
	"context"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// What two possibly duplicate records share, in Duplicate.Shared.
const (
	SharedQID      = "qid"
	SharedPassport = "passport"
	SharedPhone    = "phone"
	// SharedName is every name word with the same birth year, give or take one.
	SharedName = "name"
)

// Duplicate is an existing record that looks like the one under review, with what the two share, so a
// supervisor can judge whether they are one person before merging.
type Duplicate struct {
	aman.Beneficiary
	Shared []string
}

// BeneficiaryWarnings are the non-blocking doubts about a stored record, the same Create reported when
// it was entered: a QID that disagrees with the birth year or the nationality. They are worked out again
// from the record rather than stored, so they disappear once the record is put right.
func BeneficiaryWarnings(b aman.Beneficiary) []string {
	if b.QID == "" {
		return nil
	}
	q, err := aman.ParseQID(b.QID)
	if err != nil {
		return nil
	}
	return q.Warnings(birthYear(b.BirthDate), b.Nationality)
}

// Duplicates lists the records, not yet merged, that look like person id by the rule Create applies on
// entry (a shared QID, passport or phone, or the same name with the same birth year), each opened for
// the actor. A merged record has none: its survivor carries the question. The read is audited with the
// number of records shown.
func (r *Beneficiaries) Duplicates(ctx context.Context, actor aman.Actor, id string) ([]Duplicate, error) {
	if err := authorize(actor, policy.BeneficiaryView); err != nil {
		return nil, err
	}
	var out []Duplicate
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		b, err := r.scan(tx.QueryRowContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE id = $1`, id))
		if err != nil {
			return err
		}
		if b.MergedInto != "" {
			return nil
		}
		ids, err := r.possibleDuplicates(ctx, tx, b)
		if err != nil {
			return err
		}
		for _, other := range ids {
			d, err := r.scan(tx.QueryRowContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE id = $1 AND merged_into IS NULL`, other))
			if aman.ErrorCode(err) == aman.ENotFound {
				// Merged records keep their search keys, which the survivor inherited as well.
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, Duplicate{Beneficiary: d, Shared: shared(b, d)})
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.duplicates_read", Entity: "beneficiary", EntityID: id,
			Detail: map[string]string{"count": strconv.Itoa(len(out))}})
	})
	return out, err
}

// shared names what a and b have in common, identifiers first.
func shared(a, b aman.Beneficiary) []string {
	var s []string
	if a.QID != "" && a.QID == b.QID {
		s = append(s, SharedQID)
	}
	if a.Passport != "" && a.Passport == b.Passport {
		s = append(s, SharedPassport)
	}
	for _, p := range []string{a.Phone, a.AltPhone} {
		if p != "" && (p == b.Phone || p == b.AltPhone) {
			s = append(s, SharedPhone)
			break
		}
	}
	if len(s) == 0 {
		s = append(s, SharedName)
	}
	return s
}
