package app_test

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
)

// notesOverPages writes, on r's case, 53 general notes by its worker and 17 psychological ones by the
// team's psychologist: a run of 12 in the middle, longer than a small page, and 5 scattered between
// general notes. Some pairs are written in the same millisecond, so the id breaks the tie. It returns
// the general notes' bodies in writing order, and a general note and a psychological one to amend.
func notesOverPages(t *testing.T, env *apptest.Env, r noteReaders) (general []string, amendOld, amendNew app.Note) {
	t.Helper()
	scattered := map[int]bool{3: true, 9: true, 40: true, 41: true, 50: true}
	for i := range 53 {
		if i == 20 {
			for j := range 12 {
				writeNote(t, env, r.psychologist, r.caseID, policy.NotePsychological, fmt.Sprintf("psychological session %d", j))
				env.Clock.Advance(time.Second)
			}
		}
		if scattered[i] {
			writeNote(t, env, r.psychologist, r.caseID, policy.NotePsychological, fmt.Sprintf("psychological remark before %d", i))
		}
		body := fmt.Sprintf("general note %02d", i)
		n := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, body)
		general = append(general, body)
		switch i {
		case 2:
			amendOld = n
		case 51:
			amendNew = n
		}
		if i%7 != 0 { // every seventh note shares its millisecond with the next
			env.Clock.Advance(time.Second)
		}
	}
	return general, amendOld, amendNew
}

// A long case is read a page at a time: the newest page first, each full of notes the reader may
// read however another discipline's notes fall between them, shown oldest first; walking the "before"
// cursors reaches every readable note exactly once; the withheld count is the whole case's on every
// page; amendments come with their notes; and each read is audited once with counts only.
func TestNotesAreReadAPageAtATime(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	general, amendOld, amendNew := notesOverPages(t, env, r)
	for _, n := range []app.Note{amendOld, amendNew} {
		if _, err := env.Notes.Amend(ctx, r.workerA, n.ID, "correction of "+n.Body); err != nil {
			t.Fatal(err)
		}
	}

	// The colleague on the team reads general notes only; the psychologist's 17 are withheld.
	const limit = 5
	var walked []string
	var cursor app.NoteCursor
	pages := 0
	for {
		got, err := env.Notes.List(ctx, r.workerB, r.caseID, app.NotePage{Before: cursor, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if got.Readable != len(general) || got.Withheld != 17 {
			t.Fatalf("page %d counts %d readable and %d withheld, want the case's %d and 17", pages, got.Readable, got.Withheld, len(general))
		}
		wantLen := limit
		if !got.HasOlder() {
			wantLen = len(general) % limit
		}
		if len(got.Notes) != wantLen {
			t.Fatalf("page %d holds %d notes, want %d", pages, len(got.Notes), wantLen)
		}
		var bodies []string
		for i, n := range got.Notes {
			if n.Kind != policy.NoteGeneral {
				t.Fatalf("page %d shows a %s note", pages, n.Kind)
			}
			if i > 0 && !before(got.Notes[i-1], n) {
				t.Fatalf("page %d is not oldest first at %d: %v then %v", pages, i, got.Notes[i-1].CreatedAt, n.CreatedAt)
			}
			switch n.ID {
			case amendOld.ID, amendNew.ID:
				if len(n.Amendments) != 1 || n.Amendments[0].Body != "correction of "+n.Body {
					t.Fatalf("%q comes with amendments %+v", n.Body, n.Amendments)
				}
			default:
				if len(n.Amendments) != 0 {
					t.Fatalf("%q comes with another note's amendments %+v", n.Body, n.Amendments)
				}
			}
			bodies = append(bodies, n.Body)
		}
		if got.HasOlder() && got.Older.ID != got.Notes[0].ID {
			t.Fatalf("page %d's cursor is not its oldest note", pages)
		}
		walked = append(bodies, walked...) // an older page goes before what was read so far
		if !got.HasOlder() {
			break
		}
		if pages > len(general) {
			t.Fatal("the walk does not end")
		}
		cursor = got.Older
	}
	if !slices.Equal(walked, general) {
		t.Fatalf("the walk read %d notes:\n%q\nwant every general note once, in writing order:\n%q", len(walked), walked, general)
	}
	if want := (len(general) + limit - 1) / limit; pages != want {
		t.Fatalf("%d pages, want %d", pages, want)
	}

	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: r.caseID, ActorID: r.workerB.UserID, Action: "note.list"})
	if err != nil || len(entries) != pages {
		t.Fatalf("%d note.list entries (%v), want one per page, %d", len(entries), err, pages)
	}
	for _, e := range entries {
		if e.Detail["withheld"] != "17" || e.Detail["readable"] != strconv.Itoa(len(general)) || e.Detail["before"] == "" || e.Detail["older"] == "" {
			t.Fatalf("audit entry %+v", e.Detail)
		}
		for key := range e.Detail {
			if !slices.Contains([]string{"count", "readable", "withheld", "before", "older", "basis"}, key) {
				t.Fatalf("the audit entry carries %q: %+v", key, e.Detail)
			}
		}
	}

	// The default page is the newest fifty; the psychologist reads both kinds and nothing is withheld.
	latest, err := env.Notes.List(ctx, r.psychologist, r.caseID, app.NotePage{})
	if err != nil || len(latest.Notes) != app.DefaultNotePage || !latest.HasOlder() || latest.Readable != 70 || latest.Withheld != 0 {
		t.Fatalf("the psychologist's first page: %d notes, older %v, %d readable, %d withheld (%v)",
			len(latest.Notes), latest.HasOlder(), latest.Readable, latest.Withheld, err)
	}
	if last := latest.Notes[len(latest.Notes)-1]; last.Body != general[len(general)-1] {
		t.Fatalf("the first page ends with %q, want the newest note", last.Body)
	}
	rest, err := env.Notes.List(ctx, r.psychologist, r.caseID, app.NotePage{Before: latest.Older})
	if err != nil || len(rest.Notes) != 20 || rest.HasOlder() || !before(rest.Notes[len(rest.Notes)-1], latest.Notes[0]) {
		t.Fatalf("the psychologist's second page: %d notes, older %v (%v)", len(rest.Notes), rest.HasOlder(), err)
	}
}

