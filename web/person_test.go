package web

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
)

// registry is one unit with the people who use the beneficiary registry, and one registered person.
type registry struct {
	site                                   *staffSite
	unit                                   app.Unit
	worker, colleague, supervisor, hotline app.User
	workerC, colleagueC, supervisorC       *http.Cookie
	hotlineC, adminC                       *http.Cookie
	maryam                                 aman.Beneficiary
}

// Maryam's identifiers, which a list may show only by their last three digits.
const (
	maryamQID   = "29063400123"
	maryamPhone = "+97455551234"
)

func newRegistry(t *testing.T) *registry {
	t.Helper()
	site := newCaseSite(t)
	g := &registry{site: site, unit: site.unit("وحدة الحماية", "Protection unit")}
	g.worker, g.workerC, _ = site.member("huda", "Huda Al-Kuwari", aman.RoleCaseWorker, g.unit.ID)
	g.colleague, g.colleagueC, _ = site.member("salma", "Salma Al-Marri", aman.RoleCaseWorker, g.unit.ID)
	g.supervisor, g.supervisorC, _ = site.member("noura", "Noura Al-Thani", aman.RoleSupervisor, g.unit.ID)
	g.hotline, g.hotlineC, _ = site.member("operator", "Night Operator", aman.RoleHotlineOperator, g.unit.ID)
	_, g.adminC, _ = site.member("admin", "", aman.RoleAdmin, "")
	var err error
	g.maryam, err = site.env.Beneficiaries.Create(context.Background(), g.worker.Actor(), app.BeneficiaryInput{
		NameAR: "مريم عبدالله الكواري", NameEN: "Maryam Abdullah Al-Kuwari", Sex: "female", BirthDate: "1990-05-01",
		QID: maryamQID, Phone: "5555 1234", Nationality: "QA",
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// inBothLanguagesRegistry runs journey once per language, each in a registry of its own.
func inBothLanguagesRegistry(t *testing.T, journey func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite)) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			g := newRegistry(t)
			journey(t, lang, g, g.site)
		})
	}
}

func inLang(path string, lang i18n.Lang) string { return path + "?lang=" + string(lang) }

// shown is s as html/template writes it into a page, in text or in an attribute ("+" becomes "&#43;").
func shown(s string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse(`{{.}}`)).Execute(&b, s); err != nil {
		panic(err)
	}
	return b.String()
}

// addresses are every href, action and src of a page, unescaped.
var addressAttr = regexp.MustCompile(`(?:href|action|src)="([^"]*)"`)

// noneInAddresses fails when any of secrets appears in an address of the page or in rec's Location: a
// name or a number in an address stays in histories, logs and Referer headers.
func noneInAddresses(t *testing.T, rec *httptest.ResponseRecorder, secrets ...string) {
	t.Helper()
	addresses := []string{rec.Header().Get("Location")}
	for _, m := range addressAttr.FindAllStringSubmatch(rec.Body.String(), -1) {
		addresses = append(addresses, html.UnescapeString(m[1]))
	}
	for _, a := range addresses {
		decoded, _ := url.QueryUnescape(a)
		for _, s := range secrets {
			if strings.Contains(a, s) || strings.Contains(decoded, s) {
				t.Errorf("an address carries %q: %s", s, a)
			}
		}
	}
}

// section is the part of page from the element with marker to the end of its section.
func section(t *testing.T, page, marker string) string {
	t.Helper()
	i := strings.Index(page, marker)
	if i < 0 {
		t.Fatalf("page has no %s", marker)
	}
	rest := page[i:]
	if end := strings.Index(rest, "</section>"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

func TestPeopleSearchFormPosts(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		rec := site.get(inLang("/people", lang), g.workerC)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		page := rec.Body.String()
		mustContain(t, page, `<form class="search-box" method="post" action="/people/search"`, `name="q"`, `href="/people" aria-current="page"`,
			site.text(lang, "nav.people"), site.text(lang, "people.search.label"))
		// Registration is offered after a search, never before one.
		mustNotContain(t, page, `action="/people/new"`, "data-results")
		// The language switch of a results page is a GET on the search's address: it comes back empty.
		if back := site.get(inLang("/people/search", lang), g.workerC); back.Code != http.StatusSeeOther || back.Header().Get("Location") != "/people" {
			t.Errorf("GET /people/search: %d to %q", back.Code, back.Header().Get("Location"))
		}
	})
}

