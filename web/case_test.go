package web

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
)

// newCaseSite is the staff site with the case module wired in, as cmd wires it. The services are set
// before the first request, so the handler is still read-only while it serves.
func newCaseSite(t *testing.T) *staffSite {
	t.Helper()
	site := newStaffSite(t)
	site.h.cases, site.h.beneficiaries, site.h.notifications = site.env.Cases, site.env.Beneficiaries, site.env.Notifications
	site.h.tasks, site.h.notes, site.h.documents, site.h.referrals, site.h.partners = site.env.Tasks, site.env.Notes, site.env.Documents,
		site.env.Referrals, site.env.Partners
	return site
}

// member creates an enrolled account in a unit and signs it in. The secret signs it in again.
func (s *staffSite) member(username, displayName string, role aman.Role, unitID string) (app.User, *http.Cookie, string) {
	s.t.Helper()
	u, uri, err := s.env.Accounts.CreateUser(context.Background(), apptest.Admin(), app.NewUser{
		Username: username, DisplayName: displayName, Role: role, UnitID: unitID, Password: apptest.StrongPassword, EnrolTOTP: true,
	})
	if err != nil {
		s.t.Fatalf("create %s: %v", username, err)
	}
	secret := apptest.SecretFromURI(s.t, uri)
	return u, s.signInAgain(username, secret), secret
}

// caseWorld is one unit with its people and one case, opened by its worker.
type caseWorld struct {
	site                                  *staffSite
	unit                                  app.Unit
	worker, colleague, supervisor, admin  app.User
	workerC, colleagueC, supervisorC, adC *http.Cookie
	colleagueSecret, workerSecret         string
	person                                aman.Beneficiary
	k                                     aman.Case
}

func newCaseWorld(t *testing.T) *caseWorld {
	t.Helper()
	site := newCaseSite(t)
	w := &caseWorld{site: site, unit: site.unit("وحدة الحماية", "Protection unit")}
	w.worker, w.workerC, w.workerSecret = site.member("huda", "Huda Al-Kuwari", aman.RoleCaseWorker, w.unit.ID)
	w.colleague, w.colleagueC, w.colleagueSecret = site.member("salma", "سلمى المري", aman.RoleCaseWorker, w.unit.ID)
	w.supervisor, w.supervisorC, _ = site.member("noura", "Noura Al-Thani", aman.RoleSupervisor, w.unit.ID)
	w.admin, w.adC, _ = site.member("admin", "", aman.RoleAdmin, "")
	ctx := context.Background()
	var err error
	w.person, err = site.env.Beneficiaries.Create(ctx, w.worker.Actor(), app.BeneficiaryInput{NameAR: "مريم الكواري", NameEN: "Maryam Al-Kuwari"})
	if err != nil {
		t.Fatal(err)
	}
	if w.k, err = site.env.Cases.Open(ctx, w.worker.Actor(), app.OpenCaseInput{BeneficiaryID: w.person.ID}); err != nil {
		t.Fatal(err)
	}
	return w
}

// inBothLanguages runs journey once per language, each in a world of its own.
func inBothLanguages(t *testing.T, journey func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite)) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			w := newCaseWorld(t)
			journey(t, lang, w, w.site)
		})
	}
}

func (w *caseWorld) path(lang i18n.Lang, suffix string) string {
	return "/cases/" + w.k.ID + suffix + "?lang=" + string(lang)
}

// qatarTime is how a page shows t: the centre's UTC+3, computed here without the handler's zone.
func qatarTime(t time.Time) string {
	return t.UTC().Add(3 * time.Hour).Format("2006-01-02 15:04:05")
}

func mustContain(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func mustNotContain(t *testing.T, page string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(page, u) {
			t.Errorf("page shows %q", u)
		}
	}
}

func TestCasePageForTheAssignedWorker(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		rec := site.get(w.path(lang, ""), w.workerC)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d:\n%s", rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Error("a page with personal data may be cached")
		}
		page := rec.Body.String()
		mustContain(t, page, w.k.Number, site.text(lang, "case.status.new"), site.text(lang, "case.priority.normal"),
			`<dd lang="ar" dir="rtl">مريم الكواري</dd>`, `<dd lang="en" dir="ltr">Maryam Al-Kuwari</dd>`,
			unitName(lang, w.unit), "Huda Al-Kuwari", site.text(lang, "role.case_worker"), site.text(lang, "case.no_team"),
			qatarTime(w.k.OpenedAt), `datetime="`+w.k.OpenedAt.UTC().Format(time.RFC3339)+`"`)
		mustNotContain(t, page, "data-break-glass-banner", "data-assignment", "/assignment")

		reads := site.entries(audit.Filter{Action: "case.read", ActorID: w.worker.ID})
		if len(reads) != 1 || reads[0].Detail["basis"] != policy.BasisAssigned || reads[0].BreakGlass {
			t.Errorf("case reads: %+v", reads)
		}
		if got := site.entries(audit.Filter{Action: "beneficiary.read", ActorID: w.worker.ID, EntityType: "beneficiary", EntityID: w.person.ID}); len(got) != 1 {
			t.Errorf("%d beneficiary reads audited, want 1", len(got))
		}
	})
}

