package aman

import (
	"slices"
	"time"
)

// Track is the discipline a care-plan goal belongs to.
type Track string

const (
	TrackPsychological Track = "psychological"
	TrackSocial        Track = "social"
	TrackVocational    Track = "vocational"
	TrackLegal         Track = "legal"
	TrackHealth        Track = "health"
	TrackEducation     Track = "education"
	TrackShelterSafety Track = "shelter_safety"
)

// Tracks lists the care-plan tracks in the order plans show them.
func Tracks() []Track {
	return []Track{TrackPsychological, TrackSocial, TrackVocational, TrackLegal, TrackHealth, TrackEducation, TrackShelterSafety}
}

// Valid tells whether t is one of the tracks.
func (t Track) Valid() bool { return slices.Contains(Tracks(), t) }

// GoalStatus is where a goal, or one of its interventions, stands.
type GoalStatus string

const (
	GoalPlanned    GoalStatus = "planned"
	GoalInProgress GoalStatus = "in_progress"
	GoalAchieved   GoalStatus = "achieved"
	GoalDropped    GoalStatus = "dropped"
)

// GoalStatuses lists the statuses in the order work moves through them.
func GoalStatuses() []GoalStatus {
	return []GoalStatus{GoalPlanned, GoalInProgress, GoalAchieved, GoalDropped}
}

// Valid tells whether s is one of the statuses.
func (s GoalStatus) Valid() bool { return slices.Contains(GoalStatuses(), s) }

// Goal is one goal of a case's care plan. Its description and progress notes are sealed at rest.
type Goal struct {
	ID          string
	CaseID      string
	Track       Track
	Description string
	// ResponsibleUserID is the member of staff who answers for the goal.
	ResponsibleUserID string
	// DueOn is a calendar day, at midnight in Qatar; zero when none was set.
	DueOn         time.Time
	Status        GoalStatus
	Interventions []Intervention
	ProgressNotes []ProgressNote
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Intervention is one thing done toward a goal: a session, a referral, a visit.
type Intervention struct {
	ID                string
	GoalID            string
	Description       string
	ResponsibleUserID string
	DueOn             time.Time
	Status            GoalStatus
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// ProgressNote is a dated note on how a goal is going.
type ProgressNote struct {
	ID        string
	GoalID    string
	Text      string
	CreatedBy string
	CreatedAt time.Time
}

// SafetyPlan is how a beneficiary at risk stays safe: who to call, where to go, what to keep ready. It is
// sealed at rest. Each save is a new version; the latest is the plan.
type SafetyPlan struct {
	CaseID  string
	Version int
	Text    string
	// ReviewOn is the day the plan is next reviewed, at midnight in Qatar.
	ReviewOn  time.Time
	CreatedBy string
	CreatedAt time.Time
}

// Care-plan error codes.
const (
	EInvalidTrack      = "invalid_track"
	EInvalidGoalStatus = "invalid_goal_status"
	// ENotStaff: a responsible person or provider who is not an enabled member of staff.
	ENotStaff = "not_staff"
)
