package app

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// Notes are case notes: what staff record about a case, by discipline. Who may read one is policy's
// (policy.ReadNote): discipline notes stay with their discipline and the supervisors. A note can be
// changed by its author for NoteEditWindow; after that, it is corrected only by appended amendments,
// so what was written and read stays on the record as it was.
type Notes struct {
	Deps
}

// Note error codes.
const (
	// ENoteEditWindowClosed: the note is older than NoteEditWindow; append an amendment instead.
	ENoteEditWindowClosed = "note_edit_window_closed"
	// ENotNoteAuthor: only the author changes a note's text.
	ENotNoteAuthor = "not_note_author"
	// ENoteAmendForbidden: amendments are the author's, or a supervisor's of the case.
	ENoteAmendForbidden = "note_amend_forbidden"
	EInvalidNoteKind    = "invalid_note_kind"
	// ECaseClosed: a closed case takes no new notes, amendments or documents, except from a supervisor,
	// who may reopen it (policy.EditCase reads a closed case as read-only on the same terms).
	ECaseClosed = "case_closed"
	// EInvalidNoteLimit: a page of notes holds 1 to MaxNotePage notes.
	EInvalidNoteLimit = "invalid_note_limit"
	// EInvalidNoteCursor: a "before" cursor that this server did not write, or that was cut short.
	EInvalidNoteCursor = "invalid_note_cursor"
)

// A case's notes are read a page at a time, newest page first, so that a case followed for years
// costs its page no more than a new one: only the page's notes are unsealed. DefaultNotePage is about
// a month of a busy case, enough to pick up the thread; MaxNotePage bounds what one request opens.
const (
	DefaultNotePage = 50
	MaxNotePage     = 200
)

// NoteEditWindow is how long after writing a note its author may still change it: long enough to fix
// a slip at the end of a shift, short enough that colleagues can rely on what they read.
const NoteEditWindow = 24 * time.Hour

// MaxNoteLength bounds a note or amendment, in characters.
const MaxNoteLength = 20000

// Note is one case note, opened for a reader allowed to see it.
type Note struct {
	ID       string
	CaseID   string
	Kind     policy.NoteKind
	AuthorID string
	Body     string
	// CreatedAt starts the edit window; EditedAt is the last change within it, zero if none.
	CreatedAt  time.Time
	EditedAt   time.Time
	Amendments []NoteAmendment
}

// EditableUntil is when the author's edit window closes.
func (n Note) EditableUntil() time.Time { return n.CreatedAt.Add(NoteEditWindow) }

// NoteAmendment is a correction appended to a note after its edit window.
type NoteAmendment struct {
	ID        string
	AuthorID  string
	Body      string
	CreatedAt time.Time
}

// CaseNotes is what a reader may see of a case's notes: one page of them.
type CaseNotes struct {
	// Notes is the page, oldest first, as a case file reads.
	Notes []Note
	// Readable and Withheld count the case's notes on every page, not this page's: the notes the
	// reader may read, and those they may not (other disciplines'). A case worker reads "3 notes are
	// restricted to another discipline" as a fact about the case, which a count that changed from page
	// to page would contradict. The number alone says that there is more to ask a colleague about;
	// nothing else about them is given.
	Readable int
	Withheld int
	// Older is where the next older page starts, the place of the oldest note shown; zero when no
	// older note is readable.
	Older NoteCursor
}

// HasOlder tells whether the reader may read notes older than this page's.
func (c CaseNotes) HasOlder() bool { return !c.Older.IsZero() }

// NotePage chooses a page of a case's notes: the Limit newest readable notes older than Before, or the
// newest of all when Before is zero. Limit 0 is DefaultNotePage.
type NotePage struct {
	Before NoteCursor
	Limit  int
}

// NoteCursor is a place in a case's notes, in their order (time written, then id): a note's time and
// id, nothing else. Its text form travels in addresses and API answers, so it holds no personal data:
// no text, kind or author.
type NoteCursor struct {
	At time.Time
	ID string
}

// IsZero tells whether c is no place at all: the newest end.
func (c NoteCursor) IsZero() bool { return c.ID == "" }

