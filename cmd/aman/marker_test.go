package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/textnorm"
)

// markerPerson holds values that exist nowhere else, so finding any of them (or a normalized form) in
// the database files, a dump or the logs proves a leak.
var markerPerson = map[string]string{
	"name_ar":    "زبرجدينة قرنفلستان",
	"name_en":    "Zabarjadina Qaranfilstan",
	"birth_date": "1931-02-27",
	"qid":        "29363400777",
	"phone":      "+974 5555 9871",
}

func markerForms() []string {
	forms := []string{"29363400777", "+97455559871", "55559871", "5555 9871", "1931-02-27"}
	for _, key := range []string{"name_ar", "name_en"} {
		forms = append(forms, markerPerson[key])
		forms = append(forms, strings.Fields(markerPerson[key])...)
		forms = append(forms, textnorm.NameTokens(markerPerson[key])...)
	}
	return forms
}

// A whole journey with marker values, then a search of the raw SQLite files (with the WAL) or of a
// pg_dump, and of the server's logs: not one marker, in any form, may appear.
func TestSealedDataNeverReachesTheDatabaseOrLogsInPlaintext(t *testing.T) {
	ts := startServer(t)
	storage := []string{"--data", ts.cfg.DataDir}
	if ts.cfg.DatabaseURL != "" {
		storage = append(storage, "--database-url", ts.cfg.DatabaseURL)
	}
	var out strings.Builder
	args := append([]string{"user", "create", "--username", "marker.worker", "--role", "case_worker", "--password-stdin"}, storage...)
	if err := run(context.Background(), args, envFrom(nil), strings.NewReader(apptest.StrongPassword+"\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, ts.URL)
	code := apptest.Code(t, apptest.SecretFromURI(t, strings.TrimSpace(out.String())), time.Now())
	if status, body := c.json("POST", "/api/v1/session", map[string]string{"username": "marker.worker", "password": apptest.StrongPassword, "otp": code}); status != 200 {
		t.Fatalf("sign in: %d %v", status, body)
	}
	status, created := c.json("POST", "/api/v1/beneficiaries", markerPerson)
	if status != 201 {
		t.Fatalf("create: %d %v", status, created)
	}
	id := created["id"].(string)
	if status, got := c.json("GET", "/api/v1/beneficiaries/"+id, nil); status != 200 || got["name_en"] != markerPerson["name_en"] {
		t.Fatalf("read back: %d %v", status, got)
	}
	for _, q := range []string{markerPerson["name_en"], "قرنفلستان", "29363400777", "55559871"} {
		status, found := c.json("GET", "/api/v1/beneficiaries?q="+url.QueryEscape(q), nil)
		if items, _ := found["items"].([]any); status != 200 || len(items) != 1 {
			t.Fatalf("search %q: %d %v", q, status, found)
		}
	}
	// A bad QID must be refused without echoing it.
	if status, body := c.json("POST", "/api/v1/beneficiaries", map[string]string{"name_en": markerPerson["name_en"], "qid": "19363400777"}); status != 422 || errorCode(body) != "invalid_qid" {
		t.Fatalf("bad QID: %d %v", status, body)
	}

	ts.stop(t)
	haystack := storedBytes(t, ts)
	for _, form := range markerForms() {
		if bytes.Contains(haystack, []byte(form)) {
			t.Errorf("the database holds %q in plaintext", form)
		}
	}
	logs := ts.stderr.String()
	if !strings.Contains(logs, `"route":"POST /api/v1/beneficiaries"`) {
		t.Fatalf("the logs lack the requests; the test would prove nothing:\n%.1000s", logs)
	}
	for _, form := range markerForms() {
		if strings.Contains(logs, form) {
			t.Errorf("the logs hold %q", form)
		}
	}
}

// storedBytes is everything a stopped test server left in its database, as an attacker with a copy
// would see it: the raw SQLite files (with the WAL), or a pg_dump of the test's schema.
func storedBytes(t *testing.T, ts *testServer) []byte {
	t.Helper()
	if ts.cfg.DatabaseURL != "" {
		return pgDump(t, ts.cfg.DatabaseURL)
	}
	var haystack []byte
	files, _ := filepath.Glob(filepath.Join(ts.cfg.DataDir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		haystack = append(haystack, b...)
	}
	if len(haystack) < 4096 {
		t.Fatalf("read only %d bytes of database files", len(haystack))
	}
	return haystack
}

// pgDump dumps the test's own schema, as an attacker with a copy of the database would.
func pgDump(t *testing.T, databaseURL string) []byte {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	cmd := exec.Command("pg_dump", "--no-owner", "--schema="+schema, u.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.String())
	}
	if !bytes.Contains(dump, []byte("beneficiaries")) {
		t.Fatal("the dump does not contain the beneficiaries table")
	}
	return dump
}
