package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Free text that exists nowhere else: finding any of it in the database files or a dump proves that
// a sealed column leaked.
var caseWorkMarkers = map[string]string{
	"narrative":     "Qorvandelith pushed her against the Zelmorinth door",
	"assessment":    "Vextrabolin sleeps at the Quarnesh cousin",
	"goal":          "Plumravistan sewing certificate",
	"intervention":  "Enrol at Drovenkaal training centre",
	"progress_note": "Attended Yastromelle workshop twice",
	"safety_plan":   "Hide the Brindlewaxe bag with passports",
	"delivery_note": "Paid the Korthumbel rent deposit",
}

func TestCaseWorkThroughTheAPI(t *testing.T) {
	ts := startServer(t)
	worker := staffClient(t, ts, "worker.one", "case_worker")
	colleague := staffClient(t, ts, "worker.two", "case_worker")
	analyst := staffClient(t, ts, "analyst.one", "analyst")

	qatar := time.FixedZone("AST", 3*60*60)
	today := time.Now().In(qatar)
	incidentDay := today.AddDate(0, 0, -10)
	born := incidentDay.AddDate(-15, 0, -30) // fifteen on the day of the incident
	status, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_ar": "ريم", "birth_date": born.Format(time.DateOnly)})
	if status != 201 {
		t.Fatalf("register: %d %v", status, person)
	}
	status, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	if status != 201 {
		t.Fatalf("open: %d %v", status, opened)
	}
	base := "/api/v1/cases/" + opened["id"].(string)

	// Incidents.
	status, incident := worker.json("POST", base+"/incidents", map[string]any{"occurred_on": incidentDay.Format(time.DateOnly), "place_type": "home",
		"acts": []string{"unwanted_sexual_contact", "psychological_abuse"}, "perpetrator_relationships": []string{"other_relative"},
		"harms": []string{"sexual", "verbal"}, "narrative": caseWorkMarkers["narrative"]})
	if status != 201 || incident["type"] != "sexual_assault" || fmt.Sprint(incident["contexts"]) != "[child_sexual_abuse]" || incident["survivor_age"] != float64(15) {
		t.Fatalf("record incident: %d %v", status, incident)
	}
	if status, body := worker.json("POST", base+"/incidents", map[string]any{"occurred_on": incidentDay.Format(time.DateOnly), "place_type": "car"}); status != 422 || errorCode(body) != "invalid_place_type" {
		t.Fatalf("bad place: %d %v", status, body)
	}
	status, list := worker.json("GET", base+"/incidents", nil)
	if items, _ := list["items"].([]any); status != 200 || len(items) != 1 || items[0].(map[string]any)["narrative"] != caseWorkMarkers["narrative"] {
		t.Fatalf("list incidents: %d %v", status, list)
	}
	if status, body := colleague.json("GET", base+"/incidents", nil); status != 403 || errorCode(body) != "break_glass_required" {
		t.Fatalf("a colleague outside the case: %d %v", status, body)
	}
	if status, body := analyst.json("GET", base+"/incidents", nil); status != 403 || errorCode(body) != "forbidden" {
		t.Fatalf("an analyst: %d %v", status, body)
	}

	// The comprehensive assessment.
	status, saved := worker.json("POST", base+"/assessments", map[string]any{"sections": map[string]any{
		"safety":      map[string]any{"text": caseWorkMarkers["assessment"], "fields": map[string]any{"safe_at_home": false}},
		"child_needs": map[string]any{"fields": map[string]any{"attends_school": true}},
	}})
	if status != 201 || saved["version"] != float64(1) {
		t.Fatalf("save assessment: %d %v", status, saved)
	}
	status, got := worker.json("GET", base+"/assessments", nil)
	if safety, _ := got["sections"].(map[string]any)["safety"].(map[string]any); status != 200 || safety["text"] != caseWorkMarkers["assessment"] || got["versions"] != float64(1) {
		t.Fatalf("read assessment: %d %v", status, got)
	}
	if status, body := worker.json("POST", base+"/assessments", map[string]any{"sections": map[string]any{"hobbies": map[string]any{"text": "x"}}}); status != 422 || errorCode(body) != "invalid_section" {
		t.Fatalf("unknown section: %d %v", status, body)
	}

	// Immediate danger: critical at once, and the safety plan becomes required.
	status, result := worker.json("POST", base+"/risk-assessments", map[string]any{"instrument": "child_protection", "answers": map[string]bool{"1": true}})
	if status != 201 || result["immediate_danger"] != true || result["band"] != "high" || result["instrument_id"] != "child_protection" {
		t.Fatalf("record risk: %d %v", status, result)
	}
	if status, k := worker.json("GET", base, nil); status != 200 || k["priority"] != "critical" {
		t.Fatalf("case after immediate danger: %d %v", status, k)
	}
	status, risk := worker.json("GET", base+"/risk-assessments", nil)
	summary, _ := risk["summary"].(map[string]any)
	if status != 200 || summary["safety_plan_missing"] != true || summary["immediate_danger"] != true || len(risk["items"].([]any)) != 1 {
		t.Fatalf("risk summary: %d %v", status, risk)
	}
	if status, body := worker.json("POST", base+"/risk-assessments", map[string]any{"instrument": "dash", "answers": map[string]bool{"25": true}}); status != 422 || errorCode(body) != "unknown_item" {
		t.Fatalf("unknown item: %d %v", status, body)
	}
	reviewOn := today.AddDate(0, 0, 7).Format(time.DateOnly)
	if status, plan := worker.json("PUT", base+"/safety-plan", map[string]string{"text": caseWorkMarkers["safety_plan"], "review_on": reviewOn}); status != 200 || plan["version"] != float64(1) {
		t.Fatalf("safety plan: %d %v", status, plan)
	}
	if _, risk := worker.json("GET", base+"/risk-assessments", nil); risk["summary"].(map[string]any)["safety_plan_missing"] != false {
		t.Fatalf("safety plan still missing: %v", risk)
	}

	// The care plan.
	status, goal := worker.json("POST", base+"/care-plan/goals", map[string]string{"track": "education", "description": caseWorkMarkers["goal"], "due_on": reviewOn})
	if status != 201 || goal["status"] != "planned" {
		t.Fatalf("add goal: %d %v", status, goal)
	}
	goalPath := base + "/care-plan/goals/" + goal["id"].(string)
	if status, body := worker.json("PATCH", goalPath, map[string]string{"status": "in_progress"}); status != 200 || body["status"] != "in_progress" || body["description"] != caseWorkMarkers["goal"] {
		t.Fatalf("change goal: %d %v", status, body)
	}
	status, iv := worker.json("POST", goalPath+"/interventions", map[string]string{"description": caseWorkMarkers["intervention"]})
	if status != 201 {
		t.Fatalf("add intervention: %d %v", status, iv)
	}
	if status, body := worker.json("PATCH", goalPath+"/interventions/"+iv["id"].(string), map[string]string{"status": "achieved"}); status != 200 || body["status"] != "achieved" {
		t.Fatalf("change intervention: %d %v", status, body)
	}
	if status, body := worker.json("POST", goalPath+"/progress-notes", map[string]string{"text": caseWorkMarkers["progress_note"]}); status != 201 {
		t.Fatalf("progress note: %d %v", status, body)
	}
	if status, body := worker.json("PUT", base+"/care-plan", map[string]string{"review_on": reviewOn}); status != 200 || body["review_on"] != reviewOn {
		t.Fatalf("review date: %d %v", status, body)
	}
	status, plan := worker.json("GET", base+"/care-plan", nil)
	goals, _ := plan["goals"].([]any)
	if status != 200 || len(goals) != 1 || plan["review_on"] != reviewOn || plan["safety_plan"].(map[string]any)["text"] != caseWorkMarkers["safety_plan"] {
		t.Fatalf("read plan: %d %v", status, plan)
	}
	if g := goals[0].(map[string]any); len(g["interventions"].([]any)) != 1 || len(g["progress_notes"].([]any)) != 1 {
		t.Fatalf("goal read back: %v", g)
	}

	// Services.
	status, catalogue := worker.json("GET", "/api/v1/services", nil)
	if items, _ := catalogue["items"].([]any); status != 200 || len(items) < 10 {
		t.Fatalf("catalogue: %d %v", status, catalogue)
	}
	deliveredAt := time.Now().Add(-time.Hour).In(qatar)
	status, delivery := worker.json("POST", base+"/service-deliveries", map[string]string{"service": "education_enrolment",
		"delivered_at": deliveredAt.Format(time.RFC3339), "provider_org": "Ministry of Education", "outcome": "delivered", "note": caseWorkMarkers["delivery_note"]})
	if status != 201 || delivery["beneficiary_id"] != person["id"] {
		t.Fatalf("record delivery: %d %v", status, delivery)
	}
	if status, body := worker.json("POST", base+"/service-deliveries", map[string]string{"service": "housing", "delivered_at": deliveredAt.Format(time.RFC3339), "outcome": "delivered"}); status != 422 || errorCode(body) != "one_provider_required" {
		t.Fatalf("no provider: %d %v", status, body)
	}
	if status, body := worker.json("GET", base+"/service-deliveries", nil); status != 200 || len(body["items"].([]any)) != 1 {
		t.Fatalf("list deliveries: %d %v", status, body)
	}
	year := deliveredAt.Year()
	if status, body := analyst.json("GET", fmt.Sprintf("/api/v1/stats/social-service-beneficiaries?year=%d", year), nil); status != 200 || body["beneficiaries"] != float64(1) {
		t.Fatalf("the yearly figure: %d %v", status, body)
	}
	if status, body := worker.json("GET", "/api/v1/stats/social-service-beneficiaries?year=2026", nil); status != 403 {
		t.Fatalf("a case worker read statistics: %d %v", status, body)
	}

	// Nothing typed as free text is readable in the database.
	ts.stop(t)
	var haystack []byte
	if ts.cfg.DatabaseURL == "" {
		files, _ := filepath.Glob(filepath.Join(ts.cfg.DataDir, "*"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				haystack = append(haystack, b...)
			}
		}
	} else {
		haystack = pgDump(t, ts.cfg.DatabaseURL)
	}
	if !bytes.Contains(haystack, []byte("education_enrolment")) {
		t.Fatal("the database files do not hold the delivery's service code; the search would prove nothing")
	}
	names := make([]string, 0, len(caseWorkMarkers))
	for name := range caseWorkMarkers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if bytes.Contains(haystack, []byte(caseWorkMarkers[name])) {
			t.Errorf("the %s is readable in the database", name)
		}
	}
}