func before(a, b app.Note) bool {
	return a.CreatedAt.Before(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID
}

// A page size outside 1..MaxNotePage, and a cursor this server did not write, are refused on their
// field; a cursor carries a time and an id, and nothing the notes say.
func TestNotePageInput(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	note := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, "Zumurrud told me where the family hides")
	cursor := app.NoteCursor{At: note.CreatedAt, ID: note.ID}
	text := cursor.String()
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || !regexp.MustCompile(`^[0-9]+:[0-9a-f-]+$`).Match(raw) {
		t.Fatalf("cursor %q holds %q", text, raw)
	}
	if back, err := app.ParseNoteCursor(text); err != nil || back.ID != cursor.ID || !back.At.Equal(cursor.At) {
		t.Fatalf("the cursor reads back as %+v (%v)", back, err)
	}

	// before is the cursor as a client sends it; "" sends none.
	tests := []struct {
		name   string
		limit  int
		before string
		code   string
		field  string
	}{
		{"the default", 0, "", "", ""},
		{"one note", 1, "", "", ""},
		{"the most", app.MaxNotePage, "", "", ""},
		{"one too many", app.MaxNotePage + 1, "", app.EInvalidNoteLimit, "limit"},
		{"negative", -1, "", app.EInvalidNoteLimit, "limit"},
		{"a cursor", 0, text, "", ""},
		{"not base64", 0, "not a cursor!", app.EInvalidNoteCursor, "before"},
		{"cut short", 0, text[:8], app.EInvalidNoteCursor, "before"},
		{"a quote in the id", 0, b64("1700000000000:x'y"), app.EInvalidNoteCursor, "before"},
		{"a negative time", 0, b64("-5:abc"), app.EInvalidNoteCursor, "before"},
		{"no id", 0, b64("1700000000000:"), app.EInvalidNoteCursor, "before"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := app.NotePage{Limit: tc.limit}
			var err error
			if tc.before != "" {
				page.Before, err = app.ParseNoteCursor(tc.before)
			}
			if err == nil {
				_, err = env.Notes.List(ctx, r.workerA, r.caseID, page)
			}
			if aman.ErrorCode(err) != tc.code || aman.ErrorField(err) != tc.field {
				t.Fatalf("err = %v, want %q on %q", err, tc.code, tc.field)
			}
		})
	}
	if _, err := app.ParseNoteCursor(""); aman.ErrorCode(err) != app.EInvalidNoteCursor {
		t.Fatalf("an empty cursor: %v", err)
	}
	// A cursor at the note itself leaves nothing older.
	got, err := env.Notes.List(ctx, r.workerA, r.caseID, app.NotePage{Before: cursor})
	if err != nil || len(got.Notes) != 0 || got.HasOlder() || got.Readable != 1 {
		t.Fatalf("before the only note: %+v %v", got, err)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
