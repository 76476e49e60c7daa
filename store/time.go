package store

import "time"

// Timestamps are stored as Unix milliseconds in UTC on both engines. An integer sorts, compares and
// indexes the same way everywhere, which text timestamps in SQLite do not.

// Millis converts t to the stored form. The zero time is stored as 0.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Time converts a stored timestamp back; 0 gives the zero time.
func Time(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// NullMillis is Millis for a column that may be NULL: the zero time becomes NULL.
func NullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}
