package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/i18n"
)

var followUpCode = regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){4}$`)

// staffUser creates an account with the CLI and returns its authenticator secret.
func staffUser(t *testing.T, srv *server, username, role, name string) string {
	t.Helper()
	out := srv.cli(t, apptest.StrongPassword+"\n", "user", "create", "--username", username, "--role", role,
		"--display-name", name, "--password-stdin")
	return apptest.SecretFromURI(t, strings.TrimSpace(out))
}

// receiptCode reads the follow-up code from the receipt page and checks its shape.
func receiptCode(t *testing.T, ctx context.Context) string {
	t.Helper()
	code := strings.TrimSpace(value(t, ctx, chromedp.Text(chromedp.CSS(`[data-follow-up-code]`))))
	if !followUpCode.MatchString(code) {
		t.Fatalf("receipt code %q", code)
	}
	return code
}

// A woman asks for a legal consultation in Arabic. A psychologist, signed in in English, answers it from
// the triage screen; the woman opens her follow-up with her code and secret word and reads the reply.
func TestIntakeConsultationAnsweredFromTriage(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	secret := staffUser(t, srv, "noor.counsellor", "psychologist", "Noor Al-Thani")

	const question = "زوجي يمنعني من رؤية أطفالي، ماذا أفعل؟"
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/consult?lang=ar"),
		chromedp.WaitVisible(chromedp.CSS(`[data-quick-exit]`)),
		chromedp.Click(chromedp.CSS(`input[name=kind][value=legal]`)),
		fill(`#message`, question),
		fill(`#passphrase`, "bahr-wa-nakheel"),
	)
	submit(t, ctx, `button.send`)
	code := receiptCode(t, ctx)
	screenshot(t, ctx, "intake-consult-receipt-ar")

	signInAs(t, ctx, srv, i18n.English, "noor.counsellor", secret)
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/triage?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`a[data-answer-consultation]`)),
	)
	screenshot(t, ctx, "intake-triage-consultation-en")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-answer-consultation]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[data-reply-form]`)),
	)
	if text := js[string](t, ctx, `document.querySelector('[data-thread]').innerText`); !strings.Contains(text, question) {
		t.Fatalf("the thread does not show her question: %q", text)
	}
	if kind := js[string](t, ctx, `document.querySelector('[data-kind]').dataset.kind`); kind != "legal" {
		t.Fatalf("kind %q", kind)
	}
	const answer = "You can ask the family court for a visiting order. Call us on 919 at any time."
	do(t, ctx, fill(`#reply-text`, answer))
	submit(t, ctx, `form[data-reply-form] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-notice]`)))
	if status := js[string](t, ctx, `document.querySelector('[data-request-status]').dataset.requestStatus`); status != "answered" {
		t.Fatalf("status after the reply %q", status)
	}
	screenshot(t, ctx, "intake-consultation-answered-en")
	do(t, ctx, chromedp.Navigate(srv.URL+"/triage?lang=en"), chromedp.WaitVisible(chromedp.CSS(`[data-triage]`)))
	if n := js[int](t, ctx, `document.querySelectorAll('a[data-answer-consultation]').length`); n != 0 {
		t.Fatalf("the answered consultation is still waiting in the queue (%d)", n)
	}

	do(t, ctx,
		chromedp.Navigate(srv.URL+"/consult/follow-up?lang=ar"),
		chromedp.WaitVisible(chromedp.CSS(`#follow_up_code`)),
		fill(`#follow_up_code`, code),
		fill(`#passphrase`, "bahr-wa-nakheel"),
	)
	submit(t, ctx, `button.send`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`ol.messages`)))
	if text := js[string](t, ctx, `[...document.querySelectorAll('li.from-centre .text')].map(e => e.innerText).join('\n')`); !strings.Contains(text, answer) {
		t.Fatalf("she does not see the reply: %q", text)
	}
	screenshot(t, ctx, "intake-follow-up-reply-ar")
}

// An anonymous report in English gets a receipt code and lands in the triage queue, where a case
// worker reads it.
func TestIntakeAnonymousReportReachesTriage(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	secret := staffUser(t, srv, "huda.worker", "case_worker", "Huda Al-Kuwari")

	const report = "The woman next door has been locked in for three days."
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/report?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`[data-quick-exit]`)),
		chromedp.Click(chromedp.CSS(`input[name=about][value=woman]`)),
		fill(`#message`, report),
		fill(`#passphrase`, "neighbour-watch"),
	)
	submit(t, ctx, `button.send`)
	receiptCode(t, ctx)
	screenshot(t, ctx, "intake-report-receipt-en")

	signInAs(t, ctx, srv, i18n.English, "huda.worker", secret)
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/triage?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`a[data-read-request]`)),
	)
	if row := js[string](t, ctx, `document.querySelector('a[data-read-request]').closest('tr').innerText`); !strings.Contains(row, "Ballighni") {
		t.Fatalf("the queue row is not a report: %q", row)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-read-request]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-public-request]`)),
	)
	if text := js[string](t, ctx, `document.querySelector('[data-thread]').innerText`); !strings.Contains(text, report) {
		t.Fatalf("the report page does not show the report: %q", text)
	}
	if n := js[int](t, ctx, `document.querySelectorAll('form[data-reply-form]').length`); n != 0 {
		t.Fatal("a report offers a reply form")
	}
	screenshot(t, ctx, "intake-report-read-en")
}

// A child's picture-only help request is critical in the staff triage screen.
func TestIntakeChildPictureHelpIsCritical(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	secret := staffUser(t, srv, "salma.worker", "case_worker", "Salma Al-Marri")

	do(t, ctx,
		chromedp.Navigate(srv.URL+"/help?lang=ar"),
		chromedp.WaitVisible(chromedp.CSS(`[data-quick-exit]`)),
		chromedp.Click(chromedp.CSS(`input[name=harms][value=physical]`)),
		chromedp.SendKeys(chromedp.CSS(`#passphrase`), "qamar-wa-nujoom"),
	)
	submit(t, ctx, `button.send`)
	receiptCode(t, ctx)

	signInAs(t, ctx, srv, i18n.Arabic, "salma.worker", secret)
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/triage?lang=ar"),
		chromedp.WaitVisible(chromedp.CSS(`[data-triage-queue]`)),
	)
	critical := js[bool](t, ctx, `[...document.querySelectorAll('[data-intake-row]')].some(r => r.querySelector('[data-urgency=critical]') && r.querySelector('a[data-read-request]'))`)
	if !critical {
		t.Fatalf("no critical help request in the queue: %q", js[string](t, ctx, `document.querySelector('[data-triage-queue]').innerText`))
	}
	screenshot(t, ctx, "intake-help-critical-ar")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`a[data-read-request]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-harms]`)),
	)
}