func TestBreakGlassPageForAColleague(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		rec := site.get(w.path(lang, ""), w.colleagueC)
		if rec.Code != http.StatusForbidden {
			t.Fatalf("status %d, want 403", rec.Code)
		}
		page := rec.Body.String()
		mustContain(t, page, site.text(lang, "case.break_glass.title"), site.text(lang, "case.break_glass.term_hour"),
			site.text(lang, "case.break_glass.term_alert"), site.text(lang, "case.break_glass.term_audit"),
			`action="/cases/`+w.k.ID+`/break-glass"`, `minlength="`+strconv.Itoa(app.MinBreakGlassReason)+`"`,
			template.HTMLEscapeString(site.h.bundle.T(lang, "case.break_glass.reason_hint", "min", app.MinBreakGlassReason)))
		// Until the glass is broken nothing of the case shows, not even its number.
		mustNotContain(t, page, w.k.Number, "مريم", "Maryam", "Huda Al-Kuwari")
		if denied := site.entries(audit.Filter{Action: "case.read_denied", ActorID: w.colleague.ID}); len(denied) != 1 {
			t.Errorf("%d refused reads audited, want 1", len(denied))
		}
		if reads := site.entries(audit.Filter{Action: "beneficiary.read", ActorID: w.colleague.ID}); len(reads) != 0 {
			t.Error("the person's record was read for a refused case")
		}
	})
}

func TestBreakGlassShortReasonComesBackWithWhatWasTyped(t *testing.T) {
	if msg := loadBundle(t).T(i18n.English, app.EReasonTooShort); !strings.Contains(msg, strconv.Itoa(app.MinBreakGlassReason)) {
		t.Fatalf("the message %q does not give the minimum the app enforces (%d)", msg, app.MinBreakGlassReason)
	}
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		typed := "call <b>now"
		rec := site.post(w.path(lang, "/break-glass"), w.colleagueC, url.Values{"reason": {typed}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", rec.Code)
		}
		page := rec.Body.String()
		mustContain(t, page, `>call &lt;b&gt;now</textarea>`, `id="reason-error"`, `aria-invalid="true"`,
			site.text(lang, app.EReasonTooShort), `action="/cases/`+w.k.ID+`/break-glass"`)
		if site.get(w.path(lang, ""), w.colleagueC).Code != http.StatusForbidden {
			t.Error("a refused reason opened the case")
		}
		if alerts, _ := site.env.Notifications.Unread(context.Background(), w.supervisor.Actor()); len(alerts) != 0 {
			t.Errorf("supervisors were alerted of a refused reason: %+v", alerts)
		}
	})
}

func TestBreakGlassOpensTheCaseWithABanner(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		reason := "Night duty: the police called about this family and Huda cannot be reached"
		granted := site.post(w.path(lang, "/break-glass"), w.colleagueC, url.Values{"reason": {reason}})
		if location := granted.Header().Get("Location"); location != "/cases/"+w.k.ID {
			t.Fatalf("redirect to %q", location)
		}
		ends := site.env.Clock.Now().Add(policy.BreakGlassDuration)
		rec := site.follow(granted, w.colleagueC, lang)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d after break-glass", rec.Code)
		}
		page := rec.Body.String()
		mustContain(t, page, "data-break-glass-banner", site.text(lang, "case.break_glass.badge"), site.text(lang, "case.break_glass.banner"),
			site.text(lang, "case.break_glass.ends"), qatarTime(ends), w.k.Number, "مريم الكواري")
		mustNotContain(t, page, reason)
		if reads := site.entries(audit.Filter{Action: "case.read", ActorID: w.colleague.ID, BreakGlassOnly: true}); len(reads) != 1 {
			t.Errorf("%d break-glass reads audited, want 1", len(reads))
		}

		dashboard := site.get("/dashboard?lang="+string(lang), w.supervisorC).Body.String()
		mustContain(t, dashboard, site.text(lang, "notification.kind.break_glass"), "data-alert")

		if again := site.post(w.path(lang, "/break-glass"), w.colleagueC, url.Values{"reason": {reason}}); again.Code != http.StatusSeeOther {
			t.Errorf("a second submit answered %d, want 303 back to the case", again.Code)
		}
		// The session itself has timed out by then: a fresh sign-in must not bring the grant back.
		site.env.Clock.Advance(policy.BreakGlassDuration + time.Minute)
		if rec := site.get(w.path(lang, ""), site.signInAgain("salma", w.colleagueSecret)); rec.Code != http.StatusForbidden || strings.Contains(rec.Body.String(), "مريم") {
			t.Errorf("an hour later: status %d", rec.Code)
		}
	})
}

