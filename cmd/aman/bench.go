package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pquerna/otp/totp"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// benchCommand measures a running server over loopback: how fast it logs hotline calls against the
// engine's raw insert rate, and the latency of the pages a hotline operator and a case worker wait on.
// It signs in as accounts of its own, made for the run, over the same database the server uses.
func benchCommand(ctx context.Context, env environment, args []string) error {
	var s settings
	var cfg benchConfig
	fs := newFlags("bench")
	addStorageFlags(fs, &s)
	fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8080", "the running server (loopback only)")
	fs.IntVar(&cfg.clients, "clients", 16, "concurrent clients logging calls")
	fs.DurationVar(&cfg.duration, "duration", 15*time.Second, "how long each throughput phase lasts")
	fs.IntVar(&cfg.samples, "samples", 400, "requests per latency figure")
	fs.BoolVar(&cfg.latencyOnly, "latency-only", false, "measure the pages alone, without the throughput phases (the first requests after a restart, say)")
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	u, err := url.Parse(cfg.url)
	if err != nil || !isLoopback(u.Hostname()) {
		return usagef("invalid value for --url: must be an http address on loopback")
	}
	if cfg.clients < 1 || cfg.samples < 1 || cfg.duration <= 0 {
		return usagef("--clients, --samples and --duration must be positive")
	}
	return withServices(ctx, env, s, func(db *store.DB, svc *services) error {
		b := &bench{cfg: cfg, db: db, svc: svc, out: env.stdout}
		return b.run(ctx)
	})
}

