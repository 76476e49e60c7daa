package web

import (
	"net/http"
	"sort"
	"time"

	"aman.qa/aman"
)

// timelineSection is the case's timeline: every event of its lifecycle (Cases.History) and the records
// added to it that the reader may see (tasks, notes, documents, consents, referrals), oldest first.
type timelineSection struct {
	Events []timelineEvent
	// NotesPartial says that the notes' events are those of the page of notes shown, not all of the
	// case's: the notes are read a page at a time, and listing every note's event here would bring
	// back the growth with the case's age that the paging removed.
	NotesPartial bool
}

// timelineEvent is one line of the timeline. LabelKey says what happened; the rest is set when it
// applies: the stages or priorities it moved between, the closure it asked for, the text it names (a
// task's title, a document's title) and the comment written with it.
type timelineEvent struct {
	LabelKey       string
	By             string
	At             shownTime
	From, To       aman.CaseStatus
	FromPriority   aman.Priority
	ToPriority     aman.Priority
	Approval       aman.ApprovalKind
	ClosureReason  aman.ClosureReason
	ClosureOutcome aman.ClosureOutcome
	// Subject is what the event is about, as written by staff (a task's title); SubjectKey names it
	// from the catalog instead (a note's kind, a scheduled task).
	Subject    string
	SubjectKey string
	Comment    string
	at         time.Time
}

// newTimelineSection merges the history with the records' own times.
func (h *Handler) newTimelineSection(r *http.Request, d caseRecords, names func(string) string) *timelineSection {
	var events []timelineEvent
	add := func(e timelineEvent, by string, at time.Time) {
		e.By, e.At, e.at = names(by), showTime(at, h.zone), at
		events = append(events, e)
	}
	for _, e := range d.history {
		add(timelineEvent{LabelKey: "case.event." + string(e.Kind), From: e.FromStatus, To: e.ToStatus, FromPriority: e.FromPriority,
			ToPriority: e.ToPriority, Approval: e.Approval, ClosureReason: e.ClosureReason, ClosureOutcome: e.ClosureOutcome, Comment: e.Comment},
			e.ActorID, e.At)
	}
	for _, t := range d.tasks {
		subject, subjectKey := taskTitle(t)
		add(timelineEvent{LabelKey: "case.timeline.task_added", Subject: subject, SubjectKey: subjectKey}, t.CreatedBy, t.CreatedAt)
		if t.Status == aman.TaskDone && !t.DoneAt.IsZero() {
			// Who marked it done is not read back; the assignee usually did, and the audit knows.
			add(timelineEvent{LabelKey: "case.timeline.task_done", Subject: subject, SubjectKey: subjectKey}, t.AssigneeID, t.DoneAt)
		}
	}
	for _, n := range d.notes.Notes {
		add(timelineEvent{LabelKey: "case.timeline.note_added", SubjectKey: "case.note.kind." + string(n.Kind)}, n.AuthorID, n.CreatedAt)
		for _, a := range n.Amendments {
			add(timelineEvent{LabelKey: "case.timeline.note_amended", SubjectKey: "case.note.kind." + string(n.Kind)}, a.AuthorID, a.CreatedAt)
		}
	}
	for _, doc := range d.documents {
		add(timelineEvent{LabelKey: "case.timeline.document_added", Subject: documentTitle(doc.Title, doc.Filename)}, doc.UploadedBy, doc.UploadedAt)
	}
	for _, c := range d.consents {
		add(timelineEvent{LabelKey: "case.timeline.consent_recorded", SubjectKey: "case.consent.kind." + c.Kind}, c.ObtainedBy, c.ObtainedAt)
	}
	partners := partnerNames(r, d.partners)
	for _, ref := range d.referrals {
		add(timelineEvent{LabelKey: "case.timeline.referral_sent", Subject: partners[ref.PartnerOrgID]}, "", ref.CreatedAt)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
	return &timelineSection{Events: events, NotesPartial: len(d.notes.Notes) < d.notes.Readable}
}