// String is the cursor as clients carry it (cursorText): opaque to them, so its form may change with
// the server.
func (c NoteCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return cursorText(c.ID, store.Millis(c.At))
}

// ParseNoteCursor reads a cursor written by String. Anything else is refused on the field "before",
// rather than read as some other place in the notes.
func ParseNoteCursor(s string) (NoteCursor, error) {
	nums, id, ok := cursorValues(s, 1)
	if !ok {
		return NoteCursor{}, aman.FieldError("before", EInvalidNoteCursor)
	}
	return NoteCursor{At: store.Time(nums[0]), ID: id}, nil
}

// NewNote is what writing a note needs.
type NewNote struct {
	Kind policy.NoteKind
	Body string
}

// Create writes a note on a case open to the actor. Under break-glass too: an emergency may need
// recording at once; the audit marks it.
func (n *Notes) Create(ctx context.Context, actor aman.Actor, caseID string, in NewNote) (Note, error) {
	if err := authorize(actor, policy.NoteWrite); err != nil {
		return Note{}, err
	}
	if !in.Kind.Valid() {
		return Note{}, aman.FieldError("kind", EInvalidNoteKind)
	}
	body, err := noteBody(in.Body)
	if err != nil {
		return Note{}, err
	}
	note := Note{ID: newID(), CaseID: caseID, Kind: in.Kind, AuthorID: actor.UserID, Body: body}
	err = n.onCaseRecords(ctx, actor, caseID, false, "note.create", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		if err := acceptsAdditions(actor, k); err != nil {
			return nil, err
		}
		sealed, err := n.Keys.Row("case_notes", note.ID).Seal("body", body)
		if err != nil {
			return nil, err
		}
		note.CreatedAt = tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_notes (id, case_id, kind, author_id, body_sealed, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, note.ID, caseID, string(note.Kind), actor.UserID, sealed, store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		return map[string]string{"note": note.ID, "kind": string(note.Kind)}, nil
	})
	if err != nil {
		return Note{}, err
	}
	return note, nil
}

// List opens one page of the notes of a case that the actor may read (see NotePage and CaseNotes),
// each with its amendments, and counts the rest. Only the page's notes are unsealed. The read is
// audited once, with the counts and whether a cursor was given, never the cursor itself.
func (n *Notes) List(ctx context.Context, actor aman.Actor, caseID string, page NotePage) (CaseNotes, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return CaseNotes{}, err
	}
	if page.Limit == 0 {
		page.Limit = DefaultNotePage
	}
	if page.Limit < 1 || page.Limit > MaxNotePage {
		return CaseNotes{}, aman.FieldError("limit", EInvalidNoteLimit)
	}
	var out CaseNotes
	err := n.onCaseRecords(ctx, actor, caseID, false, "note.list", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		decision := policy.Decision{Allowed: true, Basis: k.AccessBasis}
		readable := func(kind policy.NoteKind, authorID string) bool {
			return policy.ReadNote(actor, kind, authorID, decision)
		}
		var err error
		if out.Readable, out.Withheld, err = countNotes(ctx, tx, caseID, readable); err != nil {
			return nil, err
		}
		rows, older, err := readablePage(ctx, tx, caseID, page, readable)
		if err != nil {
			return nil, err
		}
		if older {
			oldest := rows[len(rows)-1]
			out.Older = NoteCursor{At: oldest.createdAt, ID: oldest.id}
		}
		index := map[string]int{} // note id → place in out.Notes
		ids := make([]string, 0, len(rows))
		for i := len(rows) - 1; i >= 0; i-- { // the page was read newest first; it is shown oldest first
			note, err := n.open(rows[i])
			if err != nil {
				return nil, err
			}
			index[note.ID] = len(out.Notes)
			ids = append(ids, note.ID)
			out.Notes = append(out.Notes, note)
		}
		if len(ids) > 0 {
			in, args := inList(1, padded(ids, page.Limit))
			if err := n.attachAmendments(ctx, tx, amendmentsOfNotes+in+amendmentsOrder, args, out.Notes, index); err != nil {
				return nil, err
			}
		}
		return map[string]string{"count": strconv.Itoa(len(out.Notes)), "readable": strconv.Itoa(out.Readable),
			"withheld": strconv.Itoa(out.Withheld), "before": strconv.FormatBool(!page.Before.IsZero()),
			"older": strconv.FormatBool(older)}, nil
	})
	return out, err
}

