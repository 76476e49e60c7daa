-- +goose Up
-- A referral sent in by a partner desk (a hospital, the Public Prosecution, ...). Who the person is and
-- why they are referred are sealed; no beneficiary is created here, because whether this person becomes
-- one is triage's decision. The organisation and the partner user who referred are both recorded, so a
-- desk sees its organisation's referrals and the audit names the person.
CREATE TABLE partner_referrals (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES partner_orgs(id),
    created_by        TEXT NOT NULL REFERENCES users(id),
    created_at        INTEGER NOT NULL,
    name_ar_sealed    BLOB,
    name_en_sealed    BLOB,
    sex               TEXT NOT NULL DEFAULT '',
    birth_date_sealed BLOB,
    estimated_age     INTEGER NOT NULL DEFAULT 0,
    phone_sealed      BLOB,
    qid_sealed        BLOB,
    -- Codes from app.ReferralCategories, comma-separated: counted by the figures, never free text.
    categories        TEXT NOT NULL DEFAULT '',
    narrative_sealed  BLOB,
    urgency           TEXT NOT NULL,
    consent_obtained  INTEGER NOT NULL DEFAULT 0,
    intake_id         TEXT NOT NULL REFERENCES intakes(id)
);
CREATE INDEX partner_referrals_org ON partner_referrals(org_id, created_at);
CREATE INDEX partner_referrals_created ON partner_referrals(created_at);
CREATE INDEX intakes_partner ON intakes(partner_org_id, received_at);

-- A staff member's work address, for alerts by email (critical intakes to the supervisors on duty).
ALTER TABLE users ADD COLUMN email TEXT;

-- +goose Down
SELECT 1;
