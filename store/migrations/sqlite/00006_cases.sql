-- +goose Up
-- Case numbers are unique per year; this row per year hands them out inside the opening transaction.
CREATE TABLE case_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

-- The file of one beneficiary. Nothing here is personal data: who the case is about is the
-- beneficiary record, sealed; what happened lives in sealed notes and narratives.
CREATE TABLE cases (
    id                 TEXT PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    beneficiary_id     TEXT NOT NULL REFERENCES beneficiaries(id),
    unit_id            TEXT,
    assigned_worker_id TEXT REFERENCES users(id),
    status             TEXT NOT NULL,
    priority           TEXT NOT NULL,
    opened_at          INTEGER NOT NULL,
    closed_at          INTEGER,
    created_by         TEXT NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX cases_beneficiary ON cases(beneficiary_id);
CREATE INDEX cases_worker ON cases(assigned_worker_id, status);
CREATE INDEX cases_unit ON cases(unit_id, status);

-- The case team besides the assigned worker.
CREATE TABLE case_team (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_team_user ON case_team(user_id);

-- Break-glass grants: one user's hour of access to a case outside their team, with the reason they
-- wrote (sealed: it may name people).
CREATE TABLE break_glass_grants (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    reason_sealed BLOB NOT NULL,
    granted_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX break_glass_case ON break_glass_grants(case_id, expires_at);

-- In-app alerts for staff, such as a break-glass on a case of their unit. They point at records and
-- carry no personal data.
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, created_at);

-- +goose Down
SELECT 1;