// throughput runs the intake phase and the raw baselines and prints their table.
func (b *bench) throughput(ctx context.Context) error {
	appRate, appLat, failed := b.intakeThroughput(ctx)
	fmt.Fprintln(b.out, "| intake | rate (/s) | p50 | p95 | p99 |")
	fmt.Fprintln(b.out, "|---|---|---|---|---|")
	fmt.Fprintf(b.out, "| POST /api/v1/calls (sealed, audited) | %.0f | %s | %s | %s |\n", appRate, pct(appLat, 50), pct(appLat, 95), pct(appLat, 99))
	for _, base := range rawBaselines() {
		rawRate, err := b.rawInsertRate(ctx, base)
		if err != nil {
			return err
		}
		fmt.Fprintf(b.out, "| raw INSERT of %s, same engine and durability | %.0f | | | |\n", base.name, rawRate)
		fmt.Fprintf(b.out, "| ratio to %s | %.2f | | | |\n", base.name, appRate/rawRate)
	}
	fmt.Fprintln(b.out)
	if failed > 0 {
		fmt.Fprintf(b.out, "%d call requests failed\n\n", failed)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

type benchConfig struct {
	url      string
	clients  int
	duration time.Duration
	samples  int
	// latencyOnly skips the throughput phases, whose writes would warm the caches a cold start is
	// measured without.
	latencyOnly bool
}

type bench struct {
	cfg benchConfig
	db  *store.DB
	svc *services
	out io.Writer

	operator, supervisor, worker *http.Client
	// operatorID is the operator's user id, which the raw baselines' rows carry.
	operatorID string
	peakRSS    atomic.Int64
}

func (b *bench) run(ctx context.Context) error {
	stop := b.watchMemory(ctx)
	defer stop()
	if err := b.signIn(ctx); err != nil {
		return err
	}
	targets, err := b.sampleTargets(ctx)
	if err != nil {
		return err
	}
	if b.cfg.latencyOnly {
		fmt.Fprintf(b.out, "engine %s, latency only, %d requests per latency figure\n\n", b.db.Engine(), b.cfg.samples)
	} else {
		fmt.Fprintf(b.out, "engine %s, %d clients, %s per throughput phase, %d requests per latency figure\n\n",
			b.db.Engine(), b.cfg.clients, b.cfg.duration, b.cfg.samples)
		if err := b.throughput(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintln(b.out, "| request | p50 | p95 | p99 | max |")
	fmt.Fprintln(b.out, "|---|---|---|---|---|")
	for _, probe := range targets.probes(b) {
		lat, err := b.latency(ctx, probe)
		if err != nil {
			return fmt.Errorf("%s: %w", probe.name, err)
		}
		fmt.Fprintf(b.out, "| %s | %s | %s | %s | %s |\n", probe.name, pct(lat, 50), pct(lat, 95), pct(lat, 99), pct(lat, 100))
	}
	if rss := b.peakRSS.Load(); rss > 0 {
		fmt.Fprintf(b.out, "\npeak resident memory of the server during the run: %d MB\n", rss>>20)
	}
	return nil
}

// signIn makes three accounts for the run (an operator, a supervisor of the first unit, and a worker
// there with a caseload of forty) and signs each in over HTTP.
func (b *bench) signIn(ctx context.Context) error {
	units, err := b.svc.Accounts.ListUnits(ctx)
	if err != nil || len(units) == 0 {
		return errors.New("the database has no units: fill it with aman demo first")
	}
	unit := units[0].ID
	suffix := strconv.FormatInt(time.Now().Unix(), 36)
	signInAs := func(role aman.Role, name string) (*http.Client, app.User, error) {
		pw := "bench " + suffix + " correct horse battery"
		u, uri, err := b.svc.Accounts.CreateUser(ctx, operator(), app.NewUser{Username: "bench." + name + "." + suffix, Role: role,
			UnitID: unitFor(role, unit), Password: pw, EnrolTOTP: true})
		if err != nil {
			return nil, u, err
		}
		parsed, err := url.Parse(uri)
		if err != nil {
			return nil, u, err
		}
		code, err := totp.GenerateCode(parsed.Query().Get("secret"), time.Now())
		if err != nil {
			return nil, u, err
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: b.cfg.clients * 2}}
		body, _ := json.Marshal(map[string]string{"username": u.Username, "password": pw, "otp": code})
		resp, err := c.Post(b.cfg.url+"/api/v1/session", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, u, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, u, fmt.Errorf("sign in as %s: %s", u.Username, resp.Status)
		}
		return c, u, nil
	}
	var sup, work app.User
	var op app.User
	if b.operator, op, err = signInAs(aman.RoleHotlineOperator, "operator"); err != nil {
		return err
	}
	b.operatorID = op.ID
	if b.supervisor, sup, err = signInAs(aman.RoleSupervisor, "supervisor"); err != nil {
		return err
	}
	if b.worker, work, err = signInAs(aman.RoleCaseWorker, "worker"); err != nil {
		return err
	}
	// The worker takes over forty of the unit's open cases, a full caseload for the dashboard.
	var ids []string
	err = b.db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM cases WHERE unit_id = $1 AND status <> 'closed' LIMIT 40`, unit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := b.svc.Cases.Assign(ctx, sup.Actor(), id, app.CaseAssignment{WorkerID: work.ID}); err != nil {
			return fmt.Errorf("give the bench worker a caseload: %w", err)
		}
	}
	return nil
}

func unitFor(role aman.Role, unit string) string {
	if role == aman.RoleHotlineOperator {
		return ""
	}
	return unit
}

// targets are what the latency probes ask for: cases of the supervisor's unit and their people's
// names, QIDs and phone numbers, as someone would type them.
type targets struct {
	cases               []string
	names, qids, phones []string
}

func (b *bench) sampleTargets(ctx context.Context) (targets, error) {
	var t targets
	units, _ := b.svc.Accounts.ListUnits(ctx)
	var people []string
	err := b.db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, beneficiary_id FROM cases WHERE unit_id = $1 LIMIT 2000`, units[0].ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, person string
			if err := rows.Scan(&id, &person); err != nil {
				return err
			}
			t.cases, people = append(t.cases, id), append(people, person)
		}
		return rows.Err()
	})
	if err != nil || len(t.cases) == 0 {
		return t, errors.Join(err, errors.New("no cases to measure: fill the database with aman demo first"))
	}
	reader := operator()
	reader.Role = aman.RoleSupervisor
	for i, id := range people {
		if i >= 200 {
			break
		}
		p, err := b.svc.Beneficiaries.Get(ctx, reader, id)
		if err != nil {
			return t, err
		}
		if words := strings.Fields(p.NameAR); len(words) >= 2 {
			t.names = append(t.names, words[0]+" "+words[len(words)-1])
		} else if p.NameEN != "" {
			t.names = append(t.names, p.NameEN)
		}
		if p.QID != "" {
			t.qids = append(t.qids, p.QID)
		}
		if p.Phone != "" {
			t.phones = append(t.phones, strings.TrimPrefix(p.Phone, "+974"))
		}
	}
	return t, nil
}

