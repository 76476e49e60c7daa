package web

import (
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/session"
)

// staffSite is the staff UI over a fresh database (SQLite, or PostgreSQL when AMAN_TEST_DATABASE_URL
// is set), wired as cmd wires it: the session gate in front of every protected route.
type staffSite struct {
	t      *testing.T
	env    *apptest.Env
	h      *Handler
	server http.Handler
}

func newStaffSite(t *testing.T) *staffSite {
	t.Helper()
	env := apptest.New(t)
	h, err := New(Config{
		Bundle: loadBundle(t), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Accounts: env.Accounts, Trail: &app.AuditTrail{Deps: env.Accounts.Deps},
	})
	if err != nil {
		t.Fatal(err)
	}
	rt := httpx.NewRouter(h.Errors, session.NewGate(env.Accounts).Authorize)
	h.Routes(rt)
	rt.Fallback(http.HandlerFunc(h.NotFound))
	return &staffSite{t: t, env: env, h: h, server: httpx.Chain(rt, httpx.WithRequestID, httpx.WithLanguage(h.bundle), httpx.SecureHeaders)}
}

// signIn creates an enrolled account and signs it in.
func (s *staffSite) signIn(username string, role aman.Role) (app.User, *http.Cookie) {
	s.t.Helper()
	u, secret := s.env.CreateUser(s.t, username, role)
	return u, s.signInAgain(username, secret)
}

// signInAgain opens a new session for an enrolled account.
func (s *staffSite) signInAgain(username, secret string) *http.Cookie {
	s.t.Helper()
	signed, err := s.env.Accounts.SignIn(context.Background(), app.Meta{}, app.SignInInput{
		Username: username, Password: apptest.StrongPassword, OTP: apptest.Code(s.t, secret, s.env.Clock.Now()),
	})
	if err != nil {
		s.t.Fatalf("sign in %s: %v", username, err)
	}
	// A code is accepted once per 30-second step: moving on lets the next sign-in use a fresh one.
	s.env.Clock.Advance(30 * time.Second)
	return &http.Cookie{Name: session.CookieName, Value: signed.Token}
}

func (s *staffSite) get(path string, cookie *http.Cookie) *httptest.ResponseRecorder {
	return s.do(httptest.NewRequest(http.MethodGet, path, nil), cookie)
}

func (s *staffSite) post(path string, cookie *http.Cookie, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req, cookie)
}

func (s *staffSite) do(req *http.Request, cookie *http.Cookie) *httptest.ResponseRecorder {
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	s.server.ServeHTTP(rec, req)
	return rec
}

// follow asserts that rec is a 303 and opens where it points, in lang. (A browser keeps the language
// in a cookie set by the page the form came from; the recorder has no cookie jar.)
func (s *staffSite) follow(rec *httptest.ResponseRecorder, cookie *http.Cookie, lang i18n.Lang) *httptest.ResponseRecorder {
	s.t.Helper()
	if rec.Code != http.StatusSeeOther {
		s.t.Fatalf("status %d, want 303; body:\n%s", rec.Code, rec.Body.String())
	}
	location, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		s.t.Fatal(err)
	}
	query := location.Query()
	query.Set("lang", string(lang))
	location.RawQuery = query.Encode()
	return s.get(location.String(), cookie)
}

// text is key's message as a page shows it, escaped.
func (s *staffSite) text(lang i18n.Lang, key string) string {
	return template.HTMLEscapeString(s.h.bundle.T(lang, key))
}

// entries lists the audit entries with action, oldest last.
func (s *staffSite) entries(f audit.Filter) []audit.Entry {
	s.t.Helper()
	entries, err := s.env.Audit.Query(context.Background(), s.env.DB, f)
	if err != nil {
		s.t.Fatal(err)
	}
	return entries
}

