package web

import (
	"bytes"
	"context"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
	"aman.qa/aman/media"
	"aman.qa/aman/policy"
)

// move posts a lifecycle move as the case page's forms do.
func (w *caseWorld) move(lang i18n.Lang, cookie *http.Cookie, form url.Values) *httptest.ResponseRecorder {
	return w.site.post(w.path(lang, "/lifecycle/moves"), cookie, form)
}

// pageOf follows a successful post back to the case page and returns it.
func (w *caseWorld) pageOf(rec *httptest.ResponseRecorder, cookie *http.Cookie, lang i18n.Lang, done string) string {
	w.site.t.Helper()
	if location := rec.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done="+done {
		w.site.t.Fatalf("redirect to %q (status %d), want done=%s:\n%s", location, rec.Code, done, rec.Body.String())
	}
	page := w.site.follow(rec, cookie, lang)
	if page.Code != http.StatusOK {
		w.site.t.Fatalf("status %d after the redirect", page.Code)
	}
	body := page.Body.String()
	mustContain(w.site.t, body, w.site.text(lang, "case.done."+done))
	return body
}

// A worker moves the case to its care plan and submits the plan; the supervisor returns it with
// comments, which the worker then reads on the case; resubmitted, it is approved and the work starts.
func TestCarePlanIsSubmittedReturnedAndApproved(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		lifecycle := section(t, page, "data-lifecycle")
		mustContain(t, lifecycle, site.text(lang, "case.lifecycle.title"), `aria-current="step" data-current-step>`+site.text(lang, "case.status.new"),
			`action="/cases/`+w.k.ID+`/lifecycle/moves#case-lifecycle"`, `value="assessment">`+site.text(lang, "case.move.new.assessment"),
			site.text(lang, "case.closure.title"))
		mustNotContain(t, lifecycle, "data-decision", "data-priority", "data-reopen", "data-pending-approval")

		w.pageOf(w.move(lang, w.workerC, url.Values{"to": {"assessment"}}), w.workerC, lang, doneMoved)
		page = w.pageOf(w.move(lang, w.workerC, url.Values{"to": {"care_plan"}, "comment": {"Assessment complete"}}), w.workerC, lang, doneMoved)
		lifecycle = section(t, page, "data-lifecycle")
		mustContain(t, lifecycle, `data-current-step>`+site.text(lang, "case.status.care_plan"),
			`value="in_progress">`+site.text(lang, "case.move.submit.care_plan"), `value="assessment">`+site.text(lang, "case.move.care_plan.assessment"),
			site.text(lang, "case.move.approval_hint"))

		page = w.pageOf(w.move(lang, w.workerC, url.Values{"to": {"in_progress"}, "comment": {"Plan ready for review"}}), w.workerC, lang, doneSubmitted)
		lifecycle = section(t, page, "data-lifecycle")
		mustContain(t, lifecycle, "data-pending-approval", site.text(lang, "case.pending.care_plan"), "Plan ready for review", "Huda Al-Kuwari",
			`data-current-step>`+site.text(lang, "case.status.care_plan"))
		mustNotContain(t, lifecycle, "data-moves", "data-closure", "data-decision")

		// The supervisor must say why a plan goes back; what they chose and typed comes back.
		supervisorPage := site.get(w.path(lang, ""), w.supervisorC).Body.String()
		mustContain(t, section(t, supervisorPage, "data-lifecycle"), "data-decision", `value="reject"`, "data-priority")
		refused := site.post(w.path(lang, "/lifecycle/decision"), w.supervisorC, url.Values{"decision": {"reject"}, "comment": {"  "}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("rejection without comments: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-lifecycle"), `id="decision-comment-error"`, site.text(lang, aman.ERequired))
		mustContain(t, refused.Body.String(), `href="/cases/`+w.k.ID+`?lang=`+string(lang.Other())+`"`)

		comments := "Add the school's contact to the plan & the safety steps"
		w.pageOf(site.post(w.path(lang, "/lifecycle/decision"), w.supervisorC, url.Values{"decision": {"reject"}, "comment": {comments}}),
			w.supervisorC, lang, doneRejected)
		page = site.get(w.path(lang, ""), w.workerC).Body.String()
		lifecycle = section(t, page, "data-lifecycle")
		escaped := template.HTMLEscapeString(comments)
		mustContain(t, lifecycle, "data-returned", site.text(lang, "case.returned.care_plan"), escaped, "Noura Al-Thani",
			site.text(lang, "case.move.submit.care_plan"))
		mustContain(t, section(t, page, "data-timeline"), site.text(lang, "case.event.rejected"), escaped, site.text(lang, "case.event.submitted"))
		mustContain(t, site.get("/dashboard?lang="+string(lang), w.workerC).Body.String(), site.text(lang, "notification.kind.approval_rejected"))

		w.pageOf(w.move(lang, w.workerC, url.Values{"to": {"in_progress"}, "comment": {"School contact added"}}), w.workerC, lang, doneSubmitted)
		mustContain(t, site.get("/dashboard?lang="+string(lang), w.supervisorC).Body.String(), site.text(lang, "notification.kind.approval_requested"))
		page = w.pageOf(site.post(w.path(lang, "/lifecycle/decision"), w.supervisorC, url.Values{"decision": {"approve"}}), w.supervisorC, lang, doneApproved)
		lifecycle = section(t, page, "data-lifecycle")
		mustContain(t, lifecycle, `data-current-step>`+site.text(lang, "case.status.in_progress"))
		mustNotContain(t, lifecycle, "data-pending-approval", "data-returned", "data-decision")
		mustContain(t, site.get("/dashboard?lang="+string(lang), w.workerC).Body.String(), site.text(lang, "notification.kind.approval_granted"))

		k, err := site.env.Cases.Get(context.Background(), w.worker.Actor(), w.k.ID)
		if err != nil || k.Status != aman.CaseInProgress || k.PendingApproval != "" {
			t.Fatalf("case %+v %v", k, err)
		}
	})
}

