package app

import (
	"context"
	"encoding/base32"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// TOTP as authenticator apps expect it: SHA-1, six digits, thirty seconds.
const (
	totpPeriod = 30
	// totpSkew accepts the neighbouring steps too, for phones whose clocks drift.
	totpSkew = 1
	// RecoveryCodeCount codes are issued at enrolment; each works once in place of a TOTP code.
	RecoveryCodeCount  = 10
	recoveryCodeLength = 10
)

func totpOpts() totp.ValidateOpts {
	return totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
}

// normalizeCode folds Arabic-Indic digits and drops spaces and dashes, so a code typed on an Arabic
// keyboard or copied with separators still works.
func normalizeCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + (r - '۰'))
		case r == ' ' || r == '-':
		default:
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// matchTOTP finds the time step whose code matches, among the current one and its neighbours, that is
// newer than the last step used.
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	current := now.Unix() / totpPeriod
	for delta := int64(-totpSkew); delta <= totpSkew; delta++ {
		step := current + delta
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts())
		if err == nil && constantTimeEqual(want, code) {
			return step, true
		}
	}
	return 0, false
}

// newTOTPKey makes the key for username: a fresh secret when secret is nil, or the given one.
func (a *Accounts) newTOTPKey(username string, secret []byte) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{
		Issuer: a.cfg.Issuer, AccountName: username, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20, Secret: secret,
	})
}

// sealTOTP seals a TOTP secret to its user's row.
func (a *Accounts) sealTOTP(userID, secret string) ([]byte, error) {
	return a.Keys.SealString(secret, seal.AAD("users", "totp", userID))
}

func recoveryCodeHash(userID, code string) []byte {
	return seal.HashToken("recovery:" + userID + ":" + normalizeCode(code))
}

// newRecoveryCodes replaces the user's recovery codes with fresh ones and returns them for showing once.
func newRecoveryCodes(ctx context.Context, tx *store.Tx, userID string) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		raw := seal.RandomToken(8)[:recoveryCodeLength]
		codes[i] = raw[:5] + "-" + raw[5:]
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`,
			userID, recoveryCodeHash(userID, raw)); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// Enrolment is a pending second factor for the user to scan.
type Enrolment struct {
	// URI is the otpauth:// address that authenticator apps read from a QR code.
	URI string
	// Secret is the same key for typing by hand.
	Secret string
}

// BeginEnrolment gives a user without a second factor a secret to scan. While an enrolment is pending
// it returns the same secret, so reloading the page or mistyping the first code never invalidates what
// the person already scanned.
func (a *Accounts) BeginEnrolment(ctx context.Context, meta Meta, s Session) (Enrolment, error) {
	var e Enrolment
	err := a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		u, err := loadUserBy(ctx, tx, byID, s.User.ID)
		if err != nil {
			return err
		}
		if u.TOTPEnrolled {
			return aman.Errorf(aman.EConflict, "already enrolled")
		}
		var secret []byte
		if len(u.totpSealed) > 0 {
			pending, err := a.Keys.OpenString(u.totpSealed, seal.AAD("users", "totp", u.ID))
			if err != nil {
				return err
			}
			if secret, err = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(pending); err != nil {
				return err
			}
		}
		key, err := a.newTOTPKey(u.Username, secret)
		if err != nil {
			return err
		}
		e = Enrolment{URI: key.URL(), Secret: key.Secret()}
		if secret != nil {
			return nil
		}
		sealed, err := a.sealTOTP(u.ID, key.Secret())
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET totp_sealed = $1, totp_last_step = 0, updated_at = $2 WHERE id = $3`,
			sealed, store.Millis(tx.Now), u.ID)
		return err
	})
	return e, err
}

// ConfirmEnrolment checks the first code from the new authenticator, replaces the enrolment session
// with a full one under a new id (privileges changed, so the id does too), and returns the recovery
// codes to show once.
func (a *Accounts) ConfirmEnrolment(ctx context.Context, meta Meta, s Session, code string) (Session, []string, error) {
	var codes []string
	var full Session
	err := a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		u, err := loadUserBy(ctx, tx, byID, s.User.ID)
		if err != nil {
			return err
		}
		if u.TOTPEnrolled || len(u.totpSealed) == 0 {
			return aman.Errorf(aman.EConflict, "no enrolment in progress")
		}
		secret, err := a.Keys.OpenString(u.totpSealed, seal.AAD("users", "totp", u.ID))
		if err != nil {
			return err
		}
		step, ok := matchTOTP(secret, normalizeCode(code), tx.Now, u.totpLastStep)
		if !ok {
			return aman.FieldError("otp", EInvalidOTP)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_enrolled = $1, totp_last_step = $2, updated_at = $3 WHERE id = $4`,
			true, step, store.Millis(tx.Now), u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, seal.HashToken(s.Token)); err != nil {
			return err
		}
		u.TOTPEnrolled = true
		if full, err = a.startSession(ctx, tx, u.User, StageActive); err != nil {
			return err
		}
		if codes, err = newRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		return a.record(ctx, tx, meta.actor(u.Actor()), audit.Entry{Action: "auth.totp_enrolled", Entity: "user", EntityID: u.ID})
	})
	return full, codes, err
}

// EInvalidOTP is a wrong code during enrolment.
const EInvalidOTP = "invalid_otp"