func TestSearchFindsAPersonByAnyDetail(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		tests := []struct {
			name  string
			q     string
			exact bool
		}{
			{"Arabic name written another way", "مريم عبد الله كواري", false},
			{"Latin transliteration", "Mariam Kuwari", false},
			{"QID in Arabic-Indic digits", "٢٩٠٦٣٤٠٠١٢٣", true},
			{"phone as dialled from abroad", "00974 5555-1234", true},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rec := site.post(inLang("/people/search", lang), g.workerC, url.Values{"q": {tc.q}})
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d:\n%s", rec.Code, rec.Body.String())
				}
				page := rec.Body.String()
				results := section(t, page, "data-results")
				mustContain(t, results, `href="/people/`+g.maryam.ID+`"`, `<span class="person-row__name" lang="ar" dir="rtl">مريم عبدالله الكواري</span>`,
					`<span class="person-row__name" lang="en" dir="ltr">Maryam Abdullah Al-Kuwari</span>`, site.text(lang, "person.sex.female"),
					">1990<", site.h.countryName(lang, "QA"), `data-qid-tail>•••••123<`, `data-phone-tail>•••••234<`,
					site.text(lang, "people.results.best_first"), `action="/people/new"`)
				// The box keeps what was typed, and the list shows identifiers by their last digits only.
				mustContain(t, page, `value="`+shown(tc.q)+`"`)
				mustNotContain(t, results, maryamQID, maryamPhone, "55551234")
				if got := strings.Contains(results, "data-exact-match"); got != tc.exact {
					t.Errorf("exact-match badge shown: %v, want %v", got, tc.exact)
				}
				noneInAddresses(t, rec, tc.q, "مريم", "Maryam", maryamQID, "55551234")
			})
		}
		// The audit says a search ran and how many it showed, never what was typed.
		searches := site.entries(audit.Filter{Action: "beneficiary.search", ActorID: g.worker.ID})
		if len(searches) != len(tests) {
			t.Fatalf("%d searches audited, want %d", len(searches), len(tests))
		}
		for _, e := range searches {
			for _, v := range e.Detail {
				if strings.Contains(v, "مريم") || strings.Contains(v, "Mariam") || strings.Contains(v, "55551234") {
					t.Errorf("the audit holds the query: %v", e.Detail)
				}
			}
		}
	})
}

func TestSearchWithNoResultOffersRegistrationFilledIn(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		tests := []struct {
			q, field, value string
		}{
			{"نوف  الهاجري", "name_ar", "نوف الهاجري"},
			{"Nouf Al-Hajri", "name_en", "Nouf Al-Hajri"},
			{"٣٠٥٣٥٦٠٠٧٧٧", "qid", "٣٠٥٣٥٦٠٠٧٧٧"},
			{"+974 6666 0000", "phone", "+974 6666 0000"},
			{"N1234567", "passport", "N1234567"},
		}
		for _, tc := range tests {
			t.Run(tc.field, func(t *testing.T) {
				rec := site.post(inLang("/people/search", lang), g.workerC, url.Values{"q": {tc.q}})
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d", rec.Code)
				}
				page := rec.Body.String()
				mustContain(t, page, "data-no-results", site.text(lang, "people.results.none"), `<form class="register-offer" method="post" action="/people/new"`,
					`<input type="hidden" name="`+tc.field+`" value="`+shown(tc.value)+`">`, site.text(lang, "people.register"))
				mustNotContain(t, page, "data-person>")
				noneInAddresses(t, rec, tc.value)

				form := site.post(inLang("/people/new", lang), g.workerC, url.Values{tc.field: {tc.value}})
				if form.Code != http.StatusOK {
					t.Fatalf("prefilled form: status %d", form.Code)
				}
				mustContain(t, form.Body.String(), `id="`+tc.field+`" name="`+tc.field+`"`, `value="`+shown(tc.value)+`"`, `action="/people"`)
			})
		}
		empty := site.post(inLang("/people/search", lang), g.workerC, url.Values{"q": {"  "}})
		if empty.Code != http.StatusUnprocessableEntity {
			t.Fatalf("empty search: status %d", empty.Code)
		}
		mustContain(t, empty.Body.String(), `id="q-error"`, site.text(lang, aman.ERequired), `aria-invalid="true"`)
	})
}

