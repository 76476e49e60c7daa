package app

import (
	"context"
	"net/mail"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// User administration error codes.
const (
	EInvalidUsername = "invalid_username"
	EUsernameTaken   = "username_taken"
	EInvalidRole     = "invalid_role"
	EUnknownUnit     = "unknown_unit"
	ESelfLockout     = "self_lockout"
	// EInvalidEmail: an address for alert emails that is not one plain address (name@example.org).
	EInvalidEmail = "invalid_email"
)

// maxEmailLength is the longest address SMTP carries (RFC 5321's path limit less its brackets).
const maxEmailLength = 254

// NewUser is a staff account to create.
type NewUser struct {
	Username    string
	DisplayName string
	Role        aman.Role
	UnitID      string
	OrgID       string
	// Email is the work address for alert emails; optional.
	Email    string
	Password string
	// EnrolTOTP creates the second factor at once and returns its otpauth URI, for the command line,
	// which prints it. Accounts made on screen enrol at their first sign-in instead.
	EnrolTOTP bool
}

// Validate checks the input and returns the first problem, on its field.
func (a *Accounts) validateNewUser(in *NewUser) error {
	in.Username = NormalizeUsername(in.Username)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if !validUsername(in.Username) {
		return aman.FieldError("username", EInvalidUsername)
	}
	if !in.Role.Valid() {
		return aman.FieldError("role", EInvalidRole)
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return err
	}
	in.Email = email
	return a.passwords.Check(in.Username, in.Password)
}

// NormalizeEmail trims an address for alert emails and checks, with net/mail, that it is one plain
// address: no display name, no list, nothing a mail header could be bent with. "" (no address) is
// valid and stays "".
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || len(s) > maxEmailLength || strings.ContainsAny(s, " ,;<>\r\n\t") {
		return "", aman.FieldError("email", EInvalidEmail)
	}
	return s, nil
}

// CreateUser creates a staff account. It returns the otpauth URI when in.EnrolTOTP is set.
func (a *Accounts) CreateUser(ctx context.Context, by aman.Actor, in NewUser) (User, string, error) {
	if err := authorize(by, policy.UsersManage); err != nil {
		return User{}, "", err
	}
	return a.createUser(ctx, by, in, "user.create")
}

// createUser does the work of CreateUser for an already authorized caller.
func (a *Accounts) createUser(ctx context.Context, by aman.Actor, in NewUser, action string) (User, string, error) {
	if err := a.validateNewUser(&in); err != nil {
		return User{}, "", err
	}
	hash, err := seal.HashPassword(in.Password, a.cfg.Passwords)
	if err != nil {
		return User{}, "", err
	}
	u := User{ID: newID(), Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, UnitID: in.UnitID, OrgID: in.OrgID, Email: in.Email,
		TOTPEnrolled: in.EnrolTOTP}
	var uri string
	var sealed []byte
	if in.EnrolTOTP {
		key, err := a.newTOTPKey(u.Username, nil)
		if err != nil {
			return User{}, "", err
		}
		uri = key.URL()
		if sealed, err = a.sealTOTP(u.ID, key.Secret()); err != nil {
			return User{}, "", err
		}
	}
	err = a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := checkUnit(ctx, tx, u.UnitID); err != nil {
			return err
		}
		u.CreatedAt = tx.Now
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, username, display_name, role, unit_id, org_id, password_hash,
			totp_sealed, totp_enrolled, created_at, updated_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)`,
			u.ID, u.Username, u.DisplayName, string(u.Role), nullable(u.UnitID), nullable(u.OrgID), hash, sealed, u.TOTPEnrolled, store.Millis(tx.Now),
			nullable(u.Email))
		if store.IsUniqueViolation(err) {
			return aman.FieldError("username", EUsernameTaken)
		}
		if err != nil {
			return err
		}
		detail := map[string]string{"role": string(u.Role)}
		if u.Email != "" {
			detail["email"] = emailSet
		}
		return a.record(ctx, tx, by, audit.Entry{Action: action, Entity: "user", EntityID: u.ID, Detail: detail})
	})
	return u, uri, err
}

func checkUnit(ctx context.Context, tx *store.Tx, unitID string) error {
	if unitID == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = $1`, unitID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return aman.FieldError("unit_id", EUnknownUnit)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ListUsers lists every account for the administrator, by username.
func (a *Accounts) ListUsers(ctx context.Context, by aman.Actor) ([]User, error) {
	if err := authorize(by, policy.UsersManage); err != nil {
		return nil, err
	}
	var users []User
	err := a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u.User)
		}
		return rows.Err()
	})
	return users, err
}

// GetUser returns one account for the administrator.
func (a *Accounts) GetUser(ctx context.Context, by aman.Actor, id string) (User, error) {
	if err := authorize(by, policy.UsersManage); err != nil {
		return User{}, err
	}
	var u userRow
	err := a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		u, err = loadUserBy(ctx, tx, byID, id)
		return err
	})
	return u.User, err
}

// UserIDByUsername finds an account's id for the command line, whose operator names accounts by
// username.
func (a *Accounts) UserIDByUsername(ctx context.Context, by aman.Actor, username string) (string, error) {
	if err := authorize(by, policy.UsersManage); err != nil {
		return "", err
	}
	var id string
	err := a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		u, err := loadUserBy(ctx, tx, byUsername, NormalizeUsername(username))
		id = u.ID
		return err
	})
	return id, err
}

// SetDisabled disables or re-enables an account. Disabling ends all its sessions at once.
func (a *Accounts) SetDisabled(ctx context.Context, by aman.Actor, userID string, disabled bool) error {
	if err := authorize(by, policy.UsersManage); err != nil {
		return err
	}
	if disabled && userID == by.UserID {
		return aman.Errorf(ESelfLockout, "an administrator cannot disable their own account")
	}
	return a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return a.setDisabled(ctx, tx, by, userID, disabled)
	})
}

