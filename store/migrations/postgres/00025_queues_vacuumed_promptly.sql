-- +goose Up
-- PostgreSQL keeps an updated row's old version, and its index entries, until a vacuum removes them.
-- The triage queue reads intakes_queue from the head of its 'open' range, where every intake decided
-- since the last vacuum left a dead entry: at 100,000 beneficiaries, with 95,000 intakes decided and
-- no vacuum, a page of the queue read 1,291 buffers and took 17 ms, against 12 buffers and 0.2 ms
-- after one. A worker's open tasks (tasks_assignee) fill the same way as tasks are done.
--
-- Autovacuum's default waits until a fifth of a table is dead (two hundred thousand intakes at the
-- national baseline), and then may skip the indexes when few heap pages hold dead rows. These two
-- tables are vacuumed after a thousand changed rows instead, indexes included; both are small beside
-- calls and notes, so a vacuum of them is cheap.
ALTER TABLE intakes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, vacuum_index_cleanup = on);
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, vacuum_index_cleanup = on);

-- +goose Down
ALTER TABLE intakes RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, vacuum_index_cleanup);
ALTER TABLE tasks RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, vacuum_index_cleanup);
