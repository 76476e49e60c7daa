package app_test

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
)

// One note is opened on its own page on the same terms as the case's list of notes: need-to-know on
// the case, then the note's discipline; each read, and each refusal, is audited against the case with
// the note's id and kind, never its text. A note asked for under another case is not found.
func TestNoteIsOpenedAloneOnTheListsTerms(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	general := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, "Met the mother at the shelter.")
	private := writeNote(t, env, r.psychologist, r.caseID, policy.NotePsychological, "Session one: sleep and fear.")
	if _, err := env.Notes.Amend(ctx, r.workerA, general.ID, "Correction: at the school."); err != nil {
		t.Fatal(err)
	}
	other := openCase(t, env, r.workerA)

	tests := []struct {
		name   string
		reader aman.Actor
		caseID string
		note   app.Note
		code   string
		action string // the audit entry the read leaves, "" for none
	}{
		{"the author", r.workerA, r.caseID, general, "", "note.read"},
		{"a colleague on the team", r.workerB, r.caseID, general, "", "note.read"},
		{"the psychologist, their own note", r.psychologist, r.caseID, private, "", "note.read"},
		{"a colleague, a psychological note", r.workerB, r.caseID, private, aman.EForbidden, "note.read_denied"},
		{"a stranger to the case", r.strangerPsychologistNoGrant, r.caseID, general, policy.EBreakGlassRequired, "note.read_denied"},
		{"the administrator", r.admin, r.caseID, general, aman.EForbidden, ""},
		{"the note under another case", r.workerA, other.ID, general, aman.ENotFound, ""},
		{"no such note", r.workerA, r.caseID, app.Note{ID: "no-such-note"}, aman.ENotFound, ""},
	}
	// reads lists the note reads and refusals audited for who after the entry numbered since.
	reads := func(who aman.Actor, since int64) (out []audit.Entry, last int64) {
		t.Helper()
		entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", ActorID: who.UserID})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			last = max(last, e.Seq)
			if e.Seq > since && (e.Action == "note.read" || e.Action == "note.read_denied") {
				out = append(out, e)
			}
		}
		return out, last
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, since := reads(tc.reader, 0)
			got, err := env.Notes.Get(ctx, tc.reader, tc.caseID, tc.note.ID)
			if aman.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if tc.code == "" && (got.ID != tc.note.ID || got.Body != tc.note.Body) {
				t.Fatalf("opened %+v, want %q", got, tc.note.Body)
			}
			if tc.note.ID == general.ID && tc.code == "" && (len(got.Amendments) != 1 || got.Amendments[0].Body != "Correction: at the school.") {
				t.Fatalf("the note comes with amendments %+v", got.Amendments)
			}
			reads, _ := reads(tc.reader, since)
			if tc.action == "" {
				if len(reads) != 0 {
					t.Fatalf("audited %+v, want nothing", reads)
				}
				return
			}
			if len(reads) != 1 {
				t.Fatalf("audited %+v, want one %s", reads, tc.action)
			}
			e := reads[0]
			// A refusal on the case is decided before the note is looked at, so it names none.
			if e.Action != tc.action || e.EntityID != r.caseID || e.Detail["note"] != "" && e.Detail["note"] != tc.note.ID {
				t.Fatalf("audit entry %+v", e)
			}
			for _, v := range e.Detail {
				if v == tc.note.Body {
					t.Fatalf("the audit entry carries the note's text: %+v", e.Detail)
				}
			}
		})
	}
}
