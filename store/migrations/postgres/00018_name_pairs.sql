-- +goose Up
-- Name search and duplicate detection by pairs of name words. A common word ("محمد", "فاطمة") is held
-- by a large share of a national register, so finding people by single words means reading and
-- grouping a share of the whole table on every search and every registration. A pair of words is
-- rare, and a pair with a birth year rarer still: both lookups stay a few index entries however large
-- the register grows. birth_year is set on pair keys only, for the duplicate check.
ALTER TABLE beneficiary_keys ADD COLUMN birth_year INTEGER;
CREATE INDEX beneficiary_keys_pair_year ON beneficiary_keys(kind, hash, birth_year) WHERE kind = 'name_pair';
-- An empty register has nothing to complete; one with people gets its pair entries from the
-- application at the next start (pairs are keyed hashes, which SQL cannot compute).
INSERT INTO settings (key, value, updated_at) SELECT 'search.name_pairs', 'v1', 0 WHERE NOT EXISTS (SELECT 1 FROM beneficiaries);

-- +goose Down
SELECT 1;
