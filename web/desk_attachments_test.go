package web

import (
	"bytes"
	"context"
	"html/template"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
	"aman.qa/aman/media/mediatest"
)

// postDesk posts the desk's form as the browser does, multipart with the files chosen.
func (s *staffSite) postDesk(path string, cookie *http.Cookie, fields url.Values, files map[string][]byte) *httptest.ResponseRecorder {
	s.t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	for name, values := range fields {
		for _, v := range values {
			_ = form.WriteField(name, v)
		}
	}
	for name, data := range files {
		part, err := form.CreateFormFile("attachments", name)
		if err != nil {
			s.t.Fatal(err)
		}
		_, _ = part.Write(data)
	}
	_ = form.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", form.FormDataContentType())
	return s.do(req, cookie)
}

// A partner desk sends a medical report and a photo with its referral; the desk then sees only how many
// it sent; triage downloads each, audited; once the case is opened from the referral, the files are
// among the case's documents, marked as sent with the referral, and download from there.
func TestDeskAttachmentsReachTriageAndTheCase(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			const reportName = "QARANFIL-report.pdf"
			site := newTriageSite(t)
			unit := site.unit("وحدة", "Unit")
			worker, workerC, _ := site.member("huda", "Huda", aman.RoleCaseWorker, unit.ID)
			sup := worker.Actor()
			sup.Role = aman.RoleSupervisor
			hamad, _ := site.env.Partners.Create(context.Background(), sup, app.PartnerOrg{NameAR: "مستشفى حمد", NameEN: "Hamad Hospital", Kind: "hospital"})
			hamadC := site.partnerDesk("hamad.desk", hamad.ID)
			q := "?lang=" + string(lang)

			page := site.get("/desk"+q, hamadC).Body.String()
			mustContain(t, page, `enctype="multipart/form-data"`, `name="attachments"`, `type="file" multiple`,
				template.HTMLEscapeString(site.h.bundle.T(lang, "desk.attachments.hint", "n", app.MaxReferralAttachments, "mb", app.MaxReferralAttachmentSize>>20)))

			form := url.Values{"name_en": {"Maryam Ali"}, "categories": {"physical_violence"}, "urgency": {"urgent"}, "consent": {"1"}}
			refused := site.postDesk("/desk"+q, hamadC, form, map[string][]byte{"report.pdf": mediatest.WindowsExecutable()})
			if refused.Code != http.StatusUnsupportedMediaType {
				t.Fatalf("a program as a report: %d", refused.Code)
			}
			mustContain(t, refused.Body.String(), `id="attachments-error"`, site.text(lang, "unsupported_file_type"), "Maryam Ali")

			report := mediatest.PDF("QARANFIL-MEDICAL-REPORT")
			if rec := site.postDesk("/desk"+q, hamadC, form, map[string][]byte{reportName: report, "bruise.jpg": mediatest.JPEGWithSplicedGPS()}); rec.Code != http.StatusSeeOther {
				t.Fatalf("refer: %d %s", rec.Code, rec.Body.String())
			}
			page = site.get("/desk"+q, hamadC).Body.String()
			mustContain(t, page, `data-referral-files="2"`, template.HTMLEscapeString(site.h.bundle.N(lang, "desk.files_sent", 2)))
			mustNotContain(t, page, reportName, "/attachments/")

			queue, _ := site.env.Triage.QueuePage(context.Background(), worker.Actor(), app.QueuePage{Limit: app.MaxQueue})
			id := queue.Intakes[0].ID
			person, err := site.h.partnerReferrals.ForIntake(context.Background(), worker.Actor(), id)
			if err != nil || len(person.Attachments) != 2 {
				t.Fatalf("attachments %+v %v", person.Attachments, err)
			}
			var pdfID string
			for _, a := range person.Attachments {
				if a.Filename == reportName {
					pdfID = a.ID
				}
			}
			link := "/triage/" + id + "/attachments/" + pdfID
			page = site.get("/triage/"+id+q, workerC).Body.String()
			mustContain(t, page, "data-referral-attachments", site.text(lang, "triage.referral.attachments"), reportName, `href="`+link+`"`)

			got := site.get(link, workerC)
			if got.Code != http.StatusOK || !bytes.Equal(got.Body.Bytes(), report) || got.Header().Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(got.Header().Get("Content-Disposition"), "attachment") || strings.Contains(got.Header().Get("Content-Disposition"), "QARANFIL") ||
				got.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("triage download: %d %v", got.Code, got.Header())
			}
			if entries := site.entries(audit.Filter{EntityType: "referral_attachment", EntityID: pdfID, Action: "referral_in.attachment_download"}); len(entries) != 1 {
				t.Fatalf("the download was audited %d times", len(entries))
			}
			if rec := site.get(link, hamadC); rec.Code != http.StatusForbidden {
				t.Fatalf("the desk downloaded its file back: %d", rec.Code)
			}
			if rec := site.get("/triage/"+id+"x/attachments/"+pdfID, workerC); rec.Code != http.StatusNotFound {
				t.Fatalf("a file through another intake: %d", rec.Code)
			}

			if rec := site.post("/triage/"+id+"/case"+q, workerC, url.Values{"from_referral": {"1"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("open case: %d %s", rec.Code, rec.Body.String())
			}
			in, _ := site.env.Triage.Get(context.Background(), worker.Actor(), id)
			docs := section(t, site.get("/cases/"+in.CaseID+q, workerC).Body.String(), "data-documents")
			mustContain(t, docs, reportName, "data-from-referral", site.text(lang, "case.documents.from_referral"), "/cases/"+in.CaseID+"/documents/"+pdfID)
			if rec := site.get("/cases/"+in.CaseID+"/documents/"+pdfID, workerC); rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), report) {
				t.Fatalf("case download: %d", rec.Code)
			}
		})
	}
}