// A closure is requested with its reason and outcome; approved, it closes the case and lists the two
// follow-ups among its tasks. A supervisor reopens it, with a comment, and the follow-ups go.
func TestClosureIsApprovedThenTheCaseReopened(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		// What a closure without its outcome sends comes back chosen and typed, with the form open.
		refused := w.move(lang, w.workerC, url.Values{"to": {"closed"}, "closure_reason": {"moved_away"}, "comment": {"Family left for Oman"}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("closure without an outcome: status %d", refused.Code)
		}
		closure := section(t, refused.Body.String(), "data-lifecycle")
		mustContain(t, closure, `data-closure open`, `<option value="moved_away" selected>`, ">Family left for Oman</textarea>",
			`id="closure-outcome-error"`, site.text(lang, aman.ERequired))

		w.pageOf(w.move(lang, w.workerC, url.Values{"to": {"closed"}, "closure_reason": {"moved_away"}, "closure_outcome": {"not_assessable"},
			"comment": {"Family left for Oman"}}), w.workerC, lang, doneSubmitted)
		page := site.get(w.path(lang, ""), w.supervisorC).Body.String()
		mustContain(t, section(t, page, "data-lifecycle"), site.text(lang, "case.pending.closure"), site.text(lang, "case.closure_reason.moved_away"),
			site.text(lang, "case.closure_outcome.not_assessable"), "data-decision")

		page = w.pageOf(site.post(w.path(lang, "/lifecycle/decision"), w.supervisorC, url.Values{"decision": {"approve"}}), w.supervisorC, lang, doneApproved)
		mustContain(t, section(t, page, "data-lifecycle"), `data-current-step>`+site.text(lang, "case.status.closed"), "data-reopen")
		tasks := section(t, site.get(w.path(lang, ""), w.workerC).Body.String(), "data-tasks")
		mustContain(t, tasks, site.text(lang, "task.kind.closure_follow_up_3m"), site.text(lang, "task.kind.closure_follow_up_6m"), "2026-06-15", "2026-09-15")
		if n := len(regexp.MustCompile(`data-task[ >]`).FindAllString(tasks, -1)); n != 2 {
			t.Errorf("%d open tasks listed, want the 2 follow-ups", n)
		}
		workerPage := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustNotContain(t, section(t, workerPage, "data-lifecycle"), "data-moves", "data-closure", "data-reopen")
		mustContain(t, section(t, workerPage, "data-notes"), site.text(lang, app.ECaseClosed))
		mustNotContain(t, workerPage, "data-note-form", "data-task-form", "data-document-form")

		refused = w.move(lang, w.supervisorC, url.Values{"to": {"assessment"}, "intent": {"reopen"}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("reopening without a comment: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-lifecycle"), `id="reopen-comment-error"`, site.text(lang, aman.ERequired))
		page = w.pageOf(w.move(lang, w.supervisorC, url.Values{"to": {"assessment"}, "intent": {"reopen"}, "comment": {"She came back: new incident"}}),
			w.supervisorC, lang, doneReopened)
		mustContain(t, section(t, page, "data-lifecycle"), `data-current-step>`+site.text(lang, "case.status.assessment"))
		mustContain(t, section(t, page, "data-timeline"), site.text(lang, "case.event.reopened"), "She came back: new incident")
		mustNotContain(t, section(t, page, "data-tasks"), site.text(lang, "task.kind.closure_follow_up_3m"))
		mustContain(t, site.get("/dashboard?lang="+string(lang), w.workerC).Body.String(), site.text(lang, "notification.kind.case_reopened"))
	})
}