// probe is one latency figure: who asks, and the address of the i-th request.
type probe struct {
	name   string
	client *http.Client
	path   func(i int) string
}

func (t targets) probes(b *bench) []probe {
	at := func(xs []string, i int) string { return xs[i%len(xs)] }
	search := func(xs []string) func(int) string {
		return func(i int) string { return "/api/v1/beneficiaries?q=" + url.QueryEscape(at(xs, i)) }
	}
	return []probe{
		{"case page, HTML (GET /cases/{id})", b.supervisor, func(i int) string { return "/cases/" + at(t.cases, i) }},
		{"case, API (GET /api/v1/cases/{id})", b.supervisor, func(i int) string { return "/api/v1/cases/" + at(t.cases, i) }},
		{"search by name (two words, Arabic)", b.supervisor, search(t.names)},
		{"search by QID", b.supervisor, search(t.qids)},
		{"search by phone (8 digits)", b.supervisor, search(t.phones)},
		{"triage queue (GET /api/v1/triage)", b.supervisor, func(int) string { return "/api/v1/triage" }},
		{"triage queue, HTML (GET /triage)", b.supervisor, func(int) string { return "/triage" }},
		{"worker's dashboard (GET /dashboard, 40 cases)", b.worker, func(int) string { return "/dashboard" }},
		{"operator's console (GET /hotline)", b.operator, func(int) string { return "/hotline" }},
	}
}

func (b *bench) latency(ctx context.Context, p probe) ([]time.Duration, error) {
	// A few requests first, so connections and caches are warm as in steady use.
	for i := range 10 {
		if _, err := b.get(ctx, p.client, p.path(i)); err != nil {
			return nil, err
		}
	}
	lat := make([]time.Duration, 0, b.cfg.samples)
	for i := range b.cfg.samples {
		d, err := b.get(ctx, p.client, p.path(i))
		if err != nil {
			return nil, err
		}
		lat = append(lat, d)
	}
	return lat, nil
}

func (b *bench) get(ctx context.Context, c *http.Client, path string) (time.Duration, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.cfg.url+path, nil)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("GET %s: %s", strings.SplitN(path, "?", 2)[0], resp.Status)
	}
	return d, nil
}

// intakeThroughput has every client log calls as fast as the server acknowledges them.
func (b *bench) intakeThroughput(ctx context.Context) (float64, []time.Duration, int) {
	summary := strings.Repeat("المتصلة تشكو من إساءة لفظية متكررة وتطلب استشارة حول حقوقها. ", 3)
	var mu sync.Mutex
	var all []time.Duration
	var ok, failed atomic.Int64
	start := time.Now()
	deadline := start.Add(b.cfg.duration)
	var wg sync.WaitGroup
	for range b.cfg.clients {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				now := time.Now().UTC()
				body, _ := json.Marshal(map[string]any{"started_at": now.Add(-6 * time.Minute).Format(time.RFC3339),
					"ended_at": now.Add(-time.Minute).Format(time.RFC3339), "caller_type": "victim", "contact_kind": "counselling",
					"reasons": []string{"violence_psychological"}, "outcome": "counselling", "immediate_danger": false, "summary": summary})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.cfg.url+"/api/v1/calls", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := b.operator.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					failed.Add(1)
					continue
				}
				mine = append(mine, time.Since(t0))
				ok.Add(1)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return float64(ok.Load()) / time.Since(start).Seconds(), all, int(failed.Load())
}

