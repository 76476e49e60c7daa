package store_test

import (
	"context"
	"strings"
	"testing"

	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// personalWords name what identifies or describes a person. A column named after one must be a sealed
// column (`*_sealed`, binary) or a blind index; a readable column with such a name is how plaintext
// personal data slips into the database by accident.
var personalWords = []string{"name_ar", "name_en", "full_name", "qid", "passport", "phone", "address", "birth_date", "narrative", "summary", "note", "message", "text", "reason"}

// Columns that carry one of the words but hold no personal data, each with why.
var allowedPlain = map[string]string{
	"users.display_name":   "staff names are not beneficiary data",
	"users.username":       "staff sign-in names",
	"units.name_ar":        "a team's name",
	"units.name_en":        "a team's name",
	"partner_orgs.name_ar": "an organisation's name",
	"partner_orgs.name_en": "an organisation's name",
	// Why triage closed an intake as information only is a code from app.InfoOnlyReasons.
	"intakes.closed_reason": "a code from the information-only vocabulary",
	// The reason a case closed is a code from a vocabulary (aman.ClosureReasons), counted by the figures;
	// any words about it are the sealed comment in case_history.
	"case_approvals.closure_reason": "a code from the closure-reason vocabulary",

	"service_catalogue.name_ar": "a service's name in the catalogue",
	"service_catalogue.name_en": "a service's name in the catalogue",

	"note_amendments.note_id": "the id of the note amended; its text is body_sealed",
}

func TestNoReadableColumnHoldsPersonalData(t *testing.T) {
	db := storetest.Open(t)
	columns := map[string]string{} // table.column → type
	err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		query := `SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`
		if db.Engine() == store.Postgres {
			query = `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`
		}
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var table, column, typ string
			if err := rows.Scan(&table, &column, &typ); err != nil {
				return err
			}
			columns[table+"."+column] = strings.ToLower(typ)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(columns) < 20 {
		t.Fatalf("read only %d columns", len(columns))
	}
	for col, typ := range columns {
		if _, ok := allowedPlain[col]; ok {
			continue
		}
		name := col[strings.Index(col, ".")+1:]
		sealed := strings.HasSuffix(name, "_sealed")
		if sealed && typ != "blob" && typ != "bytea" {
			t.Errorf("%s is named sealed but has type %s", col, typ)
		}
		if sealed || strings.HasPrefix(col, "river_") {
			continue
		}
		for _, word := range personalWords {
			if strings.Contains(name, word) {
				t.Errorf("%s (%s) looks like personal data stored readable; seal it as %s_sealed", col, typ, name)
			}
		}
	}
}

// On PostgreSQL the tables that work as queues are vacuumed after a thousand changed rows, indexes
// included: each decided intake or done task leaves a dead entry at the head of the index its screen
// reads, until a vacuum removes it (migration 00025).
func TestQueueTablesAreVacuumedAfterAThousandChanges(t *testing.T) {
	db := storetest.Open(t)
	if db.Engine() != store.Postgres {
		t.Skip("SQLite updates in place and leaves no dead entries")
	}
	want := []string{"autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=1000", "vacuum_index_cleanup=on"}
	for _, table := range []string{"intakes", "tasks"} {
		var options string
		err := db.QueryRow(context.Background(), `SELECT COALESCE(array_to_string(c.reloptions, ' '), '')
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relname = $1`, table).Scan(&options)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(options, w) {
				t.Errorf("%s: storage options %q lack %s", table, options, w)
			}
		}
	}
}