func (s *staffSite) user(id string) app.User {
	s.t.Helper()
	u, err := s.env.Accounts.GetUser(context.Background(), apptest.Admin(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

func (s *staffSite) unit(nameAR, nameEN string) app.Unit {
	s.t.Helper()
	u, err := s.env.Accounts.CreateUnit(context.Background(), apptest.Admin(), app.Unit{NameAR: nameAR, NameEN: nameEN})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// The password an administrator gives a new account; it must never come back in a page.
const newAccountPassword = "amber lantern over the bay 42"

func newUserPost(username string) url.Values {
	return url.Values{
		"username": {username}, "display_name": {"Huda Al-Kuwari"}, "role": {string(aman.RoleCaseWorker)},
		"password": {newAccountPassword}, "password_confirm": {newAccountPassword},
	}
}

func TestAdministratorCreatesAUser(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			site := newStaffSite(t)
			admin, cookie := site.signIn("admin", aman.RoleAdmin)
			unit := site.unit("وحدة الحماية", "Protection unit")
			form := newUserPost("huda")
			form.Set("unit_id", unit.ID)

			if rec := site.get("/admin/users/new?lang="+string(lang), cookie); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `action="/admin/users"`) {
				t.Fatalf("new user form: %d", rec.Code)
			}
			created := site.post("/admin/users?lang="+string(lang), cookie, form)
			location := created.Header().Get("Location")
			if !strings.HasPrefix(location, "/admin/users/") || !strings.HasSuffix(location, "?done=created") {
				t.Fatalf("redirect to %q", location)
			}
			page := site.follow(created, cookie, lang).Body.String()
			for _, want := range []string{site.text(lang, "admin.done.created"), ">huda<", site.text(lang, "admin.second_factor.off"), unitName(lang, unit)} {
				if !strings.Contains(page, want) {
					t.Errorf("account page lacks %q", want)
				}
			}

			list := site.get("/admin/users?lang="+string(lang), cookie).Body.String()
			id := strings.TrimSuffix(strings.TrimPrefix(location, "/admin/users/"), "?done=created")
			for _, want := range []string{`href="/admin/users/` + id + `"`, ">huda<", "Huda Al-Kuwari", site.text(lang, "role.case_worker"), unitName(lang, unit)} {
				if !strings.Contains(list, want) {
					t.Errorf("list lacks %q", want)
				}
			}
			recorded := site.entries(audit.Filter{Action: audit.ActionUserCreate, ActorID: admin.ID})
			if len(recorded) != 1 || recorded[0].EntityID != id {
				t.Fatalf("user.create entries by the administrator: %+v", recorded)
			}
			// The account enrols its own second factor: its password opens only the enrolment stage.
			signed, err := site.env.Accounts.SignIn(context.Background(), app.Meta{}, app.SignInInput{Username: "huda", Password: newAccountPassword})
			if err != nil || signed.Stage != app.StageEnrol {
				t.Fatalf("first sign-in: stage %q, %v", signed.Stage, err)
			}
		})
	}
}

func TestCreateUserFormComesBackWithWhatWasTyped(t *testing.T) {
	tests := []struct {
		name     string
		change   func(url.Values)
		status   int
		errorID  string
		errorKey string
	}{
		{"username too short", func(f url.Values) { f.Set("username", "hu") }, 422, "username-error", app.EInvalidUsername},
		{"username with a space", func(f url.Values) { f.Set("username", "huda ali") }, 422, "username-error", app.EInvalidUsername},
		{"username taken", func(f url.Values) { f.Set("username", "sara") }, 409, "username-error", app.EUsernameTaken},
		{"no role chosen", func(f url.Values) { f.Set("role", "") }, 422, "role-error", app.EInvalidRole},
		{"unknown unit", func(f url.Values) { f.Set("unit_id", "no-such-unit") }, 422, "unit-error", app.EUnknownUnit},
		{"common password", func(f url.Values) { f.Set("password", "password1234"); f.Set("password_confirm", "password1234") }, 422, "password-error", app.EPasswordCommon},
		{"passwords differ", func(f url.Values) { f.Set("password_confirm", newAccountPassword+"!") }, 422, "password-confirm-error", ePasswordsDiffer},
		{"email not one address", func(f url.Values) { f.Set("email", "huda@example.org, noura@example.org") }, 422, "email-error", app.EInvalidEmail},
	}
	site := newStaffSite(t)
	_, cookie := site.signIn("admin", aman.RoleAdmin)
	site.env.CreateUser(t, "sara", aman.RoleCaseWorker)
	before := len(site.entries(audit.Filter{Action: audit.ActionUserCreate}))
	for _, tc := range tests {
		for _, lang := range i18n.Langs() {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				form := newUserPost("huda")
				form.Set("org_id", "org-77")
				tc.change(form)
				rec := site.post("/admin/users?lang="+string(lang), cookie, form)
				body := rec.Body.String()
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				for _, want := range []string{
					`<html lang="` + string(lang) + `"`,
					`<p class="field__error" id="` + tc.errorID + `">` + site.text(lang, tc.errorKey) + `</p>`,
					`value="` + template.HTMLEscapeString(form.Get("username")) + `"`,
					`value="Huda Al-Kuwari"`,
					`value="org-77"`,
				} {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks %s", want)
					}
				}
				if role := form.Get("role"); role != "" && !strings.Contains(body, `value="`+role+`" selected`) {
					t.Errorf("the typed role %q is not selected again", role)
				}
				if strings.Contains(body, form.Get("password")) || strings.Contains(body, newAccountPassword) {
					t.Error("the page sends a password back")
				}
			})
		}
	}
	if after := len(site.entries(audit.Filter{Action: audit.ActionUserCreate})); after != before {
		t.Fatalf("refused forms created %d accounts", after-before)
	}
}

