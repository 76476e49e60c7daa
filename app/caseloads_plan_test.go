package app

import (
	"strings"
	"testing"

	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// Each dashboard list is read through its index of migration 00012, and the long ones in display order
// (no sort of the whole list): a query that stops matching its partial index, say by a changed
// `status <> 'closed'`, would still pass every other test and only show with 300,000 cases. SQLite's
// plans depend on the schema alone, so they are checked there; PostgreSQL's depend on statistics.
func TestDashboardQueriesUseTheirIndexes(t *testing.T) {
	db := storetest.Open(t)
	if db.Engine() != store.SQLite {
		t.Skip("plans are checked on SQLite, whose plans do not depend on statistics")
	}
	tests := []struct {
		name  string
		query string
		args  []any
		index string
		// sorted tells that the plan may sort: a branch bounded by what one person or one unit has
		// waiting, not by the unit's cases.
		sorted bool
	}{
		{"my cases", myCasesQuery, []any{"u", int64(1)}, "USING INDEX cases_worker_open (assigned_worker_id=?)", true},
		{"approvals", approvalsQuery, []any{"u", int64(1)}, "USING INDEX cases_unit_pending (unit_id=?)", true},
		{"urgent", urgentQuery, []any{"u", int64(1), "critical", "high"}, "USING INDEX cases_unit_open (unit_id=? AND priority=?)", false},
		{"unassigned", unassignedQuery, []any{"u", int64(1)}, "USING INDEX cases_unit_unassigned (unit_id=?)", false},
		{"caseloads", caseloadQuery, []any{"u"}, "USING COVERING INDEX cases_unit_load (unit_id=?)", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := storetest.QueryPlan(t, db, tc.query, tc.args...)
			if !strings.Contains(text, tc.index) {
				t.Errorf("the plan does not read %s:\n%s", tc.index, text)
			}
			if !tc.sorted && strings.Contains(text, "TEMP B-TREE") {
				t.Errorf("the plan sorts the list instead of reading it in order:\n%s", text)
			}
			if strings.Contains(text, "SCAN c") {
				t.Errorf("the plan scans every case:\n%s", text)
			}
		})
	}
}
