package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A child who cannot write taps one picture, chooses a secret word and sends: the receipt shows a
// follow-up code. No cookie is left behind.
func TestPortalPictureOnlyHelpRequest(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	for _, lang := range []string{"ar", "en"} {
		do(t, ctx,
			chromedp.Navigate(srv.URL+"/help?lang="+lang),
			chromedp.WaitVisible(chromedp.CSS(`[data-quick-exit]`)),
			chromedp.Click(chromedp.CSS(`input[name=harms][value=confinement]`)),
			chromedp.SendKeys(chromedp.CSS(`#passphrase`), "yasmin-by-the-sea"),
		)
		screenshot(t, ctx, "portal-help-"+lang)
		submit(t, ctx, `button.send`)
		code := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-follow-up-code]`)))
		if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){4}$`).MatchString(strings.TrimSpace(code)) {
			t.Fatalf("%s: receipt code %q", lang, code)
		}
		screenshot(t, ctx, "portal-receipt-"+lang)
		if cookies := js[string](t, ctx, `document.cookie`); cookies != "" {
			t.Fatalf("the app left cookies: %q", cookies)
		}
	}
}

// The quick exit (here the Esc key) erases the app's draft, and replaces the app's page in the history
// instead of adding to it: the tab no longer shows the app, and Back cannot return to it.
func TestPortalQuickExitLeavesNoTrace(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/consult?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-quick-exit]`)),
	)
	js[bool](t, ctx, `localStorage.setItem("aman.portal.draft.consult", "[]"), sessionStorage.setItem("x", "1"), true`)
	before := js[int](t, ctx, `history.length`)
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	var after string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if url, err := chromedp.Run(ctx, chromedp.Location()); err == nil && !strings.HasPrefix(url, srv.URL) {
			after = url
			break
		}
	}
	if after == "" {
		t.Fatal("the quick exit did not leave the app")
	}
	if n := js[int](t, ctx, `history.length`); n != before {
		t.Errorf("history.length %d after the exit, %d before: the exit added an entry instead of replacing the app's", n, before)
	}
	// Back from the neutral site must not land on the app.
	_ = chromedp.Do(ctx, chromedp.NavigateBack())
	time.Sleep(300 * time.Millisecond)
	back, _ := chromedp.Run(ctx, chromedp.Location())
	if strings.HasPrefix(back, srv.URL+"/consult") {
		t.Errorf("Back returned to the app: %s", back)
	}
	do(t, ctx, chromedp.Navigate(srv.URL+"/consult?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-quick-exit]`)))
	if left := js[string](t, ctx, `(localStorage.getItem("aman.portal.draft.consult") || "") + (sessionStorage.getItem("x") || "")`); left != "" {
		t.Errorf("the exit left %q in storage", left)
	}
}
