-- +goose Up
-- The audit trail: append-only and hash-chained (see package audit). Each entry's hash is a keyed MAC
-- of its predecessor's hash and every other column, so an edit, deletion, insertion or reordering is
-- found by `aman audit verify`. detail is TEXT, not JSON: its exact bytes are part of the MAC and must
-- come back unchanged. reason_sealed is the break-glass reason, sealed because free text may name
-- people. seq is the rowid (INTEGER PRIMARY KEY) so entries are stored in chain order.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    ip            TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    break_glass   INTEGER NOT NULL DEFAULT 0,
    detail        TEXT NOT NULL,
    reason_sealed BLOB,
    prev_hash     BLOB NOT NULL,
    hash          BLOB NOT NULL
);
-- The auditor's screens: one record's history, one person's actions, one kind of action over time, a
-- period, and the break-glass entries that must stand out.
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_log_action ON audit_log(action, at);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_break_glass ON audit_log(seq) WHERE break_glass = TRUE;

-- The application never changes or removes an entry; these triggers turn such a bug into an error.
-- They do not stop someone with control of the database (who can drop them): the chain does.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- The end of the chain, in one row: appends read and advance it (SQLite's single writer serializes
-- them). mac is a keyed MAC of (last_seq, last_hash), so cutting entries off the end and rolling the
-- head back is detected; it is NULL only in the genesis state, before the first entry.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash BLOB NOT NULL,
    mac       BLOB
);
INSERT INTO audit_head (id, last_seq, last_hash, mac) VALUES (1, 0, zeroblob(32), NULL);

-- +goose Down
-- Migrations are forward-only.
SELECT 1;