func TestSupervisorAssignsACase(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		elsewhere := site.unit("وحدة أخرى", "Other unit")
		outsider, _, _ := site.member("outsider", "Outsider", aman.RoleCaseWorker, elsewhere.ID)
		gone, _, _ := site.member("gone", "Gone Worker", aman.RoleCaseWorker, w.unit.ID)
		if err := site.env.Accounts.SetDisabled(context.Background(), apptest.Admin(), gone.ID, true); err != nil {
			t.Fatal(err)
		}

		if page := site.get(w.path(lang, ""), w.workerC).Body.String(); strings.Contains(page, "data-assignment") {
			t.Error("a case worker is offered the assignment form")
		}
		form := site.get(w.path(lang, ""), w.supervisorC)
		if form.Code != http.StatusOK {
			t.Fatalf("supervisor: status %d", form.Code)
		}
		page := form.Body.String()
		mustContain(t, page, "data-assignment", `action="/cases/`+w.k.ID+`/assignment"`, `<option value="`+w.worker.ID+`" selected>`,
			`value="`+w.colleague.ID+`"`, `value="`+w.supervisor.ID+`"`, site.text(lang, "case.assign.submit"))
		mustNotContain(t, page, outsider.ID, gone.ID, w.admin.ID, "data-break-glass-banner")

		tests := []struct {
			name           string
			form           url.Values
			errorID, code  string
			keptChecked    string
			keptWorkerLine string
		}{
			{"no worker", url.Values{"worker_id": {""}, "team": {w.colleague.ID}}, "worker-error", aman.ERequired,
				`value="` + w.colleague.ID + `" checked`, ""},
			{"worker who is not case staff", url.Values{"worker_id": {w.admin.ID}}, "worker-error", app.ENotCaseStaff, "", ""},
			{"team member who is not case staff", url.Values{"worker_id": {w.colleague.ID}, "team": {w.admin.ID}}, "team-error", app.ENotCaseStaff,
				"", `<option value="` + w.colleague.ID + `" selected>`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rec := site.post(w.path(lang, "/assignment"), w.supervisorC, tc.form)
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", rec.Code)
				}
				page := rec.Body.String()
				mustContain(t, page, `id="`+tc.errorID+`"`, site.text(lang, tc.code), "data-assignment", w.k.Number)
				if tc.keptChecked != "" {
					mustContain(t, page, tc.keptChecked)
				}
				if tc.keptWorkerLine != "" {
					mustContain(t, page, tc.keptWorkerLine)
				}
			})
		}
		if k, _ := site.env.Cases.Get(context.Background(), w.supervisor.Actor(), w.k.ID); k.AssignedWorkerID != w.worker.ID || len(k.TeamUserIDs) != 0 {
			t.Fatalf("a refused assignment changed the case: %+v", k)
		}

		saved := site.post(w.path(lang, "/assignment"), w.supervisorC, url.Values{"worker_id": {w.colleague.ID}, "team": {w.worker.ID}})
		if location := saved.Header().Get("Location"); location != "/cases/"+w.k.ID+"?done=assignment" {
			t.Fatalf("redirect to %q (status %d)", location, saved.Code)
		}
		page = site.follow(saved, w.supervisorC, lang).Body.String()
		mustContain(t, page, site.text(lang, "case.done.assignment"), `<option value="`+w.colleague.ID+`" selected>`,
			`value="`+w.worker.ID+`" checked`)
		worker := page[strings.Index(page, "data-case-worker"):]
		if !strings.HasPrefix(worker[strings.Index(worker, ">"):], `><span dir="auto">سلمى المري</span>`) {
			t.Errorf("the worker shown is not the new one: %.80s", worker)
		}
	})
}

