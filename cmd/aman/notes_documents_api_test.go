package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/media/mediatest"
)

func TestNotesAPI(t *testing.T) {
	env := apptest.New(t)
	srv := httptest.NewServer(newTestRouterFor(t, env).handler)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	unit, err := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "وحدة الحماية", NameEN: "Protection unit"})
	if err != nil {
		t.Fatal(err)
	}
	worker := newUnitStaff(t, env, srv.URL, "worker.one", aman.RoleCaseWorker, unit.ID)
	colleague := newUnitStaff(t, env, srv.URL, "worker.two", aman.RoleCaseWorker, unit.ID)
	psychologist := newUnitStaff(t, env, srv.URL, "psy.one", aman.RolePsychologist, unit.ID)

	_, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_ar": "مريم", "sex": "female"})
	_, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	notes := "/api/v1/cases/" + opened["id"].(string) + "/notes"

	status, general := worker.json("POST", notes, map[string]string{"kind": "general", "body": "Home visit: the children are safe."})
	if status != 201 || general["kind"] != "general" || general["editable_until"] == nil {
		t.Fatalf("write: %d %v", status, general)
	}
	if status, body := worker.json("POST", notes, map[string]string{"kind": "psychological", "body": "Signs of trauma; refer to a psychologist."}); status != 201 {
		t.Fatalf("write a psychological note: %d %v", status, body)
	}
	if status, body := worker.json("POST", notes, map[string]string{"kind": "social", "body": "x"}); status != 422 || errorCode(body) != "invalid_note_kind" {
		t.Fatalf("unknown kind: %d %v", status, body)
	}
	if status, body := colleague.json("GET", notes, nil); status != 403 || errorCode(body) != "break_glass_required" {
		t.Fatalf("a colleague outside the case: %d %v", status, body)
	}
	reason := map[string]string{"reason": "The police called at night and the assigned worker cannot be reached"}
	for _, who := range []*unitStaff{colleague, psychologist} {
		if status, body := who.json("POST", "/api/v1/cases/"+opened["id"].(string)+"/break-glass", reason); status != 201 {
			t.Fatalf("break-glass: %d %v", status, body)
		}
	}
	for _, tc := range []struct {
		who      *unitStaff
		readable int
		withheld float64
	}{{worker, 2, 0}, {colleague, 1, 1}, {psychologist, 2, 0}} {
		status, list := tc.who.json("GET", notes, nil)
		items, _ := list["items"].([]any)
		if status != 200 || len(items) != tc.readable || list["withheld"] != tc.withheld {
			t.Errorf("%s lists: %d %v", tc.who.username, status, list)
		}
	}

	note := "/api/v1/notes/" + general["id"].(string)
	if status, body := colleague.json("PATCH", note, map[string]string{"body": "rewritten"}); status != 403 || errorCode(body) != "not_note_author" {
		t.Fatalf("a colleague edits: %d %v", status, body)
	}
	env.Clock.Advance(23*time.Hour + 59*time.Minute)
	worker.signIn(t, env)
	if status, body := worker.json("PATCH", note, map[string]string{"body": "Home visit: the three children are safe."}); status != 200 || body["edited_at"] == nil {
		t.Fatalf("edit at 23h59: %d %v", status, body)
	}
	env.Clock.Advance(2 * time.Minute)
	worker.signIn(t, env)
	if status, body := worker.json("PATCH", note, map[string]string{"body": "Too late."}); status != 409 || errorCode(body) != "note_edit_window_closed" {
		t.Fatalf("edit at 24h01: %d %v", status, body)
	}
	status, amended := worker.json("POST", note+"/amendments", map[string]string{"body": "Correction: four children."})
	amendments, _ := amended["amendments"].([]any)
	if status != 201 || amended["body"] != "Home visit: the three children are safe." || len(amendments) != 1 {
		t.Fatalf("amend: %d %v", status, amended)
	}
	if status, body := worker.json("POST", note+"/amendments", map[string]string{"body": ""}); status != 422 || errorCode(body) != "required" {
		t.Fatalf("an empty amendment: %d %v", status, body)
	}
	if status, body := worker.json("PATCH", "/api/v1/notes/nothing", map[string]string{"body": "x"}); status != 404 {
		t.Fatalf("unknown note: %d %v", status, body)
	}
}

// upload posts a file as multipart/form-data, as a browser form does.
func (c *client) upload(path, field, filename string, data []byte, title string) (int, map[string]any) {
	c.t.Helper()
	var fields [][2]string
	if title != "" {
		fields = append(fields, [2]string{"title", title})
	}
	return c.postMultipart(path, fields, field, [2]string{filename, string(data)})
}

// postMultipart posts fields (a key may repeat) and files (name and content) in the part fileField, as
// a browser form does.
func (c *client) postMultipart(path string, fields [][2]string, fileField string, files ...[2]string) (int, map[string]any) {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range fields {
		_ = w.WriteField(f[0], f[1])
	}
	for _, f := range files {
		part, err := w.CreateFormFile(fileField, f[0])
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = part.Write([]byte(f[1]))
	}
	_ = w.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.send(req)
}