// A supervisor sets the priority; the form says how low it may go.
func TestSupervisorSetsThePriority(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.supervisorC).Body.String()
		floor := template.HTMLEscapeString(site.h.bundle.T(lang, "case.priority.floor", "priority", site.h.bundle.T(lang, "case.priority.normal")))
		mustContain(t, section(t, page, "data-lifecycle"), "data-priority", floor, `<option value="critical">`)
		if rec := site.post(w.path(lang, "/lifecycle/priority"), w.supervisorC, url.Values{"priority": {"urgent"}}); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), `id="case-priority-error"`) {
			t.Fatalf("unknown priority: status %d", rec.Code)
		}
		page = w.pageOf(site.post(w.path(lang, "/lifecycle/priority"), w.supervisorC, url.Values{"priority": {"high"}}), w.supervisorC, lang, donePriority)
		mustContain(t, page, `<option value="high" selected>`, site.text(lang, "case.event.priority_changed"))
		if rec := site.post(w.path(lang, "/lifecycle/priority"), w.workerC, url.Values{"priority": {"normal"}}); rec.Code != http.StatusForbidden {
			t.Errorf("a case worker set the priority: status %d", rec.Code)
		}
	})
}

// A task is added (a day in the past is refused with what was typed kept), shows overdue once its day
// has passed, and is marked done.
func TestTaskIsAddedAndMarkedDone(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		refused := site.post(w.path(lang, "/tasks"), w.workerC, url.Values{"title": {"Call the school <today>"}, "due_on": {"2026-03-01"},
			"assignee_id": {w.supervisor.ID}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a day in the past: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-tasks"), `value="Call the school &lt;today&gt;"`, `value="2026-03-01"`,
			`<option value="`+w.supervisor.ID+`" selected>`, `id="task-due-error"`, site.text(lang, aman.EDateInPast))

		// Arabic-Indic digits, as an Arabic keyboard types them, are read as the same day.
		page := w.pageOf(site.post(w.path(lang, "/tasks"), w.workerC, url.Values{"title": {"Call the school"}, "due_on": {"٢٠٢٦-٠٣-١٦"},
			"assignee_id": {w.worker.ID}}), w.workerC, lang, doneTaskAdded)
		tasks := section(t, page, "data-tasks")
		mustContain(t, tasks, "Call the school", "2026-03-16", "Huda Al-Kuwari")
		mustNotContain(t, tasks, "data-overdue")
		mustContain(t, section(t, page, "data-timeline"), site.text(lang, "case.timeline.task_added"), "Call the school")

		site.env.Clock.Advance(48 * time.Hour)
		tasks = section(t, site.get(w.path(lang, ""), site.signInAgain("huda", w.workerSecret)).Body.String(), "data-tasks")
		mustContain(t, tasks, "data-overdue", site.text(lang, "case.tasks.overdue"))
		list, err := site.env.Tasks.ForCase(context.Background(), w.worker.Actor(), w.k.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("tasks %+v %v", list, err)
		}
		cookie := site.signInAgain("huda", w.workerSecret)
		page = w.pageOf(site.post(w.path(lang, "/tasks/"+list[0].ID+"/done"), cookie, nil), cookie, lang, doneTaskDone)
		tasks = section(t, page, "data-tasks")
		mustContain(t, tasks, site.text(lang, "case.tasks.none"), "data-task-done", "Call the school")
		mustNotContain(t, tasks, "data-overdue")
	})
}