func TestCaseAlertsAreListedAndMarkedRead(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		if err := site.env.Cases.Assign(context.Background(), w.supervisor.Actor(), w.k.ID, app.CaseAssignment{WorkerID: w.colleague.ID}); err != nil {
			t.Fatal(err)
		}
		alerts, err := site.env.Notifications.Unread(context.Background(), w.colleague.Actor())
		if err != nil || len(alerts) != 1 {
			t.Fatalf("alerts %+v, %v", alerts, err)
		}
		alert := alerts[0]
		dashboard := site.get("/dashboard?lang="+string(lang), w.colleagueC).Body.String()
		mustContain(t, dashboard, site.text(lang, "dashboard.alerts.title"), site.text(lang, "notification.kind.case_assigned"),
			`action="/notifications/`+alert.ID+`/read"`, qatarTime(alert.At), site.text(lang, "notification.open"))
		mustNotContain(t, dashboard, site.text(lang, "dashboard.alerts.none"))

		if rec := site.post("/notifications/"+alert.ID+"/read?lang="+string(lang), w.workerC, nil); rec.Code != http.StatusNotFound {
			t.Errorf("someone else's alert: status %d, want 404", rec.Code)
		}
		opened := site.post("/notifications/"+alert.ID+"/read?lang="+string(lang), w.colleagueC, nil)
		if opened.Code != http.StatusSeeOther || opened.Header().Get("Location") != "/cases/"+w.k.ID {
			t.Fatalf("open the alert: %d to %q", opened.Code, opened.Header().Get("Location"))
		}
		if rec := site.follow(opened, w.colleagueC, lang); rec.Code != http.StatusOK {
			t.Errorf("the alert led to status %d", rec.Code)
		}
		dashboard = site.get("/dashboard?lang="+string(lang), w.colleagueC).Body.String()
		mustContain(t, dashboard, site.text(lang, "dashboard.alerts.none"))
		mustNotContain(t, dashboard, alert.ID)
		if again := site.post("/notifications/"+alert.ID+"/read", w.colleagueC, nil); again.Header().Get("Location") != "/dashboard" {
			t.Errorf("an alert read twice leads to %q, want the dashboard", again.Header().Get("Location"))
		}
	})
}

// Refusals: the administrator reads no case content, a case worker assigns nothing, and an unknown case
// is not found. None of them is offered break-glass.
func TestCasePagesRefuse(t *testing.T) {
	w := newCaseWorld(t)
	site := w.site
	reason := url.Values{"reason": {"looking into a complaint about this case"}}
	tests := []struct {
		name   string
		method string
		path   string
		cookie *http.Cookie
		form   url.Values
		status int
	}{
		{"administrator opens the case", "GET", w.path(i18n.English, ""), w.adC, nil, http.StatusForbidden},
		{"administrator breaks the glass", "POST", w.path(i18n.English, "/break-glass"), w.adC, reason, http.StatusForbidden},
		{"administrator assigns", "POST", w.path(i18n.English, "/assignment"), w.adC, url.Values{"worker_id": {w.colleague.ID}}, http.StatusForbidden},
		{"case worker assigns", "POST", w.path(i18n.Arabic, "/assignment"), w.workerC, url.Values{"worker_id": {w.colleague.ID}}, http.StatusForbidden},
		{"unknown case", "GET", "/cases/no-such-case?lang=en", w.workerC, nil, http.StatusNotFound},
		{"break-glass on an unknown case", "POST", "/cases/no-such-case/break-glass", w.colleagueC, reason, http.StatusNotFound},
		{"assignment of an unknown case", "POST", "/cases/no-such-case/assignment", w.supervisorC, url.Values{"worker_id": {w.colleague.ID}}, http.StatusNotFound},
		{"no session", "GET", w.path(i18n.Arabic, ""), nil, nil, http.StatusUnauthorized},
		{"alert without a session", "POST", "/notifications/x/read", nil, nil, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec *httptest.ResponseRecorder
			if tc.method == http.MethodGet {
				rec = site.get(tc.path, tc.cookie)
			} else {
				rec = site.post(tc.path, tc.cookie, tc.form)
			}
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			page := rec.Body.String()
			mustContain(t, page, "error-page")
			mustNotContain(t, page, "data-break-glass", w.k.Number, "مريم")
		})
	}
	if k, _ := site.env.Cases.Get(context.Background(), w.worker.Actor(), w.k.ID); k.AssignedWorkerID != w.worker.ID {
		t.Fatal("a refused assignment changed the case")
	}
	if reads := site.entries(audit.Filter{Action: "beneficiary.read"}); len(reads) != 0 {
		t.Errorf("%d beneficiary reads for refused requests", len(reads))
	}
}

// Every stage and priority a case can have shows as words in both languages, never as a raw key.
func TestCaseVocabulariesAreTranslated(t *testing.T) {
	bundle := loadBundle(t)
	var keys []string
	for _, s := range aman.CaseStatuses() {
		keys = append(keys, "case.status."+string(s))
	}
	for _, p := range []aman.Priority{aman.PriorityNormal, aman.PriorityHigh, aman.PriorityCritical} {
		keys = append(keys, "case.priority."+string(p))
	}
	for _, kind := range []string{"break_glass", "case_assigned", "something_new"} {
		keys = append(keys, alertLabelKey(kind))
	}
	for _, key := range keys {
		if !bundle.Has(key) {
			t.Errorf("catalog has no %q", key)
		}
	}
}
