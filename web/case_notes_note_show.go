package web

import (
	"context"
	"net/http"
	"net/url"

	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewCaseNote = "case_note"

// caseNoteView is one note on its own page, with the forms its reader may use on it: the author's edit
// within the note's edit window, and an amendment (case_notes_edit.go, case_notes_amend.go). The case
// page lists notes with a link here instead of carrying both forms for every note.
type caseNoteView struct {
	CaseID     string
	CaseNumber string
	// BreakGlass is set when the case is open on a break-glass grant: the page says so, as the case page does.
	BreakGlass bool
	Note       noteView
	// BackURL returns to the page of the case's notes the note was opened from; Query keeps that page on
	// the forms' addresses, so that a change returns there with its confirmation.
	BackURL string
	Query   string
	// EditableUntil is when the author's edit window closes.
	EditableUntil shownTime
	// Edit and Amend are nil when the reader may not use them.
	Edit  *noteTextForm
	Amend *noteTextForm
}

// noteTextForm is the text of an edit or an amendment.
type noteTextForm struct {
	Body string
	formState
}

// notePath is the page of note noteID of case caseID.
func notePath(caseID, noteID string) string {
	return casePath(caseID) + "/notes/" + url.PathEscape(noteID)
}

// showCaseNote opens one note for someone who needs to know, on the case page's terms: a colleague to
// whom the case is not open is offered break-glass, with 403; a note of another discipline is refused.
func (h *Handler) showCaseNote(w http.ResponseWriter, r *http.Request) {
	view, err := h.caseNotePage(r)
	if err != nil {
		h.showCaseRefusal(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewCaseNote, "case.note.title", view)
}

// caseNotePage loads the note named by the path, each read through app in one transaction, as the case
// page's parts are: the case (need-to-know, audited as a case read), then the note (its discipline,
// audited as a note read), then the names of its authors.
func (h *Handler) caseNotePage(r *http.Request) (view caseNoteView, err error) {
	err = h.cases.Together(r.Context(), func(ctx context.Context) error {
		view, err = h.loadCaseNotePage(r.WithContext(ctx))
		return err
	})
	return view, err
}

func (h *Handler) loadCaseNotePage(r *http.Request) (caseNoteView, error) {
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	k, err := h.cases.Get(ctx, actor, r.PathValue("id"))
	if err != nil {
		return caseNoteView{}, err
	}
	n, err := h.notes.Get(ctx, actor, k.ID, r.PathValue("noteID"))
	if err != nil {
		return caseNoteView{}, err
	}
	authors := []string{n.AuthorID}
	for _, a := range n.Amendments {
		authors = append(authors, a.AuthorID)
	}
	staff, err := h.cases.RecordStaff(ctx, actor, k.ID, authors)
	if err != nil {
		return caseNoteView{}, err
	}
	rights, query := h.notes.Rights(actor, k), notesQuery(notesPage(r).Before)
	view := caseNoteView{CaseID: k.ID, CaseNumber: k.Number, BreakGlass: k.AccessBasis == policy.BasisBreakGlass,
		Note: h.newNoteView(n, h.staffNamer(r, staff), rights, query), BackURL: casePath(k.ID) + query + "#" + anchorNotes, Query: query,
		EditableUntil: showTime(n.EditableUntil(), h.zone)}
	if view.Note.MayEdit {
		view.Edit = &noteTextForm{Body: n.Body}
	}
	if view.Note.MayAmend {
		view.Amend = &noteTextForm{}
	}
	return view, nil
}

// showCaseNoteProblem answers a refused edit or amendment. A problem with what was typed (422, 409)
// brings the note's page back with the text in the form it came from and the problem beside it: fill
// puts it there, and reports false when the page no longer offers that form (the right to use it went
// away meanwhile), in which case, as for any other refusal, the error page answers.
func (h *Handler) showCaseNoteProblem(w http.ResponseWriter, r *http.Request, cause error, fill func(view *caseNoteView, state formState) bool) {
	state, ok := h.formProblem(r, cause)
	if !ok {
		h.Errors(w, r, cause)
		return
	}
	view, err := h.caseNotePage(r)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	if !fill(&view, state) {
		h.Errors(w, r, cause)
		return
	}
	// The page is answered as the note's page itself, so that its language switch leads there and not
	// to the address of the post.
	page := r.Clone(r.Context())
	page.URL = &url.URL{Path: notePath(view.CaseID, view.Note.ID), RawQuery: r.URL.RawQuery}
	h.show(w, page, statusOf(cause), viewCaseNote, "case.note.title", view)
}