func TestAssignmentChangesRoleAndUnit(t *testing.T) {
	tests := []struct {
		name string
		// form is the assignment posted; "self" posts about the administrator's own account.
		form         url.Values
		self         bool
		status       int
		errorText    string // a catalog key whose message the page shows, for failures
		wantRole     aman.Role
		sessionsLive bool
	}{
		{name: "new role and unit end the sessions", form: url.Values{"role": {"supervisor"}, "unit_id": {"$unit"}},
			status: 303, wantRole: aman.RoleSupervisor},
		{name: "same role in another unit keeps them", form: url.Values{"role": {"case_worker"}, "unit_id": {"$unit"}, "org_id": {""}},
			status: 303, wantRole: aman.RoleCaseWorker, sessionsLive: true},
		{name: "unknown unit", form: url.Values{"role": {"supervisor"}, "unit_id": {"gone"}},
			status: 422, errorText: app.EUnknownUnit, wantRole: aman.RoleCaseWorker, sessionsLive: true},
		{name: "unknown role", form: url.Values{"role": {"wizard"}},
			status: 422, errorText: app.EInvalidRole, wantRole: aman.RoleCaseWorker, sessionsLive: true},
		{name: "own role", form: url.Values{"role": {"auditor"}}, self: true,
			status: 409, errorText: app.ESelfLockout, wantRole: aman.RoleAdmin, sessionsLive: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site := newStaffSite(t)
			admin, adminCookie := site.signIn("admin", aman.RoleAdmin)
			sara, saraCookie := site.signIn("sara", aman.RoleCaseWorker)
			unit := site.unit("وحدة الأسرة", "Family unit")
			target, targetCookie := sara, saraCookie
			if tc.self {
				target, targetCookie = admin, adminCookie
			}
			form := url.Values{}
			for k, v := range tc.form {
				form[k] = []string{strings.ReplaceAll(v[0], "$unit", unit.ID)}
			}
			rec := site.post("/admin/users/"+target.ID+"/assignment?lang=en", adminCookie, form)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d:\n%s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.status == http.StatusSeeOther {
				if page := site.follow(rec, adminCookie, i18n.English).Body.String(); !strings.Contains(page, site.text(i18n.English, "admin.done.assignment")) {
					t.Error("no confirmation after the redirect")
				}
				if got := site.user(target.ID).UnitID; got != unit.ID {
					t.Errorf("unit %q, want %q", got, unit.ID)
				}
			} else {
				body := rec.Body.String()
				if !strings.Contains(body, site.text(i18n.English, tc.errorText)) {
					t.Errorf("page lacks the message for %s", tc.errorText)
				}
				if role := form.Get("role"); aman.Role(role).Valid() && !strings.Contains(body, `value="`+role+`" selected`) {
					t.Errorf("the typed role %q is not selected again", role)
				}
			}
			if got := site.user(target.ID).Role; got != tc.wantRole {
				t.Errorf("role %s, want %s", got, tc.wantRole)
			}
			if live := site.get("/dashboard", targetCookie).Code == http.StatusOK; live != tc.sessionsLive {
				t.Errorf("the account's session works = %v, want %v", live, tc.sessionsLive)
			}
		})
	}
}

