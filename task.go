package aman

import (
	"slices"
	"time"
)

// TaskStatus is where a task stands.
type TaskStatus string

const (
	TaskOpen TaskStatus = "open"
	TaskDone TaskStatus = "done"
	// TaskCancelled is set by the system only: reopening a case cancels the follow-ups its closure
	// scheduled, since the case is being worked again.
	TaskCancelled TaskStatus = "cancelled"
)

// Valid tells whether s is a status a person may set (open or done).
func (s TaskStatus) Valid() bool { return s == TaskOpen || s == TaskDone }

// TaskKind tells a task a person wrote from one the system scheduled. Scheduled tasks carry no title:
// screens name them from the catalog, in the reader's language.
type TaskKind string

const (
	TaskCustom             TaskKind = "custom"
	TaskClosureFollowUp3Mo TaskKind = "closure_follow_up_3m"
	TaskClosureFollowUp6Mo TaskKind = "closure_follow_up_6m"
)

// ClosureFollowUp is a follow-up a closure schedules: a check that the person is still safe, some
// months after the case closed.
type ClosureFollowUp struct {
	Kind   TaskKind
	Months int
}

// ClosureFollowUps are the follow-ups every closure schedules: at three and at six months.
func ClosureFollowUps() []ClosureFollowUp {
	return []ClosureFollowUp{{TaskClosureFollowUp3Mo, 3}, {TaskClosureFollowUp6Mo, 6}}
}

// IsClosureFollowUp tells whether k is scheduled by a closure.
func (k TaskKind) IsClosureFollowUp() bool {
	return slices.ContainsFunc(ClosureFollowUps(), func(f ClosureFollowUp) bool { return f.Kind == k })
}

// MaxTaskTitle bounds a task's title, in characters: a line on a dashboard, not a note.
const MaxTaskTitle = 200

// Task is a piece of work on a case, with a due day and one assignee. The title is sealed at rest.
type Task struct {
	ID         string
	CaseID     string
	CaseNumber string
	Kind       TaskKind
	// Title is empty for scheduled kinds.
	Title string
	// DueOn is a calendar day, at midnight in Qatar. The task is due from the start of that day and
	// overdue once the day has ended.
	DueOn      time.Time
	AssigneeID string
	Status     TaskStatus
	// Overdue is computed when the task is read: open, and its due day is over.
	Overdue   bool
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	DoneAt    time.Time
}
