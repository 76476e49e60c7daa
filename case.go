package aman

import (
	"fmt"
	"time"
)

// CaseStatus is a stage of the case lifecycle.
type CaseStatus string

// The lifecycle: new → assessment → care plan → in progress → review → closed, and a closed case can
// be reopened.
const (
	CaseNew        CaseStatus = "new"
	CaseAssessment CaseStatus = "assessment"
	CaseCarePlan   CaseStatus = "care_plan"
	CaseInProgress CaseStatus = "in_progress"
	CaseReview     CaseStatus = "review"
	CaseClosed     CaseStatus = "closed"
)

// CaseStatuses lists the stages in lifecycle order.
func CaseStatuses() []CaseStatus {
	return []CaseStatus{CaseNew, CaseAssessment, CaseCarePlan, CaseInProgress, CaseReview, CaseClosed}
}

// Priority of a case, derived from its latest risk result and raised by supervisors.
type Priority string

const (
	PriorityNormal   Priority = "normal"
	PriorityHigh     Priority = "high"
	PriorityCritical Priority = "critical"
)

// Case is the file of one beneficiary (and linked family).
type Case struct {
	ID                 string
	Number             string
	BeneficiaryID      string
	UnitID             string
	AssignedWorkerID   string
	TeamUserIDs        []string
	Status             CaseStatus
	Priority           Priority
	OpenedAt           time.Time
	ClosedAt           time.Time
	UpdatedAt          time.Time
	AccessBasis        string
	BreakGlassExpireAt time.Time
	// RiskPriority is the priority the latest risk result derived: Priority never goes below it.
	RiskPriority Priority
	// PendingApproval is the move that waits for a supervisor, if any.
	PendingApproval ApprovalKind
}

// CaseNumber formats the human-readable number of the seq-th case opened in year: AMN-2026-000123.
func CaseNumber(year int, seq int64) string { return fmt.Sprintf("AMN-%04d-%06d", year, seq) }
