package app

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Session stages. A user whose password is right but who has no second factor yet gets an enrolment
// session, which opens nothing but the enrolment page.
const (
	StageActive = "active"
	StageEnrol  = "enrol"
)

// SignInInput is what a person types.
type SignInInput struct {
	Username string
	Password string
	// OTP is the six-digit code, or one of the recovery codes.
	OTP string
	// Previous is the session token the browser already holds, if any. A successful sign-in ends it,
	// so a session id never survives a change of who is signed in (session fixation).
	Previous string
}

// Session is a signed-in session.
type Session struct {
	// Token goes in the cookie; only its hash is stored.
	Token     string
	Stage     string
	User      User
	ExpiresAt time.Time
}

// SignIn checks a username, password and second factor. Every failure is the same invalid_credentials,
// whatever was wrong, and costs the same time; five failures in a row lock the username for fifteen
// minutes (account_locked), known or not.
func (a *Accounts) SignIn(ctx context.Context, meta Meta, in SignInInput) (Session, error) {
	username := NormalizeUsername(in.Username)
	throttleKey := seal.HashToken("signin:" + username)
	now := a.DB.Now()

	var u userRow
	var lockedUntil int64
	err := a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT locked_until FROM signin_throttle WHERE username_hash = $1`, throttleKey).Scan(&lockedUntil)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		u, err = loadUserBy(ctx, tx, byUsername, username)
		if aman.ErrorCode(err) == aman.ENotFound {
			u, err = userRow{}, nil
		}
		return err
	})
	if err != nil {
		return Session{}, err
	}
	if lockedUntil > store.Millis(now) {
		return Session{}, aman.Errorf(aman.EAccountLocked, "locked")
	}

	// The password hash is checked outside any transaction: argon2id takes tens of milliseconds and must
	// not hold SQLite's write lock.
	hash := u.passwordHash
	if hash == "" {
		hash = a.dummyHash
	}
	passwordOK, needsRehash, _ := seal.VerifyPassword(hash, in.Password, a.cfg.Passwords)
	ok := passwordOK && u.ID != "" && !u.Disabled
	stage, step := StageEnrol, int64(0)
	var recoveryHash []byte
	if ok && u.TOTPEnrolled {
		stage = StageActive
		step, recoveryHash, ok = a.checkSecondFactor(u, in.OTP, now)
	}
	actor := meta.actor(u.Actor())

	var session Session
	err = a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if !ok {
			return a.recordFailure(ctx, tx, actor, throttleKey, u.ID)
		}
		if recoveryHash != nil {
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
				store.Millis(tx.Now), u.ID, recoveryHash)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return a.recordFailure(ctx, tx, actor, throttleKey, u.ID)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_throttle WHERE username_hash = $1`, throttleKey); err != nil {
			return err
		}
		if step > 0 {
			// Conditional on the old step, so two sign-ins racing with the same code cannot both win.
			res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`, step, u.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return a.recordFailure(ctx, tx, actor, throttleKey, u.ID)
			}
		}
		if needsRehash {
			if fresh, err := seal.HashPassword(in.Password, a.cfg.Passwords); err == nil {
				if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, fresh, u.ID); err != nil {
					return err
				}
			}
		}
		if in.Previous != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, seal.HashToken(in.Previous)); err != nil {
				return err
			}
		}
		var err error
		session, err = a.startSession(ctx, tx, u.User, stage)
		if err != nil {
			return err
		}
		detail := map[string]string{"stage": stage}
		if recoveryHash != nil {
			detail["second_factor"] = "recovery_code"
		}
		return a.record(ctx, tx, actor, audit.Entry{Action: "auth.sign_in", Entity: "user", EntityID: u.ID, Detail: detail})
	})
	if errors.Is(err, errSignInFailed) {
		return Session{}, aman.Errorf(aman.EInvalidCredentials, "sign-in failed")
	}
	if errors.Is(err, errLockedNow) {
		return Session{}, aman.Errorf(aman.EAccountLocked, "locked after repeated failures")
	}
	return session, err
}

// These stop a sign-in transaction after its failure has been counted; they commit, not roll back.
var (
	errSignInFailed = errors.New("sign-in failed")
	errLockedNow    = errors.New("locked now")
)

// recordFailure counts a failed attempt, locks the username at the threshold, and audits both. It
// returns a sentinel the caller turns into the public error after the count has committed.
func (a *Accounts) recordFailure(ctx context.Context, tx *store.Tx, actor aman.Actor, key []byte, userID string) error {
	now := store.Millis(tx.Now)
	var failures int
	err := tx.QueryRowContext(ctx, `SELECT failures FROM signin_throttle WHERE username_hash = $1`, key).Scan(&failures)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	failures++
	lockedUntil := int64(0)
	if failures >= a.cfg.LockoutThreshold {
		lockedUntil, failures = now+ms(a.cfg.LockoutDuration), 0
	}
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `INSERT INTO signin_throttle (username_hash, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4)`,
			key, failures, lockedUntil, now)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE signin_throttle SET failures = $1, locked_until = $2, updated_at = $3 WHERE username_hash = $4`,
			failures, lockedUntil, now, key)
	}
	if err != nil {
		return err
	}
	if err := a.record(ctx, tx, actor, audit.Entry{Action: "auth.sign_in_failed", Entity: "user", EntityID: userID}); err != nil {
		return err
	}
	if lockedUntil > 0 {
		if err := a.record(ctx, tx, actor, audit.Entry{Action: "auth.locked", Entity: "user", EntityID: userID}); err != nil {
			return err
		}
		return store.CommitAndFail(errLockedNow)
	}
	return store.CommitAndFail(errSignInFailed)
}

