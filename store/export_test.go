package store

// GroupsCommitted counts the groups of two or more writes committed together, for tests.
func GroupsCommitted(db *DB) int64 {
	if db.writer == nil {
		return 0
	}
	return db.writer.groups.Load()
}