func (a *Accounts) setDisabled(ctx context.Context, tx *store.Tx, by aman.Actor, userID string, disabled bool) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, store.Millis(tx.Now), userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return aman.Errorf(aman.ENotFound, "no such user")
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
	}
	return a.record(ctx, tx, by, audit.Entry{Action: action, Entity: "user", EntityID: userID})
}

// ResetTOTP removes an account's second factor and recovery codes and ends its sessions; the user
// enrols again at the next sign-in.
func (a *Accounts) ResetTOTP(ctx context.Context, by aman.Actor, userID string) error {
	if err := authorize(by, policy.UsersManage); err != nil {
		return err
	}
	return a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return a.resetTOTP(ctx, tx, by, userID)
	})
}

func (a *Accounts) resetTOTP(ctx context.Context, tx *store.Tx, by aman.Actor, userID string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET totp_enrolled = $1, totp_sealed = NULL, totp_last_step = 0, updated_at = $2 WHERE id = $3`,
		false, store.Millis(tx.Now), userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return aman.Errorf(aman.ENotFound, "no such user")
	}
	for _, q := range []string{`DELETE FROM recovery_codes WHERE user_id = $1`, `DELETE FROM sessions WHERE user_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, userID); err != nil {
			return err
		}
	}
	return a.record(ctx, tx, by, audit.Entry{Action: "user.reset_2fa", Entity: "user", EntityID: userID})
}

// What the audit says of an address for alert emails: that it was set or cleared, never the address.
const (
	emailSet     = "set"
	emailCleared = "cleared"
)

// SetEmail sets, changes or (with "") clears an account's address for alert emails. A change is
// audited as user.email_change, saying whether an address is now set; saving the same address again
// changes nothing and records nothing.
func (a *Accounts) SetEmail(ctx context.Context, by aman.Actor, userID, email string) error {
	if err := authorize(by, policy.UsersManage); err != nil {
		return err
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return err
	}
	return a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		u, err := loadUserBy(ctx, tx, byID, userID)
		if err != nil {
			return err
		}
		if u.Email == email {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = $1, updated_at = $2 WHERE id = $3`,
			nullable(email), store.Millis(tx.Now), userID); err != nil {
			return err
		}
		state := emailSet
		if email == "" {
			state = emailCleared
		}
		return a.record(ctx, tx, by, audit.Entry{Action: "user.email_change", Entity: "user", EntityID: userID,
			Detail: map[string]string{"email": state}})
	})
}

// Assignment is a user's role and place in the organisation.
type Assignment struct {
	Role   aman.Role
	UnitID string
	OrgID  string
}

// Assign changes an account's role, unit and partner organisation. A role change ends the account's
// sessions, so new permissions never mix with a session opened under the old ones.
func (a *Accounts) Assign(ctx context.Context, by aman.Actor, userID string, to Assignment) error {
	if err := authorize(by, policy.UsersManage); err != nil {
		return err
	}
	if !to.Role.Valid() {
		return aman.FieldError("role", EInvalidRole)
	}
	if userID == by.UserID && to.Role != by.Role {
		return aman.Errorf(ESelfLockout, "an administrator cannot change their own role")
	}
	return a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		u, err := loadUserBy(ctx, tx, byID, userID)
		if err != nil {
			return err
		}
		if err := checkUnit(ctx, tx, to.UnitID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, unit_id = $2, org_id = $3, updated_at = $4 WHERE id = $5`,
			string(to.Role), nullable(to.UnitID), nullable(to.OrgID), store.Millis(tx.Now), userID); err != nil {
			return err
		}
		if u.Role != to.Role {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return err
			}
		}
		return a.record(ctx, tx, by, audit.Entry{Action: "user.role_change", Entity: "user", EntityID: userID, Detail: map[string]string{
			"role_from": string(u.Role), "role_to": string(to.Role), "unit_from": u.UnitID, "unit_to": to.UnitID,
		}})
	})
}

// Unit is a team of staff with its supervisors.
type Unit struct {
	ID     string
	NameAR string
	NameEN string
}

// CreateUnit adds a unit.
func (a *Accounts) CreateUnit(ctx context.Context, by aman.Actor, u Unit) (Unit, error) {
	if err := authorize(by, policy.UsersManage); err != nil {
		return Unit{}, err
	}
	u.NameAR, u.NameEN = strings.TrimSpace(u.NameAR), strings.TrimSpace(u.NameEN)
	if u.NameAR == "" {
		return Unit{}, aman.FieldError("name_ar", aman.ERequired)
	}
	if u.NameEN == "" {
		return Unit{}, aman.FieldError("name_en", aman.ERequired)
	}
	u.ID = newID()
	err := a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO units (id, name_ar, name_en, created_at) VALUES ($1, $2, $3, $4)`,
			u.ID, u.NameAR, u.NameEN, store.Millis(tx.Now)); err != nil {
			return err
		}
		return a.record(ctx, tx, by, audit.Entry{Action: "unit.create", Entity: "unit", EntityID: u.ID})
	})
	return u, err
}

// ListUnits lists the units by Arabic name.
func (a *Accounts) ListUnits(ctx context.Context) ([]Unit, error) {
	var units []Unit
	err := a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name_ar, name_en FROM units ORDER BY name_ar`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u Unit
			if err := rows.Scan(&u.ID, &u.NameAR, &u.NameEN); err != nil {
				return err
			}
			units = append(units, u)
		}
		return rows.Err()
	})
	return units, err
}
