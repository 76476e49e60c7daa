package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/i18n"
)

// A partner hospital refers a woman at /desk. Triage opens a case for the referral; the partner then
// sees the status "case opened", but never the case number, and cannot open the case.
func TestIntakePartnerReferralOpensCase(t *testing.T) {
	srv := startServer(t)
	// Two supervisors: one code of an authenticator signs in once, and the API session takes Noura's.
	supSecret := staffUser(t, srv, "noura.sup", "supervisor", "Noura Al-Kuwari")
	triageSecret := staffUser(t, srv, "amal.sup", "supervisor", "Amal Al-Sulaiti")
	api := newAPIClient(t, srv.URL)
	api.call(t, "POST", "/api/v1/session", map[string]string{
		"username": "noura.sup", "password": apptest.StrongPassword, "otp": apptest.Code(t, supSecret, time.Now()),
	}, http.StatusOK)
	org := api.call(t, "POST", "/api/v1/partners", map[string]string{"name_ar": "مستشفى حمد", "name_en": "Hamad Hospital", "kind": "hospital"}, http.StatusCreated)
	orgID, _ := org["id"].(string)
	if orgID == "" {
		t.Fatalf("partner org %v", org)
	}
	out := srv.cli(t, apptest.StrongPassword+"\n", "user", "create", "--username", "hamad.desk", "--role", "partner", "--org", orgID,
		"--display-name", "Hamad desk", "--password-stdin")
	partnerSecret := apptest.SecretFromURI(t, strings.TrimSpace(out))

	partner := browser(t)
	signInAs(t, partner, srv, i18n.English, "hamad.desk", partnerSecret)
	do(t, partner,
		chromedp.Navigate(srv.URL+"/desk?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-referral-form]`)),
		fill(`#name_ar`, "مريم علي"),
		fill(`#name_en`, "Maryam Ali"),
		chromedp.Click(chromedp.CSS(`input[name=sex][value=female]`)),
		fill(`#age`, "30"),
		chromedp.Click(chromedp.CSS(`input[name=categories][value=physical_violence]`)),
		fill(`#narrative`, "Bruises on both arms; she asked for help."),
		chromedp.Click(chromedp.CSS(`input[name=urgency][value=urgent]`)),
		chromedp.Click(chromedp.CSS(`input[name=consent]`)),
	)
	submit(t, partner, `button[data-refer]`)
	if js[int](t, partner, `document.querySelectorAll('[data-referral-status]').length`) == 0 {
		t.Fatalf("the referral was not listed: %q", js[string](t, partner, `document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerText`))
	}
	screenshot(t, partner, "intake-desk-referred-en")

	staff := browser(t)
	signInAs(t, staff, srv, i18n.English, "amal.sup", triageSecret)
	do(t, staff,
		chromedp.Navigate(srv.URL+"/triage?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-intake-row] a`)),
		chromedp.Click(chromedp.CSS(`[data-intake-row] a`)),
		chromedp.WaitVisible(chromedp.CSS(`form[data-open-from-referral]`)),
	)
	submit(t, staff, `form[data-open-from-referral] button[type=submit]`)
	do(t, staff, chromedp.WaitVisible(chromedp.CSS(`[data-notice]`)))
	// The case is found through the registry: the referral registered its person.
	do(t, staff,
		chromedp.Navigate(srv.URL+"/people?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-people-search]`)),
		fill(`#q`, "Maryam Ali"),
	)
	submit(t, staff, `form[data-people-search] button[type=submit]`)
	do(t, staff,
		chromedp.WaitVisible(chromedp.CSS(`a[data-person-link]`)),
		chromedp.Click(chromedp.CSS(`a[data-person-link]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-person-cases] .case-link__number`)),
	)
	// The supervisor is not on the case's team, so the page names the case without linking it.
	caseNumber := strings.TrimSpace(js[string](t, staff, `document.querySelector('[data-person-cases] .case-link__number').innerText`))
	if !strings.HasPrefix(caseNumber, "AMN-") {
		t.Fatalf("case number %q", caseNumber)
	}

	do(t, partner, chromedp.Navigate(srv.URL+"/desk?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-referral-status]`)))
	if status := js[string](t, partner, `document.querySelector('[data-referral-status]').dataset.referralStatus`); status != "case_opened" {
		t.Fatalf("the partner sees status %q, want case_opened", status)
	}
	page := js[string](t, partner, `document.documentElement.outerHTML`)
	if strings.Contains(page, `/cases/`) || strings.Contains(page, caseNumber) {
		t.Fatal("the desk shows the case")
	}
	screenshot(t, partner, "intake-desk-case-opened-en")
	// The case's id is shown to nobody here; a partner is refused any case page, whatever the id, and the
	// one id the desk gives (the referral's) opens nothing either.
	referralID := js[string](t, partner, `document.querySelector('[data-referral-row]').dataset.referralRow`)
	caseHref := "/cases/" + referralID
	resp, err := chromedp.RunResponse(partner, chromedp.Navigate(srv.URL+caseHref))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusForbidden && resp.Status != http.StatusNotFound {
		t.Fatalf("the partner opened %s: %d", caseHref, resp.Status)
	}
}
