package app

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
	"aman.qa/aman/textnorm"
)

// caseRecordWork is the body of a use case on the records of one case (incidents, assessments, plans,
// deliveries). It returns the non-personal facts its audit entry carries, such as the id of what it
// wrote.
type caseRecordWork func(ctx context.Context, tx *store.Tx, k aman.Case) (detail map[string]string, err error)

// onCaseRecords runs work in one write transaction once actor has passed the need-to-know decision on
// the case, to read it or (with edit) to change it, and audits the outcome as action: a refusal as
// action+"_denied", committed even though the caller gets the refusal, because an auditor must see who
// tried to open what; reads are written too, since they open protected data.
func (d Deps) onCaseRecords(ctx context.Context, actor aman.Actor, caseID string, edit bool, action string, work caseRecordWork) error {
	gate := policy.CaseView
	if edit {
		gate = policy.CaseEdit
	}
	if err := authorize(actor, gate); err != nil {
		return err
	}
	return d.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, decision, err := (&Cases{Deps: d}).access(ctx, tx, actor, caseID, edit)
		if err != nil {
			return err
		}
		if !decision.Allowed {
			if err := d.record(ctx, tx, actor, audit.Entry{Action: action + "_denied", Entity: "case", EntityID: caseID,
				Detail: map[string]string{"code": decision.Code}}); err != nil {
				return err
			}
			return store.CommitAndFail(decision.Err())
		}
		detail, err := work(ctx, tx, k)
		if err != nil {
			return err
		}
		if detail == nil {
			detail = map[string]string{}
		}
		detail["basis"] = decision.Basis
		return d.record(ctx, tx, actor, audit.Entry{Action: action, Entity: "case", EntityID: caseID,
			BreakGlass: decision.Basis == policy.BasisBreakGlass, Detail: detail})
	})
}

// parseQatarDay reads a calendar day typed as YYYY-MM-DD (Arabic-Indic digits too) as midnight in
// Qatar, the form days are stored in. Empty is the zero time: no day given.
func parseQatarDay(field, s string) (time.Time, error) {
	s = textnorm.FoldDigits(strings.TrimSpace(s))
	if s == "" {
		return time.Time{}, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, s, qatar)
	if err != nil {
		return time.Time{}, aman.FieldError(field, aman.EInvalidDate)
	}
	return day, nil
}

// dayFrom reads a stored day (store.NullMillis of a parseQatarDay) back in Qatar time; NULL is the zero
// time.
func dayFrom(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return store.Time(ms.Int64).In(qatar)
}

// checkStaffMember makes sure userID names an enabled account whose role works on cases, so a goal or a
// delivery is never put on someone who cannot see it or has left.
func checkStaffMember(ctx context.Context, tx *store.Tx, field, userID string) error {
	u, err := loadUserBy(ctx, tx, byID, userID)
	if aman.ErrorCode(err) == aman.ENotFound || err == nil && (u.Disabled || !policy.Allows(u.Role, policy.CaseView)) {
		return aman.FieldError(field, aman.ENotStaff)
	}
	return err
}

// boundedText trims free text and refuses more than limit characters.
func boundedText(field, s string, limit int) (string, error) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > limit {
		return "", aman.FieldError(field, aman.ETextTooLong)
	}
	return s, nil
}