// A note is written, edited within its day, and amended after it; a colleague's discipline note is
// counted, never shown.
func TestNoteIsWrittenEditedAndAmended(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, section(t, page, "data-notes"), `<option value="general" selected>`, `<option value="medical">`)
		mustNotContain(t, section(t, page, "data-notes"), `value="psychological"`, `value="legal"`, "data-notes-withheld")

		refused := site.post(w.path(lang, "/notes"), w.workerC, url.Values{"kind": {"medical"}, "body": {"   "}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("empty note: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-notes"), `<option value="medical" selected>`, `id="note-body-error"`, site.text(lang, aman.ERequired))

		page = w.pageOf(site.post(w.path(lang, "/notes"), w.workerC, url.Values{"kind": {"general"}, "body": {"Met the mother at the shelter."}}),
			w.workerC, lang, doneNoteAdded)
		notes := section(t, page, "data-notes")
		list, err := site.env.Notes.List(context.Background(), w.worker.Actor(), w.k.ID, app.NotePage{})
		if err != nil || len(list.Notes) != 1 {
			t.Fatalf("notes %+v %v", list, err)
		}
		note := list.Notes[0]
		// The case page links to the note's own page, which holds the forms.
		mustContain(t, notes, "Met the mother at the shelter.", site.text(lang, "case.note.kind.general"), "Huda Al-Kuwari",
			`href="/cases/`+w.k.ID+`/notes/`+note.ID+`" data-note-open="edit">`+site.text(lang, "case.notes.edit"))
		mustNotContain(t, notes, "<textarea class=\"field__input field__input--long\" id=\"note-edit", "data-note-amend")
		opened := site.get(w.path(lang, "/notes/"+note.ID), w.workerC)
		if opened.Code != http.StatusOK || opened.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("the note's page: status %d, Cache-Control %q", opened.Code, opened.Header().Get("Cache-Control"))
		}
		mustContain(t, opened.Body.String(), "data-note-edit", "data-note-amend", ">Met the mother at the shelter.</textarea>",
			site.text(lang, "case.notes.edit_until"), `action="/cases/`+w.k.ID+`/notes/`+note.ID+`#case-notes"`)
		page = w.pageOf(site.post(w.path(lang, "/notes/"+note.ID), w.workerC, url.Values{"body": {"Met the mother and her two children."}}),
			w.workerC, lang, doneNoteEdited)
		mustContain(t, section(t, page, "data-notes"), "Met the mother and her two children.", site.text(lang, "case.notes.edited"))

		if _, err := site.env.Notes.Create(context.Background(), w.supervisor.Actor(), w.k.ID, app.NewNote{Kind: policy.NotePsychological,
			Body: "Sleeps badly since the incident."}); err != nil {
			t.Fatal(err)
		}
		site.env.Clock.Advance(app.NoteEditWindow + time.Hour)
		cookie := site.signInAgain("huda", w.workerSecret)
		notes = section(t, site.get(w.path(lang, ""), cookie).Body.String(), "data-notes")
		mustContain(t, notes, "data-notes-withheld", template.HTMLEscapeString(site.h.bundle.N(lang, "case.notes.withheld", 1)),
			`data-note-open="amend">`+site.text(lang, "case.notes.amend"))
		mustNotContain(t, notes, "Sleeps badly", `data-note-open="edit"`)
		opened = site.get(w.path(lang, "/notes/"+note.ID), cookie)
		mustContain(t, opened.Body.String(), "data-note-amend")
		mustNotContain(t, opened.Body.String(), "data-note-edit")

		// An edit sent after the day is refused, and the text comes back on the note's page in the
		// amendment form, whose language switch leads to the note's page.
		late := site.post(w.path(lang, "/notes/"+note.ID), cookie, url.Values{"body": {"Too late to change this."}})
		if late.Code != http.StatusConflict {
			t.Fatalf("edit after 24 hours: status %d", late.Code)
		}
		mustContain(t, section(t, late.Body.String(), "data-note-amend"), ">Too late to change this.</textarea>", `role="alert"`,
			site.text(lang, app.ENoteEditWindowClosed))
		mustContain(t, late.Body.String(), `href="/cases/`+w.k.ID+`/notes/`+note.ID+`?lang=`+string(lang.Other())+`"`)
		mustNotContain(t, late.Body.String(), "data-note-edit")

		page = w.pageOf(site.post(w.path(lang, "/notes/"+note.ID+"/amendments"), cookie, url.Values{"body": {"Correction: three children."}}),
			cookie, lang, doneNoteAmended)
		notes = section(t, page, "data-notes")
		mustContain(t, notes, "data-amendment", "Correction: three children.", "Met the mother and her two children.", site.text(lang, "case.notes.amendment"))
		mustContain(t, section(t, page, "data-timeline"), site.text(lang, "case.timeline.note_added"), site.text(lang, "case.timeline.note_amended"))
	})
}