// everything typed on the registration form, with one mistake in the QID.
func typedRegistration(qid string) url.Values {
	return url.Values{
		"name_ar": {"فاطمة <حسن>"}, "name_en": {"Fatima Hassan"}, "sex": {"female"}, "birth_date": {"1985-02-03"},
		"qid": {qid}, "passport": {"p 987 6543"}, "phone": {"٥٥٥٥٨٨٨٨"}, "alt_phone": {"+974 3333 2222"}, "nationality": {"EG"},
		"area": {"الريان"}, "zone": {"٥٣"}, "languages": {"ar", "ur"}, "disability": {"hearing"},
	}
}

func TestRegistrationComesBackWithEverythingTyped(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		form := site.get(inLang("/people/new", lang), g.workerC)
		if form.Code != http.StatusOK {
			t.Fatalf("form: status %d", form.Code)
		}
		mustContain(t, form.Body.String(), `<form class="form" method="post" action="/people"`, `<option value="QA">`+site.h.countryName(lang, "QA"),
			`<option value="ZW">`, `name="languages" type="checkbox" value="tl"`, site.text(lang, "person.nationality.common"))

		tests := []struct {
			name, field, errorID, code string
			form                       url.Values
		}{
			{"QID too short", "qid", "qid-error", aman.EInvalidQID, typedRegistration("2906")},
			{"age that is not a number", "estimated_age", "estimated_age-error", aman.EInvalidAge, func() url.Values {
				v := typedRegistration("")
				v.Set("birth_date", "")
				v.Set("estimated_age", "about thirty")
				return v
			}()},
			{"no name at all", "name_ar", "name_ar-error", aman.ERequired, func() url.Values {
				v := typedRegistration("")
				v.Del("name_ar")
				v.Del("name_en")
				return v
			}()},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rec := site.post(inLang("/people", lang), g.workerC, tc.form)
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", rec.Code)
				}
				page := rec.Body.String()
				mustContain(t, page, `id="`+tc.errorID+`"`, site.text(lang, tc.code), `aria-describedby="`, `aria-invalid="true"`)
				// The error sits right under its own field.
				field := page[strings.Index(page, `id="`+tc.field+`"`):]
				if next := strings.Index(field, `class="field"`); next >= 0 && !strings.Contains(field[:next], `id="`+tc.errorID+`"`) {
					t.Errorf("the error is not beside %s", tc.field)
				}
				for name, values := range tc.form {
					for _, v := range values {
						switch name {
						case "sex":
							mustContain(t, page, `value="`+v+`" checked`)
						case "nationality":
							mustContain(t, page, `<option value="`+v+`" selected>`)
						case "languages":
							mustContain(t, page, `value="`+v+`" checked`)
						default:
							mustContain(t, page, `value="`+shown(v)+`"`)
						}
					}
				}
			})
		}
		if m, _ := site.env.Beneficiaries.Search(context.Background(), g.worker.Actor(), "Fatima Hassan"); len(m) != 0 {
			t.Fatal("a refused registration was stored")
		}

		// Arabic-Indic digits are accepted everywhere; the page then shows the values as stored.
		created := site.post(inLang("/people", lang), g.workerC, typedRegistration("٢٨٥٨١٨٠٠٠٠١"))
		location := created.Header().Get("Location")
		if created.Code != http.StatusSeeOther || !strings.HasPrefix(location, "/people/") || !strings.HasSuffix(location, "?done=created") {
			t.Fatalf("create: %d to %q\n%s", created.Code, location, created.Body.String())
		}
		noneInAddresses(t, created, "فاطمة", "Fatima", "28581800001")
		page := site.follow(created, g.workerC, lang).Body.String()
		mustContain(t, page, site.text(lang, "person.done.created"), `<span lang="ar" dir="rtl">فاطمة &lt;حسن&gt;</span>`,
			`data-qid>28581800001<`, `data-phone>`+shown("+97455558888")+`<`, shown("+97433332222"), "P9876543", `data-zone>53<`, "1985-02-03",
			site.h.countryName(lang, "EG"), site.h.languageName(lang, "ur"), "hearing", site.text(lang, "person.cases.none"))
		// No record looks like Fatima's, so no duplicates are shown.
		mustNotContain(t, page, "data-duplicates", "data-warnings")
	})
}