// countNotes counts a case's notes that the reader may and may not read, by policy (readable), without
// opening any: one count per kind and author, read off the case's index.
func countNotes(ctx context.Context, tx *store.Tx, caseID string, readable func(policy.NoteKind, string) bool) (allowed, withheld int, err error) {
	rows, err := tx.QueryContext(ctx, notesByKindAndAuthor, caseID)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, authorID string
		var count int
		if err := rows.Scan(&kind, &authorID, &count); err != nil {
			return 0, 0, err
		}
		if readable(policy.NoteKind(kind), authorID) {
			allowed += count
		} else {
			withheld += count
		}
	}
	return allowed, withheld, rows.Err()
}

// readablePage reads the notes of page that the reader may read, newest first, still sealed, and
// whether older readable notes follow. Another discipline's notes may sit between them, so it reads in
// batches until the page is full or the case's notes run out; one note more than the page tells
// whether older ones exist, without counting them.
func readablePage(ctx context.Context, tx *store.Tx, caseID string, page NotePage, readable func(policy.NoteKind, string) bool) ([]noteRow, bool, error) {
	want := page.Limit + 1
	var picked []noteRow
	from := page.Before
	for {
		var batch []noteRow
		var err error
		if from.IsZero() {
			batch, err = loadNoteRows(ctx, tx, newestNotes, caseID, want)
		} else {
			batch, err = loadNoteRows(ctx, tx, notesBefore, caseID, store.Millis(from.At), from.ID, want)
		}
		if err != nil {
			return nil, false, err
		}
		for _, r := range batch {
			if !readable(r.kind, r.authorID) {
				continue
			}
			if picked = append(picked, r); len(picked) == want {
				return picked[:page.Limit], true, nil
			}
		}
		if len(batch) < want {
			return picked, false, nil
		}
		last := batch[len(batch)-1]
		from = NoteCursor{At: last.createdAt, ID: last.id}
	}
}

// The queries of a batch of a page of notes. Each reads the case's index (case_id, created_at, id, …)
// backwards from where the batch starts and stops after $n rows: no sort, and nothing older than the
// batch is read. The row value comparison is a range of that index on both engines
// (TestNotePageQueriesReadTheIndexInOrder).
const (
	newestNotes = `WHERE case_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`
	notesBefore = `WHERE case_id = $1 AND (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT $4`
	// notesByKindAndAuthor is what the need-to-know policy decides on, counted: the same index covers it.
	notesByKindAndAuthor = `SELECT kind, author_id, COUNT(*) FROM case_notes WHERE case_id = $1 GROUP BY kind, author_id`
)

// padded repeats ids' last element up to n elements, so that every page of a given size runs the same
// query text (one prepared statement, not one per page length); a repeated id matches nothing more.
func padded(ids []string, n int) []string {
	for len(ids) < n {
		ids = append(ids, ids[len(ids)-1])
	}
	return ids
}