// The raw baselines insert straight into the engine, through database/sql on the pool the server's
// writes use, one transaction per call from as many goroutines as there were clients: every call is
// committed before the next is sent, as every call is before the API acknowledges it. No sealing,
// MACs, validation, HTTP or group commit. Two baselines, because "the same rows" can be read two ways:
//
//   - one call row: a row shaped like a call (ids, times, codes and a summary of the sealed one's size)
//     into a table with a primary key only;
//   - the call's rows: what the application stores for one call, into copies of its tables with the
//     same indexes: the call, its reason, its audit entry, and the chain head moved on.
//
// rawBaselines returns both, the call's rows first.
func rawBaselines() []rawBaseline {
	oneRow := rawBaseline{
		name: "one call row",
		setup: map[store.Engine][]string{
			store.SQLite: {`CREATE TABLE bench_raw_calls (id TEXT PRIMARY KEY, operator_id TEXT, started_at BIGINT, ended_at BIGINT,
			caller_type TEXT, contact_kind TEXT, outcome TEXT, summary_sealed BLOB, created_at BIGINT)`},
			store.Postgres: {`CREATE TABLE bench_raw_calls (id TEXT PRIMARY KEY, operator_id TEXT, started_at BIGINT, ended_at BIGINT,
			caller_type TEXT, contact_kind TEXT, outcome TEXT, summary_sealed BYTEA, created_at BIGINT)`},
		},
		tables: []string{"bench_raw_calls"},
		statements: []string{`INSERT INTO bench_raw_calls (id, operator_id, started_at, ended_at, caller_type, contact_kind, outcome,
		summary_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`},
		args: func(r rawRow) [][]any {
			return [][]any{{r.id, r.operatorID, r.now - 360000, r.now - 60000, "victim", "counselling", "counselling", r.summary, r.now}}
		},
	}
	callRows := rawBaseline{
		name:   "the call's rows",
		copies: []string{"calls", "call_reasons", "audit_log", "audit_head"},
		tables: []string{"bench_raw_call_reasons", "bench_raw_calls", "bench_raw_audit_log", "bench_raw_audit_head"},
		statements: []string{
			`INSERT INTO bench_raw_calls (id, status, started_at, ended_at, duration_ms, caller_type, contact_kind, non_counselling_kind,
			immediate_danger, weapon, children_present, suicide_risk, outcome, summary_sealed, callback_safety, operator_id,
			logged_at, created_at, updated_at) VALUES ($1, 'logged', $2, $3, 300000, 'victim', 'counselling', '', FALSE, FALSE, FALSE,
			FALSE, 'counselling', $4, '', $5, $6, $6, $6)`,
			`INSERT INTO bench_raw_call_reasons (call_id, code) VALUES ($1, 'violence_psychological')`,
			`INSERT INTO bench_raw_audit_log (seq, at, actor_id, actor_role, action, entity, entity_id, ip, request_id, break_glass,
			detail, prev_hash, hash) VALUES ($1, $2, $3, 'hotline_operator', 'call.log', 'call', $4, '127.0.0.1', $5, FALSE,
			'{"contact_kind":"counselling","outcome":"counselling"}', $6, $6)`,
			`UPDATE bench_raw_audit_head SET last_seq = $1, last_hash = $2, mac = $2 WHERE id = 1`,
		},
		args: func(r rawRow) [][]any {
			return [][]any{
				{r.id, r.now - 360000, r.now - 60000, r.summary, r.operatorID, r.now},
				{r.id},
				{r.seq, r.now, r.operatorID, r.id, r.id, r.hash},
				{r.seq, r.hash},
			}
		},
	}
	return []rawBaseline{callRows, oneRow}
}

// rawBaseline is one way of inserting a call's worth of rows straight into the engine.
type rawBaseline struct {
	name string
	// setup creates the scratch tables, per engine; copies names tables of the schema to copy instead,
	// with their indexes, as bench_raw_<name>.
	setup  map[store.Engine][]string
	copies []string
	// tables are dropped afterwards, in this order.
	tables     []string
	statements []string
	args       func(rawRow) [][]any
}

