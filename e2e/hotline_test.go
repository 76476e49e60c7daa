package e2e

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/i18n"
)

// keyboard sends keys to the page and counts them, as the issue counts them: every key a person presses
// once (a letter, Tab, Space, Enter; a chord such as Alt+P counts as one), and beside it every physical
// key going down, modifiers included, so neither way of counting can hide a cost.
type keyboard struct {
	t       *testing.T
	ctx     context.Context
	strokes int
	presses int
}

// press sends each rune of keys as one keystroke, with the modifiers held.
func (k *keyboard) press(keys string, modifiers ...chromedp.Modifier) {
	k.t.Helper()
	do(k.t, k.ctx, chromedp.KeyEvent(keys, chromedp.KeyModifiers(modifiers...)))
	n := len([]rune(keys))
	k.strokes += n
	k.presses += n * (1 + len(modifiers))
}

// pressAndLoad is press for the key that submits the form: it waits for the page the server answers.
func (k *keyboard) pressAndLoad(keys string, modifiers ...chromedp.Modifier) {
	k.t.Helper()
	stepCtx, cancel := context.WithTimeout(k.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(stepCtx, chromedp.KeyEvent(keys, chromedp.KeyModifiers(modifiers...))); err != nil {
		k.t.Fatalf("submit with %q: %v", keys, err)
	}
	n := len([]rune(keys))
	k.strokes += n
	k.presses += n * (1 + len(modifiers))
}

// maxKeystrokes is the bar: a call logged in under 30 keystrokes.
const maxKeystrokes = 30

// An operator at 3 a.m. logs a call with the keyboard alone, in Arabic: the cursor is already on the
// first question; Space picks "the victim", Alt+P physical violence, Alt+I immediate danger, Alt+T
// "intake to triage", Tab reaches the summary, a word of summary, Ctrl+Enter logs it. Then, in English,
// a silent call: Alt+N and Enter. Both stay under 30 keystrokes, counted either way; the call is on the
// shift view and went to triage as critical.
func TestHotlineCallLoggedFromTheKeyboard(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := srv.cli(t, apptest.StrongPassword+"\n", "user", "create", "--username", "amal.line", "--role", "hotline_operator",
		"--display-name", "أمل السليطي", "--password-stdin")
	signInAs(t, ctx, srv, i18n.Arabic, "amal.line", apptest.SecretFromURI(t, strings.TrimSpace(out)))

	do(t, ctx,
		chromedp.Navigate(srv.URL+"/hotline?lang=ar"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-hotline-console]`)),
	)
	screenshot(t, ctx, "hotline-console-ar")
	if focused := js[string](t, ctx, `document.activeElement.id`); focused != "caller-0" {
		t.Fatalf("the console opens with the cursor on %q, want the first caller type", focused)
	}
	keys := &keyboard{t: t, ctx: ctx}
	keys.press(" ")                       // the victim herself
	keys.press("p", chromedp.ModifierAlt) // physical violence
	keys.press("i", chromedp.ModifierAlt) // immediate danger
	keys.press("t", chromedp.ModifierAlt) // intake to triage
	keys.press(kb.Tab)                    // to the summary
	keys.press("hit")                     // what was said, in a word
	keys.pressAndLoad(kb.Enter, chromedp.ModifierCtrl)
	t.Logf("counselling call in Arabic: %d keystrokes (%d keys pressed, modifiers included)", keys.strokes, keys.presses)
	if keys.strokes >= maxKeystrokes || keys.presses >= maxKeystrokes {
		t.Fatalf("%d keystrokes (%d key presses), want under %d", keys.strokes, keys.presses, maxKeystrokes)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-notice]`)))
	screenshot(t, ctx, "hotline-logged-ar")
	notice := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-notice]`)))
	for _, want := range []string{bundle.T(i18n.Arabic, "hotline.done.logged"), bundle.T(i18n.Arabic, "call.urgency.critical")} {
		if !strings.Contains(notice, want) {
			t.Fatalf("the notice %q lacks %q", notice, want)
		}
	}
	// The console is blank again, ready for the next call, with the cursor on the first question.
	if focused := js[string](t, ctx, `document.activeElement.id`); focused != "caller-0" {
		t.Fatalf("after logging the cursor is on %q", focused)
	}

	// In English, a silent call: two keys.
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/hotline?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`form[data-hotline-console]`)),
	)
	silent := &keyboard{t: t, ctx: ctx}
	silent.press("n", chromedp.ModifierAlt)
	silent.pressAndLoad(kb.Enter)
	t.Logf("silent call in English: %d keystrokes (%d key presses)", silent.strokes, silent.presses)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-notice]`)))
	if lang := js[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Fatalf("the console answered in %q", lang)
	}
	if notice := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-notice]`))); !strings.Contains(notice, bundle.T(i18n.English, "hotline.done.logged")) {
		t.Fatalf("notice %q", notice)
	}

	// Both calls are on the operator's shift, newest first, with what the keys chose.
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/hotline/shift?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-shift]`)),
	)
	screenshot(t, ctx, "hotline-shift-en")
	rows := js[[]string](t, ctx, `[...document.querySelectorAll('[data-call-row]')].map(r => r.innerText)`)
	if len(rows) != 2 {
		t.Fatalf("%d calls on the shift, want 2", len(rows))
	}
	for i, wants := range [][]string{
		{bundle.T(i18n.English, "call.non_counselling.silent")},
		{bundle.T(i18n.English, "call.caller_type.victim"), bundle.T(i18n.English, "call.reason.violence_physical"),
			bundle.T(i18n.English, "call.outcome.intake_to_triage"), bundle.T(i18n.English, "call.urgency.critical")},
	} {
		for _, want := range wants {
			if !strings.Contains(rows[i], want) {
				t.Errorf("row %d %q lacks %q", i, rows[i], want)
			}
		}
	}
	// The start was stamped at the first key, not when the console was opened: both calls last seconds.
	durations := js[[]string](t, ctx, `[...document.querySelectorAll('[data-call-row] td:nth-child(2)')].map(c => c.innerText)`)
	for _, d := range durations {
		if !strings.HasPrefix(d, "0:0") {
			t.Errorf("a call of a few keys lasted %s", d)
		}
	}
	// The summary typed is on the call's own page, and only there.
	if strings.Contains(strings.Join(rows, " "), "hit") {
		t.Error("the shift view shows a summary")
	}
	href := js[string](t, ctx, `document.querySelectorAll('[data-call-row] a')[1].getAttribute('href')`)
	do(t, ctx, chromedp.Navigate(srv.URL+href), chromedp.WaitVisible(chromedp.CSS(`[data-summary]`)))
	if summary := value(t, ctx, chromedp.Text(chromedp.CSS(`[data-summary]`))); html.UnescapeString(summary) != "hit" {
		t.Fatalf("summary %q", summary)
	}
}