// fetch GETs a path and returns the whole response with its body.
func (c *client) fetch(path string) (*http.Response, []byte) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

// A whole document journey through a real server, then a search of the raw database files (or a
// pg_dump) for what the documents said: not one marker may be there.
func TestDocumentsAPI(t *testing.T) {
	ts := startServer(t)
	worker := staffClient(t, ts, "worker.one", "case_worker")
	colleague := staffClient(t, ts, "worker.two", "case_worker")
	_, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_ar": "مريم", "sex": "female"})
	_, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	documents := "/api/v1/cases/" + opened["id"].(string) + "/documents"

	const pdfMarker = "SHAMSHIR-PDF-STATEMENT-MARKER"
	const nameMarker = "Zabarjad-Family-Statement"
	pdf := mediatest.PDF(pdfMarker)
	status, doc := worker.upload(documents, "file", nameMarker+".pdf", pdf, "Statement to the police")
	if status != 201 || doc["content_type"] != "application/pdf" || doc["filename"] != nameMarker+".pdf" || doc["size"] != float64(len(pdf)) {
		t.Fatalf("upload: %d %v", status, doc)
	}
	resp, content := worker.fetch("/api/v1/documents/" + doc["id"].(string) + "/content")
	_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	switch {
	case resp.StatusCode != 200 || !bytes.Equal(content, pdf):
		t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(content))
	case resp.Header.Get("Content-Type") != "application/pdf", resp.Header.Get("Cache-Control") != "no-store",
		resp.Header.Get("X-Content-Type-Options") != "nosniff":
		t.Fatalf("download headers: %v", resp.Header)
	case !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || !regexp.MustCompile(`^document-[0-9a-f]{8}\.pdf$`).MatchString(params["filename"]):
		t.Fatalf("disposition %q", resp.Header.Get("Content-Disposition"))
	case strings.Contains(fmt.Sprint(resp.Header), "Zabarjad"):
		t.Fatal("the original name went out in a header")
	}

	photo := mediatest.Photo("jpg")
	status, image := worker.upload(documents, "file", "IMG_2041.jpg", photo, "")
	if status != 201 || image["metadata_removed"] != true || image["kind"] != "image" {
		t.Fatalf("photo: %d %v", status, image)
	}
	_, stored := worker.fetch("/api/v1/documents/" + image["id"].(string) + "/content")
	if !bytes.Contains(photo, []byte(mediatest.GPSMarker)) || bytes.Contains(stored, []byte(mediatest.GPSMarker)) || len(stored) == 0 {
		t.Fatal("the photo kept its GPS data")
	}

	big := mediatest.PDFOfSize("big", app.MaxDocumentSize+1)
	for _, tc := range []struct {
		name, field, filename string
		data                  []byte
		status                int
		code                  string
	}{
		{"a program renamed .pdf", "file", "report.pdf", mediatest.WindowsExecutable(), 415, "unsupported_file_type"},
		{"one byte over 20 MiB", "file", "big.pdf", big, 413, "too_large"},
		{"no file part", "attachment", "x.pdf", pdf, 422, "required"},
	} {
		if status, body := worker.upload(documents, tc.field, tc.filename, tc.data, ""); status != tc.status || errorCode(body) != tc.code {
			t.Errorf("%s: %d %v", tc.name, status, body)
		}
	}
	if status, body := worker.json("POST", documents, map[string]string{"file": "x"}); status != 415 || errorCode(body) != "unsupported_media_type" {
		t.Errorf("a JSON upload: %d %v", status, body)
	}

	status, list := worker.json("GET", documents, nil)
	if items, _ := list["items"].([]any); status != 200 || len(items) != 2 {
		t.Fatalf("list: %d %v", status, list)
	}
	if status, body := colleague.json("GET", "/api/v1/documents/"+doc["id"].(string)+"/content", nil); status != 403 || errorCode(body) != "break_glass_required" {
		t.Fatalf("a colleague outside the case downloads: %d %v", status, body)
	}
	if status, body := colleague.json("GET", documents, nil); status != 403 || errorCode(body) != "break_glass_required" {
		t.Fatalf("a colleague outside the case lists: %d %v", status, body)
	}

	ts.stop(t)
	haystack := storedBytes(t, ts)
	if !bytes.Contains(haystack, []byte("application/pdf")) {
		t.Fatal("the documents are not in what was searched; the test would prove nothing")
	}
	for _, marker := range []string{pdfMarker, nameMarker, "Statement to the police", "%PDF-1.4", mediatest.GPSMarker} {
		if bytes.Contains(haystack, []byte(marker)) {
			t.Errorf("the database holds %q in plaintext", marker)
		}
	}
}
