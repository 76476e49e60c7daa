package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
)

var ctx = context.Background()

func meta() app.Meta { return app.Meta{IP: "127.0.0.1", RequestID: "req-test-0001"} }

func TestCreateUserValidates(t *testing.T) {
	env := apptest.New(t)
	env.CreateUser(t, "sara", aman.RoleCaseWorker)
	tests := []struct {
		name      string
		in        app.NewUser
		wantCode  string
		wantField string
	}{
		{"short username", app.NewUser{Username: "ab", Role: aman.RoleCaseWorker, Password: apptest.StrongPassword}, app.EInvalidUsername, "username"},
		{"username with spaces", app.NewUser{Username: "sara ali", Role: aman.RoleCaseWorker, Password: apptest.StrongPassword}, app.EInvalidUsername, "username"},
		{"unknown role", app.NewUser{Username: "huda", Role: "wizard", Password: apptest.StrongPassword}, app.EInvalidRole, "role"},
		{"short password", app.NewUser{Username: "huda", Role: aman.RoleCaseWorker, Password: "short pass"}, app.EPasswordTooShort, "password"},
		{"common password", app.NewUser{Username: "huda", Role: aman.RoleCaseWorker, Password: "123456789012"}, app.EPasswordCommon, "password"},
		{"listed password padded with digits", app.NewUser{Username: "huda", Role: aman.RoleCaseWorker, Password: "baseball1234!"}, app.EPasswordCommon, "password"},
		{"password containing the username", app.NewUser{Username: "huda", Role: aman.RoleCaseWorker, Password: "huda-is-the-best-2026"}, app.EPasswordCommon, "password"},
		{"repeated character", app.NewUser{Username: "huda", Role: aman.RoleCaseWorker, Password: "aaaaaaaaaaaaaaa"}, app.EPasswordCommon, "password"},
		{"taken username, any case", app.NewUser{Username: " SARA ", Role: aman.RoleCaseWorker, Password: apptest.StrongPassword}, app.EUsernameTaken, "username"},
		{"unknown unit", app.NewUser{Username: "huda", Role: aman.RoleSupervisor, UnitID: "nope", Password: apptest.StrongPassword}, app.EUnknownUnit, "unit_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), tc.in)
			if aman.ErrorCode(err) != tc.wantCode || aman.ErrorField(err) != tc.wantField {
				t.Fatalf("err = %v, want %s on %s", err, tc.wantCode, tc.wantField)
			}
		})
	}
}

func TestOnlyAdministratorsManageUsers(t *testing.T) {
	env := apptest.New(t)
	worker, _ := env.CreateUser(t, "sara", aman.RoleCaseWorker)
	for _, role := range aman.Roles() {
		actor := aman.Actor{UserID: "u-" + string(role), Role: role}
		_, _, err := env.Accounts.CreateUser(ctx, actor, app.NewUser{Username: "x" + string(role)[:3], Role: aman.RoleAnalyst, Password: apptest.StrongPassword})
		allowed := aman.ErrorCode(err) != aman.EForbidden
		if allowed != (role == aman.RoleAdmin) {
			t.Errorf("%s creating a user: %v", role, err)
		}
		if err := env.Accounts.SetDisabled(ctx, actor, worker.ID, false); (aman.ErrorCode(err) != aman.EForbidden) != (role == aman.RoleAdmin) {
			t.Errorf("%s enabling a user: %v", role, err)
		}
	}
}

func TestTOTPEnrolmentURIIsWhatAuthenticatorsExpect(t *testing.T) {
	env := apptest.New(t)
	_, uri, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "sara", Role: aman.RoleCaseWorker, Password: apptest.StrongPassword, EnrolTOTP: true})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(uri)
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || !strings.Contains(u.Path, "sara") || q.Get("secret") == "" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" || q.Get("issuer") != "Aman" {
		t.Fatalf("enrolment URI %q", uri)
	}
}

