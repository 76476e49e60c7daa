package app

import (
	"strings"
	"testing"

	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// A page of notes is read off the case's index in display order from its cursor, and stops after the
// page: a plan that sorts the case's notes or scans the table would pass every other test and only
// show on a case followed for ten years.
func TestNotePageQueriesReadTheIndexInOrder(t *testing.T) {
	db := storetest.Open(t)
	const columns = `SELECT id, case_id, kind, author_id, body_sealed, created_at, edited_at FROM case_notes `
	ids := padded([]string{"n1", "n2"}, DefaultNotePage)
	in, amendmentArgs := inList(1, ids)
	tests := []struct {
		name   string
		query  string
		args   []any
		sqlite string // the step of SQLite's plan that reads the index
		pg     string // what PostgreSQL's index condition must hold
		sorted bool   // may sort: the count's groups, and the amendments of one page
	}{
		{"newest page", columns + newestNotes, []any{"k", DefaultNotePage + 1},
			"SEARCH case_notes USING INDEX case_notes_case (case_id=?)", "case_id =", false},
		{"older page", columns + notesBefore, []any{"k", int64(1700000000000), "n1", DefaultNotePage + 1},
			"SEARCH case_notes USING INDEX case_notes_case (case_id=? AND (created_at,id)<(?,?))", "ROW(created_at, id) < ROW(", false},
		{"counts by kind and author", notesByKindAndAuthor, []any{"k"},
			"SEARCH case_notes USING COVERING INDEX case_notes_case (case_id=?)", "case_id =", true},
		{"amendments of a page", amendmentsOfNotes + in + amendmentsOrder, amendmentArgs,
			"SEARCH note_amendments USING INDEX note_amendments_note (note_id=?)", "note_id = ANY", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			readsIndexInOrder(t, db, tc.sqlite, tc.pg, tc.sorted, tc.query, tc.args...)
		})
	}
}

// readsIndexInOrder fails t unless the plan of query reads an index in the query's order: on SQLite
// the plan holds the step sqlite, on PostgreSQL the index condition pg; neither engine scans a table,
// and neither sorts unless sorted allows it. SQLite's plan is read as it is; PostgreSQL's depends on
// statistics, so there storetest.QueryPlan prices out table and bitmap scans (a bitmap loses the
// order), and the index must then give the order without a sort.
func readsIndexInOrder(t *testing.T, db *store.DB, sqlite, pg string, sorted bool, query string, args ...any) {
	t.Helper()
	plan := storetest.QueryPlan(t, db, query, args...)
	if db.Engine() == store.SQLite {
		if !strings.Contains(plan, sqlite) {
			t.Errorf("the plan does not read %q:\n%s", sqlite, plan)
		}
		if !sorted && strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("the plan sorts the rows instead of reading them in order:\n%s", plan)
		}
		for line := range strings.Lines(plan) {
			// Reading back the rows of a subquery (a co-routine) is not a scan of a table.
			if name, ok := strings.CutPrefix(strings.TrimSpace(line), "SCAN "); ok && !strings.Contains(plan, "CO-ROUTINE "+name) {
				t.Errorf("the plan scans a table:\n%s", plan)
			}
		}
		return
	}
	if !strings.Contains(plan, pg) {
		t.Errorf("the plan lacks %q:\n%s", pg, plan)
	}
	if !sorted && strings.Contains(plan, "Sort") {
		t.Errorf("the plan sorts the rows instead of reading them in order:\n%s", plan)
	}
	if strings.Contains(plan, "Seq Scan") {
		t.Errorf("the plan scans a table:\n%s", plan)
	}
}
