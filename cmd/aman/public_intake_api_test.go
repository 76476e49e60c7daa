package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"aman.qa/aman/media/mediatest"
)

// publicCall is one request to the public API, checked for what every public answer must carry: no
// cookie, and Cache-Control: no-store.
func publicCall(t *testing.T, base, path, contentType string, body io.Reader) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, body)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s set a cookie: %v", path, c)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", path, cc)
	}
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func publicJSON(t *testing.T, base, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	return publicCall(t, base, path, "application/json", bytes.NewReader(b))
}

// publicMultipart posts fields (a key may repeat) and files as the apps' forms do.
func publicMultipart(t *testing.T, base, path string, fields [][2]string, files ...[]byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		_ = mw.WriteField(f[0], f[1])
	}
	for i, data := range files {
		w, _ := mw.CreateFormFile("attachments", "file"+string(rune('a'+i)))
		_, _ = w.Write(data)
	}
	_ = mw.Close()
	return publicCall(t, base, path, mw.FormDataContentType(), &buf)
}

const testPassphrase = "yasmin-by-the-sea"

// The public intake contract: each app's request answers 201 with a reference and a follow-up code, as
// JSON and as multipart with attachments; the code and passphrase open the request, and a wrong code
// or a wrong passphrase get the very same 404; a counsellor's answer reaches the sender, and the
// sender's reply reaches the counsellor; a child's picture-only request is critical in triage.
func TestPublicIntakeAPI(t *testing.T) {
	ts := startServer(t)
	photo := mediatest.Photo("jpg")
	tests := []struct {
		name   string
		path   string
		json   map[string]any
		fields [][2]string
	}{
		{"help request", "/public/api/v1/help-requests",
			map[string]any{"passphrase": testPassphrase, "harms": []string{"physical"}},
			[][2]string{{"passphrase", testPassphrase}, {"harms", "verbal"}, {"harms", "confinement"}, {"age", "١٢"}}},
		{"consultation", "/public/api/v1/consultations",
			map[string]any{"passphrase": testPassphrase, "kind": "legal", "message": "Can I keep my children if I leave?"},
			[][2]string{{"passphrase", testPassphrase}, {"kind", "family"}, {"message", "My husband's family will not let me work."}, {"contact_time", "mornings"}}},
		{"report", "/public/api/v1/reports",
			map[string]any{"passphrase": testPassphrase, "about": "child", "urgency": "urgent", "message": "A boy is left alone for days.", "area": "Al Wakra", "zone": "90"},
			[][2]string{{"passphrase", testPassphrase}, {"about", "woman"}, {"urgency", "normal"}, {"message", "Shouting every night."}}},
	}
	codes := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name+" as JSON", func(t *testing.T) {
			status, got := publicJSON(t, ts.URL, tt.path, tt.json)
			if status != 201 || got["reference"] == nil || len(got["follow_up_code"].(string)) != 24 {
				t.Fatalf("%d %v", status, got)
			}
			codes[tt.name] = got["follow_up_code"].(string)
		})
		t.Run(tt.name+" as multipart with a photo", func(t *testing.T) {
			status, got := publicMultipart(t, ts.URL, tt.path, tt.fields, photo)
			if status != 201 || got["reference"] == nil || got["follow_up_code"] == nil {
				t.Fatalf("%d %v", status, got)
			}
		})
	}

	bad := []struct {
		name string
		path string
		body map[string]any
		code string
	}{
		{"a short passphrase", "/public/api/v1/help-requests", map[string]any{"passphrase": "short", "harms": []string{"verbal"}}, "passphrase_too_short"},
		{"an unknown harm", "/public/api/v1/help-requests", map[string]any{"passphrase": testPassphrase, "harms": []string{"teasing"}}, "invalid_harm"},
		{"nothing at all", "/public/api/v1/help-requests", map[string]any{"passphrase": testPassphrase}, "empty_request"},
		{"an unknown kind", "/public/api/v1/consultations", map[string]any{"passphrase": testPassphrase, "kind": "medical", "message": "x"}, "invalid_consultation_kind"},
		{"a report about nobody", "/public/api/v1/reports", map[string]any{"passphrase": testPassphrase, "about": "man", "message": "x"}, "invalid_report_about"},
		{"an unknown urgency", "/public/api/v1/reports", map[string]any{"passphrase": testPassphrase, "about": "woman", "urgency": "soon", "message": "x"}, "invalid_report_urgency"},
	}
	for _, tt := range bad {
		if status, got := publicJSON(t, ts.URL, tt.path, tt.body); status != 422 || errorCode(got) != tt.code {
			t.Errorf("%s: %d %v, want 422 %s", tt.name, status, got, tt.code)
		}
	}

	// Follow-up: the right pair opens; a wrong code and a wrong passphrase are indistinguishable.
	code := codes["consultation"]
	status, thread := publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": code, "passphrase": testPassphrase})
	if status != 200 || thread["status"] != "received" || len(thread["messages"].([]any)) != 1 {
		t.Fatalf("follow-up: %d %v", status, thread)
	}
	// People copy codes in lower case and without dashes.
	loose := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	if status, _ := publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": loose, "passphrase": testPassphrase}); status != 200 {
		t.Fatalf("a code typed loosely: %d", status)
	}
	wrongCode := "AAAA" + code[4:]
	if wrongCode == code {
		wrongCode = "BBBB" + code[4:]
	}
	s1, b1 := publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": wrongCode, "passphrase": testPassphrase})
	s2, b2 := publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": code, "passphrase": "not-the-passphrase"})
	if s1 != 404 || s2 != 404 || mustJSON(t, b1) != mustJSON(t, b2) || errorCode(b1) != "follow_up_not_found" {
		t.Fatalf("wrong code %d %v, wrong passphrase %d %v: want the same 404", s1, b1, s2, b2)
	}

	// The counsellor finds the consultation in the queue, reads it, and answers.
	supervisor := staffClient(t, ts, "noura.sup", "supervisor")
	counsellor := staffClient(t, ts, "mariam.psy", "psychologist")
	status, queue := supervisor.json("GET", "/api/v1/triage", nil)
	if status != 200 {
		t.Fatalf("queue: %d %v", status, queue)
	}
	var consultationID string
	helpCritical, reports := 0, map[string]int{}
	for _, it := range queue["items"].([]any) {
		item := it.(map[string]any)
		if item["channel"] == "help_request" && item["urgency"] == "critical" {
			helpCritical++
		}
		if item["channel"] == "consultation" && consultationID == "" {
			consultationID = item["source_id"].(string)
		}
		if item["channel"] == "report" {
			reports[item["urgency"].(string)]++
		}
	}
	if helpCritical != 2 || consultationID == "" {
		t.Fatalf("queue: %d critical help requests (want 2), consultation %q: %v", helpCritical, consultationID, queue)
	}
	// An urgent report about a child is critical; a report about a woman that is not urgent is normal.
	if reports["critical"] != 1 || reports["normal"] != 1 {
		t.Fatalf("reports by urgency: %v", reports)
	}
	// The first consultation in the queue is the oldest: the JSON one, whose code we hold.
	status, cons := counsellor.json("GET", "/api/v1/consultations/"+consultationID, nil)
	if status != 200 || cons["kind"] != "legal" || cons["message"] != "Can I keep my children if I leave?" {
		t.Fatalf("read consultation: %d %v", status, cons)
	}
	const answer = "Yes, custody is decided by the court; call us to prepare."
	if status, got := counsellor.json("POST", "/api/v1/consultations/"+consultationID+"/replies", map[string]string{"text": answer}); status != 201 || got["from"] != "centre" {
		t.Fatalf("answer: %d %v", status, got)
	}
	if status, got := newClient(t, ts.URL).json("POST", "/api/v1/consultations/"+consultationID+"/replies", map[string]string{"text": "x"}); status != 401 {
		t.Fatalf("an anonymous answer: %d %v", status, got)
	}
	status, thread = publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": code, "passphrase": testPassphrase})
	msgs, _ := thread["messages"].([]any)
	if status != 200 || thread["status"] != "answered" || len(msgs) != 2 || msgs[1].(map[string]any)["from"] != "centre" || msgs[1].(map[string]any)["text"] != answer {
		t.Fatalf("the sender reads the answer: %d %v", status, thread)
	}
	status, thread = publicJSON(t, ts.URL, "/public/api/v1/follow-up/messages", map[string]string{"follow_up_code": code, "passphrase": testPassphrase, "text": "Thank you. Mornings are safe."})
	if msgs, _ := thread["messages"].([]any); status != 201 || len(msgs) != 3 || msgs[2].(map[string]any)["from"] != "sender" {
		t.Fatalf("the sender writes back: %d %v", status, thread)
	}
	if status, cons := counsellor.json("GET", "/api/v1/consultations/"+consultationID, nil); status != 200 || len(cons["messages"].([]any)) != 3 {
		t.Fatalf("the counsellor reads the reply: %d %v", status, cons)
	}
	// A help request is not a consultation.
	for _, it := range queue["items"].([]any) {
		if item := it.(map[string]any); item["channel"] == "help_request" {
			if status, got := counsellor.json("GET", "/api/v1/consultations/"+item["source_id"].(string), nil); status != 404 {
				t.Fatalf("a help request read as a consultation: %d %v", status, got)
			}
			break
		}
	}
}

