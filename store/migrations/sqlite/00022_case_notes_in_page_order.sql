-- +goose Up
-- The case page shows a case's notes a page at a time, newest first, and counts the rest by kind and
-- author for the need-to-know policy (app.Notes.List). The index ended at created_at, so the page's
-- tiebreak on id sorted every note of the case, and the count read each note's row, sealed body and
-- all. Ending at id gives the page in index order from its cursor, (created_at, id) < (…), stopping
-- after one page; kind and author_id let the count read the index alone.
DROP INDEX case_notes_case;
CREATE INDEX case_notes_case ON case_notes(case_id, created_at, id, kind, author_id);

-- +goose Down
SELECT 1;
