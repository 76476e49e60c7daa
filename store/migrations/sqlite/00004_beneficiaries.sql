-- +goose Up
-- A person the centre serves. Every identifying field is sealed by the application (AEAD bound to this
-- table, the column and the row id); only non-identifying categories stay readable, for statistics.
CREATE TABLE beneficiaries (
    id                TEXT PRIMARY KEY,
    name_ar_sealed    BLOB,
    name_en_sealed    BLOB,
    sex               TEXT NOT NULL DEFAULT '',
    birth_date_sealed BLOB,
    -- The birth year alone, for age bands in statistics without opening anyone's date of birth.
    birth_year        INTEGER,
    qid_sealed        BLOB,
    phone_sealed      BLOB,
    nationality       TEXT NOT NULL DEFAULT '',
    created_by        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

-- Blind indexes: keyed hashes of normalized identifiers and name tokens. Exact lookups go through
-- these; the database never holds anything searchable in plaintext.
CREATE TABLE beneficiary_keys (
    kind           TEXT NOT NULL,
    hash           BLOB NOT NULL,
    beneficiary_id TEXT NOT NULL REFERENCES beneficiaries(id),
    PRIMARY KEY (kind, hash, beneficiary_id)
);
CREATE INDEX beneficiary_keys_owner ON beneficiary_keys(beneficiary_id);

-- +goose Down
SELECT 1;
