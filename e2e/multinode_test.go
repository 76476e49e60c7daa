package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

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

	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(query string) int {
		var n int
		if err := db.Read(context.Background(), func(ctx context.Context, tx *store.Tx) error {
			return tx.QueryRowContext(ctx, query).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const runs = `SELECT COUNT(*) FROM job_runs WHERE job = 'purge_expired_sessions'`
	for deadline := time.Now().Add(40 * time.Second); count(runs) < 4 && time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
	}
	n, periods := count(runs), count(`SELECT COUNT(DISTINCT period) FROM job_runs WHERE job = 'purge_expired_sessions'`)
	if n < 4 {
		t.Fatalf("the periodic job ran %d times in 40 s on two nodes, want at least 4", n)
	}
	if n != periods {
		t.Fatalf("%d runs covered %d periods: two nodes ran the same period", n, periods)
	}
}