func TestDuplicatesComeFirstAfterRegisteringTheSameQIDTwice(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		// The same QID as Maryam's, typed in Arabic-Indic digits, with a nationality the QID disagrees with.
		created := site.post(inLang("/people", lang), g.colleagueC, url.Values{"name_en": {"M. Kuwari"}, "qid": {"٢٩٠٦٣٤٠٠١٢٣"}, "nationality": {"IN"}})
		page := site.follow(created, g.colleagueC, lang).Body.String()
		duplicates := strings.Index(page, "data-duplicates")
		details := strings.Index(page, "data-person-details")
		if duplicates < 0 || details < 0 || duplicates > details {
			t.Fatalf("the duplicates do not come first (at %d, details at %d)", duplicates, details)
		}
		mustContain(t, page, `class="panel duplicates duplicates--new"`)
		list := section(t, page, "data-duplicates")
		mustContain(t, list, site.text(lang, "person.duplicates.lead_new"), `href="/people/`+g.maryam.ID+`"`,
			"مريم عبدالله الكواري", site.text(lang, "person.shared.qid"), `data-qid-tail>•••••123<`)
		mustNotContain(t, list, maryamQID, "data-merge-form")
		mustContain(t, page, "data-warnings", site.text(lang, aman.WarnQIDNationalityMismatch))

		// Afterwards the duplicates stay on the page, after the details, in a calmer frame.
		id := strings.TrimPrefix(strings.TrimSuffix(created.Header().Get("Location"), "?done=created"), "/people/")
		later := site.get(inLang("/people/"+id, lang), g.colleagueC).Body.String()
		if strings.Index(later, "data-duplicates") < strings.Index(later, "data-person-details") {
			t.Error("an old record still leads with its duplicates")
		}
		mustNotContain(t, later, "duplicates--new")
		if n := len(site.entries(audit.Filter{Action: "beneficiary.duplicates_read", ActorID: g.colleague.ID})); n != 2 {
			t.Errorf("%d duplicate reviews audited, want 2", n)
		}
	})
}

func TestSupervisorMergesADuplicate(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		ctx := context.Background()
		dup, err := site.env.Beneficiaries.Create(ctx, g.colleague.Actor(), app.BeneficiaryInput{NameEN: "Maryam Kuwari", QID: maryamQID})
		if err != nil {
			t.Fatal(err)
		}
		k, err := site.env.Cases.Open(ctx, g.colleague.Actor(), app.OpenCaseInput{BeneficiaryID: dup.ID})
		if err != nil {
			t.Fatal(err)
		}
		keepPath := "/people/" + g.maryam.ID
		page := site.get(inLang(keepPath, lang), g.supervisorC).Body.String()
		mustContain(t, section(t, page, "data-duplicates"), `action="`+keepPath+`/merge"`, `name="duplicate_id" value="`+dup.ID+`"`,
			site.text(lang, "person.merge.explain"), site.text(lang, "person.merge.confirm"), `name="confirm" type="checkbox" value="yes" required`,
			site.text(lang, "person.merge.submit"))

		unconfirmed := site.post(inLang(keepPath+"/merge", lang), g.supervisorC, url.Values{"duplicate_id": {dup.ID}})
		if unconfirmed.Code != http.StatusUnprocessableEntity {
			t.Fatalf("unconfirmed merge: status %d", unconfirmed.Code)
		}
		mustContain(t, unconfirmed.Body.String(), `id="merge-error-`+dup.ID+`"`, site.text(lang, "person.merge.confirm_required"))
		if d, _ := site.env.Beneficiaries.Get(ctx, g.supervisor.Actor(), dup.ID); d.MergedInto != "" {
			t.Fatal("an unconfirmed merge went through")
		}
		if rec := site.post(inLang(keepPath+"/merge", lang), g.workerC, url.Values{"duplicate_id": {dup.ID}, "confirm": {"yes"}}); rec.Code != http.StatusForbidden {
			t.Fatalf("a case worker merged: status %d", rec.Code)
		}
		if page := site.get(inLang(keepPath, lang), g.workerC).Body.String(); strings.Contains(page, "data-merge-form") {
			t.Error("a case worker is offered the merge form")
		}

		merged := site.post(inLang(keepPath+"/merge", lang), g.supervisorC, url.Values{"duplicate_id": {dup.ID}, "confirm": {"yes"}})
		if location := merged.Header().Get("Location"); location != keepPath+"?done=merged" {
			t.Fatalf("merge: %d to %q", merged.Code, location)
		}
		page = site.follow(merged, g.supervisorC, lang).Body.String()
		mustContain(t, page, site.text(lang, "person.done.merged"), `href="/cases/`+k.ID+`"`, k.Number)
		mustNotContain(t, page, "data-duplicates")

		old := site.get(inLang("/people/"+dup.ID, lang), g.supervisorC).Body.String()
		mustContain(t, old, "data-merged-into", site.text(lang, "person.merged_into"), `href="`+keepPath+`"`)
		mustNotContain(t, old, "data-open-case", "data-merge-form", "data-person-cases")

		again := site.post(inLang(keepPath+"/merge", lang), g.supervisorC, url.Values{"duplicate_id": {dup.ID}, "confirm": {"yes"}})
		if again.Code != http.StatusConflict {
			t.Fatalf("merging twice: status %d", again.Code)
		}
		mustContain(t, again.Body.String(), site.text(lang, aman.EAlreadyMerged))
	})
}

