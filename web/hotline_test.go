package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
)

// hotlineWorld is the case world with the hotline wired in and two operators on the line.
type hotlineWorld struct {
	*caseWorld
	operator, colleague   app.User
	operatorC, colleagueC *http.Cookie
}

func newHotlineWorld(t *testing.T) *hotlineWorld {
	t.Helper()
	w := &hotlineWorld{caseWorld: newCaseWorld(t)}
	w.site.h.calls = w.site.env.Calls
	w.operator, w.operatorC, _ = w.site.member("amal.line", "Amal Al-Sulaiti", aman.RoleHotlineOperator, "")
	w.colleague, w.colleagueC, _ = w.site.member("fatma.line", "Fatma Al-Naimi", aman.RoleHotlineOperator, "")
	return w
}

// consoleForm is a complete, valid console post; tests change a field or two.
func consoleForm(w *hotlineWorld) url.Values {
	return url.Values{
		"caller_type": {"victim"}, "contact": {"counselling"}, "reasons": {"violence_physical"}, "outcome": {"counselling"},
		"summary": {"She called from the neighbour's phone."}, "safe_to_call_back": {""},
		"started_at": {w.site.env.Clock.Now().Add(-4 * time.Minute).In(w.site.h.zone).Format(hotlineLocalLayout)},
	}
}

func inBothHotlineLanguages(t *testing.T, journey func(t *testing.T, lang i18n.Lang, w *hotlineWorld)) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) { journey(t, lang, newHotlineWorld(t)) })
	}
}

func TestHotlineConsoleIsBuiltForTheKeyboard(t *testing.T) {
	inBothHotlineLanguages(t, func(t *testing.T, lang i18n.Lang, w *hotlineWorld) {
		site := w.site
		rec := site.get("/hotline?lang="+string(lang), w.operatorC)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d:\n%s", rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Error("the console may be cached")
		}
		page := rec.Body.String()
		// The hint names its keys with "+", which the template writes as an entity.
		mustContain(t, html.UnescapeString(page), site.h.bundle.T(lang, "hotline.keys_hint"))
		mustContain(t, page, `<html lang="`+string(lang)+`" dir="`+lang.Dir()+`">`, site.text(lang, "hotline.title"),
			site.text(lang, "call.reason.violence_physical"), site.text(lang, "call.risk.immediate_danger"),
			site.text(lang, "call.outcome.intake_to_triage"), `id="keys-hint"`,
			// The first question has the cursor; counselling is the default kind; the shortcuts are marked.
			`id="caller-0" name="caller_type" value="victim" autofocus`, `name="contact" value="counselling" checked`,
			`value="violence_physical" data-key="p"`, `name="immediate_danger" value="1" data-key="i"`, `value="intake_to_triage" data-key="t"`,
			`data-hotline-console data-fresh`, `/static/js/hotline.js?v=`, `data-log-call`)
		// The default button comes first, so Enter in any field goes through it.
		if strings.Index(page, `value="auto"`) > strings.Index(page, `id="caller-0"`) {
			t.Error("the default submit button is not the first in the form")
		}
		for _, problem := range inlineCodeProblems(page) {
			t.Error(problem)
		}

		// A supervisor oversees the line but does not log calls; a case worker has no console.
		for _, c := range []*http.Cookie{w.supervisorC, w.workerC} {
			if rec := site.get("/hotline?lang="+string(lang), c); rec.Code != http.StatusForbidden {
				t.Errorf("console for another role: %d", rec.Code)
			}
		}
	})
}