func TestDASHEscalationAndHighRiskThroughTheAPI(t *testing.T) {
	ts := startServer(t)
	worker := staffClient(t, ts, "worker.one", "case_worker")
	status, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_ar": "هند", "birth_date": "1988-01-20"})
	if status != 201 {
		t.Fatalf("register: %d %v", status, person)
	}
	_, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	base := "/api/v1/cases/" + opened["id"].(string)
	today := time.Now().In(time.FixedZone("AST", 3*60*60))
	for _, daysAgo := range []int{5, 60, 200} {
		if status, body := worker.json("POST", base+"/incidents", map[string]any{"occurred_on": today.AddDate(0, 0, -daysAgo).Format(time.DateOnly),
			"place_type": "home", "acts": []string{"physical_assault"}, "perpetrator_relationships": []string{"husband"}}); status != 201 ||
			fmt.Sprint(body["contexts"]) != "[intimate_partner_violence]" {
			t.Fatalf("incident %d days ago: %d %v", daysAgo, status, body)
		}
	}
	answers := map[string]bool{}
	for i := 1; i <= 24; i++ {
		answers[fmt.Sprint(i)] = i <= 14
	}
	status, result := worker.json("POST", base+"/risk-assessments", map[string]any{"instrument": "dash", "answers": answers})
	if status != 201 || result["level"] != "high" || result["escalation"] != true || result["incidents_counted"] != float64(3) || result["marac_referral"] != true {
		t.Fatalf("DASH: %d %v", status, result)
	}
	if status, k := worker.json("GET", base, nil); status != 200 || k["priority"] != "high" {
		t.Fatalf("case after DASH high: %d %v", status, k)
	}
}
