package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"aman.qa/aman/demo"
	"aman.qa/aman/store"
)

// demoCommand fills an empty database with a synthetic centre, for a first look or for benchmarks.
func demoCommand(ctx context.Context, env environment, args []string) error {
	var s settings
	var opt demo.Options
	var seed uint64
	fs := newFlags("demo")
	addStorageFlags(fs, &s)
	fs.IntVar(&opt.Beneficiaries, "beneficiaries", 200, "how many beneficiaries to make; cases, calls and notes scale from it")
	fs.Uint64Var(&seed, "seed", 1, "the random seed: the same seed makes the same centre")
	quiet := fs.Bool("quiet", false, "no progress bar")
	profile := fs.String("cpu-profile", "", "write a CPU profile of the run to this file, for go tool pprof")
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	if opt.Beneficiaries < 1 {
		return usagef("invalid value for --beneficiaries: must be at least 1")
	}
	opt.Seed, opt.End = seed, time.Now()
	// The generator keeps little in memory; collecting its garbage less often gives the time to SQLite.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	// The generator is one goroutine feeding one writer. With a second processor, every query's
	// context watcher (database/sql starts one per result set inside a transaction) woke another
	// thread; on one, the run took a fifth less CPU (BENCHMARKS.md, Demo generation).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if !*quiet {
		opt.Progress = env.stderr
	}
	clock := demo.NewClock(opt.End)
	s.clock = clock.Now
	return withServices(ctx, env, s, func(db *store.DB, svc *services) error {
		sum, err := demo.Generate(ctx, db, clock, svc.Services, opt)
		if errors.Is(err, demo.ErrNotEmpty) {
			return usagef("%v", err)
		}
		if err != nil {
			return err
		}
		printDemoSummary(env, sum)
		return nil
	})
}

func printDemoSummary(env environment, sum demo.Summary) {
	w := env.stdout
	fmt.Fprintf(w, "Made %d days of history in %s: %d beneficiaries, %d cases, %d incidents, %d notes, %d services, %d hotline calls, %d app requests.\n",
		sum.Days, sum.Elapsed.Round(time.Millisecond), sum.Beneficiaries, sum.Cases, sum.Incidents, sum.Notes, sum.Services, sum.Calls, sum.PublicRequests)
	fmt.Fprintf(w, "Demo accounts share the password %s and enrol an authenticator app at their first sign-in:\n", sum.Password)
	for _, a := range sum.Accounts {
		fmt.Fprintf(w, "  %-14s %s\n", a.Username, a.Role)
	}
	fmt.Fprintln(w, "Start the server with: aman serve (with the same --data or --database-url)")
}
