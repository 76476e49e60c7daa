package web

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
	"aman.qa/aman/risk"
)

// newCareWorld is a case world whose UI has the case record services wired in, as cmd wires them. They
// are set before the first request, so the handler is still read-only while it serves.
func newCareWorld(t *testing.T) *caseWorld {
	t.Helper()
	w := newCaseWorld(t)
	h, env := w.site.h, w.site.env
	h.incidents, h.assessments, h.carePlans, h.socialServices = env.Incidents, env.Assessments, env.CarePlans, env.SocialServices
	return w
}

// careInBothLanguages runs journey once per language, each in a care world of its own.
func careInBothLanguages(t *testing.T, journey func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite)) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			w := newCareWorld(t)
			journey(t, lang, w, w.site)
		})
	}
}

// instrument is an instrument's latest version, as the risk pages render it.
func instrument(t *testing.T, id string) risk.Instrument {
	t.Helper()
	catalog, err := risk.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	in, ok := catalog.Get(id)
	if !ok {
		t.Fatalf("no instrument %q", id)
	}
	return in
}

// answersWithYes answers the first yes items of in "yes" and the rest "no", as the form posts them.
func answersWithYes(in risk.Instrument, yes int) url.Values {
	form := url.Values{}
	for i, it := range in.Items {
		answer := answerNo
		if i < yes {
			answer = answerYes
		}
		form.Set("answers."+it.ID, answer)
	}
	return form
}

// careFollow is site.follow for a redirect to a section of the case page: the browser keeps the
// fragment to itself, so the request does not carry it.
func careFollow(site *staffSite, rec *httptest.ResponseRecorder, cookie *http.Cookie, lang i18n.Lang) *httptest.ResponseRecorder {
	site.t.Helper()
	if rec.Code != http.StatusSeeOther {
		site.t.Fatalf("status %d, want 303; body:\n%s", rec.Code, rec.Body.String())
	}
	location, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		site.t.Fatal(err)
	}
	location.Fragment = ""
	query := location.Query()
	query.Set("lang", string(lang))
	location.RawQuery = query.Encode()
	return site.get(location.String(), cookie)
}

func escaped(s string) string { return template.HTMLEscapeString(s) }

func TestDASHWithFourteenYesIsHighWithMARACAndRaisesThePriority(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		dash := instrument(t, risk.DASH)
		before := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, before, `data-risk-band=""`, site.text(lang, "case.risk.band.none"), site.text(lang, "case.risk.none"),
			`<span class="badge">`+site.text(lang, "case.priority.normal")+`</span>`, `href="/cases/`+w.k.ID+`/risk/dash"`,
			`href="/cases/`+w.k.ID+`/risk/danger_assessment"`, `href="/cases/`+w.k.ID+`/risk/child_protection"`)

		form := site.get(w.path(lang, "/risk/dash"), w.workerC)
		if form.Code != http.StatusOK {
			t.Fatalf("DASH form: status %d", form.Code)
		}
		page := form.Body.String()
		// The questions come from the instrument's definition, in the page's language.
		first, last := dash.Items[0].Text.EN, dash.Items[len(dash.Items)-1].Text.EN
		other := dash.Items[0].Text.AR
		if lang == i18n.Arabic {
			first, last, other = dash.Items[0].Text.AR, dash.Items[len(dash.Items)-1].Text.AR, dash.Items[0].Text.EN
		}
		mustContain(t, page, escaped(first), escaped(last), `name="answers.1" value="yes"`, `name="answers.`+dash.Items[len(dash.Items)-1].ID+`" value="no"`,
			`name="professional_judgement"`, `action="/cases/`+w.k.ID+`/risk/dash"`, w.k.Number)
		mustNotContain(t, page, escaped(other), "data-weights-pending", "مريم", "Maryam")

		rec := site.post(w.path(lang, "/risk/dash"), w.workerC, answersWithYes(dash, 14))
		if location := rec.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=risk#case-risk" {
			t.Fatalf("redirect to %q (status %d)", location, rec.Code)
		}
		page = careFollow(site, rec, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.risk"), `data-risk-band="high"`, site.text(lang, "case.risk.band.high"),
			`data-risk-flag="marac"`, site.text(lang, "case.risk.flag.marac"), `data-risk-flag="safety_plan_missing"`, "data-safety-plan-missing",
			escaped(instrumentText(lang, dash.Name)), escaped(instrumentText(lang, dash.Levels[len(dash.Levels)-1].Name)),
			`<span class="badge badge--danger">`+site.text(lang, "case.priority.high")+`</span>`,
			`<span class="badge badge--danger" data-risk-case-priority>`+site.text(lang, "case.priority.high")+`</span>`,
			`<span class="badge badge--danger" data-risk-priority>`+site.text(lang, "case.priority.high")+`</span>`, "Huda Al-Kuwari")
		mustNotContain(t, page, `data-risk-flag="immediate_danger"`, "data-risk-provisional")

		k, err := site.env.Cases.Get(context.Background(), w.worker.Actor(), w.k.ID)
		if err != nil || k.Priority != aman.PriorityHigh {
			t.Errorf("case priority %q, %v", k.Priority, err)
		}
		if created := site.entries(audit.Filter{Action: "risk_assessment.create", ActorID: w.worker.ID}); len(created) != 1 || created[0].Detail["level"] != "high" {
			t.Errorf("risk audit: %+v", created)
		}
	})
}

