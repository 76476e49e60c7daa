package app

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// AccountsConfig tunes sign-in and sessions.
type AccountsConfig struct {
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends every session this long after sign-in, however active.
	AbsoluteTimeout time.Duration
	// LockoutThreshold failures in a row lock a username for LockoutDuration.
	LockoutThreshold int
	LockoutDuration  time.Duration
	// SetupLinkLifetime is how long a first-run setup link stays valid.
	SetupLinkLifetime time.Duration
	// Issuer names the service in authenticator apps.
	Issuer string
	// Passwords are the argon2id parameters for new hashes.
	Passwords seal.PasswordParams
}

// DefaultAccountsConfig is what the confidentiality model asks for.
func DefaultAccountsConfig() AccountsConfig {
	return AccountsConfig{
		IdleTimeout:       15 * time.Minute,
		AbsoluteTimeout:   10 * time.Hour,
		LockoutThreshold:  5,
		LockoutDuration:   15 * time.Minute,
		SetupLinkLifetime: 24 * time.Hour,
		Issuer:            "Aman",
		Passwords:         seal.DefaultPasswordParams(),
	}
}

// Accounts is staff sign-in, sessions, two-factor enrolment and user administration.
type Accounts struct {
	Deps
	cfg       AccountsConfig
	passwords *PasswordPolicy
	// dummyHash is verified against when a username does not exist, so an unknown name costs the same
	// time as a wrong password and timing reveals nothing.
	dummyHash string
}

// NewAccounts builds the accounts service.
func NewAccounts(deps Deps, cfg AccountsConfig) (*Accounts, error) {
	dummy, err := seal.HashPassword("not a real password, only a timing decoy", cfg.Passwords)
	if err != nil {
		return nil, err
	}
	return &Accounts{Deps: deps, cfg: cfg, passwords: NewPasswordPolicy(), dummyHash: dummy}, nil
}

// User is a staff account as screens show it. Secrets never leave this package.
type User struct {
	ID           string
	Username     string
	DisplayName  string
	Role         aman.Role
	UnitID       string
	OrgID        string
	TOTPEnrolled bool
	Disabled     bool
	CreatedAt    time.Time
	// Email is the work address that alert emails go to (a critical intake, to the supervisors on
	// duty); "" for none. It is account data, not case content, and never goes into the audit.
	Email string
}

// Actor returns the user as the policy and audit see them.
func (u User) Actor() aman.Actor {
	return aman.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, UnitID: u.UnitID, OrgID: u.OrgID}
}

// userRow is a user with the secrets only sign-in needs.
type userRow struct {
	User
	passwordHash string
	totpSealed   []byte
	totpLastStep int64
}

const userColumns = `id, username, display_name, role, COALESCE(unit_id, ''), COALESCE(org_id, ''), COALESCE(email, ''), totp_enrolled,
	disabled, created_at, password_hash, totp_sealed, totp_last_step`

// scanAlso scans a row of userColumns followed by more columns, into also.
type scanAlso struct {
	row  *sql.Row
	also []any
}

func (s scanAlso) Scan(dest ...any) error { return s.row.Scan(append(dest, s.also...)...) }

func scanUser(row interface{ Scan(...any) error }) (userRow, error) {
	var u userRow
	var role string
	var created int64
	err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.UnitID, &u.OrgID, &u.Email, &u.TOTPEnrolled,
		&u.Disabled, &created, &u.passwordHash, &u.totpSealed, &u.totpLastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return u, aman.Errorf(aman.ENotFound, "no such user")
	}
	u.Role, u.CreatedAt = aman.Role(role), store.Time(created)
	return u, err
}

func loadUserBy(ctx context.Context, tx *store.Tx, column, value string) (userRow, error) {
	// column is one of two constants below, never input.
	return scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+column+` = $1`, value))
}

const (
	byID       = "id"
	byUsername = "username"
)

// NormalizeUsername makes sign-in names case-insensitive and free of stray spaces.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validUsername allows the characters a staff directory uses; it keeps names out of markup and logs
// trouble.
func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// UserCount tells how many accounts exist; the first-run flow runs only while it is zero.
func (a *Accounts) UserCount(ctx context.Context) (int, error) {
	var n int
	err := a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	})
	return n, err
}
