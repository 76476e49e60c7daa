package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// Two `aman serve` processes share one database, as nodes behind a load balancer share one PostgreSQL
// (on SQLite, one data directory on one host). A session opened on one works on the other, and the
// periodic job runs once per period between them, never twice. No browser is needed.
func TestTwoNodesShareOneDatabase(t *testing.T) {
	cfg := storetest.Config(t)
	a := startServerOn(t, cfg, "--node", "node-a", "--session-purge-every", "1s")
	b := startServerOn(t, cfg, "--node", "node-b", "--session-purge-every", "1s")

	secret := apptest.SecretFromURI(t, strings.TrimSpace(a.cli(t, apptest.StrongPassword+"\n",
		"user", "create", "--username", "node.tester", "--role", "case_worker", "--password-stdin")))
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	body, _ := json.Marshal(map[string]string{"username": "node.tester", "password": apptest.StrongPassword, "otp": apptest.Code(t, secret, time.Now())})
	resp, err := client.Post(a.URL+"/api/v1/session", "application/json", strings.NewReader(string(body)))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("sign in on node A: %v %v", resp.Status, err)
	}
	resp.Body.Close()
	// The cookie was set for node A's address; present it to node B as a load balancer would.
	aURL, _ := url.Parse(a.URL)
	bURL, _ := url.Parse(b.URL)
	jar.SetCookies(bURL, jar.Cookies(aURL))
	resp, err = client.Get(b.URL + "/dashboard")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("node A's session on node B: %v %v", resp.Status, err)
	}
	resp.Body.Close()

	db := openShared(t, cfg)
	checkPurgeRanOncePerPeriod(t, db, 4, 40*time.Second)
}

