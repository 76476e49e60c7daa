package main

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman/media/mediatest"
)

// referMultipart posts a referral as a multipart form: fields (a key may repeat) and named files.
func (c *client) referMultipart(fields [][2]string, files ...[2]string) (int, map[string]any) {
	c.t.Helper()
	return c.postMultipart("/api/v1/referrals-in", fields, "attachments", files...)
}

// A partner desk refers with files through the API: they are checked by their bytes, sealed, counted
// for the desk and never shown back to it; triage downloads them from the intake page; once the case
// is opened from the referral, the case's documents list and serve them. No file name or content
// reaches the database files in plaintext.
func TestReferralAttachmentsAPI(t *testing.T) {
	const marker = "QARANFIL-REFERRAL-REPORT"
	const reportName = "QARANFIL-NAME-report.pdf"
	ts := startServer(t)
	supervisor := staffClient(t, ts, "super.one", "supervisor")
	worker := staffClient(t, ts, "worker.one", "case_worker")
	status, org := supervisor.json("POST", "/api/v1/partners", map[string]string{"name_ar": "مستشفى حمد", "name_en": "Hamad Hospital", "kind": "hospital"})
	if status != 201 {
		t.Fatalf("partner: %d %v", status, org)
	}
	desk := staffClient(t, ts, "hamad.desk", "partner", "--org", org["id"].(string))
	fields := [][2]string{{"name_en", "Maryam Ali"}, {"categories", "physical_violence"}, {"categories", "neglect"}, {"urgency", "urgent"},
		{"consent", "true"}, {"age", "٣٠"}}

	if status, body := desk.referMultipart(fields, [2]string{"report.pdf", string(mediatest.WindowsExecutable())}); status != 415 ||
		errorCode(body) != "unsupported_file_type" || body["error"].(map[string]any)["field"] != "attachments" {
		t.Fatalf("a program as a report: %d %v", status, body)
	}
	pdf := string(mediatest.PDF("x"))
	if status, body := desk.referMultipart(fields, [2]string{"a.pdf", pdf}, [2]string{"b.pdf", pdf}, [2]string{"c.pdf", pdf}, [2]string{"d.pdf", pdf}); status != 422 ||
		errorCode(body) != "too_many_attachments" {
		t.Fatalf("four files: %d %v", status, body)
	}

	report := mediatest.PDF(marker)
	status, ref := desk.referMultipart(fields, [2]string{reportName, string(report)}, [2]string{"bruise.jpg", string(mediatest.JPEGWithSplicedGPS())})
	if status != 201 || ref["attachments"] != float64(2) || ref["status"] != "received" || len(ref["categories"].([]any)) != 2 {
		t.Fatalf("refer: %d %v", status, ref)
	}
	if strings.Contains(mustJSON(t, ref), "QARANFIL") {
		t.Fatalf("the answer shows a file: %v", ref)
	}
	status, list := desk.json("GET", "/api/v1/referrals-in", nil)
	if status != 200 || list["items"].([]any)[0].(map[string]any)["attachments"] != float64(2) || strings.Contains(mustJSON(t, list), "QARANFIL") {
		t.Fatalf("the desk's list: %d %v", status, list)
	}
	// A JSON referral still works, and has no files.
	if status, body := desk.json("POST", "/api/v1/referrals-in", map[string]any{"name_ar": "أ", "categories": []string{"neglect"}, "urgency": "normal", "consent": true}); status != 201 ||
		body["attachments"] != float64(0) {
		t.Fatalf("JSON referral: %d %v", status, body)
	}

	// Triage finds the files on the intake page and downloads them.
	status, queue := worker.json("GET", "/api/v1/triage", nil)
	if status != 200 {
		t.Fatalf("queue: %d %v", status, queue)
	}
	var intakeID string
	for _, it := range queue["items"].([]any) {
		if it := it.(map[string]any); it["source_id"] == ref["id"] {
			intakeID = it["id"].(string)
		}
	}
	resp, page := worker.fetch("/triage/" + intakeID + "?lang=en")
	links := regexp.MustCompile(`href="(/triage/`+intakeID+`/attachments/[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if resp.StatusCode != 200 || len(links) != 2 || !bytes.Contains(page, []byte(reportName)) {
		t.Fatalf("intake page: %d, %d links", resp.StatusCode, len(links))
	}
	var fileID string
	for _, l := range links {
		resp, body := worker.fetch(l[1])
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("download %s: %d", l[1], resp.StatusCode)
		}
		if bytes.Equal(body, report) {
			fileID = l[1][strings.LastIndex(l[1], "/")+1:]
		}
		if bytes.Contains(body, []byte(mediatest.GPSMarker)) {
			t.Fatal("the photo kept its location")
		}
		if resp, _ := desk.fetch(l[1]); resp.StatusCode != 403 {
			t.Fatalf("the desk downloaded: %d", resp.StatusCode)
		}
	}
	if fileID == "" {
		t.Fatal("the report did not come back whole")
	}

	// Opening the case from the referral puts the files among the case's documents.
	resp, err := worker.http.PostForm(worker.base+"/triage/"+intakeID+"/case", url.Values{"from_referral": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("open case: %d", resp.StatusCode)
	}
	status, got := desk.json("GET", "/api/v1/referrals-in/"+ref["id"].(string), nil)
	if status != 200 || got["status"] != "case_opened" {
		t.Fatalf("the desk's view: %d %v", status, got)
	}
	// The referred person is registered now; their page links the case.
	status, found := worker.json("GET", "/api/v1/beneficiaries?q=Maryam", nil)
	if status != 200 || len(found["items"].([]any)) != 1 {
		t.Fatalf("search: %d %v", status, found)
	}
	personID := found["items"].([]any)[0].(map[string]any)["id"].(string)
	_, personPage := worker.fetch("/people/" + personID)
	caseLink := regexp.MustCompile(`href="/cases/([0-9a-f-]{36})"`).FindSubmatch(personPage)
	if caseLink == nil {
		t.Fatal("the person's page links no case")
	}
	caseID := string(caseLink[1])
	status, docs := worker.json("GET", "/api/v1/cases/"+caseID+"/documents", nil)
	if status != 200 || len(docs["items"].([]any)) != 2 {
		t.Fatalf("documents: %d %v", status, docs)
	}
	for _, d := range docs["items"].([]any) {
		if d := d.(map[string]any); d["from_referral"] != true || d["case_id"] != caseID {
			t.Fatalf("document %v", d)
		}
	}
	if resp, body := worker.fetch("/api/v1/documents/" + fileID + "/content"); resp.StatusCode != 200 || !bytes.Equal(body, report) {
		t.Fatalf("case download: %d", resp.StatusCode)
	}
	if resp, _ := desk.fetch("/api/v1/documents/" + fileID + "/content"); resp.StatusCode != 403 {
		t.Fatalf("the desk downloaded from the case: %d", resp.StatusCode)
	}

	ts.stop(t)
	haystack := storedBytes(t, ts)
	for _, form := range []string{marker, reportName, mediatest.GPSMarker} {
		if bytes.Contains(haystack, []byte(form)) {
			t.Errorf("the database holds %q in plaintext", form)
		}
	}
	if logs := ts.stderr.String(); strings.Contains(logs, "QARANFIL") {
		t.Error("the logs hold a file's name or content")
	}
}
