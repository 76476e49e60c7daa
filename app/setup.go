package app

import (
	"context"
	"database/sql"
	"errors"

	"aman.qa/aman"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// ESetupLinkInvalid answers a setup link that is unknown, used, expired, or arrives after an
// administrator already exists.
const ESetupLinkInvalid = "setup_link_invalid"

// PrepareFirstRun returns a one-time setup link token while no account exists, so the first
// administrator can be created without any default password. It returns "" once accounts exist.
func (a *Accounts) PrepareFirstRun(ctx context.Context) (string, error) {
	token := seal.RandomToken(24)
	created := false
	err := a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var users int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)`,
			seal.HashToken(token), store.Millis(tx.Now), store.Millis(tx.Now.Add(a.cfg.SetupLinkLifetime)))
		created = err == nil
		return err
	})
	if !created {
		token = ""
	}
	return token, err
}

// CheckSetupLink tells whether a setup token may still be used.
func (a *Accounts) CheckSetupLink(ctx context.Context, token string) error {
	return a.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return checkSetupToken(ctx, tx, token)
	})
}

func checkSetupToken(ctx context.Context, tx *store.Tx, token string) error {
	var expires int64
	var used sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = $1`, seal.HashToken(token)).Scan(&expires, &used)
	if errors.Is(err, sql.ErrNoRows) || used.Valid || expires <= store.Millis(tx.Now) {
		return aman.Errorf(ESetupLinkInvalid, "setup link not usable")
	}
	if err != nil {
		return err
	}
	var users int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&users); err != nil {
		return err
	}
	if users > 0 {
		return aman.Errorf(ESetupLinkInvalid, "an administrator already exists")
	}
	return nil
}

// CompleteFirstRun spends the setup link, creates the first administrator, and signs them in to an
// enrolment session so their second factor is set up before anything else.
func (a *Accounts) CompleteFirstRun(ctx context.Context, meta Meta, token string, in NewUser) (Session, error) {
	in.Role, in.EnrolTOTP, in.UnitID, in.OrgID = aman.RoleAdmin, false, "", ""
	var session Session
	err := a.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := checkSetupToken(ctx, tx, token); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2`, store.Millis(tx.Now), seal.HashToken(token)); err != nil {
			return err
		}
		u, _, err := a.createUser(ctx, meta.actor(aman.System("setup")), in, "user.create_first_admin")
		if err != nil {
			return err
		}
		session, err = a.startSession(ctx, tx, u, StageEnrol)
		return err
	})
	return session, err
}
