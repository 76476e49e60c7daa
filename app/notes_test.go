package app_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// noteReaders are the people around one case: its worker, team and unit supervisor, and strangers (a
// shelter officer, people of another unit), all but one of whom break the glass.
type noteReaders struct {
	staff
	psychologist, legal, shelter                        aman.Actor
	strangerPsychologist, strangerLegal, strangerWorker aman.Actor
	strangerPsychologistNoGrant                         aman.Actor
	caseID                                              string
}

func newNoteReaders(t *testing.T, env *apptest.Env) noteReaders {
	t.Helper()
	s := newStaff(t, env)
	user := func(username string, role aman.Role, unit string) aman.Actor {
		u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: username, Role: role, UnitID: unit, Password: apptest.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	r := noteReaders{staff: s,
		psychologist: user("psy.team", aman.RolePsychologist, s.unit), legal: user("legal.team", aman.RoleLegalOfficer, s.unit),
		shelter:              user("shelter.team", aman.RoleShelterOfficer, s.unit),
		strangerPsychologist: user("psy.far", aman.RolePsychologist, s.otherUnit), strangerLegal: user("legal.far", aman.RoleLegalOfficer, s.otherUnit),
		strangerWorker:              user("worker.far", aman.RoleCaseWorker, s.otherUnit),
		strangerPsychologistNoGrant: user("psy.far2", aman.RolePsychologist, s.otherUnit),
	}
	r.caseID = openCase(t, env, s.workerA).ID
	if err := env.Cases.Assign(ctx, s.supervisor, r.caseID, app.CaseAssignment{WorkerID: s.workerA.UserID,
		TeamIDs: []string{s.workerB.UserID, r.psychologist.UserID, r.legal.UserID}}); err != nil {
		t.Fatal(err)
	}
	// Shelter officers are never on a case team; they reach a resident's case by break-glass.
	for _, who := range []aman.Actor{r.strangerPsychologist, r.strangerLegal, r.strangerWorker, s.otherSupervisor, r.shelter} {
		if _, err := env.Cases.BreakGlass(ctx, who, r.caseID, "Police called at night about this family; worker unreachable"); err != nil {
			t.Fatalf("break-glass by %s: %v", who.Username, err)
		}
	}
	return r
}

func writeNote(t *testing.T, env *apptest.Env, by aman.Actor, caseID string, kind policy.NoteKind, body string) app.Note {
	t.Helper()
	n, err := env.Notes.Create(ctx, by, caseID, app.NewNote{Kind: kind, Body: body})
	if err != nil {
		t.Fatalf("%s writes a %s note: %v", by.Username, kind, err)
	}
	return n
}

// TestNoteVisibility runs policy.ReadNote's matrix through the real use cases: who reads which kind of
// note, as author or not, on a standing tie to the case or under break-glass.
func TestNoteVisibility(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	// The assigned worker writes one note of each kind; the shelter officer writes a medical one, which
	// as its author they read although medical notes are not theirs to read.
	for _, kind := range policy.NoteKinds() {
		writeNote(t, env, r.workerA, r.caseID, kind, "worker's "+string(kind)+" note")
	}
	writeNote(t, env, r.shelter, r.caseID, policy.NoteMedical, "shelter's medical note")

	tests := []struct {
		name   string
		reader aman.Actor
		basis  string
		want   []string // bodies readable, in writing order
		code   string
	}{
		{"assigned worker, author of the discipline notes", r.workerA, policy.BasisAssigned,
			[]string{"worker's general note", "worker's psychological note", "worker's legal note", "worker's medical note"}, ""},
		{"supervisor of the unit", r.supervisor, policy.BasisUnitSupervisor,
			[]string{"worker's general note", "worker's psychological note", "worker's legal note", "worker's medical note", "shelter's medical note"}, ""},
		{"psychologist on the team", r.psychologist, policy.BasisTeam, []string{"worker's general note", "worker's psychological note"}, ""},
		{"legal officer on the team", r.legal, policy.BasisTeam, []string{"worker's general note", "worker's legal note"}, ""},
		{"shelter officer under break-glass, author of a medical note", r.shelter, policy.BasisBreakGlass, []string{"worker's general note", "shelter's medical note"}, ""},
		{"colleague on the team", r.workerB, policy.BasisTeam, []string{"worker's general note"}, ""},
		{"psychologist under break-glass", r.strangerPsychologist, policy.BasisBreakGlass, []string{"worker's general note", "worker's psychological note"}, ""},
		{"legal officer under break-glass", r.strangerLegal, policy.BasisBreakGlass, []string{"worker's general note", "worker's legal note"}, ""},
		{"case worker under break-glass", r.strangerWorker, policy.BasisBreakGlass, []string{"worker's general note"}, ""},
		{"supervisor of another unit under break-glass", r.otherSupervisor, policy.BasisBreakGlass, []string{"worker's general note"}, ""},
		{"psychologist of another unit without a grant", r.strangerPsychologistNoGrant, "", nil, policy.EBreakGlassRequired},
		{"administrator", r.admin, "", nil, aman.EForbidden},
		{"partner", r.partner, "", nil, aman.EForbidden},
	}
	const total = 5
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.Notes.List(ctx, tc.reader, r.caseID, app.NotePage{})
			if aman.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if tc.code != "" {
				return
			}
			var bodies []string
			for _, n := range got.Notes {
				bodies = append(bodies, n.Body)
			}
			if !slices.Equal(bodies, tc.want) {
				t.Fatalf("reads %q, want %q", bodies, tc.want)
			}
			if got.Withheld != total-len(tc.want) {
				t.Fatalf("withheld %d, want %d", got.Withheld, total-len(tc.want))
			}
			entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: r.caseID, ActorID: tc.reader.UserID, Action: "note.list"})
			if err != nil || len(entries) != 1 {
				t.Fatalf("%d note.list entries (%v), want 1", len(entries), err)
			}
			e := entries[0]
			if e.Detail["basis"] != tc.basis || e.Detail["withheld"] != strconv.Itoa(got.Withheld) || e.BreakGlass != (tc.basis == policy.BasisBreakGlass) {
				t.Fatalf("audit entry %+v", e)
			}
		})
	}
	denied, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: r.caseID, Action: "note.list_denied"})
	if len(denied) != 1 || denied[0].ActorID != r.strangerPsychologistNoGrant.UserID {
		t.Fatalf("refused list reads audited: %+v", denied)
	}
}

