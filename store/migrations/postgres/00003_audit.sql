-- +goose Up
-- The audit trail: append-only and hash-chained (see package audit). Each entry's hash is a keyed MAC
-- of its predecessor's hash and every other column, so an edit, deletion, insertion or reordering is
-- found by `aman audit verify`. detail is TEXT, not JSONB: its exact bytes are part of the MAC, and
-- JSONB would reorder and re-space them. reason_sealed is the break-glass reason, sealed because free
-- text may name people.
CREATE TABLE audit_log (
    seq           BIGINT PRIMARY KEY,
    at            BIGINT NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    ip            TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    break_glass   BOOLEAN NOT NULL DEFAULT FALSE,
    detail        TEXT NOT NULL,
    reason_sealed BYTEA,
    prev_hash     BYTEA NOT NULL,
    hash          BYTEA NOT NULL
);
-- The auditor's screens: one record's history, one person's actions, one kind of action over time, a
-- period, and the break-glass entries that must stand out.
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_log_action ON audit_log(action, at);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_break_glass ON audit_log(seq) WHERE break_glass = TRUE;

-- The application never changes or removes an entry; this trigger turns such a bug into an error. It
-- does not stop someone with control of the database (who can drop it): the chain does.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The end of the chain, in one row. Append locks it (SELECT ... FOR UPDATE), so concurrent
-- transactions on any node take turns and cannot fork the chain. mac is a keyed MAC of
-- (last_seq, last_hash), so cutting entries off the end and rolling the head back is detected; it is
-- NULL only in the genesis state, before the first entry.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  BIGINT NOT NULL,
    last_hash BYTEA NOT NULL,
    mac       BYTEA
);
INSERT INTO audit_head (id, last_seq, last_hash, mac) VALUES (1, 0, decode(repeat('00', 32), 'hex'), NULL);

-- +goose Down
-- Migrations are forward-only.
SELECT 1;
