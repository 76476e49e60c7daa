-- +goose Up
-- A person the centre serves. Every identifying field is sealed by the application (AEAD bound to this
-- table, the column and the row id); only non-identifying categories stay readable, for statistics.
CREATE TABLE beneficiaries (
    id                TEXT PRIMARY KEY,
    name_ar_sealed    BYTEA,
    name_en_sealed    BYTEA,
    sex               TEXT NOT NULL DEFAULT '',
    birth_date_sealed BYTEA,
    -- The birth year alone, for age bands in statistics without opening anyone's date of birth.
    birth_year        INTEGER,
    qid_sealed        BYTEA,
    phone_sealed      BYTEA,
    nationality       TEXT NOT NULL DEFAULT '',
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

-- Blind indexes: keyed hashes of normalized identifiers and name tokens. Exact lookups go through
-- these; the database never holds anything searchable in plaintext.
CREATE TABLE beneficiary_keys (
    kind           TEXT NOT NULL,
    hash           BYTEA NOT NULL,
    beneficiary_id TEXT NOT NULL REFERENCES beneficiaries(id),
    PRIMARY KEY (kind, hash, beneficiary_id)
);
CREATE INDEX beneficiary_keys_owner ON beneficiary_keys(beneficiary_id);

-- +goose Down
SELECT 1;
