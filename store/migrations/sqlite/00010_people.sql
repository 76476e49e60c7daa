-- +goose Up
-- More of what identifies a person, all sealed; and the categories statistics need, readable.
ALTER TABLE beneficiaries ADD COLUMN passport_sealed BLOB;
ALTER TABLE beneficiaries ADD COLUMN alt_phone_sealed BLOB;
ALTER TABLE beneficiaries ADD COLUMN area_sealed BLOB;
ALTER TABLE beneficiaries ADD COLUMN zone_sealed BLOB;
ALTER TABLE beneficiaries ADD COLUMN disability_sealed BLOB;
-- An estimated age is kept as an estimated birth year when the date is unknown.
ALTER TABLE beneficiaries ADD COLUMN birth_year_estimated INTEGER NOT NULL DEFAULT 0;
-- Spoken languages as ISO 639-1 codes, comma-separated: a category, for matching interpreters.
ALTER TABLE beneficiaries ADD COLUMN languages TEXT NOT NULL DEFAULT '';
-- A record merged into another keeps its history and points at the survivor.
ALTER TABLE beneficiaries ADD COLUMN merged_into TEXT REFERENCES beneficiaries(id);

-- Who is in a case besides its primary beneficiary: household members, guardians of a child, and
-- alleged perpetrators, each with their relationship to the primary beneficiary. A person can appear
-- in several cases.
CREATE TABLE case_people (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    person_id    TEXT NOT NULL REFERENCES beneficiaries(id),
    role         TEXT NOT NULL,
    relationship TEXT NOT NULL DEFAULT '',
    added_at     INTEGER NOT NULL,
    PRIMARY KEY (case_id, person_id, role)
);
CREATE INDEX case_people_person ON case_people(person_id);

-- +goose Down
SELECT 1;
