package store

import "context"

// Optimize refreshes the query planner's statistics. PostgreSQL's autovacuum keeps them by itself;
// SQLite keeps none unless asked, and without them its planner guesses between indexes, and can
// guess an index that reads a table's whole share of a status instead of one worker's rows. The
// analysis is sampled (analysis_limit), so it costs milliseconds even on a national register.
func (db *DB) Optimize(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	return db.Write(ctx, func(ctx context.Context, tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `PRAGMA analysis_limit = 400`); err != nil {
			return err
		}
		// 0x10002: consider every table, analysed before or not, and analyse those that need it.
		_, err := tx.ExecContext(ctx, `PRAGMA optimize = 0x10002`)
		return err
	})
}
