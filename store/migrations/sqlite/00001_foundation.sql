-- +goose Up
-- Staff accounts. Staff names are not beneficiary data and stay readable for administration; secrets
-- (the TOTP seed) are sealed by the application before they arrive here.
CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL DEFAULT '',
    role            TEXT NOT NULL,
    unit_id         TEXT,
    password_hash   TEXT NOT NULL,
    totp_sealed     BLOB,
    totp_enrolled   INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- Server-side sessions, so any node can serve any request. Only a hash of the cookie is stored: a copy
-- of the database cannot be replayed as a sign-in.
CREATE TABLE sessions (
    id_hash      BLOB PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    stage        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- One row per run of a periodic maintenance job: operators see when each last ran, and tests prove that
-- several nodes never run the same period twice.
CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    node        TEXT NOT NULL,
    period      INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    affected    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX job_runs_job ON job_runs(job, started_at);

-- +goose Down
-- Migrations are forward-only.
SELECT 1;
