-- +goose Up
-- Files a partner desk sends with a referral: a medical report, photos. Like a case's documents, each
-- is recognised by its bytes, stripped of location and other metadata, and sealed in chunks (the
-- upload's name too). They belong to the referral, not to a case: triage reads them, and once triage
-- links the referral's intake to a case they are listed among that case's documents, under the case's
-- own access rules. The desk that sent them never reads them back.
CREATE TABLE referral_attachments (
    id               TEXT PRIMARY KEY,
    referral_id      TEXT NOT NULL REFERENCES partner_referrals(id),
    content_type     TEXT NOT NULL,
    size             INTEGER NOT NULL,
    chunks           INTEGER NOT NULL,
    metadata_removed INTEGER NOT NULL,
    filename_sealed  BLOB
);
CREATE INDEX referral_attachments_referral ON referral_attachments(referral_id);

-- Their content, sealed in chunks named "<attachment id>.<seq>", as document_chunks.
CREATE TABLE referral_attachment_chunks (
    id             TEXT PRIMARY KEY,
    attachment_id  TEXT NOT NULL REFERENCES referral_attachments(id),
    seq            INTEGER NOT NULL,
    content_sealed BLOB NOT NULL,
    UNIQUE (attachment_id, seq)
);

-- A case's documents are listed with the attachments of the referrals whose intakes reached it.
CREATE INDEX intakes_case ON intakes(case_id);
CREATE INDEX partner_referrals_intake ON partner_referrals(intake_id);

-- +goose Down
SELECT 1;