// tinyPNG is a real 2×2 PNG, which Documents.Upload recognises by its bytes.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a multipart form with a file and a title, as the documents form does.
func (w *caseWorld) upload(lang i18n.Lang, cookie *http.Cookie, filename string, data []byte, title string) *httptest.ResponseRecorder {
	w.site.t.Helper()
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	if err := form.WriteField("title", title); err != nil {
		w.site.t.Fatal(err)
	}
	part, err := form.CreateFormFile("file", filename)
	if err != nil {
		w.site.t.Fatal(err)
	}
	_, _ = part.Write(data)
	_ = form.Close()
	req := httptest.NewRequest(http.MethodPost, w.path(lang, "/documents"), &body)
	req.Header.Set("Content-Type", form.FormDataContentType())
	return w.site.do(req, cookie)
}

// A document is uploaded, listed, and downloaded whole through the audited download; a file that is
// not a photo, recording or PDF is refused beside the file field, the title kept.
func TestDocumentIsUploadedListedAndDownloaded(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		form := section(t, site.get(w.path(lang, ""), w.workerC).Body.String(), "data-documents")
		mustContain(t, form, `enctype="multipart/form-data"`, `accept="image/*,audio/*,application/pdf"`,
			template.HTMLEscapeString(site.h.bundle.T(lang, "case.documents.file_hint", "mb", 20)))

		refused := w.upload(lang, w.workerC, "notes.txt", []byte("just some text"), "Police report")
		if refused.Code != http.StatusUnsupportedMediaType {
			t.Fatalf("a text file: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-documents"), `value="Police report"`, `id="document-file-error"`)

		data := tinyPNG(t)
		page := w.pageOf(w.upload(lang, w.workerC, "bruise-photo.png", data, "Photo of the injury"), w.workerC, lang, doneDocumentAdded)
		docs := section(t, page, "data-documents")
		mustContain(t, docs, "Photo of the injury", "bruise-photo.png", site.text(lang, "case.document.kind.image"), "Huda Al-Kuwari")
		link := regexp.MustCompile(`href="(/cases/` + w.k.ID + `/documents/[^"]+)"`).FindStringSubmatch(docs)
		if link == nil {
			t.Fatalf("no download link in:\n%s", docs)
		}
		download := site.get(link[1], w.workerC)
		if download.Code != http.StatusOK || download.Header().Get("Content-Type") != "image/png" ||
			!strings.HasPrefix(download.Header().Get("Content-Disposition"), "attachment") || download.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("download: %d %v", download.Code, download.Header())
		}
		if strings.Contains(download.Header().Get("Content-Disposition"), "bruise") {
			t.Error("the download is named after the uploaded file")
		}
		if _, err := png.Decode(bytes.NewReader(download.Body.Bytes())); err != nil {
			t.Errorf("the downloaded file is not the picture: %v", err)
		}
		if got := site.entries(audit.Filter{Action: "document.download", ActorID: w.worker.ID}); len(got) != 1 {
			t.Errorf("%d downloads audited, want 1", len(got))
		}
		if rec := site.get(link[1], w.colleagueC); rec.Code != http.StatusForbidden {
			t.Errorf("a colleague off the case downloaded it: status %d", rec.Code)
		}
	})
}

