package api

import (
	"net/http"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/policy"
)

type noteAmendmentOut struct {
	ID        string `json:"id"`
	AuthorID  string `json:"author_id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
}

type noteOut struct {
	ID            string             `json:"id"`
	CaseID        string             `json:"case_id"`
	Kind          string             `json:"kind"`
	AuthorID      string             `json:"author_id"`
	Body          string             `json:"body"`
	CreatedAt     string             `json:"created_at"`
	EditedAt      string             `json:"edited_at,omitempty"`
	EditableUntil string             `json:"editable_until"`
	Amendments    []noteAmendmentOut `json:"amendments"`
}

func noteJSON(n app.Note) noteOut {
	out := noteOut{ID: n.ID, CaseID: n.CaseID, Kind: string(n.Kind), AuthorID: n.AuthorID, Body: n.Body,
		CreatedAt: n.CreatedAt.Format(timeFormat), EditableUntil: n.EditableUntil().Format(timeFormat), Amendments: []noteAmendmentOut{}}
	if !n.EditedAt.IsZero() {
		out.EditedAt = n.EditedAt.Format(timeFormat)
	}
	for _, a := range n.Amendments {
		out.Amendments = append(out.Amendments, noteAmendmentOut{ID: a.ID, AuthorID: a.AuthorID, Body: a.Body, CreatedAt: a.CreatedAt.Format(timeFormat)})
	}
	return out
}

// createNote is POST /api/v1/cases/{id}/notes {"kind","body"}: 201 with the note.
func (h *Handler) createNote(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Kind string `json:"kind"`
		Body string `json:"body"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	n, err := h.notes.Create(r.Context(), actor, r.PathValue("id"), app.NewNote{Kind: policy.NoteKind(body.Kind), Body: body.Body})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, noteJSON(n))
}

// listNotes is GET /api/v1/cases/{id}/notes[?before=CURSOR][&limit=N]: a page of the notes the caller
// may read (the newest limit, 50 by default, older than before), oldest first; how many the case holds
// that the caller may and may not read; and next_before, the cursor of the next older page, or null.
func (h *Handler) listNotes(w http.ResponseWriter, r *http.Request) {
	page, err := notePageOf(r)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	actor := actorOf(r)
	list, err := h.notes.List(r.Context(), actor, r.PathValue("id"), page)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	out := struct {
		Items      []noteOut `json:"items"`
		Withheld   int       `json:"withheld"`
		Readable   int       `json:"readable"`
		NextBefore *string   `json:"next_before"`
	}{Items: []noteOut{}, Withheld: list.Withheld, Readable: list.Readable}
	for _, n := range list.Notes {
		out.Items = append(out.Items, noteJSON(n))
	}
	if list.HasOlder() {
		next := list.Older.String()
		out.NextBefore = &next
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// notePageOf reads the page asked for. The bounds of limit are app's; here only what is not a number
// is refused, with the same code.
func notePageOf(r *http.Request) (app.NotePage, error) {
	var page app.NotePage
	q := r.URL.Query()
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 {
			return page, aman.FieldError("limit", app.EInvalidNoteLimit)
		}
		page.Limit = n
	}
	if q.Has("before") {
		before, err := app.ParseNoteCursor(q.Get("before"))
		if err != nil {
			return page, err
		}
		page.Before = before
	}
	return page, nil
}

// noteText is the body of an edit or an amendment.
type noteText struct {
	Body string `json:"body"`
}

// editNote is PATCH /api/v1/notes/{id} {"body"}: the author, within 24 hours; 200 with the note.
func (h *Handler) editNote(w http.ResponseWriter, r *http.Request) {
	var body noteText
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	n, err := h.notes.Edit(r.Context(), actor, r.PathValue("id"), body.Body)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, noteJSON(n))
}

// amendNote is POST /api/v1/notes/{id}/amendments {"body"}: 201 with the note and all its amendments.
func (h *Handler) amendNote(w http.ResponseWriter, r *http.Request) {
	var body noteText
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	n, err := h.notes.Amend(r.Context(), actor, r.PathValue("id"), body.Body)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, noteJSON(n))
}
