package web

import (
	"net/http"
	"net/url"

	"aman.qa/aman/app"
)

// Earlier notes. The case page shows the newest page of its notes (app.Notes.List); the "earlier notes"
// link opens the case page again with ?notes_before=<cursor>, the next older page in the notes section
// and every other section as it was. A plain GET link works without script and can be bookmarked; the
// cursor holds a note's time and id only (app.NoteCursor), so the address carries no personal data.
//
// A note's link to its own page (case_notes_note_show.go) carries the same parameter, and the forms
// there post with it, so that the confirmation after an edit or an amendment returns to the page of
// notes the note was opened from.

// paramNotesBefore names the cursor in the case page's address; "before" alone would not say which of
// the page's sections it pages.
const paramNotesBefore = "notes_before"

// notesPage is the page of notes the request asks for. A cursor is only ever written by the earlier
// notes link; one that does not parse shows the newest notes rather than failing a page the person did
// not type.
func notesPage(r *http.Request) app.NotePage {
	before, err := app.ParseNoteCursor(r.URL.Query().Get(paramNotesBefore))
	if err != nil {
		return app.NotePage{}
	}
	return app.NotePage{Before: before}
}

// notesQuery is the query string that keeps the page of notes starting before before: "" for the
// newest page.
func notesQuery(before app.NoteCursor) string {
	if before.IsZero() {
		return ""
	}
	return "?" + url.Values{paramNotesBefore: {before.String()}}.Encode()
}

// earlierNotesURL opens the page of case caseID's notes older than older, at the notes section.
func earlierNotesURL(caseID string, older app.NoteCursor) string {
	return casePath(caseID) + notesQuery(older) + "#" + anchorNotes
}

// latestNotesURL returns to the case's newest notes.
func latestNotesURL(caseID string) string { return casePath(caseID) + "#" + anchorNotes }

// redirectToCaseNotes ends a successful edit or amendment: 303 to the page of notes the note was
// opened from, with its confirmation. (A new note goes to the newest page, where it is:
// redirectToCase.)
func redirectToCaseNotes(w http.ResponseWriter, r *http.Request, done string) {
	before := notesPage(r).Before
	if before.IsZero() {
		redirectToCase(w, r, done)
		return
	}
	http.Redirect(w, r, casePath(r.PathValue("id"))+notesQuery(before)+"&done="+done, http.StatusSeeOther)
}
