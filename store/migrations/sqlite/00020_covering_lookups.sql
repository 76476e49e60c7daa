-- +goose Up
-- Two lookups made on every write of their kind read a table row per index entry, so their cost grew
-- with the data; each index now carries the column the lookup needs.
--
-- The duplicate check at registration groups the holders of a name's word pairs born within a year:
-- the pair index ends at birth_year, so every holder cost a read of the row for its beneficiary_id.
DROP INDEX beneficiary_keys_pair_year;
CREATE INDEX beneficiary_keys_pair_year ON beneficiary_keys(kind, hash, birth_year, beneficiary_id) WHERE kind = 'name_pair';
-- Logging a call counts the number's earlier calls and finds its latest callback-safety answer: both
-- read every earlier call's row for callback_safety. A number that rings daily made each call slower.
DROP INDEX calls_caller;
CREATE INDEX calls_caller ON calls(caller_key, started_at, callback_safety);

-- +goose Down
SELECT 1;
