package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
)

func TestCounsellorAnswersConsultationInBothLanguages(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			site := newTriageSite(t)
			env := site.env
			site.h.publicIntake = &app.PublicIntake{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Triage: env.Triage}
			unit := site.unit("وحدة", "Unit")
			_, workerC, _ := site.member("noor", "Noor", aman.RolePsychologist, unit.ID)
			_, operatorC, _ := site.member("operator.one", "Operator", aman.RoleHotlineOperator, unit.ID)
			q := "?lang=" + string(lang)
			ctx := context.Background()
			consult, err := site.h.publicIntake.Submit(ctx, app.Meta{IP: "10.1.1.1"}, app.PublicRequestInput{Channel: aman.ChannelConsultation,
				Passphrase: "my secret words", Message: "How do I protect my children?", Kind: "legal"})
			if err != nil {
				t.Fatal(err)
			}
			report, err := site.h.publicIntake.Submit(ctx, app.Meta{IP: "10.1.1.2"}, app.PublicRequestInput{Channel: aman.ChannelReport,
				Passphrase: "my secret words", Message: "A child sleeps in the street", About: "child", Urgency: "urgent"})
			if err != nil {
				t.Fatal(err)
			}

			queue := site.get("/triage"+q, workerC).Body.String()
			mustContain(t, queue, `href="/consultations/`+consult.ID+`"`, `href="/requests/`+report.ID+`"`)
			mustNotContain(t, site.get("/triage"+q, operatorC).Body.String(), `href="/consultations/`, `href="/requests/`)

			page := site.get("/consultations/"+consult.ID+q, workerC)
			if page.Code != http.StatusOK {
				t.Fatalf("consultation page %d", page.Code)
			}
			mustContain(t, page.Body.String(), "How do I protect my children?", site.text(lang, "public_request.kind.legal"), "data-reply-form")
			if n := len(site.entries(audit.Filter{Action: "consultation.view"})); n != 1 {
				t.Fatalf("consultation views audited: %d", n)
			}

			// An empty reply comes back with the form.
			rec := site.post("/consultations/"+consult.ID+q, workerC, url.Values{"text": {"  "}})
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("empty reply: %d", rec.Code)
			}
			mustContain(t, rec.Body.String(), "data-reply-form", `id="text-error"`)

			done := site.follow(site.post("/consultations/"+consult.ID+q, workerC, url.Values{"text": {"Call us at any time."}}), workerC, lang)
			mustContain(t, done.Body.String(), "Call us at any time.", site.text(lang, "public_request.answered"), `data-request-status="answered"`)
			th, err := site.h.publicIntake.FollowUp(ctx, app.Meta{IP: "10.1.1.1"}, consult.FollowUpCode, "my secret words")
			if err != nil || th.Status != app.PublicAnswered || th.Messages[len(th.Messages)-1].Text != "Call us at any time." {
				t.Fatalf("follow-up %+v %v", th, err)
			}
			mustNotContain(t, site.get("/triage"+q, workerC).Body.String(), `href="/consultations/`+consult.ID+`"`)

			read := site.get("/requests/"+report.ID+q, workerC)
			if read.Code != http.StatusOK {
				t.Fatalf("report page %d", read.Code)
			}
			mustContain(t, read.Body.String(), "A child sleeps in the street", site.text(lang, "public_request.about.child"))
			mustNotContain(t, read.Body.String(), "data-reply-form")
			if n := len(site.entries(audit.Filter{Action: "public_request.view"})); n != 1 {
				t.Fatalf("request views audited: %d", n)
			}
			if rec := site.get("/requests/"+report.ID+q, operatorC); rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
				t.Fatalf("operator read a report: %d", rec.Code)
			}
			if rec := site.get("/requests/"+consult.ID+q, workerC); rec.Code != http.StatusNotFound {
				t.Fatalf("a consultation read as a request: %d", rec.Code)
			}
		})
	}
}
