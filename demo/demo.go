// Package demo fills an empty database with a synthetic centre: staff, families, cases in every stage
// of their life, hotline calls and app requests spread over years with the rhythms of a real week.
//
// It writes only through the application's use cases, so every record is sealed, blind-indexed and
// audited exactly as in production, and the demo doubles as a load test of those paths. Work is grouped
// into one transaction per simulated week on SQLite and per day on PostgreSQL (nested use-case
// transactions join it; the transaction's time follows the simulated hour), so that each commit writes
// the pages many days touched once (see daysPerTransaction).
//
// The same seed gives the same people, stories and timeline. Identifiers and ciphertexts still differ
// between runs: ids are random by design and every seal draws a fresh nonce.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"sync/atomic"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// Options say how big a centre to make.
type Options struct {
	// Beneficiaries is N; the rest scales from it as in the national baseline: 0.3 N cases, 10 N hotline
	// calls and app requests, about 5 N notes.
	Beneficiaries int
	Seed          uint64
	// End is the last moment of the simulated history, normally now.
	End time.Time
	// Progress receives the progress bar; nil for none.
	Progress io.Writer
}

// Clock is the simulated time. The database is opened with the clock's Now, so every transaction the
// demo runs is stamped with the simulated moment it belongs to; the demo moves it with Set.
type Clock interface{ Set(time.Time) }

// SimClock is a Clock for a database opened with SimClock.Now.
type SimClock struct{ ms atomic.Int64 }

// NewClock starts at t.
func NewClock(t time.Time) *SimClock {
	c := &SimClock{}
	c.Set(t)
	return c
}

// Now is the simulated time.
func (c *SimClock) Now() time.Time { return time.UnixMilli(c.ms.Load()).UTC() }

// Set moves the simulated time.
func (c *SimClock) Set(t time.Time) { c.ms.Store(t.UnixMilli()) }

// Summary is what was made.
type Summary struct {
	Beneficiaries, Cases, Calls, PublicRequests, Notes, Incidents, Services, Tasks int
	Days                                                                           int
	// Accounts are the demo staff's usernames by role; they share Password and enrol an authenticator
	// at their first sign-in.
	Accounts []Account
	Password string
	Elapsed  time.Duration
}

// Account is one demo staff account.
type Account struct {
	Username string
	Role     aman.Role
}

// ErrNotEmpty refuses to mix synthetic people with real ones.
var ErrNotEmpty = errors.New("the database already holds accounts or beneficiaries; the demo only fills an empty database")

// qatar is the centre's time zone; the simulated week follows it (Friday and Saturday are the weekend).
var qatar = time.FixedZone("AST", 3*60*60)

// generator is one run.
type generator struct {
	db    *store.DB
	clock Clock
	svc   *app.Services
	opt   Options
	rng   *mrand.Rand
	ppl   *people
	staff staff
	bar   progress
	sum   Summary

	days  int
	start time.Time // local midnight of day 0
	// agenda holds, for each simulated day, the cases with a step due that day.
	agenda [][]*caseState
	// open are the cases opened so far, for calls from known families and triage links.
	opened []*caseState
	// owed is how many registrations the schedule expects that have not happened yet.
	owed int
	// recentNumbers are callers' numbers not in the registry, so some ring again and are recognised.
	recentNumbers []string
}

// Generate builds the demo centre. db must be opened with clock.Now as its clock.
func Generate(ctx context.Context, db *store.DB, clock Clock, svc *app.Services, opt Options) (Summary, error) {
	if opt.Beneficiaries < 1 {
		return Summary{}, errors.New("--beneficiaries must be at least 1")
	}
	if opt.End.IsZero() {
		opt.End = time.Now()
	}
	began := time.Now()
	g := &generator{db: db, clock: clock, svc: svc, opt: opt, rng: mrand.New(mrand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))}
	g.ppl = newPeople(g.rng)
	g.days = spanDays(opt.Beneficiaries)
	end := opt.End.In(qatar)
	g.start = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, qatar).AddDate(0, 0, -(g.days - 1))
	g.agenda = make([][]*caseState, g.days)
	g.sum.Days = g.days

	if err := g.checkEmpty(ctx); err != nil {
		return Summary{}, err
	}
	if err := db.UseLargeWriterCache(ctx, generatorCache); err != nil {
		return Summary{}, err
	}
	clock.Set(g.start.Add(-24 * time.Hour))
	if err := g.hireStaff(ctx); err != nil {
		return Summary{}, fmt.Errorf("demo staff: %w", err)
	}
	g.bar = newProgress(opt.Progress, int64(opt.Beneficiaries)*workPerBeneficiary)
	if err := g.simulate(ctx, end); err != nil {
		return Summary{}, err
	}
	g.bar.finish()
	if err := db.CatchUpMaintenance(ctx); err != nil {
		return Summary{}, fmt.Errorf("maintenance after the demo: %w", err)
	}
	g.sum.Elapsed = time.Since(began)
	return g.sum, nil
}

