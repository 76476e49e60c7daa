package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/i18n"
)

// noSideScroll fails when the page is wider than the phone it is shown on.
func noSideScroll(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if js[bool](t, ctx, `document.documentElement.scrollWidth > window.innerWidth`) {
		t.Errorf("the %s page scrolls sideways at %d px", page, js[int](t, ctx, `window.innerWidth`))
	}
}

// A case worker, signed in on a 360-pixel phone in Arabic, searches the registry for a woman by her
// Arabic name and finds nobody; registers her from the offer the search makes, with her name carried
// over and her phone typed in Arabic-Indic digits; sees her record; opens a case from it and lands on
// the case. The name never appears in an address.
func TestCaseWorkerRegistersAPersonAndOpensACase(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := srv.cli(t, apptest.StrongPassword+"\n", "user", "create", "--username", "huda.worker", "--role", "case_worker",
		"--display-name", "هدى الكواري", "--password-stdin")
	secret := apptest.SecretFromURI(t, strings.TrimSpace(out))

	do(t, ctx, chromedp.EmulateViewport(360, 780))
	signInAs(t, ctx, srv, i18n.Arabic, "huda.worker", secret)
	const name = "نوف سالم الهاجري"
	// Every address the browser has been to, checked at the end.
	var visited []string
	here := func() string {
		href := js[string](t, ctx, `location.href`)
		visited = append(visited, href)
		return href
	}

	submit(t, ctx, `.site-nav a[href="/people"]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[data-people-search]`)))
	if method := js[string](t, ctx, `document.querySelector('form[data-people-search]').method`); method != "post" {
		t.Fatalf("the search form's method is %q", method)
	}
	here()
	do(t, ctx, fill(`#q`, name))
	submit(t, ctx, `form[data-people-search] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-no-results]`)))
	if href := here(); !strings.HasSuffix(href, "/people/search") {
		t.Fatalf("after the search the browser is at %q", href)
	}
	if kept := value(t, ctx, chromedp.Value(chromedp.CSS(`#q`))); kept != name {
		t.Errorf("the search box lost what was typed: %q", kept)
	}
	if text := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-no-results]`))); !strings.Contains(text, bundle.T(i18n.Arabic, "people.results.none")) {
		t.Errorf("the no-result message reads %q", text)
	}
	noSideScroll(t, ctx, "search")
	screenshot(t, ctx, "people-search-none-ar")

	submit(t, ctx, `[data-register]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[data-person-form]`)))
	here()
	if carried := value(t, ctx, chromedp.Value(chromedp.CSS(`#name_ar`))); carried != name {
		t.Fatalf("the registration form opened with name %q", carried)
	}
	do(t, ctx,
		fill(`#name_en`, "Nouf Salem Al-Hajri"),
		chromedp.Click(chromedp.CSS(`input[name=sex][value=female]`)),
		fill(`#estimated_age`, "٣٤"),
		fill(`#phone`, "٥٥٥٥ ٤٤٤٤"),
		fill(`#nationality`, "QA"),
		chromedp.Click(chromedp.CSS(`input[name=languages][value=ar]`)),
	)
	noSideScroll(t, ctx, "registration")
	screenshot(t, ctx, "person-new-ar")
	submit(t, ctx, `[data-register-submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-person-page]`)))
	personPath := js[string](t, ctx, `location.pathname`)
	if here(); !strings.HasPrefix(personPath, "/people/") || len(personPath) < len("/people/x") {
		t.Fatalf("after registering the browser is at %q", personPath)
	}
	text := js[string](t, ctx, `document.body.innerText`)
	for _, want := range []string{name, "Nouf Salem Al-Hajri", "+97455554444", bundle.T(i18n.Arabic, "person.done.created"), bundle.T(i18n.Arabic, "person.cases.none")} {
		if !strings.Contains(text, want) {
			t.Errorf("the person's page lacks %q", want)
		}
	}
	noSideScroll(t, ctx, "person")
	screenshot(t, ctx, "person-ar")

	submit(t, ctx, `[data-open-case] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-case-number]`)))
	if href := here(); !strings.Contains(href, "/cases/") {
		t.Fatalf("opening a case led to %q", href)
	}
	number := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-case-number]`)))
	if !strings.Contains(js[string](t, ctx, `document.body.innerText`), name) || number == "" {
		t.Fatalf("the case page (number %q) does not show the person", number)
	}
	if worker := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-case-worker]`))); !strings.Contains(worker, "هدى الكواري") {
		t.Errorf("the case is not assigned to the worker who opened it: %q", worker)
	}
	if dir := js[string](t, ctx, `document.documentElement.dir`); dir != "rtl" {
		t.Errorf("the case page is %q", dir)
	}
	screenshot(t, ctx, "case-opened-from-person-ar")

	// Back on the person's page, the new case is listed with a link to it.
	do(t, ctx, chromedp.Navigate(srv.URL+personPath), chromedp.WaitVisible(chromedp.CSS(`[data-case-link]`)))
	if link := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-case-link]`))); !strings.Contains(link, number) {
		t.Errorf("the person's cases read %q, want %s", link, number)
	}

	// Searching by her phone now finds her at once, by an exact identifier; registering her again anyway
	// leads with the record she already has.
	do(t, ctx, chromedp.Navigate(srv.URL+"/people"), chromedp.WaitVisible(chromedp.CSS(`#q`)), fill(`#q`, "٥٥٥٥٤٤٤٤"))
	submit(t, ctx, `form[data-people-search] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-person] [data-exact-match]`)))
	here()
	if tail := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-person] [data-phone-tail]`))); !strings.HasSuffix(tail, "444") || strings.Contains(tail, "5555") {
		t.Errorf("the list shows the phone as %q", tail)
	}
	noSideScroll(t, ctx, "results")
	screenshot(t, ctx, "people-search-found-ar")
	submit(t, ctx, `[data-register]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#name_ar`)), fill(`#name_ar`, "نوف الهاجري"))
	submit(t, ctx, `[data-register-submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-duplicates] a[href="`+personPath+`"]`)))
	here()
	if first := js[bool](t, ctx, `document.querySelector('[data-duplicates]').compareDocumentPosition(document.querySelector('[data-person-details]')) === Node.DOCUMENT_POSITION_FOLLOWING`); !first {
		t.Error("the possible duplicates do not come first")
	}
	noSideScroll(t, ctx, "duplicates")
	screenshot(t, ctx, "person-duplicates-ar")

	for _, href := range visited {
		decoded, _ := url.QueryUnescape(href)
		for _, secret := range []string{name, "نوف", "Nouf", "4444"} {
			if strings.Contains(href, secret) || strings.Contains(decoded, secret) || strings.Contains(href, url.QueryEscape(secret)) {
				t.Errorf("an address carries %q: %s", secret, href)
			}
		}
	}
}
