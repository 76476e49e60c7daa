package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A visitor lands on the Arabic home page, switches to English, and the choice survives a reload.
func TestLanguageSwitchSticks(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)

	do(t, ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-lang-switch]`)),
	)
	if lang, dir := js[string](t, ctx, `document.documentElement.lang`), js[string](t, ctx, `document.documentElement.dir`); lang != "ar" || dir != "rtl" {
		t.Fatalf("home page opened as lang=%q dir=%q, want ar/rtl", lang, dir)
	}
	screenshot(t, ctx, "home-ar")

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-lang-switch]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="ltr"] [data-lang-switch]`)),
	)
	if lang := js[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Fatalf("after the switch lang=%q, want en", lang)
	}
	screenshot(t, ctx, "home-en")

	// Reload the bare address: the choice must come from what the browser remembers, not the URL.
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-lang-switch]`)),
	)
	if lang, dir := js[string](t, ctx, `document.documentElement.lang`), js[string](t, ctx, `document.documentElement.dir`); lang != "en" || dir != "ltr" {
		t.Fatalf("after reload lang=%q dir=%q, want the English choice to stick", lang, dir)
	}
}
