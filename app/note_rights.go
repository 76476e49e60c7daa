package app

import (
	"time"

	"aman.qa/aman"
	"aman.qa/aman/policy"
)

// NoteRights is what one reader may do on the notes of one case, as Create, Edit and Amend would
// decide, so that screens offer only what would be accepted. The use cases still decide each write.
type NoteRights struct {
	actor aman.Actor
	k     aman.Case
	now   func() time.Time
}

// Rights answers for actor on case k, as Cases.Get returned it (with the basis of access), by the
// database clock the writes are judged by.
func (n *Notes) Rights(actor aman.Actor, k aman.Case) NoteRights {
	return NoteRights{actor: actor, k: k, now: n.DB.Now}
}

// Add tells whether a note (or a document) may be added: a closed case takes none, except from a
// supervisor.
func (r NoteRights) Add() bool {
	return policy.Allows(r.actor.Role, policy.NoteWrite) && acceptsAdditions(r.actor, r.k) == nil
}

// Edit tells whether the text of note may still be changed: by its author, within NoteEditWindow.
func (r NoteRights) Edit(note Note) bool {
	return r.Add() && note.AuthorID == r.actor.UserID && withinEditWindow(note.CreatedAt, r.now())
}

// Amend tells whether an amendment may be appended to note: by its author, or by a supervisor reading
// the case on a standing tie.
func (r NoteRights) Amend(note Note) bool {
	return r.Add() && mayAmend(r.actor, r.k, note.AuthorID)
}

// withinEditWindow tells whether a note written at created may still be edited at now.
func withinEditWindow(created, now time.Time) bool { return now.Before(created.Add(NoteEditWindow)) }

// mayAmend tells whether actor may append an amendment to a note by authorID on case k: the author
// may, and so may a supervisor who reads the case on a standing tie; nobody else corrects what another
// person recorded.
func mayAmend(actor aman.Actor, k aman.Case, authorID string) bool {
	supervising := actor.Role == aman.RoleSupervisor && k.AccessBasis != policy.BasisBreakGlass
	return authorID == actor.UserID || supervising
}
