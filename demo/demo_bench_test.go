package demo_test

import (
	"context"
	"testing"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/demo"
)

// BenchmarkGenerate makes a 1,000-beneficiary centre per iteration (about 20,000 use-case calls); with
// -cpuprofile it shows where the generator, and so the application's write paths, spend their time.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		env := apptest.New(b)
		b.StartTimer()
		if _, err := demo.Generate(context.Background(), env.DB, env.Clock, env.Services, demo.Options{Beneficiaries: 1000, Seed: 1, End: end}); err != nil {
			b.Fatal(err)
		}
	}
}