func TestHotlineConsoleLogsACall(t *testing.T) {
	inBothHotlineLanguages(t, func(t *testing.T, lang i18n.Lang, w *hotlineWorld) {
		site := w.site
		form := consoleForm(w)
		form.Set("intent", "log")
		form.Set("outcome", "intake_to_triage")
		form.Set("immediate_danger", "1")
		form.Set("caller_number", "٥٥٥٥ ٨٨٢٢")
		rec := site.post("/hotline?lang="+string(lang), w.operatorC, form)
		if loc := rec.Header().Get("Location"); !strings.Contains(loc, "urgency=critical") {
			t.Fatalf("redirect %q (%d):\n%s", loc, rec.Code, rec.Body.String())
		}
		page := site.follow(rec, w.operatorC, lang).Body.String()
		mustContain(t, page, `data-notice`, site.text(lang, "hotline.done.logged"),
			site.text(lang, "call.urgency.critical"), `data-fresh`)
		mustNotContain(t, page, "She called from", "8822")

		// The same number again: the operator is told it called before.
		form = consoleForm(w)
		form.Set("caller_number", "+974 5555 8822")
		page = site.follow(site.post("/hotline?lang="+string(lang), w.operatorC, form), w.operatorC, lang).Body.String()
		mustContain(t, page, site.h.bundle.N(lang, "hotline.done.repeat", 1))

		// The shift view lists both calls, without the summary or the number.
		shift := site.get("/hotline/shift?lang="+string(lang), w.operatorC)
		if shift.Code != http.StatusOK || strings.Count(shift.Body.String(), "data-call-row") != 2 {
			t.Fatalf("shift %d:\n%s", shift.Code, shift.Body.String())
		}
		mustContain(t, shift.Body.String(), site.text(lang, "hotline.shift.lead_own"), site.text(lang, "call.reason.violence_physical"))
		mustNotContain(t, shift.Body.String(), "She called from", "8822")
		// The colleague's shift is empty; the supervisor sees the line, with who took each call.
		if body := site.get("/hotline/shift?lang="+string(lang), w.colleagueC).Body.String(); strings.Contains(body, "data-call-row") {
			t.Error("a colleague's shift lists the operator's calls")
		}
		line := site.get("/hotline/shift?lang="+string(lang), w.supervisorC).Body.String()
		mustContain(t, line, site.text(lang, "hotline.shift.lead_line"), "Amal Al-Sulaiti")

		// The call page opens for the operator who took it, not for the colleague.
		calls, err := site.env.Calls.Shift(context.Background(), w.operator.Actor(), w.operator.ID)
		if err != nil || len(calls) != 2 {
			t.Fatalf("calls: %v %v", calls, err)
		}
		one := site.get("/hotline/calls/"+calls[1].ID+"?lang="+string(lang), w.operatorC)
		if one.Code != http.StatusOK {
			t.Fatalf("call page %d", one.Code)
		}
		mustContain(t, one.Body.String(), "She called from the neighbour", site.text(lang, "call.urgency.critical"))
		mustNotContain(t, one.Body.String(), "8822")
		if rec := site.get("/hotline/calls/"+calls[1].ID+"?lang="+string(lang), w.colleagueC); rec.Code != http.StatusForbidden {
			t.Errorf("a colleague opened the call: %d", rec.Code)
		}
	})
}

func TestHotlineConsoleKeepsWhatWasTypedOnError(t *testing.T) {
	inBothHotlineLanguages(t, func(t *testing.T, lang i18n.Lang, w *hotlineWorld) {
		site := w.site
		form := consoleForm(w)
		form.Del("reasons")
		form.Set("caller_type", "relative")
		form.Set("weapon", "1")
		rec := site.post("/hotline?lang="+string(lang), w.operatorC, form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", rec.Code)
		}
		page := rec.Body.String()
		mustContain(t, page, `id="reasons-error"`, site.text(lang, aman.ECallReasonsRequired), "She called from the neighbour",
			`value="relative" checked`, `name="weapon" value="1" checked`, `value="counselling" checked`)
		if got := len(site.entries(audit.Filter{Action: "call.log"})); got != 0 {
			t.Fatalf("%d calls logged", got)
		}
		// A sub-kind of non-counselling with no reasons and no caller type is a complete call.
		form = url.Values{"contact": {"silent"}, "started_at": {form.Get("started_at")}}
		if rec := site.post("/hotline?lang="+string(lang), w.operatorC, form); rec.Code != http.StatusSeeOther {
			t.Fatalf("silent call: %d\n%s", rec.Code, rec.Body.String())
		}
		// An end before the start is shown beside the end, with the time fields open.
		form = consoleForm(w)
		form.Set("ended_at", w.site.env.Clock.Now().Add(-time.Hour).In(site.h.zone).Format(hotlineLocalLayout))
		rec = site.post("/hotline?lang="+string(lang), w.operatorC, form)
		mustContain(t, rec.Body.String(), `id="ended_at-error"`, site.text(lang, aman.ECallEndsBeforeStart), `hotline-more" open`)
	})
}