func TestOpenACaseFromThePersonPage(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		personPath := "/people/" + g.maryam.ID
		page := site.get(inLang(personPath, lang), g.workerC)
		if page.Code != http.StatusOK {
			t.Fatalf("status %d", page.Code)
		}
		if page.Header().Get("Cache-Control") != "no-store" {
			t.Error("a person's page may be cached")
		}
		mustContain(t, page.Body.String(), `action="`+personPath+`/cases"`, site.text(lang, "person.open_case.submit"), site.text(lang, "person.cases.none"),
			maryamQID, shown(maryamPhone))
		if reads := site.entries(audit.Filter{Action: "beneficiary.read", ActorID: g.worker.ID, EntityType: "beneficiary", EntityID: g.maryam.ID}); len(reads) != 1 {
			t.Errorf("%d reads audited, want 1", len(reads))
		}

		opened := site.post(inLang(personPath+"/cases", lang), g.workerC, nil)
		location := opened.Header().Get("Location")
		if opened.Code != http.StatusSeeOther || !strings.HasPrefix(location, "/cases/") {
			t.Fatalf("open: %d to %q", opened.Code, location)
		}
		caseID := strings.TrimPrefix(location, "/cases/")
		casePage := site.follow(opened, g.workerC, lang)
		k, err := site.env.Cases.Get(context.Background(), g.worker.Actor(), caseID)
		if err != nil || k.BeneficiaryID != g.maryam.ID || k.AssignedWorkerID != g.worker.ID {
			t.Fatalf("the case opened: %+v, %v", k, err)
		}
		mustContain(t, casePage.Body.String(), k.Number, "مريم عبدالله الكواري")

		mine := site.get(inLang(personPath, lang), g.workerC).Body.String()
		mustContain(t, section(t, mine, "data-person-cases"), `href="/cases/`+k.ID+`"`, k.Number, site.text(lang, "case.status.new"),
			site.text(lang, "person.case_role.primary"))
		// A colleague of the unit learns that the case exists, by its number, and nothing else.
		theirs := section(t, site.get(inLang(personPath, lang), g.colleagueC).Body.String(), "data-person-cases")
		mustContain(t, theirs, k.Number, "data-case-hidden", site.text(lang, "person.cases.hidden"))
		mustNotContain(t, theirs, k.ID, site.text(lang, "case.status.new"), site.text(lang, "person.case_role.primary"))
	})
}