func TestNoteEditWindowAndAmendments(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	note := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, "Met the mother at the shelter.")
	if note.EditableUntil() != note.CreatedAt.Add(24*time.Hour) {
		t.Fatalf("editable until %v", note.EditableUntil())
	}
	// Break-glass opens a case for an emergency, not for correcting what others recorded.
	if _, err := env.Notes.Amend(ctx, r.otherSupervisor, note.ID, "A supervisor under break-glass corrects it."); aman.ErrorCode(err) != app.ENoteAmendForbidden {
		t.Fatalf("a supervisor under break-glass amended a note: %v", err)
	}

	env.Clock.Advance(23*time.Hour + 59*time.Minute)
	edited, err := env.Notes.Edit(ctx, r.workerA, note.ID, "Met the mother and her two children at the shelter.")
	if err != nil || edited.Body != "Met the mother and her two children at the shelter." || !edited.EditedAt.Equal(env.Clock.Now()) {
		t.Fatalf("edit at 23h59: %+v %v", edited, err)
	}
	if _, err := env.Notes.Edit(ctx, r.supervisor, note.ID, "A supervisor rewrites it."); aman.ErrorCode(err) != app.ENotNoteAuthor {
		t.Fatalf("a supervisor edited someone else's note: %v", err)
	}

	env.Clock.Advance(2 * time.Minute) // 24h01 after writing
	if _, err := env.Notes.Edit(ctx, r.workerA, note.ID, "Too late to change."); aman.ErrorCode(err) != app.ENoteEditWindowClosed {
		t.Fatalf("edit at 24h01: %v", err)
	}
	amended, err := env.Notes.Amend(ctx, r.workerA, note.ID, "Correction: the children are three, not two.")
	if err != nil {
		t.Fatal(err)
	}
	if amended.Body != "Met the mother and her two children at the shelter." || len(amended.Amendments) != 1 {
		t.Fatalf("after amending: %+v", amended)
	}
	a := amended.Amendments[0]
	if a.AuthorID != r.workerA.UserID || !a.CreatedAt.Equal(env.Clock.Now()) || a.Body != "Correction: the children are three, not two." {
		t.Fatalf("amendment %+v", a)
	}
	if _, err := env.Notes.Amend(ctx, r.workerB, note.ID, "A colleague corrects it."); aman.ErrorCode(err) != app.ENoteAmendForbidden {
		t.Fatalf("a colleague amended someone else's note: %v", err)
	}
	env.Clock.Advance(time.Hour)
	if _, err := env.Notes.Amend(ctx, r.supervisor, note.ID, "Supervisor: the visit was on Tuesday."); err != nil {
		t.Fatalf("the unit's supervisor amends: %v", err)
	}
	list, err := env.Notes.List(ctx, r.workerB, r.caseID, app.NotePage{})
	if err != nil || len(list.Notes) != 1 || len(list.Notes[0].Amendments) != 2 || list.Notes[0].Amendments[1].AuthorID != r.supervisor.UserID {
		t.Fatalf("the team reads %+v %v", list, err)
	}

	// A discipline note is neither edited nor amended by someone who may not read it, and the attempt
	// is on the record.
	private := writeNote(t, env, r.psychologist, r.caseID, policy.NotePsychological, "Session one: sleep and fear.")
	if _, err := env.Notes.Edit(ctx, r.workerB, private.ID, "overwritten"); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker edited a psychological note: %v", err)
	}
	if _, err := env.Notes.Amend(ctx, r.workerB, private.ID, "amended"); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker amended a psychological note: %v", err)
	}
	denied, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: r.caseID, ActorID: r.workerB.UserID})
	var actions []string
	for _, e := range denied {
		actions = append(actions, e.Action)
	}
	if !slices.Contains(actions, "note.edit_denied") || !slices.Contains(actions, "note.amend_denied") {
		t.Fatalf("refusals not audited: %v", actions)
	}
	if _, err := env.Notes.Edit(ctx, r.workerA, "no-such-note", "x"); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("unknown note: %v", err)
	}
}