func TestDangerAssessmentSaysItsWeightsAwaitConfirmation(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		da := instrument(t, risk.DangerAssessment)
		if da.WeightsConfirmed {
			t.Skip("the centre has confirmed the Danger Assessment's weights")
		}
		rec := site.get(w.path(lang, "/risk/danger_assessment"), w.workerC)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		page := rec.Body.String()
		mustContain(t, page, "data-weights-pending", site.text(lang, "case.risk.weights_pending"), escaped(instrumentText(lang, da.Notes)),
			escaped(instrumentText(lang, da.Items[0].Text)))
		mustNotContain(t, page, `name="professional_judgement"`)

		// A judgement the instrument does not take is refused, and the form comes back with every answer.
		form := answersWithYes(da, 3)
		form.Set("professional_judgement", "extreme")
		back := site.post(w.path(lang, "/risk/danger_assessment"), w.workerC, form)
		if back.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", back.Code)
		}
		mustContain(t, back.Body.String(), site.text(lang, aman.EInvalid), `id="answer-1-yes" name="answers.1" value="yes" checked`,
			`id="answer-4-no" name="answers.4" value="no" checked`)

		saved := site.post(w.path(lang, "/risk/danger_assessment"), w.workerC, answersWithYes(da, 3))
		page = careFollow(site, saved, w.workerC, lang).Body.String()
		mustContain(t, page, escaped(instrumentText(lang, da.Name)), "data-risk-provisional", site.text(lang, "case.risk.provisional"))
	})
}