func TestHotlineSearchesAndRegistersButDoesNotOpenRecords(t *testing.T) {
	inBothLanguagesRegistry(t, func(t *testing.T, lang i18n.Lang, g *registry, site *staffSite) {
		mustContain(t, site.get(inLang("/dashboard", lang), g.hotlineC).Body.String(), `href="/people"`)
		results := site.post(inLang("/people/search", lang), g.hotlineC, url.Values{"q": {"٥٥٥٥١٢٣٤"}})
		if results.Code != http.StatusOK {
			t.Fatalf("search: status %d", results.Code)
		}
		page := results.Body.String()
		// The operator learns at once that the caller is known, without a door to a record they may not open.
		mustContain(t, page, "مريم عبدالله الكواري", "data-exact-match", `data-phone-tail>•••••234<`)
		mustNotContain(t, page, `href="/people/`+g.maryam.ID+`"`, maryamPhone, "55551234")

		created := site.post(inLang("/people", lang), g.hotlineC, url.Values{"name_ar": {"ريم"}, "phone": {"٥٥٥٥١٢٣٤"}})
		if location := created.Header().Get("Location"); location != "/people?done=registered_duplicates" {
			t.Fatalf("register: %d to %q", created.Code, location)
		}
		mustContain(t, site.follow(created, g.hotlineC, lang).Body.String(), site.text(lang, "people.done.registered_duplicates"))
		plain := site.post(inLang("/people", lang), g.hotlineC, url.Values{"name_en": {"Caller Without Number"}})
		if location := plain.Header().Get("Location"); location != "/people?done=registered" {
			t.Fatalf("register: %d to %q", plain.Code, location)
		}

		for _, refused := range []struct {
			method, path string
		}{
			{"GET", "/people/" + g.maryam.ID},
			{"POST", "/people/" + g.maryam.ID + "/cases"},
			{"POST", "/people/" + g.maryam.ID + "/merge"},
		} {
			var rec *httptest.ResponseRecorder
			if refused.method == "GET" {
				rec = site.get(inLang(refused.path, lang), g.hotlineC)
			} else {
				rec = site.post(inLang(refused.path, lang), g.hotlineC, url.Values{"duplicate_id": {g.maryam.ID}, "confirm": {"yes"}})
			}
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", refused.method, refused.path, rec.Code)
			}
			mustNotContain(t, rec.Body.String(), "مريم", maryamQID)
		}
	})
}

// Refusals: the administrator and a partner have no registry; an unknown record is not found.
func TestPeoplePagesRefuse(t *testing.T) {
	g := newRegistry(t)
	site := g.site
	_, partnerC, _ := site.member("desk", "Hospital desk", aman.RolePartner, "")
	tests := []struct {
		name         string
		method, path string
		cookie       *http.Cookie
		status       int
	}{
		{"administrator searches", "POST", "/people/search", g.adminC, http.StatusForbidden},
		{"administrator opens the search", "GET", "/people", g.adminC, http.StatusForbidden},
		{"administrator registers", "POST", "/people", g.adminC, http.StatusForbidden},
		{"partner opens a record", "GET", "/people/" + g.maryam.ID, partnerC, http.StatusForbidden},
		{"unknown record", "GET", "/people/no-such-person", g.workerC, http.StatusNotFound},
		{"case on an unknown record", "POST", "/people/no-such-person/cases", g.workerC, http.StatusNotFound},
		{"merge into an unknown record", "POST", "/people/no-such-person/merge", g.supervisorC, http.StatusNotFound},
		{"no session", "GET", "/people/" + g.maryam.ID, nil, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec *httptest.ResponseRecorder
			form := url.Values{"q": {"مريم"}, "name_ar": {"x"}, "duplicate_id": {g.maryam.ID}, "confirm": {"yes"}}
			if tc.method == http.MethodGet {
				rec = site.get(tc.path, tc.cookie)
			} else {
				rec = site.post(tc.path, tc.cookie, form)
			}
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			mustContain(t, rec.Body.String(), "error-page")
			mustNotContain(t, rec.Body.String(), "مريم عبدالله", maryamQID)
		})
	}
	if page := site.get("/dashboard", g.adminC).Body.String(); strings.Contains(page, `href="/people"`) {
		t.Error("the administrator's menu offers the registry")
	}
}