// A referral without the person's consent to share is refused with the reason beside the partner; once
// the consent is recorded it goes, and the partner's answer is recorded on it. A supervisor without
// consent is asked for the reason that lets them refer anyway.
func TestReferralNeedsConsentThenGoes(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		ctx := context.Background()
		hospital, err := site.env.Partners.Create(ctx, w.supervisor.Actor(), app.PartnerOrg{NameAR: "مستشفى حمد", NameEN: "Hamad Hospital", Kind: "hospital"})
		if err != nil {
			t.Fatal(err)
		}
		prosecution, err := site.env.Partners.Create(ctx, w.supervisor.Actor(), app.PartnerOrg{NameAR: "النيابة العامة", NameEN: "Public Prosecution", Kind: "public_prosecution"})
		if err != nil {
			t.Fatal(err)
		}
		hospitalName := map[i18n.Lang]string{i18n.Arabic: "مستشفى حمد", i18n.English: "Hamad Hospital"}[lang]

		refused := site.post(w.path(lang, "/referrals"), w.workerC, url.Values{"partner_org_id": {hospital.ID}, "purpose": {"Medical follow-up"}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("referral without consent: status %d", refused.Code)
		}
		form := section(t, refused.Body.String(), "data-referrals")
		mustContain(t, form, `id="referral-partner-error"`, site.text(lang, app.EConsentRequired), `<option value="`+hospital.ID+`" selected>`,
			">Medical follow-up</textarea>")
		mustNotContain(t, form, "data-override")

		page := w.pageOf(site.post(w.path(lang, "/consents"), w.workerC, url.Values{"kind": {app.ConsentSharing}, "partner_org_id": {hospital.ID},
			"given": {"yes"}}), w.workerC, lang, doneConsentRecorded)
		mustContain(t, section(t, page, "data-referrals"), "data-consent", site.text(lang, "case.consent.kind.sharing"), hospitalName,
			site.text(lang, "case.consents.given"))

		page = w.pageOf(site.post(w.path(lang, "/referrals"), w.workerC, url.Values{"partner_org_id": {hospital.ID}, "purpose": {"Medical follow-up"}}),
			w.workerC, lang, doneReferralSent)
		referrals := section(t, page, "data-referrals")
		mustContain(t, referrals, "data-referral", hospitalName, "Medical follow-up", site.text(lang, "case.referral.status.sent"), "data-referral-update")
		mustNotContain(t, referrals, site.text(lang, "case.referral.without_consent"))

		list, err := site.env.Referrals.ListReferrals(ctx, w.worker.Actor(), w.k.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("referrals %+v %v", list, err)
		}
		bad := site.post(w.path(lang, "/referrals/"+list[0].ID), w.workerC, url.Values{"status": {app.ReferralCompleted}, "feedback": {"seen"}})
		if bad.Code != http.StatusUnprocessableEntity {
			t.Fatalf("sent straight to completed: status %d", bad.Code)
		}
		mustContain(t, section(t, bad.Body.String(), "data-referrals"), site.text(lang, app.EInvalidReferralMove), ">seen</textarea>")
		page = w.pageOf(site.post(w.path(lang, "/referrals/"+list[0].ID), w.workerC, url.Values{"status": {app.ReferralAccepted},
			"feedback": {"Appointment on Sunday"}}), w.workerC, lang, doneReferralUpdated)
		mustContain(t, section(t, page, "data-referrals"), site.text(lang, "case.referral.status.accepted"), "Appointment on Sunday")

		// A supervisor is told what is missing, then offered the reason.
		asked := site.post(w.path(lang, "/referrals"), w.supervisorC, url.Values{"partner_org_id": {prosecution.ID}})
		if asked.Code != http.StatusUnprocessableEntity {
			t.Fatalf("supervisor without consent: status %d", asked.Code)
		}
		mustContain(t, section(t, asked.Body.String(), "data-referrals"), "data-override", site.text(lang, "case.referral.no_consent_supervisor"))
		short := site.post(w.path(lang, "/referrals"), w.supervisorC, url.Values{"partner_org_id": {prosecution.ID}, "override_reason": {"urgent"}})
		mustContain(t, section(t, short.Body.String(), "data-referrals"), "data-override", `id="referral-override-error"`, ">urgent</textarea>",
			site.text(lang, app.EReasonTooShort))
		page = w.pageOf(site.post(w.path(lang, "/referrals"), w.supervisorC, url.Values{"partner_org_id": {prosecution.ID},
			"override_reason": {"The child is in danger tonight; prosecutor asked"}}), w.supervisorC, lang, doneReferralSent)
		mustContain(t, section(t, page, "data-referrals"), site.text(lang, "case.referral.without_consent"))
	})
}

