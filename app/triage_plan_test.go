package app

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/store/storetest"
)

// A page of the triage queue is read off the queue index in queue order from its cursor, and stops
// after the page; the count reads the index alone. A plan that sorts the open intakes or scans the
// table passes every other test and only shows on the day a flood of reports fills the queue.
func TestQueuePageQueriesReadTheIndexInOrder(t *testing.T) {
	db := storetest.Open(t)
	open := string(aman.IntakeOpen)
	tests := []struct {
		name   string
		query  string
		args   []any
		sqlite string // the step of SQLite's plan that reads the index
		pg     string // what PostgreSQL's plan must hold: the index condition, or the index-only read
	}{
		{"head of the queue", queueHead, []any{open, DefaultQueuePage + 1},
			"SEARCH intakes USING INDEX intakes_queue (status=?)", "status ="},
		{"a later page", queueAfter, []any{open, 1, int64(1700000000000), "i1", DefaultQueuePage + 1},
			"SEARCH intakes USING INDEX intakes_queue (status=? AND (urgency_rank,received_at,id)>(?,?,?))", "ROW(urgency_rank, received_at, id) > ROW("},
		{"count of the open queue", openIntakesCount, []any{open, MaxCountedQueue},
			"SEARCH intakes USING COVERING INDEX intakes_queue (status=?)", "Index Only Scan using intakes_queue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			readsIndexInOrder(t, db, tc.sqlite, tc.pg, false, tc.query, tc.args...)
		})
	}
}