// Failed follow-up guesses are limited per address (and per code): the eleventh in the hour is refused
// with 429 rate_limited, even with the right pair, and the message is translated.
func TestPublicFollowUpGuessesAreRateLimited(t *testing.T) {
	ts := startServer(t)
	status, got := publicJSON(t, ts.URL, "/public/api/v1/help-requests", map[string]any{"passphrase": testPassphrase, "harms": []string{"neglect"}})
	if status != 201 {
		t.Fatalf("submit: %d %v", status, got)
	}
	code := got["follow_up_code"].(string)
	for i := range 10 {
		if status, got := publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": code, "passphrase": "wrong-guess-" + string(rune('a'+i))}); status != 404 {
			t.Fatalf("guess %d: %d %v", i+1, status, got)
		}
	}
	status, got = publicJSON(t, ts.URL, "/public/api/v1/follow-up?lang=en", map[string]string{"follow_up_code": code, "passphrase": testPassphrase})
	if status != 429 || errorCode(got) != "rate_limited" {
		t.Fatalf("after 10 failed guesses: %d %v", status, got)
	}
	if msg := got["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "Too many") {
		t.Errorf("message %q is not the English one", msg)
	}
	status, got = publicJSON(t, ts.URL, "/public/api/v1/follow-up?lang=ar", map[string]string{"follow_up_code": code, "passphrase": testPassphrase})
	if status != 429 || !strings.Contains(got["error"].(map[string]any)["message"].(string), "طلبات كثيرة") {
		t.Fatalf("Arabic: %d %v", status, got)
	}
	// Submissions have their own, larger allowance.
	for i := 1; ; i++ {
		status, got := publicJSON(t, ts.URL, "/public/api/v1/help-requests", map[string]any{"passphrase": testPassphrase, "harms": []string{"verbal"}})
		if status == 429 {
			if errorCode(got) != "rate_limited" || i != 20 {
				t.Fatalf("refused at submission %d: %v (want the 21st overall)", i+1, got)
			}
			break
		}
		if status != 201 || i > 25 {
			t.Fatalf("submission %d: %d %v", i+1, status, got)
		}
	}
}