// A person found in the registry is added to the case with a role and relationship, chosen together.
func TestPersonIsFoundAndAddedToTheCase(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		father, err := site.env.Beneficiaries.Create(context.Background(), w.worker.Actor(), app.BeneficiaryInput{NameAR: "خالد الكواري", NameEN: "Khalid Al-Kuwari"})
		if err != nil {
			t.Fatal(err)
		}
		found := site.post(w.path(lang, "/people/search"), w.workerC, url.Values{"q": {"Kuwari"}})
		if found.Code != http.StatusOK {
			t.Fatalf("search: status %d", found.Code)
		}
		people := section(t, found.Body.String(), "data-persons")
		mustContain(t, people, "data-person-result", "Khalid Al-Kuwari", `name="person_id" value="`+father.ID+`"`, `value="Kuwari"`,
			`value="perpetrator/father"`, site.text(lang, "case.person.role.perpetrator"))
		if strings.Count(people, "data-person-result>") != 1 {
			t.Errorf("the case's own beneficiary is offered:\n%s", people)
		}

		refused := site.post(w.path(lang, "/people"), w.workerC, url.Values{"person_id": {father.ID}, "q": {"Kuwari"}, "link": {"guardian/husband"}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a relationship the role does not take: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-persons"), "Khalid Al-Kuwari", `-error"`, site.text(lang, app.EInvalidRelationship))

		page := w.pageOf(site.post(w.path(lang, "/people"), w.workerC, url.Values{"person_id": {father.ID}, "q": {"Kuwari"}, "link": {"perpetrator/father"}}),
			w.workerC, lang, donePersonAdded)
		people = section(t, page, "data-persons")
		mustContain(t, people, "خالد الكواري", site.text(lang, "case.person.role.perpetrator"), site.text(lang, "case.relationship.father"),
			site.text(lang, "case.person.role.primary"))
		mustNotContain(t, people, "data-person-result")
	})
}

// Every new route of the work sections refuses the administrator (no case content) and the analyst
// (aggregates only), whatever they send.
func TestCaseWorkRoutesRefuseAdministratorAndAnalyst(t *testing.T) {
	w := newCaseWorld(t)
	site := w.site
	_, analystC, _ := site.member("analyst", "Analyst", aman.RoleAnalyst, "")
	routes := []struct{ method, path string }{
		{"POST", "/lifecycle/moves"}, {"POST", "/lifecycle/decision"}, {"POST", "/lifecycle/priority"},
		{"POST", "/tasks"}, {"POST", "/tasks/x/done"}, {"POST", "/people/search"}, {"POST", "/people"},
		{"POST", "/notes"}, {"GET", "/notes/x"}, {"POST", "/notes/x"}, {"POST", "/notes/x/amendments"},
		{"POST", "/documents"}, {"GET", "/documents/x"},
		{"POST", "/consents"}, {"POST", "/referrals"}, {"POST", "/referrals/x"},
	}
	for _, route := range routes {
		for name, cookie := range map[string]*http.Cookie{"administrator": w.adC, "analyst": analystC} {
			t.Run(name+" "+route.method+" "+route.path, func(t *testing.T) {
				var rec *httptest.ResponseRecorder
				if route.method == http.MethodGet {
					rec = site.get(w.path(i18n.English, route.path), cookie)
				} else {
					rec = site.post(w.path(i18n.English, route.path), cookie, url.Values{"to": {"assessment"}, "title": {"x"}, "body": {"x"}})
				}
				if rec.Code != http.StatusForbidden {
					t.Fatalf("status %d, want 403", rec.Code)
				}
				mustNotContain(t, rec.Body.String(), w.k.Number, "مريم")
			})
		}
	}
	if k, _ := site.env.Cases.Get(context.Background(), w.worker.Actor(), w.k.ID); k.Status != aman.CaseNew {
		t.Fatalf("a refused move changed the case: %s", k.Status)
	}
}

// Every kind of alert the app leaves has its own label in both languages, never the catch-all. The
// source of app is read for the kinds given as literals and as notify* constants, so a new kind there
// fails this test until it is labelled.
func TestEveryAlertKindHasALabel(t *testing.T) {
	kinds := map[string]bool{}
	for _, k := range []string{"break_glass", "case_assigned", "case_reopened", "case_priority_raised", "approval_requested", "approval_granted",
		"approval_rejected", "task_assigned", "task_due", "task_overdue", "risk_high", "immediate_danger", "critical_intake"} {
		kinds[k] = true
	}
	files, err := filepath.Glob("../app/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("app sources: %v", err)
	}
	literal := regexp.MustCompile(`notify\(ctx, tx, .*, "([a-z_]+)", "[a-z_]+", `)
	constant := regexp.MustCompile(`\bnotify[A-Z]\w*\s*=\s*"([a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{literal, constant} {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				if !kinds[m[1]] {
					t.Errorf("%s: alert kind %q is not in this test's list", f, m[1])
				}
				kinds[m[1]] = true
			}
		}
	}
	bundle := loadBundle(t)
	for kind := range kinds {
		key := alertLabelKey(kind)
		if key == "notification.kind.other" {
			t.Errorf("alert kind %q shows as the catch-all", kind)
		}
		for _, lang := range i18n.Langs() {
			if !bundle.Has(key) || bundle.T(lang, key) == key {
				t.Errorf("%s: no label %q", lang, key)
			}
		}
	}
}