// workPerBeneficiary is the rough number of use-case calls per beneficiary, for the progress bar's
// total: ten calls and requests, the registration, and a third of a case's thirty or so steps.
const workPerBeneficiary = 21

// generatorCache is the SQLite writer's page cache while the demo runs alone: at a million
// beneficiaries the indexes it inserts into at random (blind indexes, callers, audit entries by case)
// come to about 2 GiB and outgrow the server's 32 MiB, and each miss is a read from the kernel. It
// fills only as pages are used.
const generatorCache = 4 << 30

// spanDays is how much history to make: a few months for a small demo, so that every day has life in
// it, up to five years for the national baseline.
func spanDays(n int) int { return min(max(n/200, 90), 5*365) }

func (g *generator) checkEmpty(ctx context.Context) error {
	return g.db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var users, people int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM beneficiaries)`).Scan(&users, &people); err != nil {
			return err
		}
		if users+people > 0 {
			return ErrNotEmpty
		}
		return nil
	})
}

// dayWeight is how busy a day is: the service grows over the years, and the weekend is quieter.
func (g *generator) dayWeight(d int, caseWork bool) float64 {
	w := 1 + 0.6*float64(d)/float64(g.days)
	switch g.start.AddDate(0, 0, d).Weekday() {
	case time.Friday:
		if caseWork {
			return 0
		}
		return w * 0.7
	case time.Saturday:
		if caseWork {
			return w * 0.1
		}
		return w * 0.8
	}
	return w
}

// callHours is the hotline's day: quiet before dawn, busy late morning and in the evening.
var callHours = [24]float64{3, 2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6, 5.5, 5, 4.5, 4.5, 5, 5.5, 6, 6.5, 7, 6.5, 5, 4}

// quota spreads total over the days by weight, exactly: day d gets the rounded running share minus
// what the days before it got.
type quota struct {
	total, given int
	weights      []float64
	sum, acc     float64
}

func newQuota(total int, days int, weight func(int) float64) *quota {
	q := &quota{total: total, weights: make([]float64, days)}
	for d := range days {
		q.weights[d] = weight(d)
		q.sum += q.weights[d]
	}
	return q
}

func (q *quota) day(d int) int {
	q.acc += q.weights[d]
	want := q.total
	if q.sum > 0 && d < len(q.weights)-1 {
		want = int(float64(q.total) * q.acc / q.sum)
	}
	n := max(want-q.given, 0)
	q.given += n
	return n
}

func (g *generator) simulate(ctx context.Context, end time.Time) error {
	n := g.opt.Beneficiaries
	families := newQuota(n, g.days, func(d int) float64 { return g.dayWeight(d, true) })
	calls := newQuota(10*n, g.days, func(d int) float64 { return g.dayWeight(d, false) })
	requests := newQuota(max(6, n/1000), g.days, func(d int) float64 { return g.dayWeight(d, false) })
	// Statements run under a context that is never cancelled: the SQLite driver watches a cancellable
	// one with a goroutine per statement, a tenth of the generator's time. An interrupt still stops the
	// run, between two transactions, with every finished day committed.
	steady := context.WithoutCancel(ctx)
	maintainedAt := 500 // the first catch-up comes at 1,000 people
	perTransaction := daysPerTransaction(g.db.Engine())
	for first := 0; first < g.days; first += perTransaction {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := g.db.Write(steady, func(ctx context.Context, tx *store.Tx) error {
			for d := first; d < min(first+perTransaction, g.days); d++ {
				hours := g.planDay(d, families.day(d), calls.day(d), requests.day(d))
				if err := g.runDay(ctx, tx, d, end, hours); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if g.sum.Beneficiaries >= maintainedAt*2 {
			// The register has doubled since the planner last looked and the last vacuum (PostgreSQL;
			// see store.CatchUpMaintenance).
			if err := g.db.CatchUpMaintenance(steady); err != nil {
				return fmt.Errorf("maintenance at day %d: %w", first, err)
			}
			maintainedAt = g.sum.Beneficiaries
		}
	}
	return nil
}

// daysPerTransaction is how many simulated days go in one transaction. On SQLite a week: each commit
// writes every page the days touched to the write-ahead log, and the checkpoint writes it again to
// the database; the indexes with keys in no useful order (blind indexes, callers, audit entries by
// case) are touched all over every day, so the 100,000 run wrote 34 GB for a 3 GB file with a commit
// a day (an hour's commit had rewritten the same pages twenty-four times over). On PostgreSQL a day:
// its planner statistics are refreshed between transactions as the register doubles, and a stale plan
// costs more there than a commit.
func daysPerTransaction(engine store.Engine) int {
	if engine == store.SQLite {
		return 7
	}
	return 1
}

// runDay runs day d in tx, an hour at a time.
func (g *generator) runDay(ctx context.Context, tx *store.Tx, d int, end time.Time, hours [24]hourWork) error {
	day := g.start.AddDate(0, 0, d)
	var late hourWork
	for h := range 24 {
		at := day.Add(time.Duration(h)*time.Hour + 59*time.Minute)
		if at.After(end) {
			// The last day is today: what its later hours would hold happens by now, so the counts
			// asked for are made exactly.
			late.add(hours[h])
			continue
		}
		if err := g.runHourAt(ctx, tx, d, at, hours[h]); err != nil {
			return err
		}
	}
	return g.runHourAt(ctx, tx, d, end, late)
}

// runHourAt runs an hour's work inside the day's transaction, with the transaction's time moved to the
// hour so that every row and audit entry carries the simulated moment it belongs to.
func (g *generator) runHourAt(ctx context.Context, tx *store.Tx, d int, at time.Time, work hourWork) error {
	if work.empty() {
		return nil
	}
	g.clock.Set(at)
	tx.Now = g.db.Now()
	if err := g.runHour(ctx, d, at, work); err != nil {
		return fmt.Errorf("day %d, %s: %w", d, at.In(qatar).Format("15:04"), err)
	}
	return nil
}

// hourWork is what happens in one simulated hour.
type hourWork struct {
	calls, requests int
	newPeople       int
	cases           []*caseState
	triage          bool
}

func (w *hourWork) add(o hourWork) {
	w.calls += o.calls
	w.requests += o.requests
	w.newPeople += o.newPeople
	w.cases = append(w.cases, o.cases...)
}

func (w hourWork) empty() bool {
	return w.calls == 0 && w.requests == 0 && w.newPeople == 0 && len(w.cases) == 0 && !w.triage
}

// planDay spreads a day's work over its hours: calls by the hotline's rhythm, case work and
// registrations over office hours (08:00 to 15:00), triage at 10:00 and 14:00.
func (g *generator) planDay(d, people, calls, requests int) [24]hourWork {
	var hours [24]hourWork
	var total float64
	for _, w := range callHours {
		total += w
	}
	acc, given := 0.0, 0
	for h, w := range callHours {
		acc += w
		want := int(float64(calls) * acc / total)
		if h == 23 {
			want = calls
		}
		hours[h].calls = want - given
		given = want
	}
	for range requests {
		hours[g.rng.IntN(24)].requests++
	}
	for i := range people {
		hours[8+i%8].newPeople++
	}
	for i, k := range g.agenda[d] {
		hours[8+i%8].cases = append(hours[8+i%8].cases, k)
	}
	g.agenda[d] = nil
	hours[10].triage, hours[14].triage = true, true
	return hours
}

func (g *generator) runHour(ctx context.Context, d int, at time.Time, w hourWork) error {
	// Households come whole, so an hour may register more people than its share; the debt is paid by
	// the hours after it.
	g.owed += w.newPeople
	for g.owed > 0 && g.sum.Beneficiaries < g.opt.Beneficiaries {
		n, err := g.registerFamily(ctx, d, at, g.opt.Beneficiaries-g.sum.Beneficiaries)
		if err != nil {
			return err
		}
		g.owed -= n
	}
	for _, k := range w.cases {
		if err := g.step(ctx, d, at, k); err != nil {
			return err
		}
	}
	for range w.calls {
		if err := g.call(ctx, at); err != nil {
			return err
		}
	}
	for range w.requests {
		if err := g.publicRequest(ctx, at); err != nil {
			return err
		}
	}
	// The last day's queue is left for the newcomer to triage.
	if w.triage && d < g.days-1 {
		return g.triage(ctx, at)
	}
	return nil
}

// schedule puts k's next step on day d (moved past the weekend), if that day is in the history.
func (g *generator) schedule(k *caseState, d int) {
	for d < g.days && g.dayWeight(d, true) == 0 {
		d++
	}
	if d < g.days {
		g.agenda[d] = append(g.agenda[d], k)
	}
}

// password is the demo staff's shared password: random, shown once.
func password() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return "Demo-" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}