// Two nodes take intake at once, as a load balancer spreads it: eight hotline operators' clients log
// calls on both nodes through one session, and the public report form is filled on both. Every
// acknowledged write is in the database exactly once, nothing else is, the public rate limit is one
// limit across the nodes, the periodic job still runs once per period, and the audit chain is whole.
func TestTwoNodesTakeIntakeLoadTogether(t *testing.T) {
	cfg := storetest.Config(t)
	a := startServerOn(t, cfg, "--node", "node-a", "--session-purge-every", "1s")
	b := startServerOn(t, cfg, "--node", "node-b", "--session-purge-every", "1s")
	nodes := []*server{a, b}

	// A TOTP code signs in once, so every client shares the one session, presented to both nodes.
	secret := apptest.SecretFromURI(t, strings.TrimSpace(a.cli(t, apptest.StrongPassword+"\n",
		"user", "create", "--username", "load.operator", "--role", "hotline_operator", "--password-stdin")))
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	signIn, _ := json.Marshal(map[string]string{"username": "load.operator", "password": apptest.StrongPassword, "otp": apptest.Code(t, secret, time.Now())})
	resp, err := client.Post(a.URL+"/api/v1/session", "application/json", strings.NewReader(string(signIn)))
	if err != nil {
		t.Fatalf("sign in on node A: %v", err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != 200 || len(cookies) == 0 {
		t.Fatalf("sign in on node A: %s, %d cookies", resp.Status, len(cookies))
	}

	// post sends one JSON request and returns the status and decoded answer, or the transport error.
	post := func(node *server, path string, body any, session bool) (int, map[string]any, string, error) {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", node.URL+path, strings.NewReader(string(raw)))
		req.Header.Set("Content-Type", "application/json")
		if session {
			for _, c := range cookies {
				req.AddCookie(c)
			}
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, "", err
		}
		defer resp.Body.Close()
		text, err := io.ReadAll(resp.Body)
		if err != nil {
			return resp.StatusCode, nil, "", err
		}
		var out map[string]any
		_ = json.Unmarshal(text, &out)
		return resp.StatusCode, out, string(text), nil
	}

	// The load: workers × callsEach calls, alternating nodes, and beside them as many public reports as one
	// address may send in a window, half to each node. Anything but 201 is an unacknowledged request.
	const workers, callsEach = 8, 25
	reportsTotal := app.DefaultPublicLimits().SubmissionsPerIP
	var (
		mu         sync.Mutex
		callIDs    []string
		references []string
		failures   []string
		ackedBy    = map[string]int{}
	)
	names := map[*server]string{a: "node A", b: "node B"}
	// record files one answer: the id under key of a 201 into acked, anything else into failures.
	record := func(node *server, what string, status int, answer map[string]any, text string, err error, key string, acked *[]string) {
		mu.Lock()
		defer mu.Unlock()
		id, _ := answer[key].(string)
		switch {
		case err != nil:
			failures = append(failures, fmt.Sprintf("%s on %s: no answer: %v", what, names[node], err))
		case status != 201 || id == "":
			failures = append(failures, fmt.Sprintf("%s on %s: %d %s", what, names[node], status, strings.TrimSpace(text)))
		default:
			*acked = append(*acked, id)
			ackedBy[names[node]]++
		}
	}
	hourBefore := time.Now().UTC().Truncate(time.Hour)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range callsEach {
				node := nodes[(w+i)%len(nodes)]
				started := time.Now().Add(-time.Duration(10+i) * time.Minute)
				call := map[string]any{"started_at": started.Format(time.RFC3339), "ended_at": started.Add(4 * time.Minute).Format(time.RFC3339),
					"caller_type": "victim", "contact_kind": "counselling", "reasons": []string{"violence_physical"}, "outcome": "counselling",
					"immediate_danger": false, "summary": fmt.Sprintf("load call %d from worker %d", i, w)}
				status, answer, text, err := post(node, "/api/v1/calls", call, true)
				record(node, fmt.Sprintf("call %d/%d", w, i), status, answer, text, err, "id", &callIDs)
			}
		})
	}
	// The public reports go in beside the calls, from their own goroutines, half to each node.
	for r := range reportsTotal {
		wg.Go(func() {
			node := nodes[r%len(nodes)]
			report := map[string]any{"passphrase": "load passphrase " + strconv.Itoa(r), "message": "a report under load",
				"about": "woman", "urgency": "normal"}
			status, answer, text, err := post(node, "/public/api/v1/reports", report, false)
			record(node, fmt.Sprintf("report %d", r), status, answer, text, err, "reference", &references)
		})
	}
	wg.Wait()

	// The allowance is one count in the database, so the next report is refused on either node. Only
	// when the hour turned during the test has a new window begun, and then the report is simply taken.
	for _, node := range nodes {
		status, answer, text, err := post(node, "/public/api/v1/reports", map[string]any{"passphrase": "one report too many",
			"message": "one report too many", "about": "child", "urgency": "normal"}, false)
		if hourBefore.Equal(time.Now().UTC().Truncate(time.Hour)) {
			refusal, _ := answer["error"].(map[string]any)
			if err != nil || status != 429 || refusal["code"] != "rate_limited" {
				t.Errorf("report %d, past the allowance of %d per address, on %s: %d %s %v, want 429 rate_limited",
					reportsTotal+1, reportsTotal, names[node], status, strings.TrimSpace(text), err)
			}
			continue
		}
		record(node, "report past the allowance in a new hour", status, answer, text, err, "reference", &references)
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d requests were not acknowledged:\n%s", len(failures), workers*callsEach+reportsTotal, strings.Join(failures, "\n"))
	}
	if ackedBy["node A"] == 0 || ackedBy["node B"] == 0 {
		t.Fatalf("acknowledged writes by node: %v; both nodes must have taken some", ackedBy)
	}

	db := openShared(t, cfg)
	count := func(query string, args ...any) int { return countRows(t, db, query, args...) }
	for _, id := range callIDs {
		if n := count(`SELECT COUNT(*) FROM calls WHERE id = $1`, id); n != 1 {
			t.Errorf("acknowledged call %s is in the database %d times, want once", id, n)
		}
	}
	for _, ref := range references {
		if n := count(`SELECT COUNT(*) FROM public_requests WHERE reference = $1`, ref); n != 1 {
			t.Errorf("acknowledged report %s is in the database %d times, want once", ref, n)
		}
	}
	if n := count(`SELECT COUNT(*) FROM calls`); n != len(callIDs) {
		t.Errorf("the database holds %d calls, but %d were acknowledged", n, len(callIDs))
	}
	if n := count(`SELECT COUNT(*) FROM public_requests`); n != len(references) {
		t.Errorf("the database holds %d public requests, but %d were acknowledged", n, len(references))
	}

	checkPurgeRanOncePerPeriod(t, db, 2, 20*time.Second)

	out := strings.TrimSpace(b.cli(t, "", "audit", "verify"))
	m := regexp.MustCompile(`^ok (\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("aman audit verify printed %q, want ok N", out)
	}
	writes := len(callIDs) + len(references)
	if n, _ := strconv.Atoi(m[1]); n < writes {
		t.Errorf("aman audit verify counted %d entries, fewer than the %d acknowledged writes", n, writes)
	}
	t.Logf("acknowledged %d calls and %d reports (%v); %s", len(callIDs), len(references), ackedBy, out)
}

// openShared opens the nodes' database from the test, to check what they wrote.
func openShared(t *testing.T, cfg store.Config) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// countRows runs a COUNT query on db.
func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, query, args...).Scan(&n)
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkPurgeRanOncePerPeriod waits up to wait for the session purge to have run at least min times
// between the nodes, and fails if two runs share a period: one leader schedules it, whichever node it is.
func checkPurgeRanOncePerPeriod(t *testing.T, db *store.DB, min int, wait time.Duration) {
	t.Helper()
	count := func(query string) int { return countRows(t, db, query) }
	const runs = `SELECT COUNT(*) FROM job_runs WHERE job = 'purge_expired_sessions'`
	for deadline := time.Now().Add(wait); count(runs) < min && time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
	}
	n, periods := count(runs), count(`SELECT COUNT(DISTINCT period) FROM job_runs WHERE job = 'purge_expired_sessions'`)
	if n < min {
		t.Fatalf("the periodic job ran %d times in %s on two nodes, want at least %d", n, wait, min)
	}
	if n != periods {
		t.Fatalf("%d runs covered %d periods: two nodes ran the same period", n, periods)
	}
}