func TestNoteInputAndClosedCases(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	tests := []struct {
		name  string
		actor aman.Actor
		in    app.NewNote
		code  string
		field string
	}{
		{"no body", r.workerA, app.NewNote{Kind: policy.NoteGeneral, Body: "   "}, aman.ERequired, "body"},
		{"unknown kind", r.workerA, app.NewNote{Kind: "social", Body: "x"}, app.EInvalidNoteKind, "kind"},
		{"too long", r.workerA, app.NewNote{Kind: policy.NoteGeneral, Body: strings.Repeat("ب", app.MaxNoteLength+1)}, aman.ETextTooLong, "body"},
		{"longest allowed", r.workerA, app.NewNote{Kind: policy.NoteGeneral, Body: strings.Repeat("ب", app.MaxNoteLength)}, "", ""},
		{"administrator", r.admin, app.NewNote{Kind: policy.NoteGeneral, Body: "x"}, aman.EForbidden, ""},
		{"stranger without a grant", r.strangerPsychologistNoGrant, app.NewNote{Kind: policy.NoteGeneral, Body: "x"}, policy.EBreakGlassRequired, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.Notes.Create(ctx, tc.actor, r.caseID, tc.in)
			if aman.ErrorCode(err) != tc.code || aman.ErrorField(err) != tc.field {
				t.Fatalf("err = %v, want %q on %q", err, tc.code, tc.field)
			}
		})
	}

	note := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, "Before closing.")
	closeCaseForTest(t, env, r.caseID)
	if _, err := env.Notes.Create(ctx, r.workerA, r.caseID, app.NewNote{Kind: policy.NoteGeneral, Body: "After closing."}); aman.ErrorCode(err) != app.ECaseClosed {
		t.Fatalf("a note on a closed case: %v", err)
	}
	if _, err := env.Notes.Edit(ctx, r.workerA, note.ID, "Changed after closing."); aman.ErrorCode(err) != app.ECaseClosed {
		t.Fatalf("an edit on a closed case: %v", err)
	}
	if _, err := env.Notes.Create(ctx, r.supervisor, r.caseID, app.NewNote{Kind: policy.NoteGeneral, Body: "Why I reopen this case."}); err != nil {
		t.Fatalf("the supervisor's note on a closed case: %v", err)
	}
	// The longest note of the table above, the one before closing, and the supervisor's.
	if list, err := env.Notes.List(ctx, r.workerA, r.caseID, app.NotePage{}); err != nil || len(list.Notes) != 3 {
		t.Fatalf("a closed case's notes stay readable: %d notes, %v", len(list.Notes), err)
	}
}

// closeCaseForTest marks a case closed directly: the lifecycle and its approvals are tested elsewhere.
func closeCaseForTest(t *testing.T, env *apptest.Env, caseID string) {
	t.Helper()
	err := env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE cases SET status = 'closed', closed_at = $1 WHERE id = $2`, store.Millis(tx.Now), caseID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Note text is sealed: the stored bytes hold none of it, and nor does the audit.
func TestNoteTextIsSealed(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	const secret = "Zumurrud-Qaranfil told me where the family hides"
	note := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, secret)
	if _, err := env.Notes.Amend(ctx, r.workerA, note.ID, secret+" (amended)"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Notes.List(ctx, r.workerA, r.caseID, app.NotePage{}); err != nil {
		t.Fatal(err)
	}
	err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		for _, q := range []string{`SELECT body_sealed FROM case_notes`, `SELECT body_sealed FROM note_amendments`, `SELECT detail FROM audit_log`} {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					rows.Close()
					return err
				}
				n++
				if strings.Contains(string(b), "Zumurrud") {
					t.Errorf("%s holds the note's text", q)
				}
			}
			rows.Close()
			if n == 0 {
				t.Errorf("%s read nothing; the test would prove nothing", q)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