// What a sender writes, and their passphrase and code, never reach the database files in plaintext.
func TestPublicIntakeIsSealed(t *testing.T) {
	ts := startServer(t)
	const marker = "QARANFIL-CONSULTATION-MARKER"
	const contact = "QARANFIL-CONTACT-MARKER"
	const passphrase = "QARANFIL-PASSPHRASE"
	status, got := publicMultipart(t, ts.URL, "/public/api/v1/consultations", [][2]string{
		{"passphrase", passphrase}, {"kind", "psychological"}, {"message", marker}, {"contact_way", contact}}, mediatest.Photo("png"))
	if status != 201 {
		t.Fatalf("submit: %d %v", status, got)
	}
	code := got["follow_up_code"].(string)
	if status, thread := publicJSON(t, ts.URL, "/public/api/v1/follow-up", map[string]string{"follow_up_code": code, "passphrase": passphrase}); status != 200 ||
		!strings.Contains(mustJSON(t, thread), marker) {
		t.Fatalf("follow-up: %d %v", status, thread)
	}
	ts.stop(t)
	haystack := storedBytes(t, ts)
	for _, form := range []string{marker, contact, passphrase, code, strings.ReplaceAll(code, "-", ""), strings.ToLower(strings.ReplaceAll(code, "-", "")), mediatest.GPSMarker} {
		if bytes.Contains(haystack, []byte(form)) {
			t.Errorf("the database holds %q in plaintext", form)
		}
	}
	if logs := ts.stderr.String(); strings.Contains(logs, marker) || strings.Contains(logs, code) || strings.Contains(logs, passphrase) {
		t.Error("the logs hold what the sender wrote")
	}
}
