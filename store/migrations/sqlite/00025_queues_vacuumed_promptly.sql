-- +goose Up
-- PostgreSQL only (autovacuum settings for the triage queue and tasks; see the postgres migration).
-- SQLite updates rows and their index entries in place, so it leaves no dead entries behind.
SELECT 1;

-- +goose Down
SELECT 1;