func TestIncidentWithABadDateComesBackWithEverythingTyped(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, page, "data-incident-form", `action="/cases/`+w.k.ID+`/incidents"`, site.text(lang, "incident.act.physical_assault"),
			site.text(lang, "incident.relationship.employer_sponsor"), site.text(lang, "incident.harm.confinement"), site.text(lang, "case.incidents.none"))

		typed := url.Values{"occurred_on": {"2026-02-30"}, "place_type": {"home"}, "acts": {"physical_assault", "psychological_abuse"},
			"perpetrator_relationships": {"husband"}, "harms": {"verbal"}, "narrative": {"He hit me <again>\nat night"}}
		tests := []struct {
			name, day, code string
		}{
			{"no such day", "2026-02-30", eInvalidDate},
			{"a day to come", "2026-03-16", aman.EDateInFuture},
			{"no day", "", aman.ERequired},
		}
		for _, tc := range tests {
			typed.Set("occurred_on", tc.day)
			rec := site.post(w.path(lang, "/incidents"), w.workerC, typed)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s: status %d, want 422", tc.name, rec.Code)
			}
			page := rec.Body.String()
			mustContain(t, page, `id="incident-occurred-on-error"`, site.text(lang, tc.code), `name="occurred_on" value="`+tc.day+`"`,
				`<option value="home" selected>`, `value="physical_assault" checked`, `value="psychological_abuse" checked`,
				`value="husband" checked`, `value="verbal" checked`, ">He hit me &lt;again&gt;\nat night</textarea>",
				`<details class="care-details care-form" open data-incident-form>`, w.k.Number)
			mustNotContain(t, page, `value="penetration" checked`, `value="father" checked`)
		}
		if list, _ := site.env.Incidents.List(context.Background(), w.worker.Actor(), w.k.ID); len(list) != 0 {
			t.Fatalf("a refused incident was recorded: %+v", list)
		}

		typed.Set("occurred_on", "٢٠٢٦-٠٣-١٠")
		saved := site.post(w.path(lang, "/incidents"), w.workerC, typed)
		if location := saved.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=incident#case-incidents" {
			t.Fatalf("redirect to %q (status %d)", location, saved.Code)
		}
		page = careFollow(site, saved, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.incident"), `<time datetime="2026-03-10" dir="ltr">2026-03-10</time>`,
			site.text(lang, "incident.place.home"), site.text(lang, "incident.type.physical_assault"),
			site.text(lang, "incident.context.intimate_partner_violence"), site.text(lang, "incident.relationship.husband"),
			"He hit me &lt;again&gt;\nat night")
		mustNotContain(t, page, site.text(lang, "case.incidents.none"))
	})
}

func TestGoalIsAddedAndItsStatusChanged(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, page, "data-goal-form", site.text(lang, "case.care_plan.none"), `<option value="`+w.supervisor.ID+`">`)

		goal := url.Values{"track": {""}, "description": {"Weekly counselling <sessions>"}, "responsible_user_id": {w.worker.ID},
			"due_on": {"2026-04-30"}, "status": {"planned"}}
		rec := site.post(w.path(lang, "/care-plan/goals"), w.workerC, goal)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("no track: status %d, want 422", rec.Code)
		}
		mustContain(t, rec.Body.String(), `id="goal-new-track-error"`, site.text(lang, aman.ERequired), ">Weekly counselling &lt;sessions&gt;</textarea>",
			`<option value="`+w.worker.ID+`" selected>`, `id="goal-new-due-on" name="due_on" value="2026-04-30"`, `data-goal-form`)

		goal.Set("track", "psychological")
		saved := site.post(w.path(lang, "/care-plan/goals"), w.workerC, goal)
		if location := saved.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=goal#case-care-plan" {
			t.Fatalf("redirect to %q (status %d)", location, saved.Code)
		}
		page = careFollow(site, saved, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.goal"), site.text(lang, "care.track.psychological"), "Weekly counselling &lt;sessions&gt;",
			`data-goal-status="planned">`+site.text(lang, "care.status.planned"), "2026-04-30", "Huda Al-Kuwari")
		plan, err := site.env.CarePlans.Plan(context.Background(), w.worker.Actor(), w.k.ID)
		if err != nil || len(plan.Goals) != 1 {
			t.Fatalf("plan %+v, %v", plan, err)
		}
		g := plan.Goals[0]
		mustContain(t, page, `id="goal-`+g.ID+`"`, `action="/cases/`+w.k.ID+`/care-plan/goals/`+g.ID+`/status"`)

		bad := site.post(w.path(lang, "/care-plan/goals/"+g.ID+"/status"), w.workerC, url.Values{"status": {"finished"}})
		if bad.Code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown status: %d, want 422", bad.Code)
		}
		mustContain(t, bad.Body.String(), `id="goal-`+g.ID+`-status-error"`, site.text(lang, aman.EInvalidGoalStatus))

		changed := site.post(w.path(lang, "/care-plan/goals/"+g.ID+"/status"), w.workerC, url.Values{"status": {"achieved"}})
		if location := changed.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=goal_status&goal="+g.ID+"#goal-"+g.ID {
			t.Fatalf("redirect to %q (status %d)", location, changed.Code)
		}
		page = careFollow(site, changed, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.goal_status"), `data-goal-status="achieved">`+site.text(lang, "care.status.achieved"))
		mustNotContain(t, page, `data-goal-status="planned"`)

		// An intervention and a progress note on the goal; a note with nothing in it comes back.
		empty := site.post(w.path(lang, "/care-plan/goals/"+g.ID+"/progress-notes"), w.workerC, url.Values{"text": {"  "}})
		if empty.Code != http.StatusUnprocessableEntity {
			t.Fatalf("empty note: %d", empty.Code)
		}
		mustContain(t, empty.Body.String(), `id="goal-`+g.ID+`-note-error"`, site.text(lang, aman.ERequired))
		careFollow(site, site.post(w.path(lang, "/care-plan/goals/"+g.ID+"/interventions"), w.workerC, url.Values{"description": {"Referral to a psychologist"},
			"responsible_user_id": {w.colleague.ID}, "due_on": {"2026-04-01"}, "status": {"in_progress"}}), w.workerC, lang)
		page = careFollow(site, site.post(w.path(lang, "/care-plan/goals/"+g.ID+"/progress-notes"), w.workerC,
			url.Values{"text": {"Came to both sessions this week"}}), w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.progress_note"), "Referral to a psychologist", "سلمى المري",
			site.text(lang, "care.status.in_progress"), "Came to both sessions this week")

		// The plan's review day.
		page = careFollow(site, site.post(w.path(lang, "/care-plan/review"), w.workerC, url.Values{"review_on": {"2026-05-01"}}), w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.plan_review"), `<time datetime="2026-05-01" dir="ltr">2026-05-01</time>`)
	})
}