func TestDisableAndEnable(t *testing.T) {
	site := newStaffSite(t)
	admin, adminCookie := site.signIn("admin", aman.RoleAdmin)
	sara, secret := site.env.CreateUser(t, "sara", aman.RoleCaseWorker)
	saraCookie := site.signInAgain("sara", secret)
	steps := []struct {
		name         string
		target       app.User
		value        string
		status       int
		done         string
		wantDisabled bool
	}{
		{"disable", sara, "true", 303, doneDisabled, true},
		{"disable again changes nothing", sara, "true", 303, doneDisabled, true},
		{"a value that is not yes or no", sara, "maybe", 422, "", true},
		{"enable", sara, "false", 303, doneEnabled, false},
		{"own account", admin, "true", 409, "", false},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			rec := site.post("/admin/users/"+step.target.ID+"/disabled?lang=ar", adminCookie, url.Values{"disabled": {step.value}})
			if rec.Code != step.status {
				t.Fatalf("status %d, want %d", rec.Code, step.status)
			}
			if step.done != "" {
				if want := "/admin/users/" + step.target.ID + "?done=" + step.done; rec.Header().Get("Location") != want {
					t.Errorf("redirect to %q, want %q", rec.Header().Get("Location"), want)
				}
			} else if !strings.Contains(rec.Body.String(), `class="field__error"`) && !strings.Contains(rec.Body.String(), `role="alert"`) {
				t.Error("the refusal is not shown")
			}
			if got := site.user(step.target.ID).Disabled; got != step.wantDisabled {
				t.Errorf("disabled = %v, want %v", got, step.wantDisabled)
			}
		})
	}
	if site.get("/dashboard", saraCookie).Code != http.StatusUnauthorized {
		t.Error("disabling left a session open")
	}
	site.signInAgain("sara", secret)
	if got := len(site.entries(audit.Filter{EntityType: "user", EntityID: sara.ID, Action: "user.disable"})); got != 2 {
		t.Errorf("%d user.disable entries, want 2", got)
	}
}

