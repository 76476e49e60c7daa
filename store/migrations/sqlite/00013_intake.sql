-- +goose Up
-- One row per intake from any door — a hotline call, a child's help request, a woman's consultation,
-- a report, a partner's referral — so there is one triage queue. What the intake says lives, sealed, in
-- its channel's own table (source_id); this row holds only what triage needs.
CREATE TABLE intakes (
    id             TEXT PRIMARY KEY,
    channel        TEXT NOT NULL,
    source_id      TEXT NOT NULL,
    urgency        TEXT NOT NULL,
    -- 0 critical, 1 high, 2 normal: the queue is ordered by this, then by age.
    urgency_rank   INTEGER NOT NULL,
    received_at    INTEGER NOT NULL,
    due_at         INTEGER NOT NULL,
    status         TEXT NOT NULL,
    beneficiary_id TEXT REFERENCES beneficiaries(id),
    case_id        TEXT REFERENCES cases(id),
    partner_org_id TEXT REFERENCES partner_orgs(id),
    closed_reason  TEXT,
    decided_by     TEXT REFERENCES users(id),
    decided_at     INTEGER
);
CREATE INDEX intakes_queue ON intakes(status, urgency_rank, received_at);
CREATE INDEX intakes_source ON intakes(channel, source_id);
CREATE INDEX intakes_received ON intakes(received_at);

-- Supervisors mark themselves on duty; critical intakes alert them first (everyone when nobody is).
ALTER TABLE users ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 0;

-- +goose Down
SELECT 1;
