package aman

import (
	"testing"
	"time"
)

// BenchmarkUrgencyOf is the urgency every intake gets when it enters the triage queue. It is a pure
// function of the signals, so it should cost nothing and allocate nothing.
func BenchmarkUrgencyOf(b *testing.B) {
	signals := []IntakeSignals{
		{},
		{HighRisk: true},
		{ImmediateDanger: true},
		{ChildInDanger: true, HighRisk: true},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if !UrgencyOf(signals[i&3]).Valid() {
			b.Fatal("invalid urgency")
		}
		i++
	}
}

// BenchmarkDueBy is the response deadline computed with the urgency: critical and high add a
// duration; normal walks working days in Doha time, skipping the Friday-Saturday weekend.
func BenchmarkDueBy(b *testing.B) {
	doha := time.FixedZone("AST", 3*3600)
	targets := DefaultResponseTargets()
	thursday := time.Date(2026, 11, 26, 10, 0, 0, 0, doha).UTC()
	for _, u := range []Urgency{UrgencyCritical, UrgencyNormal} {
		b.Run(string(u), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if due := targets.DueBy(thursday, u, doha); !due.After(thursday) {
					b.Fatal(due)
				}
			}
		})
	}
}