func TestHotlineConsoleSearchesAndLinksTheCaller(t *testing.T) {
	inBothHotlineLanguages(t, func(t *testing.T, lang i18n.Lang, w *hotlineWorld) {
		site := w.site
		form := consoleForm(w)
		form.Set("q", "Maryam Kuwari")
		form.Set("intent", "auto") // Enter pressed in the search box, without the script
		rec := site.post("/hotline?lang="+string(lang), w.operatorC, form)
		if rec.Code != http.StatusOK {
			t.Fatalf("search: %d\n%s", rec.Code, rec.Body.String())
		}
		page := rec.Body.String()
		mustContain(t, page, `data-people`, `value="`+w.person.ID+`"`, "Maryam Al-Kuwari", `name="searched_q" value="Maryam Kuwari"`,
			"She called from the neighbour", `value="victim" checked`)
		if got := len(site.entries(audit.Filter{Action: "call.log"})); got != 0 {
			t.Fatal("the search logged the call")
		}
		// Enter again, with the search already run and a person chosen: the call is logged, and linked to
		// that person and to their open case.
		form.Set("searched_q", "Maryam Kuwari")
		form.Set("beneficiary_id", w.person.ID)
		if rec := site.post("/hotline?lang="+string(lang), w.operatorC, form); rec.Code != http.StatusSeeOther {
			t.Fatalf("log: %d\n%s", rec.Code, rec.Body.String())
		}
		calls, err := site.env.Calls.Shift(context.Background(), w.operator.Actor(), w.operator.ID)
		if err != nil || len(calls) != 1 || calls[0].BeneficiaryID != w.person.ID || calls[0].CaseID != w.k.ID {
			t.Fatalf("linked call: %+v %v", calls, err)
		}
		// The case's worker now reads the call; a colleague outside the case does not.
		if rec := site.get("/hotline/calls/"+calls[0].ID+"?lang="+string(lang), w.workerC); rec.Code != http.StatusOK {
			t.Fatalf("the case worker reads the linked call: %d", rec.Code)
		}
		if rec := site.get("/hotline/calls/"+calls[0].ID+"?lang="+string(lang), w.colleagueC); rec.Code != http.StatusForbidden {
			t.Fatalf("another operator reads it: %d", rec.Code)
		}
		// Nothing found says so.
		form = consoleForm(w)
		form.Set("q", "Nobody Anywhere")
		form.Set("intent", "search")
		mustContain(t, site.post("/hotline?lang="+string(lang), w.operatorC, form).Body.String(), `data-no-results`, site.text(lang, "hotline.search.none"))
	})
}

