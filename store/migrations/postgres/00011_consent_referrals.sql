-- +goose Up
-- Partner organisations: hospitals, the Public Prosecution, schools, the police, ministries, NGOs. Their
-- staff refer people in; the centre refers cases out to them.
CREATE TABLE partner_orgs (
    id         TEXT PRIMARY KEY,
    name_ar    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);

-- Consent, as obtained: for services, for sharing with one named partner, or for use in statistics.
-- For a child, the child's assent and a guardian's consent are recorded together.
CREATE TABLE consents (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    kind             TEXT NOT NULL,
    partner_org_id   TEXT REFERENCES partner_orgs(id),
    given            BOOLEAN NOT NULL,
    child_assent     BOOLEAN,
    guardian_id      TEXT REFERENCES beneficiaries(id),
    guardian_consent BOOLEAN,
    obtained_by      TEXT NOT NULL REFERENCES users(id),
    obtained_at      BIGINT NOT NULL,
    withdrawn_at     BIGINT
);
CREATE INDEX consents_case ON consents(case_id, kind);

-- Referrals of a case to a partner, followed until the partner's feedback arrives. A referral without
-- consent to share carries a supervisor's sealed override reason instead.
CREATE TABLE referrals_out (
    id                     TEXT PRIMARY KEY,
    case_id                TEXT NOT NULL REFERENCES cases(id),
    partner_org_id         TEXT NOT NULL REFERENCES partner_orgs(id),
    purpose_sealed         BYTEA,
    consent_id             TEXT REFERENCES consents(id),
    override_reason_sealed BYTEA,
    status                 TEXT NOT NULL,
    feedback_sealed        BYTEA,
    created_by             TEXT NOT NULL REFERENCES users(id),
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);
CREATE INDEX referrals_out_case ON referrals_out(case_id);
CREATE INDEX referrals_out_partner ON referrals_out(partner_org_id, status);

-- +goose Down
SELECT 1;
