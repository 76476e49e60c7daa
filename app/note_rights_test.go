package app_test

import (
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/policy"
)

// What NoteRights offers is what Edit and Amend accept, at each moment of a note's life.
func TestNoteRightsAgreeWithTheWrites(t *testing.T) {
	env := apptest.New(t)
	r := newNoteReaders(t, env)
	note := writeNote(t, env, r.workerA, r.caseID, policy.NoteGeneral, "Visited the family.")
	rights := func(actor aman.Actor) app.NoteRights {
		t.Helper()
		k, err := env.Cases.Get(ctx, actor, r.caseID)
		if err != nil {
			t.Fatal(err)
		}
		return env.Notes.Rights(actor, k)
	}
	check := func(when string, actor aman.Actor, wantEdit, wantAmend bool) {
		t.Helper()
		got := rights(actor)
		if got.Edit(note) != wantEdit || got.Amend(note) != wantAmend || !got.Add() {
			t.Errorf("%s, %s: edit %v amend %v add %v", when, actor.Username, got.Edit(note), got.Amend(note), got.Add())
		}
		_, editErr := env.Notes.Edit(ctx, actor, note.ID, "Visited the family at home.")
		_, amendErr := env.Notes.Amend(ctx, actor, note.ID, "Amended.")
		if (editErr == nil) != wantEdit || (amendErr == nil) != wantAmend {
			t.Errorf("%s, %s: Edit %v, Amend %v", when, actor.Username, editErr, amendErr)
		}
	}
	check("at once", r.workerA, true, true)
	check("at once", r.workerB, false, false)
	check("at once", r.supervisor, false, true)
	env.Clock.Advance(app.NoteEditWindow + time.Minute)
	check("a day later", r.workerA, false, true)

	closeCaseForTest(t, env, r.caseID)
	if rights(r.workerA).Add() || rights(r.workerA).Amend(note) {
		t.Error("a closed case offers additions to its worker")
	}
	if !rights(r.supervisor).Add() {
		t.Error("a closed case refuses additions from its supervisor")
	}
}