// Edit replaces a note's text. Only its author may, and only within NoteEditWindow of writing it.
func (n *Notes) Edit(ctx context.Context, actor aman.Actor, noteID, body string) (Note, error) {
	return n.writeOnNote(ctx, actor, noteID, body, "note.edit", func(ctx context.Context, tx *store.Tx, k aman.Case, r *noteRow, body string) error {
		if r.authorID != actor.UserID {
			return aman.Errorf(ENotNoteAuthor, "only the author edits a note")
		}
		if !withinEditWindow(r.createdAt, tx.Now) {
			return aman.Errorf(ENoteEditWindowClosed, "the note was written %s ago", tx.Now.Sub(r.createdAt).Round(time.Minute))
		}
		sealed, err := n.Keys.Row("case_notes", r.id).Seal("body", body)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_notes SET body_sealed = $1, edited_at = $2 WHERE id = $3`,
			sealed, store.Millis(tx.Now), r.id); err != nil {
			return err
		}
		r.body, r.editedAt = sealed, tx.Now
		return nil
	})
}

// Amend appends a correction to a note. The author may, and so may a supervisor who reads the note on a
// standing tie to the case; nobody else corrects what another person recorded. Amendments are allowed
// at any time, also within the edit window, for authors who prefer a visible correction.
func (n *Notes) Amend(ctx context.Context, actor aman.Actor, noteID, body string) (Note, error) {
	return n.writeOnNote(ctx, actor, noteID, body, "note.amend", func(ctx context.Context, tx *store.Tx, k aman.Case, r *noteRow, body string) error {
		if !mayAmend(actor, k, r.authorID) {
			return aman.Errorf(ENoteAmendForbidden, "amendments are the author's or a supervisor's")
		}
		id := newID()
		sealed, err := n.Keys.Row("note_amendments", id).Seal("body", body)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO note_amendments (id, note_id, author_id, body_sealed, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, r.id, actor.UserID, sealed, store.Millis(tx.Now))
		return err
	})
}

// writeOnNote is the frame of Edit and Amend: the role may write notes, the text is valid, the note is
// readable to the actor on a case that still takes additions; then change runs, and the note comes back
// as it now stands, with its amendments.
func (n *Notes) writeOnNote(ctx context.Context, actor aman.Actor, noteID, body, action string,
	change func(ctx context.Context, tx *store.Tx, k aman.Case, r *noteRow, body string) error) (Note, error) {
	if err := authorize(actor, policy.NoteWrite); err != nil {
		return Note{}, err
	}
	body, err := noteBody(body)
	if err != nil {
		return Note{}, err
	}
	var note Note
	err = n.onNote(ctx, actor, "", noteID, action, func(ctx context.Context, tx *store.Tx, k aman.Case, r noteRow) error {
		if err := acceptsAdditions(actor, k); err != nil {
			return err
		}
		if err := change(ctx, tx, k, &r, body); err != nil {
			return err
		}
		note, err = n.withAmendments(ctx, tx, r)
		return err
	})
	return note, err
}

// Get opens one note of case caseID, with its amendments, for a reader who may read it: the note's own
// page, where its author edits it and amendments are written. The read is audited as note.read, as a
// page of notes is as note.list; a note of another discipline is refused as forbidden and the attempt
// audited. A note of another case is not found, whatever that case is, so an address cannot be used to
// learn where a note belongs.
func (n *Notes) Get(ctx context.Context, actor aman.Actor, caseID, noteID string) (Note, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return Note{}, err
	}
	var note Note
	err := n.onNote(ctx, actor, caseID, noteID, "note.read", func(ctx context.Context, tx *store.Tx, k aman.Case, r noteRow) (err error) {
		note, err = n.withAmendments(ctx, tx, r)
		return err
	})
	return note, err
}

// onNote runs work on one note in one transaction, once the actor has passed the need-to-know decision
// on its case and may read the note itself. A note the actor may not read is refused as forbidden and
// the attempt audited, like a refused case. A caseID other than "" must be the note's case; a note of
// another case is not found.
func (n *Notes) onNote(ctx context.Context, actor aman.Actor, caseID, noteID, action string, work func(context.Context, *store.Tx, aman.Case, noteRow) error) error {
	var onCase string
	err := n.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT case_id FROM case_notes WHERE id = $1`, noteID).Scan(&onCase)
	})
	if errors.Is(err, sql.ErrNoRows) || err == nil && caseID != "" && onCase != caseID {
		return aman.Errorf(aman.ENotFound, "no such note")
	}
	if err != nil {
		return err
	}
	caseID = onCase
	return n.onCaseRecords(ctx, actor, caseID, false, action, func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		rows, err := loadNoteRows(ctx, tx, `WHERE id = $1`, noteID)
		if err != nil {
			return nil, err
		}
		if len(rows) != 1 {
			return nil, aman.Errorf(aman.ENotFound, "no such note")
		}
		r := rows[0]
		detail := map[string]string{"note": noteID, "kind": string(r.kind)}
		if !policy.ReadNote(actor, r.kind, r.authorID, policy.Decision{Allowed: true, Basis: k.AccessBasis}) {
			detail["code"] = aman.EForbidden
			if err := n.record(ctx, tx, actor, audit.Entry{Action: action + "_denied", Entity: "case", EntityID: caseID,
				BreakGlass: k.AccessBasis == policy.BasisBreakGlass, Detail: detail}); err != nil {
				return nil, err
			}
			return nil, store.CommitAndFail(aman.Errorf(aman.EForbidden, "the note is of another discipline"))
		}
		return detail, work(ctx, tx, k, r)
	})
}