func TestSignIn(t *testing.T) {
	env := apptest.New(t)
	_, secret := env.CreateUser(t, "sara", aman.RoleCaseWorker)
	env.CreateUser(t, "off", aman.RoleCaseWorker)
	offID, _ := env.Accounts.UserIDByUsername(ctx, apptest.Admin(), "off")
	if err := env.Accounts.SetDisabled(ctx, apptest.Admin(), offID, true); err != nil {
		t.Fatal(err)
	}
	code := func() string { return apptest.Code(t, secret, env.Clock.Now()) }

	tests := []struct {
		name     string
		in       func() app.SignInInput
		wantCode string
	}{
		{"right password and code", func() app.SignInInput {
			return app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: code()}
		}, ""},
		{"username in another case, code in Arabic digits", func() app.SignInInput {
			env.Clock.Advance(30 * time.Second)
			return app.SignInInput{Username: "SARA", Password: apptest.StrongPassword, OTP: arabicDigits(code())}
		}, ""},
		{"the same code again", func() app.SignInInput {
			return app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: code()}
		}, aman.EInvalidCredentials},
		{"wrong password", func() app.SignInInput {
			return app.SignInInput{Username: "sara", Password: "wrong password entirely", OTP: code()}
		}, aman.EInvalidCredentials},
		{"missing code", func() app.SignInInput {
			return app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: ""}
		}, aman.EInvalidCredentials},
		{"unknown user", func() app.SignInInput {
			return app.SignInInput{Username: "nobody", Password: apptest.StrongPassword, OTP: "123456"}
		}, aman.EInvalidCredentials},
		{"disabled user", func() app.SignInInput {
			return app.SignInInput{Username: "off", Password: apptest.StrongPassword, OTP: "123456"}
		}, aman.EInvalidCredentials},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := env.Accounts.SignIn(ctx, meta(), tc.in())
			if aman.ErrorCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want %q", err, tc.wantCode)
			}
			if err == nil && (s.Token == "" || s.Stage != app.StageActive) {
				t.Fatalf("session %+v", s)
			}
		})
	}
}

func arabicDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune('٠' + (r - '0'))
	}
	return b.String()
}

func TestLockoutAfterFiveFailuresForKnownAndUnknownNames(t *testing.T) {
	env := apptest.New(t)
	_, secret := env.CreateUser(t, "sara", aman.RoleCaseWorker)
	for _, username := range []string{"sara", "ghost"} {
		t.Run(username, func(t *testing.T) {
			var codes []string
			for i := 0; i < 6; i++ {
				_, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: username, Password: "not the password at all", OTP: "000000"})
				codes = append(codes, aman.ErrorCode(err))
			}
			want := "invalid_credentials invalid_credentials invalid_credentials invalid_credentials account_locked account_locked"
			if got := strings.Join(codes, " "); got != want {
				t.Fatalf("answers %s, want %s", got, want)
			}
		})
	}
	env.Clock.Advance(time.Minute)
	_, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: apptest.Code(t, secret, env.Clock.Now())})
	if aman.ErrorCode(err) != aman.EAccountLocked {
		t.Fatalf("right credentials while locked: %v", err)
	}
	env.Clock.Advance(15 * time.Minute)
	if _, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: apptest.Code(t, secret, env.Clock.Now())}); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "auth.locked"})
	if err != nil || len(entries) != 2 {
		t.Fatalf("auth.locked entries: %d, %v", len(entries), err)
	}
	if n, err := env.Audit.Verify(ctx, env.DB); err != nil || n == 0 {
		t.Fatalf("audit chain: %d, %v", n, err)
	}
}

func TestEnrolmentAndRecoveryCodes(t *testing.T) {
	env := apptest.New(t)
	u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "huda", Role: aman.RoleSupervisor, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	s, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "huda", Password: apptest.StrongPassword})
	if err != nil || s.Stage != app.StageEnrol {
		t.Fatalf("first sign-in without a second factor: %+v, %v", s, err)
	}
	first, err := env.Accounts.BeginEnrolment(ctx, meta(), s)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := env.Accounts.BeginEnrolment(ctx, meta(), s)
	if again.Secret != first.Secret {
		t.Fatal("reloading the enrolment page changed the secret")
	}
	if _, _, err := env.Accounts.ConfirmEnrolment(ctx, meta(), s, "000000"); aman.ErrorCode(err) != app.EInvalidOTP {
		t.Fatalf("wrong first code: %v", err)
	}
	full, codes, err := env.Accounts.ConfirmEnrolment(ctx, meta(), s, apptest.Code(t, first.Secret, env.Clock.Now()))
	if err != nil || len(codes) != app.RecoveryCodeCount {
		t.Fatalf("confirm: %d codes, %v", len(codes), err)
	}
	if got, err := env.Accounts.Authenticate(ctx, full.Token); err != nil || got.Stage != app.StageActive || full.Token == s.Token {
		t.Fatalf("enrolment did not give a new, active session: %+v %v", got, err)
	}
	if _, err := env.Accounts.Authenticate(ctx, s.Token); aman.ErrorCode(err) != aman.EUnauthorized {
		t.Fatalf("the enrolment session outlived enrolment: %v", err)
	}
	s = full
	if _, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "huda", Password: apptest.StrongPassword, OTP: strings.ToUpper(codes[3])}); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if _, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "huda", Password: apptest.StrongPassword, OTP: codes[3]}); aman.ErrorCode(err) != aman.EInvalidCredentials {
		t.Fatalf("a spent recovery code worked again: %v", err)
	}
	if err := env.Accounts.ResetTOTP(ctx, apptest.Admin(), u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Accounts.Authenticate(ctx, s.Token); aman.ErrorCode(err) != aman.EUnauthorized {
		t.Fatalf("a 2FA reset left the session alive: %v", err)
	}
	if s, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "huda", Password: apptest.StrongPassword}); err != nil || s.Stage != app.StageEnrol {
		t.Fatalf("after a reset the user enrols again: %+v %v", s, err)
	}
}