// rawRow is what one raw insert writes.
type rawRow struct {
	id, operatorID string
	now, seq       int64
	summary, hash  []byte
}

func (b *bench) rawInsertRate(ctx context.Context, base rawBaseline) (float64, error) {
	pool := b.db.WritePool()
	setup := base.setup[b.db.Engine()]
	if len(base.copies) > 0 {
		var err error
		if setup, err = copyTables(ctx, pool, b.db.Engine(), base.copies); err != nil {
			return 0, err
		}
	}
	exec := func(q string) error { _, err := pool.ExecContext(ctx, q); return err }
	defer func() {
		for _, t := range base.tables {
			_ = exec(`DROP TABLE IF EXISTS ` + t)
		}
	}()
	for _, q := range setup {
		if err := exec(q); err != nil {
			return 0, fmt.Errorf("raw baseline %q: %w", base.name, err)
		}
	}
	stmts := make([]*sql.Stmt, len(base.statements))
	for i, q := range base.statements {
		st, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return 0, fmt.Errorf("raw baseline %q: %w", base.name, err)
		}
		defer st.Close()
		stmts[i] = st
	}
	summary, hash := make([]byte, 420), make([]byte, 32)
	insert := func(c, i int) error {
		tx, err := pool.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		now := time.Now().UnixMilli()
		r := rawRow{id: fmt.Sprintf("%d-%d-%d", c, i, now), operatorID: b.operatorID, now: now,
			seq: int64(c+1)<<40 | int64(i), summary: summary, hash: hash}
		for k, args := range base.args(r) {
			if _, err := tx.StmtContext(ctx, stmts[k]).ExecContext(ctx, args...); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
		return tx.Commit()
	}
	var n atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	deadline := start.Add(b.cfg.duration)
	var wg sync.WaitGroup
	for c := range b.cfg.clients {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				if err := insert(c, i); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, fmt.Errorf("raw baseline %q: %w", base.name, err)
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

// copyTables returns the statements that create bench_raw_<name> for each named table, with the same
// columns, constraints and indexes (on PostgreSQL, foreign keys aside), and copy the one-row chain head.
func copyTables(ctx context.Context, pool *sql.DB, engine store.Engine, names []string) ([]string, error) {
	var out []string
	if engine == store.Postgres {
		for _, n := range names {
			out = append(out, `CREATE TABLE bench_raw_`+n+` (LIKE `+n+` INCLUDING ALL)`)
		}
		return append(out, `INSERT INTO bench_raw_audit_head SELECT * FROM audit_head`), nil
	}
	renamed := regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)
	indexName := regexp.MustCompile(`^CREATE (UNIQUE )?INDEX (\w+)`)
	for _, n := range names {
		rows, err := pool.QueryContext(ctx, `SELECT type, sql FROM sqlite_master WHERE tbl_name = $1 AND type IN ('table', 'index')
			AND sql IS NOT NULL ORDER BY type = 'index'`, n)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var kind, ddl string
			if err := rows.Scan(&kind, &ddl); err != nil {
				rows.Close()
				return nil, err
			}
			ddl = renamed.ReplaceAllString(ddl, "bench_raw_$1")
			if kind == "index" {
				ddl = indexName.ReplaceAllString(ddl, "CREATE ${1}INDEX bench_raw_$2")
			}
			out = append(out, ddl)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return append(out, `INSERT INTO bench_raw_audit_head SELECT * FROM audit_head`), nil
}

// watchMemory polls the server's resident memory from /metrics and keeps the peak.
func (b *bench) watchMemory(ctx context.Context) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss := b.scrapeRSS(ctx); rss > b.peakRSS.Load() {
				b.peakRSS.Store(rss)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

func (b *bench) scrapeRSS(ctx context.Context) int64 {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.cfg.url+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return int64(f)
		}
	}
	return 0
}

// pct is the p-th percentile of lat, in milliseconds.
func pct(lat []time.Duration, p int) string {
	if len(lat) == 0 {
		return "–"
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return fmt.Sprintf("%.1f ms", float64(s[max(i, 0)].Microseconds())/1000)
}