// acceptsAdditions refuses new notes, amendments and documents on a closed case, except from a
// supervisor: closing is approved by one, and only one may reopen it.
func acceptsAdditions(actor aman.Actor, k aman.Case) error {
	if k.Status == aman.CaseClosed && !policy.Allows(actor.Role, policy.CaseApprove) {
		return aman.Errorf(ECaseClosed, "the case is closed")
	}
	return nil
}

func noteBody(s string) (string, error) {
	body, err := boundedText("body", s, MaxNoteLength)
	if err == nil && body == "" {
		return "", aman.FieldError("body", aman.ERequired)
	}
	return body, err
}

// noteRow is a note as stored, body still sealed.
type noteRow struct {
	id, caseID, authorID string
	kind                 policy.NoteKind
	body                 []byte
	createdAt, editedAt  time.Time
}

func loadNoteRows(ctx context.Context, tx *store.Tx, where string, args ...any) ([]noteRow, error) {
	// where is a constant of this file, never input.
	rows, err := tx.QueryContext(ctx, `SELECT id, case_id, kind, author_id, body_sealed, created_at, edited_at FROM case_notes `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []noteRow
	for rows.Next() {
		var r noteRow
		var kind string
		var created int64
		var edited sql.NullInt64
		if err := rows.Scan(&r.id, &r.caseID, &kind, &r.authorID, &r.body, &created, &edited); err != nil {
			return nil, err
		}
		r.kind, r.createdAt = policy.NoteKind(kind), store.Time(created)
		if edited.Valid {
			r.editedAt = store.Time(edited.Int64)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// open unseals a note the caller has already decided the reader may see.
func (n *Notes) open(r noteRow) (Note, error) {
	body, err := n.Keys.Row("case_notes", r.id).Open("body", r.body)
	if err != nil {
		return Note{}, err
	}
	return Note{ID: r.id, CaseID: r.caseID, Kind: r.kind, AuthorID: r.authorID, Body: body, CreatedAt: r.createdAt, EditedAt: r.editedAt}, nil
}

// withAmendments opens one note with its amendments.
func (n *Notes) withAmendments(ctx context.Context, tx *store.Tx, r noteRow) (Note, error) {
	note, err := n.open(r)
	if err != nil {
		return Note{}, err
	}
	notes := []Note{note}
	if err := n.attachAmendments(ctx, tx, amendmentsOfNote, []any{r.id}, notes, map[string]int{note.ID: 0}); err != nil {
		return Note{}, err
	}
	return notes[0], nil
}

// The two ways amendments are loaded: those of a page of notes at once (no query per note, and none of
// the case's other notes), amendmentsOfNotes + inList + amendmentsOrder; or one note's.
const (
	amendmentsOfNotes = `SELECT id, note_id, author_id, body_sealed, created_at FROM note_amendments WHERE note_id IN `
	amendmentsOrder   = ` ORDER BY created_at, id`
	amendmentsOfNote  = `SELECT id, note_id, author_id, body_sealed, created_at
		FROM note_amendments WHERE note_id = $1 ORDER BY created_at, id`
)

// attachAmendments runs one of the amendment queries and opens the amendments of the notes given (index
// maps a note id to its place in notes); any others stay sealed.
func (n *Notes) attachAmendments(ctx context.Context, tx *store.Tx, query string, args []any, notes []Note, index map[string]int) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a NoteAmendment
		var noteID string
		var sealed []byte
		var at int64
		if err := rows.Scan(&a.ID, &noteID, &a.AuthorID, &sealed, &at); err != nil {
			return err
		}
		i, ok := index[noteID]
		if !ok {
			continue
		}
		if a.Body, err = n.Keys.Row("note_amendments", a.ID).Open("body", sealed); err != nil {
			return err
		}
		a.CreatedAt = store.Time(at)
		notes[i].Amendments = append(notes[i].Amendments, a)
	}
	return rows.Err()
}
