-- +goose Up
-- The dashboards' lists (app/caseloads.go). Each list is bounded and found through one of these indexes,
-- in its display order where the list can be long, so a dashboard costs the same with 300,000 cases as
-- with 300.
-- Only open cases are listed, so the indexes hold only open cases: closed ones, the great majority over
-- the years, cost them nothing. The queries repeat `status <> 'closed'` literally, as a partial index is
-- used only when the query's own condition matches it.
--
-- Priority codes sort most urgent first (critical < high < normal), which is what the lists want; a test
-- in app holds the codes to that.

-- A person's open cases, most urgent first and then longest without an update.
CREATE INDEX cases_worker_open ON cases(assigned_worker_id, priority, updated_at, id) WHERE status <> 'closed';
-- A unit's high and critical cases, in the same order.
CREATE INDEX cases_unit_open ON cases(unit_id, priority, updated_at, id) WHERE status <> 'closed';
-- A unit's open cases that nobody carries, longest waiting first.
CREATE INDEX cases_unit_unassigned ON cases(unit_id, updated_at, id) WHERE assigned_worker_id IS NULL AND status <> 'closed';
-- Caseloads: a unit's open cases counted by worker, stage and priority from the index alone. It leaves out
-- updated_at, so the everyday updates of a case do not touch it.
CREATE INDEX cases_unit_load ON cases(unit_id, assigned_worker_id, status, priority) WHERE status <> 'closed';
-- A unit's cases waiting for a supervisor's decision. The index holds only them, a supervisor's to-do
-- list, so sorting them by when they were asked (in case_approvals) sorts a handful.
CREATE INDEX cases_unit_pending ON cases(unit_id) WHERE pending_approval IS NOT NULL;
-- A unit's overdue tasks (Tasks.UnitOverdue), most overdue first: open tasks read in due order, so the
-- list stops at its bound instead of sorting every open task of the centre.
CREATE INDEX tasks_status_due ON tasks(status, due_at, id);

-- +goose Down
DROP INDEX tasks_status_due;
DROP INDEX cases_unit_pending;
DROP INDEX cases_unit_load;
DROP INDEX cases_unit_unassigned;
DROP INDEX cases_unit_open;
DROP INDEX cases_worker_open;