// checkSecondFactor accepts a TOTP code for a step not used before, or an unused recovery code. It
// returns the TOTP step to remember, or the recovery code hash to spend.
func (a *Accounts) checkSecondFactor(u userRow, code string, now time.Time) (step int64, recoveryHash []byte, ok bool) {
	code = normalizeCode(code)
	if len(code) == 6 {
		secret, err := a.Keys.OpenString(u.totpSealed, seal.AAD("users", "totp", u.ID))
		if err != nil {
			return 0, nil, false
		}
		if step, ok := matchTOTP(secret, code, now, u.totpLastStep); ok {
			return step, nil, true
		}
		return 0, nil, false
	}
	if len(code) == recoveryCodeLength {
		return 0, recoveryCodeHash(u.ID, code), true
	}
	return 0, nil, false
}

// startSession creates a session for u and returns its token.
func (a *Accounts) startSession(ctx context.Context, tx *store.Tx, u User, stage string) (Session, error) {
	token := seal.RandomToken(32)
	expires := tx.Now.Add(a.cfg.AbsoluteTimeout)
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $4, $5)`, seal.HashToken(token), u.ID, stage, store.Millis(tx.Now), store.Millis(expires))
	return Session{Token: token, Stage: stage, User: u, ExpiresAt: expires}, err
}

// touchEvery limits how often a session's last-seen time is written: once a minute is precise enough
// for a fifteen-minute idle timeout and spares a write on every request.
const touchEvery = time.Minute

// Authenticate returns the session a cookie token names, if it is still valid. It ends sessions that
// have been idle too long or reached their absolute lifetime, and those of disabled users.
func (a *Accounts) Authenticate(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, aman.Errorf(aman.EUnauthorized, "no session")
	}
	hash := seal.HashToken(token)
	var s Session
	var lastSeen, expires int64
	// Every request starts here, so the session and its user come in one statement, without a
	// transaction around it: on PostgreSQL one round trip where a read transaction took four.
	u, err := scanUser(scanAlso{a.DB.QueryRow(ctx, `SELECT `+userColumns+`, s.stage, s.last_seen_at, s.expires_at
		FROM users, (SELECT user_id, stage, last_seen_at, expires_at FROM sessions WHERE id_hash = $1) s
		WHERE users.id = s.user_id`, hash), []any{&s.Stage, &lastSeen, &expires}})
	if aman.ErrorCode(err) == aman.ENotFound {
		return Session{}, aman.Errorf(aman.EUnauthorized, "unknown session")
	}
	if err != nil {
		return Session{}, err
	}
	now := a.DB.Now()
	nowMs := store.Millis(now)
	if u.Disabled || nowMs >= expires || nowMs-lastSeen >= ms(a.cfg.IdleTimeout) {
		_ = a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hash)
			return err
		})
		return Session{}, aman.Errorf(aman.EUnauthorized, "session ended")
	}
	if nowMs-lastSeen >= ms(touchEvery) {
		err := a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, store.Millis(tx.Now), hash)
			return err
		})
		if err != nil {
			return Session{}, err
		}
	}
	s.Token, s.User, s.ExpiresAt = token, u.User, store.Time(expires)
	return s, nil
}

// SignOut ends one session.
func (a *Accounts) SignOut(ctx context.Context, meta Meta, s Session) error {
	return a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, seal.HashToken(s.Token)); err != nil {
			return err
		}
		return a.record(ctx, tx, meta.actor(s.User.Actor()), audit.Entry{Action: "auth.sign_out", Entity: "user", EntityID: s.User.ID})
	})
}

// SignOutEverywhere ends every session of the user, on every device and node.
func (a *Accounts) SignOutEverywhere(ctx context.Context, meta Meta, s Session) error {
	return a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, s.User.ID); err != nil {
			return err
		}
		return a.record(ctx, tx, meta.actor(s.User.Actor()), audit.Entry{Action: "auth.sign_out_everywhere", Entity: "user", EntityID: s.User.ID})
	})
}

// constantTimeEqual compares two codes without leaking where they differ.
func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
