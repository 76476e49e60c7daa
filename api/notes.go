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

// notePageOf reads the page asked for: limit (0 when not given, app's default) and before.
func notePageOf(r *http.Request) (app.NotePage, error) {
	limit, before, err := pageParams(r, app.EInvalidNoteLimit, "before", app.ParseNoteCursor)
	return app.NotePage{Before: before, Limit: limit}, err
}

// pageParams reads the optional limit and cursor of a paged list, each zero when not given. The bounds
// of limit are app's; here only what is not a whole number from 1 is refused, with app's code
// limitCode. The cursor, the query parameter named cursorName, is read by parse, which refuses what
// the server did not write.
func pageParams[C any](r *http.Request, limitCode, cursorName string, parse func(string) (C, error)) (limit int, cursor C, err error) {
	q := r.URL.Query()
	if q.Has("limit") {
		if limit, err = strconv.Atoi(q.Get("limit")); err != nil || limit < 1 {
			return 0, cursor, aman.FieldError("limit", limitCode)
		}
	}
	if q.Has(cursorName) {
		if cursor, err = parse(q.Get(cursorName)); err != nil {
			return 0, cursor, err
		}
	}
	return limit, cursor, nil
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