func TestResetSecondFactor(t *testing.T) {
	site := newStaffSite(t)
	_, adminCookie := site.signIn("admin", aman.RoleAdmin)
	sara, saraCookie := site.signIn("sara", aman.RoleCaseWorker)
	for _, lang := range i18n.Langs() {
		rec := site.post("/admin/users/"+sara.ID+"/reset-2fa?lang="+string(lang), adminCookie, url.Values{})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="confirm-error">`+site.text(lang, aman.ERequired)) {
			t.Fatalf("%s: reset without the confirmation: %d", lang, rec.Code)
		}
	}
	if !site.user(sara.ID).TOTPEnrolled || site.get("/dashboard", saraCookie).Code != http.StatusOK {
		t.Fatal("an unconfirmed reset changed the account")
	}
	page := site.get("/admin/users/"+sara.ID+"?lang=en", adminCookie).Body.String()
	if !strings.Contains(page, site.text(i18n.English, "admin.reset.lead")) || !strings.Contains(page, site.text(i18n.English, "admin.reset.confirm")) {
		t.Error("the account page does not explain the reset")
	}
	rec := site.post("/admin/users/"+sara.ID+"/reset-2fa", adminCookie, url.Values{"confirm": {"yes"}})
	if !strings.Contains(site.follow(rec, adminCookie, i18n.Arabic).Body.String(), site.text(i18n.Arabic, "admin.done.reset_2fa")) {
		t.Error("no confirmation after the reset")
	}
	if site.user(sara.ID).TOTPEnrolled {
		t.Error("the second factor is still enrolled")
	}
	if site.get("/dashboard", saraCookie).Code != http.StatusUnauthorized {
		t.Error("the reset left a session open")
	}
	signed, err := site.env.Accounts.SignIn(context.Background(), app.Meta{}, app.SignInInput{Username: "sara", Password: apptest.StrongPassword})
	if err != nil || signed.Stage != app.StageEnrol {
		t.Fatalf("next sign-in: stage %q, %v; want enrolment", signed.Stage, err)
	}
	if got := len(site.entries(audit.Filter{Action: "user.reset_2fa", EntityType: "user", EntityID: sara.ID})); got != 1 {
		t.Errorf("%d user.reset_2fa entries", got)
	}
}

func TestUnits(t *testing.T) {
	site := newStaffSite(t)
	_, cookie := site.signIn("admin", aman.RoleAdmin)
	tests := []struct {
		name, nameAR, nameEN string
		status               int
		errorID, errorKey    string
	}{
		{"both names", "وحدة الطفل", "Child unit", 303, "", ""},
		{"no English name", "وحدة الإيواء", " ", 422, "name-en-error", aman.ERequired},
		{"no Arabic name", "", "Shelter unit", 422, "name-ar-error", aman.ERequired},
	}
	for _, tc := range tests {
		for _, lang := range i18n.Langs() {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				rec := site.post("/admin/units?lang="+string(lang), cookie, url.Values{"name_ar": {tc.nameAR}, "name_en": {tc.nameEN}})
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				body := rec.Body.String()
				if tc.status == http.StatusSeeOther {
					body = site.follow(rec, cookie, lang).Body.String()
					if !strings.Contains(body, site.text(lang, "admin.done.unit_created")) {
						t.Error("no confirmation")
					}
					for _, name := range []string{tc.nameAR, tc.nameEN} {
						if !strings.Contains(body, ">"+name+"<") {
							t.Errorf("list lacks %q", name)
						}
					}
					return
				}
				if !strings.Contains(body, `id="`+tc.errorID+`">`+site.text(lang, tc.errorKey)) {
					t.Errorf("no %s beside its field", tc.errorKey)
				}
				for _, typed := range []string{tc.nameAR, tc.nameEN} {
					if strings.TrimSpace(typed) != "" && !strings.Contains(body, `value="`+typed+`"`) {
						t.Errorf("typed name %q lost", typed)
					}
				}
			})
		}
	}
}

// Each desk is closed to the other: separation of duties (DESIGN.md §4), decided by the route's policy
// action before any handler runs. The menu shows only the doors that open.
func TestAdministratorAndAuditorDesksAreSeparate(t *testing.T) {
	site := newStaffSite(t)
	_, admin := site.signIn("admin", aman.RoleAdmin)
	_, auditor := site.signIn("noor", aman.RoleAuditor)
	_, worker := site.signIn("sara", aman.RoleCaseWorker)
	adminPages := []string{"GET /admin/users", "GET /admin/users/new", "POST /admin/users", "GET /admin/users/x",
		"POST /admin/users/x/assignment", "POST /admin/users/x/disabled", "POST /admin/users/x/reset-2fa", "GET /admin/units", "POST /admin/units"}
	auditPages := []string{"GET /audit", "GET /audit/export.csv"}
	tests := []struct {
		name    string
		cookie  *http.Cookie
		pages   []string
		status  int
		menu    []string
		notMenu []string
	}{
		{"nobody signed in", nil, append(adminPages, auditPages...), 401, nil, nil},
		{"administrator on the audit", admin, auditPages, 403, []string{"/admin/users", "/admin/units"}, []string{"/audit"}},
		{"auditor on administration", auditor, adminPages, 403, []string{"/audit"}, []string{"/admin/users", "/admin/units"}},
		{"case worker on both", worker, append(adminPages, auditPages...), 403, nil, []string{"/audit", "/admin/users", "/admin/units"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, page := range tc.pages {
				method, path, _ := strings.Cut(page, " ")
				rec := site.do(httptest.NewRequest(method, path, strings.NewReader("")), tc.cookie)
				if rec.Code != tc.status {
					t.Errorf("%s answered %d, want %d", page, rec.Code, tc.status)
				}
			}
			if tc.cookie == nil {
				return
			}
			dashboard := site.get("/dashboard", tc.cookie).Body.String()
			for _, path := range tc.menu {
				if !strings.Contains(dashboard, `href="`+path+`"`) {
					t.Errorf("the menu lacks %s", path)
				}
			}
			for _, path := range tc.notMenu {
				if strings.Contains(dashboard, `href="`+path+`"`) {
					t.Errorf("the menu offers %s", path)
				}
			}
		})
	}
}

// No page an administrator or an auditor opens, and no export, carries a password, a password hash or
// a second-factor secret.
func TestNoPageLeaksPasswordsOrSecrets(t *testing.T) {
	site := newStaffSite(t)
	_, admin := site.signIn("admin", aman.RoleAdmin)
	_, auditor := site.signIn("noor", aman.RoleAuditor)
	sara, secret := site.env.CreateUser(t, "sara", aman.RoleCaseWorker)
	created := site.post("/admin/users", admin, newUserPost("huda"))
	refused := site.post("/admin/users", admin, newUserPost("sara"))
	assigned := site.post("/admin/users/"+sara.ID+"/assignment", admin, url.Values{"role": {"wizard"}})
	pages := map[string]*httptest.ResponseRecorder{
		"created":        created,
		"refused create": refused,
		"refused assign": assigned,
		"account page":   site.follow(created, admin, i18n.English),
		"list":           site.get("/admin/users", admin),
		"sara":           site.get("/admin/users/"+sara.ID, admin),
		"audit":          site.get("/audit?reasons=1", auditor),
		"export":         site.get("/audit/export.csv?reasons=1", auditor),
	}
	for name, rec := range pages {
		body := rec.Body.String()
		for _, secretText := range []string{newAccountPassword, apptest.StrongPassword, secret, "$argon2id", "otpauth:"} {
			if strings.Contains(body, secretText) {
				t.Errorf("%s shows %q", name, secretText)
			}
		}
	}
}

// The address alert emails go to: typed when the account is made, shown on its page, changed and
// cleared there; a bad address comes back beside its field with what was typed; each change is
// audited without the address.
func TestAdministratorSetsTheAlertEmail(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			site := newStaffSite(t)
			admin, cookie := site.signIn("admin", aman.RoleAdmin)
			_, supC := site.signIn("noura", aman.RoleSupervisor)
			q := "?lang=" + string(lang)
			mustContain(t, site.get("/admin/users/new"+q, cookie).Body.String(), `name="email" type="email"`, site.text(lang, "admin.field.email_hint"))

			form := newUserPost("huda")
			form.Set("email", "Huda <huda@aman.example.org>")
			rec := site.post("/admin/users"+q, cookie, form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("bad address on creation: %d", rec.Code)
			}
			mustContain(t, rec.Body.String(), `id="email-error">`+site.text(lang, app.EInvalidEmail)+`<`, `value="Huda &lt;huda@aman.example.org&gt;"`)
			form.Set("email", "huda@aman.example.org")
			created := site.post("/admin/users"+q, cookie, form)
			page := site.follow(created, cookie, lang).Body.String()
			id := strings.TrimSuffix(strings.TrimPrefix(created.Header().Get("Location"), "/admin/users/"), "?done=created")
			mustContain(t, page, `<dd data-account-email><span dir="ltr">huda@aman.example.org</span>`, `action="/admin/users/`+id+`/email"`,
				`name="email" type="email" value="huda@aman.example.org"`)
			if got := site.user(id).Email; got != "huda@aman.example.org" {
				t.Fatalf("stored %q", got)
			}

			path := "/admin/users/" + id + "/email" + q
			rec = site.post(path, cookie, url.Values{"email": {"huda at aman"}})
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("bad address: %d", rec.Code)
			}
			mustContain(t, rec.Body.String(), `id="email-error">`+site.text(lang, app.EInvalidEmail)+`<`, `value="huda at aman"`,
				// The summary still shows what is stored.
				`<dd data-account-email><span dir="ltr">huda@aman.example.org</span>`)
			if got := site.user(id).Email; got != "huda@aman.example.org" {
				t.Fatalf("a refused address was stored: %q", got)
			}

			changed := site.post(path, cookie, url.Values{"email": {"huda.k@aman.example.org"}})
			if loc := changed.Header().Get("Location"); loc != "/admin/users/"+id+"?done=email" {
				t.Fatalf("redirect %q (%d)", loc, changed.Code)
			}
			mustContain(t, site.follow(changed, cookie, lang).Body.String(), site.text(lang, "admin.done.email"), ">huda.k@aman.example.org<")
			cleared := site.post(path, cookie, url.Values{"email": {""}})
			mustContain(t, site.follow(cleared, cookie, lang).Body.String(), `<dd data-account-email>`+site.text(lang, "admin.email.none")+`</dd>`)
			if got := site.user(id).Email; got != "" {
				t.Fatalf("cleared address still %q", got)
			}

			if rec := site.post(path, supC, url.Values{"email": {"noura@elsewhere.example.org"}}); rec.Code != http.StatusForbidden {
				t.Fatalf("a supervisor changed an address: %d", rec.Code)
			}
			changes := site.entries(audit.Filter{Action: "user.email_change", EntityType: "user", EntityID: id})
			if len(changes) != 2 || changes[0].Detail["email"] != "cleared" || changes[1].Detail["email"] != "set" || changes[0].ActorID != admin.ID {
				t.Fatalf("email changes in the trail: %+v", changes)
			}
			if made := site.entries(audit.Filter{Action: audit.ActionUserCreate, EntityType: "user", EntityID: id}); len(made) != 1 || made[0].Detail["email"] != "set" {
				t.Fatalf("user.create: %+v", made)
			}
		})
	}
}