func TestSafetyPlanWarningAtMediumRiskGoesWhenThePlanIsSaved(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustNotContain(t, page, "data-safety-plan-missing", "data-safety-plan-warning")
		mustContain(t, page, site.text(lang, "case.safety_plan.none"))

		dash := instrument(t, risk.DASH)
		answers := map[string]bool{}
		for i, it := range dash.Items {
			answers[it.ID] = i < 10
		}
		result, err := site.env.Assessments.RecordRisk(context.Background(), w.worker.Actor(), w.k.ID, app.RiskAssessmentInput{Instrument: risk.DASH, Answers: answers})
		if err != nil || result.Band != app.BandMedium {
			t.Fatalf("DASH with 10 yes: %+v, %v", result, err)
		}
		page = site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, page, `data-risk-band="medium"`, "data-safety-plan-missing", "data-safety-plan-warning", site.text(lang, "case.safety_plan.missing"),
			site.text(lang, "case.risk.safety_plan_missing"), `href="#case-safety-plan"`, `<details class="care-details care-form" open data-safety-plan-form>`)
		mustNotContain(t, page, `data-risk-flag="marac"`)

		plan := "Call 919 or the police. Go to her sister's house. Keep the passports ready."
		rec := site.post(w.path(lang, "/safety-plan"), w.workerC, url.Values{"text": {plan}, "review_on": {""}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("no review day: status %d, want 422", rec.Code)
		}
		mustContain(t, rec.Body.String(), `id="safety-plan-review-error"`, site.text(lang, aman.ERequired), ">"+escaped(plan)+"</textarea>")

		saved := site.post(w.path(lang, "/safety-plan"), w.workerC, url.Values{"text": {plan}, "review_on": {"2026-04-15"}})
		if location := saved.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=safety_plan#case-safety-plan" {
			t.Fatalf("redirect to %q (status %d)", location, saved.Code)
		}
		page = careFollow(site, saved, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.safety_plan"), `data-safety-plan-version="1"`, escaped(plan), "2026-04-15",
			`data-risk-band="medium"`)
		mustNotContain(t, page, "data-safety-plan-missing", "data-safety-plan-warning", site.text(lang, "case.safety_plan.missing"))
	})
}