func TestSessionsEnd(t *testing.T) {
	env := apptest.New(t)
	u, secret := env.CreateUser(t, "sara", aman.RoleCaseWorker)
	signIn := func() app.Session {
		t.Helper()
		env.Clock.Advance(31 * time.Second)
		s, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: apptest.Code(t, secret, env.Clock.Now())})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	alive := func(s app.Session) bool {
		_, err := env.Accounts.Authenticate(ctx, s.Token)
		return err == nil
	}

	idle := signIn()
	env.Clock.Advance(14 * time.Minute)
	if !alive(idle) {
		t.Fatal("a session ended before the idle timeout")
	}
	env.Clock.Advance(14 * time.Minute)
	if !alive(idle) {
		t.Fatal("use did not extend the idle timeout")
	}
	env.Clock.Advance(15 * time.Minute)
	if alive(idle) {
		t.Fatal("an idle session survived 15 minutes")
	}

	busy := signIn()
	for i := 0; i < 10*6; i++ {
		env.Clock.Advance(10 * time.Minute)
		if !alive(busy) {
			if i < 59 {
				t.Fatalf("an active session ended after %d minutes", (i+1)*10)
			}
		}
	}
	if alive(busy) {
		t.Fatal("a session outlived the 10-hour absolute timeout")
	}

	a, b := signIn(), signIn()
	// Signing in again from the browser that holds a ends a: the id changes with every sign-in.
	env.Clock.Advance(31 * time.Second)
	c0, err := env.Accounts.SignIn(ctx, meta(), app.SignInInput{Username: "sara", Password: apptest.StrongPassword, OTP: apptest.Code(t, secret, env.Clock.Now()), Previous: a.Token})
	if err != nil || alive(a) || !alive(c0) {
		t.Fatalf("sign-in over an existing session: old alive %v, new alive %v, %v", alive(a), alive(c0), err)
	}
	a = c0
	if err := env.Accounts.SignOutEverywhere(ctx, meta(), a); err != nil {
		t.Fatal(err)
	}
	if alive(a) || alive(b) {
		t.Fatal("sign out everywhere left a session")
	}

	c := signIn()
	if err := env.Accounts.Assign(ctx, apptest.Admin(), u.ID, app.Assignment{Role: aman.RolePsychologist}); err != nil {
		t.Fatal(err)
	}
	if alive(c) {
		t.Fatal("a role change left the old session alive")
	}
	d := signIn()
	if err := env.Accounts.SetDisabled(ctx, apptest.Admin(), u.ID, true); err != nil {
		t.Fatal(err)
	}
	if alive(d) {
		t.Fatal("disabling left a session alive")
	}
}

func TestFirstRunSetupLink(t *testing.T) {
	env := apptest.New(t)
	token, err := env.Accounts.PrepareFirstRun(ctx)
	if err != nil || token == "" {
		t.Fatalf("no setup link on an empty database: %v", err)
	}
	expired, _ := env.Accounts.PrepareFirstRun(ctx)
	env.Clock.Advance(23 * time.Hour)
	if err := env.Accounts.CheckSetupLink(ctx, token); err != nil {
		t.Fatalf("a 23-hour-old link: %v", err)
	}
	in := app.NewUser{Username: "admin.one", DisplayName: "First", Password: "short"}
	if _, err := env.Accounts.CompleteFirstRun(ctx, meta(), token, in); aman.ErrorCode(err) != app.EPasswordTooShort {
		t.Fatalf("weak password: %v", err)
	}
	if err := env.Accounts.CheckSetupLink(ctx, token); err != nil {
		t.Fatalf("a failed attempt spent the link: %v", err)
	}
	in.Password = apptest.StrongPassword
	s, err := env.Accounts.CompleteFirstRun(ctx, meta(), token, in)
	if err != nil || s.Stage != app.StageEnrol || s.User.Role != aman.RoleAdmin {
		t.Fatalf("first admin: %+v %v", s, err)
	}
	if _, err := env.Accounts.CompleteFirstRun(ctx, meta(), token, app.NewUser{Username: "admin.two", Password: apptest.StrongPassword}); aman.ErrorCode(err) != app.ESetupLinkInvalid {
		t.Fatalf("the link worked twice: %v", err)
	}
	env.Clock.Advance(2 * time.Hour)
	if err := env.Accounts.CheckSetupLink(ctx, expired); aman.ErrorCode(err) != app.ESetupLinkInvalid {
		t.Fatalf("an expired link (and one after an admin exists): %v", err)
	}
	if again, err := env.Accounts.PrepareFirstRun(ctx); err != nil || again != "" {
		t.Fatalf("a setup link was made although an account exists: %q %v", again, err)
	}
}