// sendEvent posts a signed telephony event, failing the test if it is refused.
func sendEvent(t *testing.T, env *apptest.Env, body string) app.TelephonyResult {
	t.Helper()
	res, err := env.Telephone(t, body)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestHotlineDraftsAndCallbacks(t *testing.T) {
	inBothHotlineLanguages(t, func(t *testing.T, lang i18n.Lang, w *hotlineWorld) {
		site, env := w.site, w.site.env
		// The person is registered with the number the telephone system reports.
		registered, err := env.Beneficiaries.Create(context.Background(), w.worker.Actor(), app.BeneficiaryInput{NameEN: "Sara Al-Marri", Phone: "+97455557711"})
		if err != nil {
			t.Fatal(err)
		}
		draft := sendEvent(t, env, `{"call_ref":"pbx-1","event":"answered","at":"AT","from":"+97455557711","operator":"amal.line"}`)
		env.Clock.Advance(3 * time.Minute)
		sendEvent(t, env, `{"call_ref":"pbx-1","event":"ended","at":"AT"}`)

		page := site.get("/hotline?lang="+string(lang), w.operatorC).Body.String()
		mustContain(t, page, `data-drafts`, `href="/hotline?draft=`+draft.CallID+`"`, "3:00")
		opened := site.get("/hotline?draft="+draft.CallID+"&lang="+string(lang), w.operatorC)
		if opened.Code != http.StatusOK {
			t.Fatalf("draft: %d\n%s", opened.Code, opened.Body.String())
		}
		// The operator knows at once that the caller is registered, without seeing the number.
		mustContain(t, opened.Body.String(), `data-draft`, `name="draft_id" value="`+draft.CallID+`"`, "Sara Al-Marri",
			`value="`+registered.ID+`"`, site.text(lang, "hotline.repeat.first"))
		mustNotContain(t, opened.Body.String(), "7711", `data-fresh`)
		if rec := site.get("/hotline?draft="+draft.CallID+"&lang="+string(lang), w.colleagueC); rec.Code != http.StatusForbidden {
			t.Fatalf("another operator opened the draft: %d", rec.Code)
		}
		form := consoleForm(w)
		form.Del("started_at")
		form.Set("draft_id", draft.CallID)
		form.Set("safe_to_call_back", "yes")
		if rec := site.post("/hotline?lang="+string(lang), w.operatorC, form); rec.Code != http.StatusSeeOther {
			t.Fatalf("complete: %d\n%s", rec.Code, rec.Body.String())
		}

		// Two missed calls: from the number that said a callback is safe, and from an unknown one.
		// (Less than the session's idle timeout, so the operator stays signed in.)
		env.Clock.Advance(10 * time.Minute)
		safe := sendEvent(t, env, `{"call_ref":"pbx-2","event":"missed","at":"AT","from":"55557711"}`)
		unknown := sendEvent(t, env, `{"call_ref":"pbx-3","event":"missed","at":"AT","from":"+97455550909"}`)
		list := site.get("/hotline/callbacks?lang="+string(lang), w.operatorC)
		if list.Code != http.StatusOK || strings.Count(list.Body.String(), "data-callback-row") != 2 {
			t.Fatalf("callbacks %d:\n%s", list.Code, list.Body.String())
		}
		mustContain(t, list.Body.String(), `action="/hotline/callbacks/`+safe.CallID+`/reveal"`, site.text(lang, "hotline.number_hidden"),
			site.h.bundle.N(lang, "hotline.repeat", 1))
		mustNotContain(t, list.Body.String(), "7711", "0909", `action="/hotline/callbacks/`+unknown.CallID+`/reveal"`)
		// Supervisors see the list without the button.
		mustNotContain(t, site.get("/hotline/callbacks?lang="+string(lang), w.supervisorC).Body.String(), "/reveal")

		revealed := site.post("/hotline/callbacks/"+safe.CallID+"/reveal?lang="+string(lang), w.operatorC, url.Values{})
		if revealed.Code != http.StatusOK || !strings.Contains(html.UnescapeString(revealed.Body.String()), `data-revealed-number>+97455557711<`) {
			t.Fatalf("reveal %d:\n%s", revealed.Code, revealed.Body.String())
		}
		if revealed.Header().Get("Cache-Control") != "no-store" {
			t.Error("a revealed number may be cached")
		}
		refused := site.post("/hotline/callbacks/"+unknown.CallID+"/reveal?lang="+string(lang), w.operatorC, url.Values{})
		if refused.Code != http.StatusConflict {
			t.Fatalf("reveal of an unknown-safety number: %d", refused.Code)
		}
		mustContain(t, refused.Body.String(), `data-callback-error`, site.text(lang, aman.ECallbackNotSafe))
		mustNotContain(t, refused.Body.String(), "0909")

		closed := site.post("/hotline/callbacks/"+safe.CallID+"/close?lang="+string(lang), w.operatorC, url.Values{})
		after := site.follow(closed, w.operatorC, lang).Body.String()
		mustContain(t, after, site.text(lang, "hotline.callbacks.done.closed"))
		if strings.Count(after, "data-callback-row") != 1 {
			t.Fatal("the closed call is still on the list")
		}
	})
}

// A supervisor chooses whose shift to see: the whole line, or one operator, from every operator by
// name. An operator gets no chooser and sees only their own shift, whatever the address asks for.
func TestSupervisorChoosesAnOperatorsShift(t *testing.T) {
	inBothHotlineLanguages(t, func(t *testing.T, lang i18n.Lang, w *hotlineWorld) {
		site := w.site
		q := "?lang=" + string(lang)
		for _, who := range []*http.Cookie{w.operatorC, w.colleagueC} {
			form := consoleForm(w)
			form.Set("intent", "log")
			form.Set("caller_number", "+974 5555 8822")
			if rec := site.post("/hotline"+q, who, form); rec.Code != http.StatusSeeOther {
				t.Fatalf("log: %d\n%s", rec.Code, rec.Body.String())
			}
		}
		amal, fatma := "Amal Al-Sulaiti (amal.line)", "Fatma Al-Naimi (fatma.line)"

		line := site.get("/hotline/shift"+q, w.supervisorC).Body.String()
		mustContain(t, line, `data-operator-chooser`, `<option value="" selected>`+site.text(lang, "hotline.shift.all_operators")+`</option>`,
			`<option value="`+w.operator.ID+`">`+amal+`</option>`, `<option value="`+w.colleague.ID+`">`+fatma+`</option>`,
			site.text(lang, "hotline.shift.lead_line"))
		if n := strings.Count(line, "data-call-row"); n != 2 {
			t.Fatalf("the line lists %d calls", n)
		}
		// Only the line's operators are offered: not case staff, not the supervisor.
		mustNotContain(t, line, `value="`+w.worker.ID+`"`, `value="`+w.supervisor.ID+`"`)

		one := site.get("/hotline/shift"+q+"&operator="+w.colleague.ID, w.supervisorC)
		page := one.Body.String()
		if one.Code != http.StatusOK || strings.Count(page, "data-call-row") != 1 {
			t.Fatalf("one operator's shift: %d\n%s", one.Code, page)
		}
		mustContain(t, page, `<option value="`+w.colleague.ID+`" selected>`+fatma+`</option>`,
			escaped(site.h.bundle.T(lang, "hotline.shift.lead_operator", "name", fatma)))
		mustNotContain(t, page, "She called from", "8822")
		theirs, _ := site.env.Calls.Shift(context.Background(), w.colleague.Actor(), w.colleague.ID)
		mine, _ := site.env.Calls.Shift(context.Background(), w.operator.Actor(), w.operator.ID)
		if len(theirs) != 1 || len(mine) != 1 || !strings.Contains(page, `/hotline/calls/`+theirs[0].ID+`"`) || strings.Contains(page, mine[0].ID) {
			t.Fatal("the chosen shift is not the colleague's call alone")
		}
		listed := site.entries(audit.Filter{Action: "call.list", ActorID: w.supervisor.ID})
		if len(listed) != 2 || listed[0].Detail["operator_id"] != w.colleague.ID || listed[1].Detail["scope"] != "line" {
			t.Fatalf("the supervisor's listings in the trail: %+v", listed)
		}

		// An account that is no operator of the line is refused beside the chooser, with no list.
		bad := site.get("/hotline/shift"+q+"&operator="+w.worker.ID, w.supervisorC)
		if bad.Code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown operator: %d", bad.Code)
		}
		mustContain(t, bad.Body.String(), `id="operator-error" role="alert">`+site.text(lang, app.EUnknownUser)+`<`)
		mustNotContain(t, bad.Body.String(), "data-call-row", "data-no-calls")

		// The operator's own shift, even when the address names a colleague.
		own := site.get("/hotline/shift"+q+"&operator="+w.colleague.ID, w.operatorC).Body.String()
		mustContain(t, own, site.text(lang, "hotline.shift.lead_own"))
		mustNotContain(t, own, "data-operator-chooser", "Fatma Al-Naimi")
		if n := strings.Count(own, "data-call-row"); n != 1 {
			t.Fatalf("the operator's shift lists %d calls", n)
		}
		if !strings.Contains(own, mine[0].ID) || strings.Contains(own, theirs[0].ID) {
			t.Fatal("the operator's shift is not her own call")
		}
	})
}