// The vocabularies the work sections name through dynamic keys exist in the catalogs: every stage,
// move, event, note kind, person role, relationship, consent kind, referral status, document kind and
// confirmation.
func TestCaseWorkVocabulariesAreTranslated(t *testing.T) {
	bundle := loadBundle(t)
	var keys []string
	for _, m := range aman.Moves() {
		switch {
		case m.To == aman.CaseClosed, m.Reopen:
		case m.Approval != "":
			keys = append(keys, "case.move."+string(m.From)+"."+string(m.To), "case.move.submit."+string(m.Approval),
				"case.pending."+string(m.Approval), "case.returned."+string(m.Approval))
		default:
			keys = append(keys, "case.move."+string(m.From)+"."+string(m.To))
		}
	}
	for _, e := range []aman.CaseEventKind{aman.EventMoved, aman.EventSubmitted, aman.EventApproved, aman.EventRejected, aman.EventReopened,
		aman.EventPriorityChanged, aman.EventPriorityFromRisk} {
		keys = append(keys, "case.event."+string(e))
	}
	for _, k := range policy.NoteKinds() {
		keys = append(keys, "case.note.kind."+string(k))
	}
	keys = append(keys, "case.person.role.primary", "case.pending.closure", "case.returned.closure")
	for _, role := range app.PersonRoles() {
		keys = append(keys, "case.person.role."+role)
		for _, rel := range app.Relationships(role) {
			keys = append(keys, "case.relationship."+rel)
		}
	}
	for _, kind := range app.ConsentKinds() {
		keys = append(keys, "case.consent.kind."+kind)
	}
	for _, status := range app.ReferralStatuses() {
		keys = append(keys, "case.referral.status."+status)
	}
	for _, kind := range []media.Kind{media.KindImage, media.KindAudio, media.KindPDF} {
		keys = append(keys, "case.document.kind."+string(kind))
	}
	for _, done := range []string{doneMoved, doneSubmitted, doneReopened, doneClosed, doneApproved, doneRejected, donePriority, doneTaskAdded,
		doneTaskDone, donePersonAdded, doneNoteAdded, doneNoteEdited, doneNoteAmended, doneDocumentAdded, doneConsentRecorded,
		doneReferralSent, doneReferralUpdated} {
		keys = append(keys, "case.done."+done)
	}
	for _, f := range aman.ClosureFollowUps() {
		keys = append(keys, "task.kind."+string(f.Kind))
	}
	for _, key := range keys {
		if !bundle.Has(key) {
			t.Errorf("catalog has no %q", key)
		}
	}
}
