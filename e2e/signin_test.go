package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aman.qa/aman/app/apptest"
)

// fill types into a form field, replacing what is there.
func fill(selector, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(selector), value)
}

// On an empty database the server prints a one-time setup link. The first administrator opens it,
// chooses a password, enrols an authenticator by scanning (here: reading) the secret, keeps the
// recovery codes, signs out, and signs in again with password and TOTP. The link then no longer works.
func TestFirstRunSetupEnrolmentAndSignIn(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	link := srv.setupLink(t)

	do(t, ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`form[action^="/setup/"]`)),
		fill(`#username`, "admin.one"),
		fill(`#display_name`, "نورة"),
		fill(`#password`, "short"),
		fill(`#password_confirm`, "short"),
	)
	// The browser would refuse a short password itself; remove that check to see the server's answer.
	js[bool](t, ctx, `document.querySelector('#password').removeAttribute('minlength'), true`)
	submit(t, ctx, `form[action^="/setup/"] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#password-error`)))
	if kept := value(t, ctx, chromedp.Value(chromedp.CSS(`#username`))); kept != "admin.one" {
		t.Fatalf("the form lost the username: %q", kept)
	}
	if msg := value(t, ctx, chromedp.Text(chromedp.CSS(`#password-error`))); !strings.Contains(msg, "12") {
		t.Fatalf("password error in Arabic: %q", msg)
	}
	screenshot(t, ctx, "setup-error-ar")

	do(t, ctx,
		fill(`#password`, apptest.StrongPassword),
		fill(`#password_confirm`, apptest.StrongPassword),
	)
	submit(t, ctx, `form[action^="/setup/"] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-totp-secret]`)))
	screenshot(t, ctx, "enrol-ar")
	secret := strings.TrimSpace(value(t, ctx, chromedp.Text(chromedp.CSS(`[data-totp-secret]`))))
	if js[bool](t, ctx, `document.querySelector('img.qr').naturalWidth > 0`) != true {
		t.Fatal("the QR code did not render")
	}
	do(t, ctx, fill(`#otp`, apptest.Code(t, secret, time.Now())))
	submit(t, ctx, `form[action="/enrol"] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-recovery-codes]`)))
	if n := js[int](t, ctx, `document.querySelectorAll('[data-recovery-codes] li').length`); n != 10 {
		t.Fatalf("%d recovery codes shown, want 10", n)
	}
	submit(t, ctx, `a[href="/dashboard"].button`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-signed-in]`)))
	submit(t, ctx, `[data-sign-out]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/sign-in"]`)))

	// The code just used cannot be replayed; the next step's code is accepted.
	do(t, ctx,
		fill(`#username`, "admin.one"),
		fill(`#password`, apptest.StrongPassword),
		fill(`#otp`, apptest.Code(t, secret, time.Now().Add(30*time.Second))),
	)
	submit(t, ctx, `form[action="/sign-in"] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-signed-in]`)))
	screenshot(t, ctx, "dashboard-ar")
	if dir := js[string](t, ctx, `document.documentElement.dir`); dir != "rtl" {
		t.Fatalf("dashboard dir %q", dir)
	}

	do(t, ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.error-page`)))
	if js[bool](t, ctx, `!!document.querySelector('form[action^="/setup/"]')`) {
		t.Fatal("the setup link worked a second time")
	}
}

// Five wrong attempts in a row lock the account; the sixth, even with the right password, is told the
// account is locked, in the language the page is in.
func TestLockoutAfterFiveFailedSignIns(t *testing.T) {
	ctx := browser(t)
	srv := startServer(t)
	link := srv.setupLink(t)
	do(t, ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		fill(`#username`, "admin.two"),
		fill(`#password`, apptest.StrongPassword),
		fill(`#password_confirm`, apptest.StrongPassword),
	)
	submit(t, ctx, `form[action^="/setup/"] button[type=submit]`)
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`[data-totp-secret]`)),
		chromedp.Navigate(srv.URL+"/sign-in?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/sign-in"]`)),
	)
	for i := 1; i <= 6; i++ {
		do(t, ctx,
			fill(`#username`, "admin.two"),
			fill(`#password`, "this is not the password"),
			fill(`#otp`, "000000"),
		)
		submit(t, ctx, `form[action="/sign-in"] button[type=submit]`)
		do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#signin-error`)))
		msg := value(t, ctx, chromedp.Text(chromedp.CSS(`#signin-error`)))
		locked := strings.Contains(msg, "locked")
		if locked != (i >= 5) {
			t.Fatalf("attempt %d: %q", i, msg)
		}
		if kept := value(t, ctx, chromedp.Value(chromedp.CSS(`#username`))); kept != "admin.two" {
			t.Fatalf("attempt %d lost the username: %q", i, kept)
		}
	}
	screenshot(t, ctx, "locked-en")
	js[bool](t, ctx, `document.querySelector('#otp').value = '', true`)
	do(t, ctx, fill(`#password`, apptest.StrongPassword))
	submit(t, ctx, `form[action="/sign-in"] button[type=submit]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`#signin-error`)))
	if msg := value(t, ctx, chromedp.Text(chromedp.CSS(`#signin-error`))); !strings.Contains(msg, "locked") {
		t.Fatalf("the right password during the lock: %q", msg)
	}
}
