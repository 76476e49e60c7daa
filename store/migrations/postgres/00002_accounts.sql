-- +goose Up
-- Units group staff and cases: a supervisor oversees the cases of their own unit.
CREATE TABLE units (
    id         TEXT PRIMARY KEY,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The last TOTP time step accepted for a user: a code is refused if it was already used, so a code
-- seen over someone's shoulder cannot be replayed within its 30 seconds.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
-- The partner organisation a partner user belongs to.
ALTER TABLE users ADD COLUMN org_id TEXT;
CREATE INDEX users_unit ON users(unit_id);

-- Failed sign-ins are counted per username hash, whether or not the account exists, so lockout
-- behaves the same for every name and never reveals which accounts exist.
CREATE TABLE signin_throttle (
    username_hash BYTEA PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL
);

-- One-time recovery codes, stored only as hashes.
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users(id),
    code_hash BYTEA NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- First-run setup links. Only a hash of the token is kept; a link dies after use or after 24 hours.
CREATE TABLE setup_tokens (
    token_hash BYTEA PRIMARY KEY,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- +goose Down
SELECT 1;
