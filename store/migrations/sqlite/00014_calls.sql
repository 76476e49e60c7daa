-- +goose Up
-- One row per hotline call: logged by the operator who took it, or opened by the telephone system
-- (ringing, answered, ended) and completed by that operator, or missed and waiting on the callback
-- list. The summary and the caller's number are sealed by the application; the number's blind index
-- (caller_key, a keyed hash of the E.164 form) is how a repeat caller is recognised without any
-- readable number in the database. Everything the yearly figures count — kind, caller type, outcome,
-- risk flags, times — stays readable.
CREATE TABLE calls (
    id                   TEXT PRIMARY KEY,
    status               TEXT NOT NULL,
    call_ref             TEXT,
    rang_at              INTEGER,
    started_at           INTEGER NOT NULL,
    answered_at          INTEGER,
    ended_at             INTEGER,
    duration_ms          INTEGER,
    caller_type          TEXT NOT NULL DEFAULT '',
    contact_kind         TEXT NOT NULL DEFAULT '',
    non_counselling_kind TEXT NOT NULL DEFAULT '',
    immediate_danger     INTEGER NOT NULL DEFAULT 0,
    weapon               INTEGER NOT NULL DEFAULT 0,
    children_present     INTEGER NOT NULL DEFAULT 0,
    suicide_risk         INTEGER NOT NULL DEFAULT 0,
    outcome              TEXT NOT NULL DEFAULT '',
    summary_sealed       BLOB,
    caller_phone_sealed  BLOB,
    caller_key           BLOB,
    callback_safety      TEXT NOT NULL DEFAULT '',
    operator_id          TEXT REFERENCES users(id),
    beneficiary_id       TEXT REFERENCES beneficiaries(id),
    case_id              TEXT REFERENCES cases(id),
    intake_id            TEXT REFERENCES intakes(id),
    logged_at            INTEGER,
    callback_done_at     INTEGER,
    callback_done_by     TEXT REFERENCES users(id),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
-- The telephone system's reference is unique, so a repeated event never opens a second call.
CREATE UNIQUE INDEX calls_ref ON calls(call_ref);
-- The shift view (one operator's calls, and the console's drafts) and the supervisors' view of the line.
CREATE INDEX calls_operator ON calls(operator_id, status, started_at);
CREATE INDEX calls_started ON calls(status, started_at);
-- Repeat callers, through the number's blind index.
CREATE INDEX calls_caller ON calls(caller_key, started_at);
-- The callback list: missed calls not yet called back.
CREATE INDEX calls_callbacks ON calls(started_at) WHERE status = 'missed' AND callback_done_at IS NULL;
CREATE INDEX calls_case ON calls(case_id);
CREATE INDEX calls_beneficiary ON calls(beneficiary_id);

-- A counselling call's reasons, one row each, so the figures count calls by reason with an index.
CREATE TABLE call_reasons (
    call_id TEXT NOT NULL REFERENCES calls(id),
    code    TEXT NOT NULL,
    PRIMARY KEY (call_id, code)
);
CREATE INDEX call_reasons_code ON call_reasons(code);

-- Signatures of telephony webhook requests already accepted, kept until their timestamp could no longer
-- pass the freshness check. They live in the database, not in a node's memory, so a request replayed to
-- another node behind the same load balancer is refused as well.
CREATE TABLE telephony_receipts (
    signature  BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE INDEX telephony_receipts_expiry ON telephony_receipts(expires_at);

-- +goose Down
SELECT 1;
