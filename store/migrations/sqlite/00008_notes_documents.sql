-- +goose Up
-- Case notes. The body is sealed by the application (AEAD bound to this table, the column and the row
-- id); kind and author stay readable because the need-to-know policy decides on them before anything
-- is opened. A note is changed in place only by its author during its first 24 hours (edited_at says
-- when); after that, corrections are appended as amendments and the note itself never changes.
CREATE TABLE case_notes (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL,
    author_id   TEXT NOT NULL REFERENCES users(id),
    body_sealed BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER
);
CREATE INDEX case_notes_case ON case_notes(case_id, created_at);

-- Corrections appended to a note, each sealed, with its own author and time.
CREATE TABLE note_amendments (
    id          TEXT PRIMARY KEY,
    note_id     TEXT NOT NULL REFERENCES case_notes(id),
    author_id   TEXT NOT NULL REFERENCES users(id),
    body_sealed BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX note_amendments_note ON note_amendments(note_id, created_at);

-- Documents attached to a case: photos, audio and PDFs. The content type is the one found by reading
-- the bytes, never the name the uploader gave; filename and title are sealed. metadata_removed says
-- that location and other embedded metadata were stripped on upload.
CREATE TABLE documents (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    content_type     TEXT NOT NULL,
    size             INTEGER NOT NULL,
    chunks           INTEGER NOT NULL,
    metadata_removed INTEGER NOT NULL,
    filename_sealed  BLOB,
    title_sealed     BLOB,
    uploaded_by      TEXT NOT NULL REFERENCES users(id),
    uploaded_at      INTEGER NOT NULL
);
CREATE INDEX documents_case ON documents(case_id, uploaded_at);

-- The content of a document, sealed in chunks so that a download streams with bounded memory and key
-- rotation re-seals a bounded amount per batch. A chunk's id is "<document id>.<seq>", so the sealing's
-- associated data binds each chunk to its document and its place in it.
CREATE TABLE document_chunks (
    id             TEXT PRIMARY KEY,
    document_id    TEXT NOT NULL REFERENCES documents(id),
    seq            INTEGER NOT NULL,
    content_sealed BLOB NOT NULL,
    UNIQUE (document_id, seq)
);

-- +goose Down
SELECT 1;