func TestFirstRunLinkExpiresAfter24Hours(t *testing.T) {
	env := apptest.New(t)
	token, _ := env.Accounts.PrepareFirstRun(ctx)
	env.Clock.Advance(24*time.Hour + time.Second)
	if _, err := env.Accounts.CompleteFirstRun(ctx, meta(), token, app.NewUser{Username: "admin", Password: apptest.StrongPassword}); aman.ErrorCode(err) != app.ESetupLinkInvalid {
		t.Fatalf("a 24-hour-old link worked: %v", err)
	}
}

// A staff member's address for alert emails: optional at creation, checked with net/mail, changed and
// cleared by the administrator only, and audited without the address itself.
func TestStaffEmailForAlerts(t *testing.T) {
	env := apptest.New(t)
	bad := []string{"huda", "huda@", "@example.org", "Huda <huda@example.org>", "huda@example.org, noura@example.org", "huda @example.org",
		"huda@example.org\r\nBcc: x@example.org", strings.Repeat("a", 250) + "@example.org"}
	for _, email := range bad {
		_, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "huda", Role: aman.RoleSupervisor, Email: email, Password: apptest.StrongPassword})
		if aman.ErrorCode(err) != app.EInvalidEmail || aman.ErrorField(err) != "email" {
			t.Errorf("%q: %v", email, err)
		}
	}
	u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "huda", Role: aman.RoleSupervisor, Email: "  huda@aman.example.org ",
		Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := env.Accounts.GetUser(ctx, apptest.Admin(), u.ID); got.Email != "huda@aman.example.org" {
		t.Fatalf("stored address %q", got.Email)
	}
	if err := env.Accounts.SetEmail(ctx, apptest.Admin(), u.ID, "not an address"); aman.ErrorCode(err) != app.EInvalidEmail {
		t.Fatalf("bad address: %v", err)
	}
	if err := env.Accounts.SetEmail(ctx, u.Actor(), u.ID, "huda@elsewhere.example.org"); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a supervisor changed her own address: %v", err)
	}
	if err := env.Accounts.SetEmail(ctx, apptest.Admin(), "no-such-user", "x@example.org"); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("unknown account: %v", err)
	}
	steps := []struct{ email, want, audited string }{
		{"noura@aman.example.org", "noura@aman.example.org", "set"},
		{"noura@aman.example.org", "noura@aman.example.org", ""}, // unchanged: nothing recorded
		{" ", "", "cleared"},
	}
	for _, step := range steps {
		before := len(userAudit(t, env, "user.email_change"))
		if err := env.Accounts.SetEmail(ctx, apptest.Admin(), u.ID, step.email); err != nil {
			t.Fatal(err)
		}
		if got, _ := env.Accounts.GetUser(ctx, apptest.Admin(), u.ID); got.Email != step.want {
			t.Fatalf("after %q: %q", step.email, got.Email)
		}
		entries := userAudit(t, env, "user.email_change")
		if step.audited == "" {
			if len(entries) != before {
				t.Fatalf("an unchanged address was audited")
			}
			continue
		}
		if len(entries) != before+1 || entries[0].EntityID != u.ID || entries[0].Detail["email"] != step.audited {
			t.Fatalf("audit after %q: %+v", step.email, entries)
		}
	}
	// The trail never holds an address.
	for _, e := range userAudit(t, env, "") {
		for _, v := range e.Detail {
			if strings.Contains(v, "@") {
				t.Fatalf("%s holds an address: %v", e.Action, e.Detail)
			}
		}
	}
}

func userAudit(t *testing.T, env *apptest.Env, action string) []audit.Entry {
	t.Helper()
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: action, EntityType: "user"})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}
