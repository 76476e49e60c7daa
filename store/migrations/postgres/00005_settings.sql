-- +goose Up
-- Instance-wide facts, one value per key. The first is the keyring check: a MAC that only the key
-- material this database was sealed with can produce, so a node started with other keys refuses to run
-- instead of writing data nobody else can open.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
SELECT 1;
