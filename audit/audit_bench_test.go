package audit

import (
	"context"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/store"
)

// BenchmarkAppendPerTransaction appends audit entries inside write transactions on the test store
// (SQLite, or PostgreSQL when AMAN_TEST_DATABASE_URL is set). The entries are the mix of the other
// tests (plain reads, role changes with detail, break-glass entries with a sealed reason).
//
// one_per_tx is the usual request: one audited action, one transaction, so the figure includes the
// transaction itself. hundred_per_tx is a bulk job (an import, a re-key) writing 100 entries in one
// transaction; ns/entry is what each of them costs there.
func BenchmarkAppendPerTransaction(b *testing.B) {
	for _, c := range []struct {
		name  string
		perTx int
	}{{"one_per_tx", 1}, {"hundred_per_tx", 100}} {
		b.Run(c.name, func(b *testing.B) {
			l, db := newTestLog(b)
			ctx := context.Background()
			// The mix repeats every 60 entries; building it up front keeps fmt.Sprintf out of the
			// measured loop.
			var actors [60]aman.Actor
			var entries [60]Entry
			for i := range entries {
				actors[i], entries[i] = actor(i+1), sampleEntry(i+1)
			}
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				err := db.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
					for range c.perTx {
						if err := l.Append(ctx, tx, actors[n%60], entries[n%60]); err != nil {
							return err
						}
						n++
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/entry")
			if got, err := l.Verify(ctx, db); err != nil || got != int64(n) {
				b.Fatalf("Verify = %d, %v; want %d", got, err, n)
			}
		})
	}
}