func TestServiceDeliveryIsRecorded(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		counselling := map[i18n.Lang]string{i18n.Arabic: "جلسة إرشاد", i18n.English: "Counselling session"}[lang]
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, page, "data-delivery-form", `<option value="counselling_session">`+counselling+`</option>`, site.text(lang, "case.services.none"))

		typed := url.Values{"service": {"counselling_session"}, "delivered_at": {"2026-03-14"}, "delivered_time": {"10:30"},
			"provider_user_id": {w.colleague.ID}, "provider_org": {"Hamad Medical Corporation"}, "outcome": {"delivered"}, "note": {"First session"}}
		rec := site.post(w.path(lang, "/services"), w.workerC, typed)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("two providers: status %d, want 422", rec.Code)
		}
		mustContain(t, rec.Body.String(), `id="delivery-provider-error"`, site.text(lang, aman.EOneProvider),
			`<option value="counselling_session" selected>`, `value="2026-03-14"`, `value="10:30"`, `<option value="`+w.colleague.ID+`" selected>`,
			`value="Hamad Medical Corporation"`, `value="delivered" checked`, ">First session</textarea>")

		typed.Set("delivered_time", "25:00")
		typed.Set("provider_user_id", "")
		rec = site.post(w.path(lang, "/services"), w.workerC, typed)
		mustContain(t, rec.Body.String(), `id="delivery-time-error"`, site.text(lang, eInvalidTime))

		typed.Set("delivered_time", "10:30")
		saved := site.post(w.path(lang, "/services"), w.workerC, typed)
		if location := saved.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=service#case-services" {
			t.Fatalf("redirect to %q (status %d)", location, saved.Code)
		}
		page = careFollow(site, saved, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.service"), "<strong dir=\"auto\">"+counselling+"</strong>", "2026-03-14 10:30:00",
			"Hamad Medical Corporation", site.text(lang, "case.services.partner"), site.text(lang, "service.outcome.delivered"), "First session")
		mustNotContain(t, page, site.text(lang, "case.services.none"))

		deliveries, err := site.env.SocialServices.Deliveries(context.Background(), w.worker.Actor(), w.k.ID)
		if err != nil || len(deliveries) != 1 || !deliveries[0].DeliveredAt.Equal(time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC)) {
			t.Fatalf("deliveries %+v, %v", deliveries, err)
		}

		// Without a time of day, the delivery is dated by its day alone, the start of it in Qatar.
		page = careFollow(site, site.post(w.path(lang, "/services"), w.workerC, url.Values{"service": {"housing"}, "delivered_at": {"2026-03-12"},
			"provider_user_id": {w.colleague.ID}, "outcome": {"partially"}}), w.workerC, lang).Body.String()
		mustContain(t, page, `datetime="2026-03-11T21:00:00Z" dir="ltr">2026-03-12</time>`, "سلمى المري", site.text(lang, "service.outcome.partially"))
		mustNotContain(t, page, "2026-03-12 00:00:00")
	})
}

func TestAssessmentIsSavedAsVersionsAndTheLatestShown(t *testing.T) {
	careInBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		mustContain(t, page, site.text(lang, "case.assessment.none"), "data-assessment-form", site.text(lang, "assessment.section.child_needs"),
			`name="sections.family.fields.children"`, site.text(lang, "assessment.choice.marital_status.divorced"))

		empty := site.post(w.path(lang, "/assessment"), w.workerC, url.Values{})
		if empty.Code != http.StatusUnprocessableEntity {
			t.Fatalf("empty form: status %d, want 422", empty.Code)
		}
		mustContain(t, empty.Body.String(), site.text(lang, aman.EEmptyForm))

		typed := url.Values{"sections.safety.text": {"Lives with her husband, who <threatens> her"}, "sections.safety.fields.safe_at_home": {"no"},
			"sections.family.fields.marital_status": {"married"}, "sections.family.fields.children": {"three"}}
		bad := site.post(w.path(lang, "/assessment"), w.workerC, typed)
		if bad.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a count in words: status %d, want 422", bad.Code)
		}
		mustContain(t, bad.Body.String(), `id="assessment-family-children-error"`, site.text(lang, aman.EInvalidAnswer), `value="three"`,
			">Lives with her husband, who &lt;threatens&gt; her</textarea>", `name="sections.safety.fields.safe_at_home" value="no" checked`,
			`<option value="married" selected>`)

		typed.Set("sections.family.fields.children", "٣")
		saved := site.post(w.path(lang, "/assessment"), w.workerC, typed)
		if location := saved.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=assessment#case-assessment" {
			t.Fatalf("redirect to %q (status %d)", location, saved.Code)
		}
		page = careFollow(site, saved, w.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.assessment"), `data-assessment-version="1"`, "Huda Al-Kuwari",
			"Lives with her husband, who &lt;threatens&gt; her", site.text(lang, "assessment.field.safe_at_home"),
			site.text(lang, "assessment.choice.marital_status.married"), `<span dir="ltr">3</span>`,
			// The form starts from the latest version, since it is saved whole.
			`name="sections.family.fields.children" value="3"`)
		mustNotContain(t, page, site.text(lang, "case.assessment.none"))
	})
}

