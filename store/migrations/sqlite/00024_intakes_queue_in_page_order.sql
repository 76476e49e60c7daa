-- +goose Up
-- The triage queue is shown a page at a time, most urgent and oldest first, with the count of the
-- whole queue at its head (app.Triage.QueuePage). The index ended at received_at, so the order's
-- tiebreak on id sorted every open intake for each page, and a later page could not start at its
-- cursor. Ending at id gives a page in index order from (urgency_rank, received_at, id) > (…), stopping
-- after one page; the count reads the index alone.
DROP INDEX intakes_queue;
CREATE INDEX intakes_queue ON intakes(status, urgency_rank, received_at, id);

-- +goose Down
DROP INDEX intakes_queue;
CREATE INDEX intakes_queue ON intakes(status, urgency_rank, received_at);
