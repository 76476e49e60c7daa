-- +goose Up
-- The lifecycle of a case: approvals of plans and closures, the history that is the case's timeline,
-- and tasks with their reminders.

-- priority is what the case carries; risk_priority is what the latest risk result derived, the floor
-- below which a supervisor may not set priority.
ALTER TABLE cases ADD COLUMN risk_priority TEXT NOT NULL DEFAULT 'normal';
-- The kind of move awaiting a supervisor (care_plan or closure); NULL when none.
ALTER TABLE cases ADD COLUMN pending_approval TEXT;

-- A move submitted for a supervisor's approval, and the decision. Closure reasons and outcomes are codes
-- from a vocabulary, kept readable for the closure figures; the comments are in case_history, sealed.
CREATE TABLE case_approvals (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    kind            TEXT NOT NULL,
    from_status     TEXT NOT NULL,
    to_status       TEXT NOT NULL,
    closure_reason  TEXT,
    closure_outcome TEXT,
    requested_by    TEXT NOT NULL,
    requested_at    BIGINT NOT NULL,
    decision        TEXT,
    decided_by      TEXT,
    decided_at      BIGINT
);
-- At most one request per case waits; it is also how the decision finds it.
CREATE UNIQUE INDEX case_approvals_pending ON case_approvals(case_id) WHERE decided_at IS NULL;

-- Every change of stage or priority of a case, with who, when and the comment (sealed: it may name
-- people). The timeline of the case page is built on it.
CREATE TABLE case_history (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    occurred_at    BIGINT NOT NULL,
    actor_id       TEXT NOT NULL,
    event          TEXT NOT NULL,
    from_status    TEXT,
    to_status      TEXT,
    from_priority  TEXT,
    to_priority    TEXT,
    approval_id    TEXT REFERENCES case_approvals(id),
    comment_sealed BYTEA
);
CREATE INDEX case_history_case ON case_history(case_id, occurred_at);

-- Tasks on a case. due_at is the due day, as the millisecond of midnight in Qatar. The *_reminded_at
-- columns record the reminders sent, so each is sent once.
CREATE TABLE tasks (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    kind                TEXT NOT NULL,
    title_sealed        BYTEA,
    due_at              BIGINT NOT NULL,
    assignee_id         TEXT NOT NULL REFERENCES users(id),
    status              TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    done_at             BIGINT,
    done_by             TEXT,
    due_reminded_at     BIGINT,
    overdue_reminded_at BIGINT
);
-- A person's open tasks, soonest first.
CREATE INDEX tasks_assignee ON tasks(assignee_id, status, due_at);
-- A case's tasks, and a unit's overdue tasks through its cases.
CREATE INDEX tasks_case ON tasks(case_id, status, due_at);
-- The reminder job's two questions: which open tasks fell due, or overdue, without a reminder yet.
CREATE INDEX tasks_due_reminder ON tasks(status, due_reminded_at, due_at);
CREATE INDEX tasks_overdue_reminder ON tasks(status, overdue_reminded_at, due_at);

-- +goose Down
SELECT 1;