// Who may not change the case never reaches the care forms: analysts and the administrator are refused
// every route, a colleague is offered break-glass instead, and a shelter officer reads the sections
// without a form.
func TestCareRoutesRefuse(t *testing.T) {
	w := newCareWorld(t)
	site := w.site
	_, analystC, _ := site.member("analyst", "Analyst", aman.RoleAnalyst, "")
	shelter, shelterC, _ := site.member("shelter", "Shelter Officer", aman.RoleShelterOfficer, w.unit.ID)
	if err := site.env.Cases.Assign(context.Background(), w.supervisor.Actor(), w.k.ID, app.CaseAssignment{WorkerID: w.worker.ID}); err != nil {
		t.Fatal(err)
	}
	goal, err := site.env.CarePlans.AddGoal(context.Background(), w.worker.Actor(), w.k.ID, app.GoalInput{Track: "social", Description: "Housing"})
	if err != nil {
		t.Fatal(err)
	}
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/risk/dash", nil},
		{"POST", "/risk/dash", url.Values{"answers.1": {"yes"}}},
		{"POST", "/incidents", url.Values{"occurred_on": {"2026-03-01"}, "place_type": {"home"}}},
		{"POST", "/assessment", url.Values{"sections.safety.text": {"safe"}}},
		{"POST", "/care-plan/review", url.Values{"review_on": {"2026-05-01"}}},
		{"POST", "/care-plan/goals", url.Values{"track": {"social"}, "description": {"x"}}},
		{"POST", "/care-plan/goals/" + goal.ID + "/status", url.Values{"status": {"achieved"}}},
		{"POST", "/care-plan/goals/" + goal.ID + "/interventions", url.Values{"description": {"x"}}},
		{"POST", "/care-plan/goals/" + goal.ID + "/progress-notes", url.Values{"text": {"x"}}},
		{"POST", "/safety-plan", url.Values{"text": {"x"}, "review_on": {"2026-05-01"}}},
		{"POST", "/services", url.Values{"service": {"housing"}, "delivered_at": {"2026-03-01"}, "provider_org": {"x"}, "outcome": {"delivered"}}},
	}
	who := []struct {
		name   string
		cookie *http.Cookie
		status int
	}{
		{"administrator", w.adC, http.StatusForbidden},
		{"analyst", analystC, http.StatusForbidden},
		{"shelter officer", shelterC, http.StatusForbidden},
		{"colleague without break-glass", w.colleagueC, http.StatusForbidden},
		{"no session", nil, http.StatusUnauthorized},
	}
	for _, p := range who {
		for _, rt := range routes {
			t.Run(p.name+" "+rt.method+" "+rt.path, func(t *testing.T) {
				var rec = site.get(w.path(i18n.English, rt.path), p.cookie)
				if rt.method == http.MethodPost {
					rec = site.post(w.path(i18n.English, rt.path), p.cookie, rt.form)
				}
				if rec.Code != p.status {
					t.Fatalf("status %d, want %d", rec.Code, p.status)
				}
				mustNotContain(t, rec.Body.String(), w.k.Number, "مريم", "Maryam", "Housing")
			})
		}
	}
	ctx := context.Background()
	if list, _ := site.env.Incidents.List(ctx, w.worker.Actor(), w.k.ID); len(list) != 0 {
		t.Error("a refused post recorded an incident")
	}
	if plan, _ := site.env.CarePlans.Plan(ctx, w.worker.Actor(), w.k.ID); len(plan.Goals) != 1 || plan.Goals[0].Status != aman.GoalPlanned ||
		plan.SafetyPlan != nil || !plan.ReviewOn.IsZero() {
		t.Errorf("a refused post changed the plan: %+v", plan)
	}
	if _, history, _ := site.env.Assessments.RiskHistory(ctx, w.worker.Actor(), w.k.ID); len(history) != 0 {
		t.Error("a refused post recorded a risk result")
	}

	// A shelter officer who broke the glass reads the care sections but is offered no form.
	if _, err := site.env.Cases.BreakGlass(ctx, shelter.Actor(), w.k.ID, "a resident arrived at night and needs her plan"); err != nil {
		t.Fatal(err)
	}
	page := site.get(w.path(i18n.Arabic, ""), shelterC).Body.String()
	mustContain(t, page, "data-risk", "data-care-plan", "Housing", "data-services", "data-incidents", "data-assessment", "data-safety-plan")
	mustNotContain(t, page, "data-risk-run", "data-incident-form", "data-assessment-form", "data-goal-form", "data-goal-status-form",
		"data-safety-plan-form", "data-delivery-form", "data-plan-review-form", "<form class=\"form care-inline-form\"")

	// A colleague is offered break-glass on the instrument's page too, as on the case page.
	rec := site.get(w.path(i18n.Arabic, "/risk/dash"), w.colleagueC)
	mustContain(t, rec.Body.String(), "data-break-glass", `action="/cases/`+w.k.ID+`/break-glass"`)
	if _, err := site.env.Cases.BreakGlass(ctx, w.colleague.Actor(), w.k.ID, "the police called about this family at night"); err != nil {
		t.Fatal(err)
	}
	rec = site.get(w.path(i18n.English, "/risk/dash"), w.colleagueC)
	if rec.Code != http.StatusOK {
		t.Fatalf("after break-glass: status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), "data-break-glass-banner", site.text(i18n.English, "case.break_glass.banner"), `name="answers.1"`)
	if rec := site.get(w.path(i18n.English, "/risk/no_such_tool"), w.workerC); rec.Code != http.StatusNotFound {
		t.Errorf("unknown instrument: status %d", rec.Code)
	}
}

// Every code the care sections show through the catalog has words in both languages.
func TestCareVocabulariesAreTranslated(t *testing.T) {
	bundle := loadBundle(t)
	var keys []string
	add := func(prefix string, codes ...string) {
		for _, c := range codes {
			keys = append(keys, prefix+c)
		}
	}
	add("incident.type.", risk.Types()...)
	add("incident.act.", risk.Acts()...)
	add("incident.relationship.", append(risk.Relationships(), risk.RelPartner, risk.RelFormerPartner)...)
	add("incident.context.", risk.ContextIntimatePartnerViolence, risk.ContextChildSexualAbuse, risk.ContextEarlyMarriage)
	for _, p := range aman.PlaceTypes() {
		add("incident.place.", string(p))
	}
	for _, h := range aman.Harms() {
		add("incident.harm.", string(h))
	}
	for _, tr := range aman.Tracks() {
		add("care.track.", string(tr))
	}
	add("care.status.", goalStatusCodes()...)
	for _, o := range aman.ServiceOutcomes() {
		add("service.outcome.", string(o))
	}
	for _, s := range aman.AssessmentForm() {
		add("assessment.section.", string(s.Section))
		for _, f := range s.Fields {
			add("assessment.field.", f.Name)
			add("assessment.choice."+f.Name+".", f.Choices...)
		}
	}
	add("case.risk.band.", app.BandLow, app.BandMedium, app.BandHigh)
	add("case.done.", doneRisk, doneIncident, doneAssessment, doneGoal, doneGoalStatus, doneIntervention, doneProgressNote, donePlanReview,
		doneSafetyPlan, doneService)
	keys = append(keys, eInvalidTime)
	for _, key := range keys {
		if !bundle.Has(key) {
			t.Errorf("catalog has no %q", key)
		}
	}
	if len(keys) < 100 {
		t.Fatalf("only %d keys checked", len(keys))
	}
}
