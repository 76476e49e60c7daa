package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var followUpCodeInPage = regexp.MustCompile(`data-follow-up-code>([A-Z2-7-]{24})<`)

// A child taps one picture in Sa'idni without script, gets a receipt page with the code, and reads the
// (empty) conversation with it; a wrong passphrase shows the follow-up form again. No page sets a cookie
// or may be cached, and every screen has the quick exit.
func TestPortalFormsWithoutScript(t *testing.T) {
	ts := startServer(t)
	check := func(name string, resp *http.Response, body string, status int) {
		t.Helper()
		if resp.StatusCode != status || !strings.Contains(body, "data-quick-exit") || !strings.Contains(body, `rel="manifest"`) {
			t.Fatalf("%s: %d\n%.600s", name, resp.StatusCode, body)
		}
		if resp.Header.Get("Set-Cookie") != "" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: Set-Cookie %q, Cache-Control %q", name, resp.Header.Get("Set-Cookie"), resp.Header.Get("Cache-Control"))
		}
	}
	for _, lang := range []string{"ar", "en"} {
		for _, app := range []string{"/help", "/consult", "/report"} {
			resp, body := get(t, ts.URL+app+"?lang="+lang)
			check(app+" "+lang, resp, body, 200)
		}
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("harms", "sexual")
	_ = mw.WriteField("passphrase", testPassphrase)
	_, _ = mw.CreateFormFile("attachments", "") // the photo input left empty
	_ = mw.Close()
	req, _ := http.NewRequest("POST", ts.URL+"/help?lang=en", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", ts.URL)
	resp, body := do(t, req)
	check("receipt", resp, body, 201)
	m := followUpCodeInPage.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code on the receipt:\n%s", body)
	}

	post := func(path string, form url.Values) (*http.Response, string) {
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ts.URL)
		return do(t, req)
	}
	resp, body = post("/help/follow-up?lang=en", url.Values{"follow_up_code": {m[1]}, "passphrase": {testPassphrase}})
	check("thread", resp, body, 200)
	if !strings.Contains(body, "Received") {
		t.Fatalf("the thread page does not show the status:\n%s", body)
	}
	resp, body = post("/help/follow-up/reply?lang=en", url.Values{"follow_up_code": {m[1]}, "passphrase": {testPassphrase}, "text": {"He is home again."}})
	check("reply", resp, body, 200)
	if !strings.Contains(body, "He is home again.") {
		t.Fatalf("the reply is not shown:\n%s", body)
	}
	resp, body = post("/help/follow-up?lang=en", url.Values{"follow_up_code": {m[1]}, "passphrase": {"not-my-secret"}})
	check("wrong passphrase", resp, body, 404)
	if strings.Contains(body, "not-my-secret") {
		t.Fatal("the page gives the wrong passphrase back")
	}
	// A missing passphrase keeps what the child chose.
	resp, body = post("/help?lang=en", url.Values{"harms": {"neglect"}, "message": {"I am hungry"}})
	check("no passphrase", resp, body, 422)
	if !strings.Contains(body, "I am hungry") || !regexp.MustCompile(`value="neglect" checked`).MatchString(body) {
		t.Fatalf("the form lost what was typed:\n%s", body)
	}
}
