package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"aman.qa/aman/app/apptest"
)

// staffClient creates an account through the CLI and signs it in through the API.
func staffClient(t *testing.T, ts *testServer, username, role string, extra ...string) *client {
	t.Helper()
	args := append([]string{"user", "create", "--username", username, "--role", role, "--password-stdin", "--data", ts.cfg.DataDir}, extra...)
	if ts.cfg.DatabaseURL != "" {
		args = append(args, "--database-url", ts.cfg.DatabaseURL)
	}
	var out strings.Builder
	if err := run(context.Background(), args, envFrom(nil), strings.NewReader(apptest.StrongPassword+"\n"), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, ts.URL)
	code := apptest.Code(t, apptest.SecretFromURI(t, strings.TrimSpace(out.String())), time.Now())
	if status, body := c.json("POST", "/api/v1/session", map[string]string{"username": username, "password": apptest.StrongPassword, "otp": code}); status != 200 {
		t.Fatalf("sign in %s: %d %v", username, status, body)
	}
	return c
}

func TestCaseAPIWithNeedToKnowAndBreakGlass(t *testing.T) {
	ts := startServer(t)
	worker := staffClient(t, ts, "worker.one", "case_worker")
	colleague := staffClient(t, ts, "worker.two", "case_worker")
	analyst := staffClient(t, ts, "analyst.one", "analyst")

	status, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_ar": "مريم", "sex": "female"})
	if status != 201 {
		t.Fatalf("register: %d %v", status, person)
	}
	status, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	if status != 201 || opened["status"] != "new" || !regexp.MustCompile(`^AMN-\d{4}-000001$`).MatchString(fmt.Sprint(opened["number"])) {
		t.Fatalf("open: %d %v", status, opened)
	}
	id := opened["id"].(string)
	if status, body := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": "nobody"}); status != 404 {
		t.Fatalf("open for nobody: %d %v", status, body)
	}
	if status, got := worker.json("GET", "/api/v1/cases/"+id, nil); status != 200 || got["access_basis"] != "assigned" {
		t.Fatalf("worker reads: %d %v", status, got)
	}
	if status, body := analyst.json("GET", "/api/v1/cases/"+id, nil); status != 403 || errorCode(body) != "forbidden" {
		t.Fatalf("analyst reads: %d %v", status, body)
	}
	if status, body := colleague.json("GET", "/api/v1/cases/"+id+"?lang=en", nil); status != 403 || errorCode(body) != "break_glass_required" {
		t.Fatalf("colleague reads: %d %v", status, body)
	}
	if status, body := colleague.json("POST", "/api/v1/cases/"+id+"/break-glass", map[string]string{"reason": "need it"}); status != 422 || errorCode(body) != "reason_too_short" {
		t.Fatalf("short reason: %d %v", status, body)
	}
	if status, body := colleague.json("POST", "/api/v1/cases/"+id+"/break-glass", map[string]string{"reason": "The police called at night and the assigned worker cannot be reached"}); status != 201 || body["expires_at"] == nil {
		t.Fatalf("break-glass: %d %v", status, body)
	}
	if status, got := colleague.json("GET", "/api/v1/cases/"+id, nil); status != 200 || got["access_basis"] != "break_glass" || got["break_glass_expires_at"] == nil {
		t.Fatalf("colleague after break-glass: %d %v", status, got)
	}
}

func TestInstrumentsAPI(t *testing.T) {
	ts := startServer(t)
	c := staffClient(t, ts, "worker.one", "case_worker")
	yes := func(n int) map[string]bool {
		answers := map[string]bool{}
		for i := 1; i <= 24; i++ {
			answers[fmt.Sprint(i)] = i <= n
		}
		return answers
	}
	tests := []struct {
		name      string
		body      map[string]any
		wantLevel string
		wantMARAC bool
	}{
		{"9 yes", map[string]any{"answers": yes(9)}, "standard", false},
		{"10 yes", map[string]any{"answers": yes(10)}, "medium", false},
		{"13 yes", map[string]any{"answers": yes(13)}, "medium", false},
		{"14 yes", map[string]any{"answers": yes(14)}, "high", true},
		{"judgement raises", map[string]any{"answers": yes(3), "professional_judgement": "high"}, "high", true},
		{"judgement never lowers", map[string]any{"answers": yes(20), "professional_judgement": "standard"}, "high", true},
	}
	for _, tc := range tests {
		status, got := c.json("POST", "/api/v1/instruments/dash/score", tc.body)
		if status != 200 || got["level"] != tc.wantLevel || got["marac_referral"] != tc.wantMARAC {
			t.Errorf("%s: %d %v", tc.name, status, got)
		}
	}
	if status, got := c.json("POST", "/api/v1/incidents/classify", map[string]any{"acts": []string{"psychological_abuse", "physical_assault"}}); status != 200 || got["type"] != "physical_assault" {
		t.Errorf("classify: %d %v", status, got)
	}
	if status, got := c.json("POST", "/api/v1/incidents/classify", map[string]any{"acts": []string{}}); status != 200 || got["type"] != "non_gbv" {
		t.Errorf("classify nothing: %d %v", status, got)
	}
	if status, got := c.json("POST", "/api/v1/incidents/classify", map[string]any{"acts": []string{"shouting"}}); status != 422 || errorCode(got) != "unknown_act" {
		t.Errorf("unknown act: %d %v", status, got)
	}
}
