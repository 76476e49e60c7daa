package app

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Tasks are the pieces of work on cases: who does what by which day, and the reminders.
type Tasks struct {
	Deps
}

// taskListLimit bounds one task list. A person with more open tasks than this has a workload problem
// that a longer list would not solve; the oldest due come first, so nothing urgent is cut.
const taskListLimit = 500

func (t *Tasks) cases() *Cases { return &Cases{Deps: t.Deps} }

// NewTask is what adding a task to a case needs. DueOn is a day, YYYY-MM-DD, in Qatar. AssigneeID
// defaults to the case's worker (to the author when the case has none).
type NewTask struct {
	Title      string
	DueOn      string
	AssigneeID string
}

// Create adds a task to a case, for someone who may edit the case. The assignee must have a standing
// tie to the case (policy.HoldTask), and is told when someone else gave them the task.
func (t *Tasks) Create(ctx context.Context, actor aman.Actor, caseID string, in NewTask) (aman.Task, error) {
	if err := authorize(actor, policy.CaseEdit); err != nil {
		return aman.Task{}, err
	}
	title := strings.TrimSpace(in.Title)
	switch {
	case title == "":
		return aman.Task{}, aman.FieldError("title", aman.ERequired)
	case utf8.RuneCountInString(title) > aman.MaxTaskTitle:
		return aman.Task{}, aman.FieldError("title", aman.ETextTooLong)
	}
	due, err := parseDueOn(in.DueOn)
	if err != nil {
		return aman.Task{}, err
	}
	var task aman.Task
	err = t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		k, d, err := t.cases().access(ctx, tx, actor, caseID, true)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return d.Err()
		}
		if due.Before(qatarDay(tx.Now)) {
			return aman.FieldError("due_on", aman.EDateInPast)
		}
		assignee := cmp.Or(in.AssigneeID, k.AssignedWorkerID, actor.UserID)
		if err := checkAssignee(ctx, tx, assignee, k); err != nil {
			return err
		}
		task = aman.Task{ID: newID(), CaseID: k.ID, CaseNumber: k.Number, Kind: aman.TaskCustom, Title: title, DueOn: due, AssigneeID: assignee,
			Status: aman.TaskOpen, CreatedBy: actor.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now}
		if err := insertTask(ctx, tx, t.Keys, task); err != nil {
			return err
		}
		if err := notify(ctx, tx, recipients(actor, assignee), "task_assigned", "task", task.ID); err != nil {
			return err
		}
		return t.record(ctx, tx, actor, audit.Entry{Action: "task.create", Entity: "task", EntityID: task.ID,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"case_id": k.ID}})
	})
	return task, err
}

// TaskChange is a change to a task; empty fields stay as they are.
type TaskChange struct {
	// Status is open or done.
	Status aman.TaskStatus
	// DueOn is a new day, YYYY-MM-DD in Qatar. A new day earns new reminders.
	DueOn      string
	AssigneeID string
}

// Update marks a task done (or open again), moves its day, or gives it to someone else. Its assignee
// may, and so may whoever may edit its case (policy.EditTask). A new assignee is told.
func (t *Tasks) Update(ctx context.Context, actor aman.Actor, taskID string, ch TaskChange) (aman.Task, error) {
	if err := authorize(actor, policy.CaseEdit); err != nil {
		return aman.Task{}, err
	}
	if ch.Status == "" && ch.DueOn == "" && ch.AssigneeID == "" {
		return aman.Task{}, aman.Errorf(aman.EInvalid, "nothing to change")
	}
	if ch.Status != "" && !ch.Status.Valid() {
		return aman.Task{}, aman.FieldError("status", aman.EInvalidStatus)
	}
	var due time.Time
	if ch.DueOn != "" {
		var err error
		if due, err = parseDueOn(ch.DueOn); err != nil {
			return aman.Task{}, err
		}
	}
	var task aman.Task
	err := t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := t.queryTasks(ctx, tx, `t.id = $1`, taskID)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return aman.Errorf(aman.ENotFound, "no such task")
		}
		before := rows[0]
		if before.Status == aman.TaskCancelled {
			return aman.Errorf(aman.EConflict, "a cancelled task does not change")
		}
		f, err := loadAccessFacts(ctx, tx, before.CaseID)
		if err != nil {
			return err
		}
		k := f.k
		d := policy.EditTask(actor, facts(k), before.AssigneeID, f.grants, tx.Now)
		if !d.Allowed {
			return d.Err()
		}
		after := before.Task
		var changed []string
		if ch.Status != "" && ch.Status != before.Status {
			after.Status, after.DoneAt = ch.Status, time.Time{}
			if ch.Status == aman.TaskDone {
				after.DoneAt = tx.Now
			}
			changed = append(changed, "status")
		}
		dueChanged := ch.DueOn != "" && !due.Equal(before.DueOn)
		if dueChanged {
			if due.Before(qatarDay(tx.Now)) {
				return aman.FieldError("due_on", aman.EDateInPast)
			}
			after.DueOn = due
			changed = append(changed, "due_on")
		}
		if ch.AssigneeID != "" && ch.AssigneeID != before.AssigneeID {
			if err := checkAssignee(ctx, tx, ch.AssigneeID, k); err != nil {
				return err
			}
			after.AssigneeID = ch.AssigneeID
			changed = append(changed, "assignee")
			if err := notify(ctx, tx, recipients(actor, after.AssigneeID), "task_assigned", "task", after.ID); err != nil {
				return err
			}
		}
		if len(changed) > 0 {
			var doneBy any
			if after.Status == aman.TaskDone {
				doneBy = actor.UserID
			}
			// A new day is a new deadline: its reminders have not been sent.
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET status = $1, due_at = $2, assignee_id = $3, done_at = $4, done_by = $5, updated_at = $6,
				due_reminded_at = CASE WHEN $7 THEN NULL ELSE due_reminded_at END,
				overdue_reminded_at = CASE WHEN $7 THEN NULL ELSE overdue_reminded_at END WHERE id = $8`,
				string(after.Status), store.Millis(after.DueOn), after.AssigneeID, store.NullMillis(after.DoneAt), doneBy, store.Millis(tx.Now),
				dueChanged, after.ID); err != nil {
				return err
			}
			after.UpdatedAt = tx.Now
		}
		after.Overdue = overdue(after, tx.Now)
		task = after
		return t.record(ctx, tx, actor, audit.Entry{Action: "task.update", Entity: "task", EntityID: after.ID,
			BreakGlass: d.Basis == policy.BasisBreakGlass, Detail: map[string]string{"case_id": k.ID, "changed": strings.Join(changed, ",")}})
	})
	return task, err
}

// ForCase lists the tasks of a case, open ones first and soonest due first, for someone the case is
// open to. Titles are case content: the read is audited.
func (t *Tasks) ForCase(ctx context.Context, actor aman.Actor, caseID string) ([]aman.Task, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var out []aman.Task
	err := t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		d, err := t.cases().auditedRead(ctx, tx, actor, caseID)
		if err != nil {
			return err
		}
		rows, err := t.queryTasks(ctx, tx, `t.case_id = $1 AND t.status IN ($2, $3)`, caseID, string(aman.TaskOpen), string(aman.TaskDone))
		if err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, r.Task)
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Status == aman.TaskOpen && out[j].Status != aman.TaskOpen })
		return t.record(ctx, tx, actor, audit.Entry{Action: "task.list", Entity: "case", EntityID: caseID, BreakGlass: d.Basis == policy.BasisBreakGlass,
			Detail: map[string]string{"scope": "case", "results": strconv.Itoa(len(out))}})
	})
	return out, err
}

// MyTasks lists the actor's open tasks, overdue first and then by due day: the worker's dashboard. A task
// shows only while its case has a standing tie to the actor (policy.HoldTask), so someone taken off a
// case no longer reads its task titles. The read is audited.
func (t *Tasks) MyTasks(ctx context.Context, actor aman.Actor) ([]aman.Task, error) {
	if err := authorize(actor, policy.CaseView); err != nil {
		return nil, err
	}
	var out []aman.Task
	err := t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := t.queryTasks(ctx, tx, `t.assignee_id = $1 AND t.status = $2`, actor.UserID, string(aman.TaskOpen))
		if err != nil {
			return err
		}
		for _, r := range rows {
			if policy.HoldTask(actor, r.facts) {
				out = append(out, r.Task)
			}
		}
		return t.record(ctx, tx, actor, audit.Entry{Action: "task.list", Entity: "task",
			Detail: map[string]string{"scope": "mine", "results": strconv.Itoa(len(out))}})
	})
	return out, err
}

// UnitOverdue lists the overdue tasks on the cases of the supervisor's unit, most overdue first, with
// their case numbers: the supervisor's dashboard. The read is audited.
func (t *Tasks) UnitOverdue(ctx context.Context, supervisor aman.Actor) ([]aman.Task, error) {
	if err := authorize(supervisor, policy.CaseAssign); err != nil {
		return nil, err
	}
	var out []aman.Task
	if supervisor.UnitID == "" {
		// A supervisor of no unit supervises no case (policy.SuperviseCase).
		return out, nil
	}
	err := t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := t.queryTasks(ctx, tx, `c.unit_id = $1 AND t.status = $2 AND t.due_at < $3`,
			supervisor.UnitID, string(aman.TaskOpen), store.Millis(qatarDay(tx.Now)))
		if err != nil {
			return err
		}
		for _, r := range rows {
			if policy.SuperviseCase(supervisor, r.facts).Allowed {
				out = append(out, r.Task)
			}
		}
		return t.record(ctx, tx, supervisor, audit.Entry{Action: "task.list", Entity: "task",
			Detail: map[string]string{"scope": "unit_overdue", "results": strconv.Itoa(len(out))}})
	})
	return out, err
}

// SendReminders tells each assignee, once, that a task has fallen due (its day has come) and, once,
// that it is overdue (its day is over). What was sent is stamped on the task in the same transaction as
// the alert, so a second run, on this node or another, finds nothing to send. A task first seen
// already overdue gets only the overdue alert. It returns the number of alerts sent.
//
// A round works in batches of reminderBatch tasks of each kind, each batch its own transaction: the
// first round after an import or a long outage may owe alerts for hundreds of thousands of tasks, and
// one transaction for all of them would hold SQLite's writer, and the hotline with it, for minutes. A
// round that fails part-way has sent its finished batches, stamped, and the next round goes on from
// there. Call it outside a transaction, or the batches join that one.
func (t *Tasks) SendReminders(ctx context.Context) (int, error) {
	sent := 0
	for {
		n, more, err := t.sendReminderBatch(ctx)
		sent += n
		if err != nil || !more {
			return sent, err
		}
	}
}

// reminderBatch bounds how many tasks of each kind one transaction of a reminder round claims.
const reminderBatch = 500

// sendReminderBatch claims and alerts up to reminderBatch overdue and reminderBatch due tasks; more
// tells whether either kind had a full batch, so that more may be waiting.
func (t *Tasks) sendReminderBatch(ctx context.Context) (sent int, more bool, err error) {
	err = t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		now, today := store.Millis(tx.Now), store.Millis(qatarDay(tx.Now))
		limit := strconv.Itoa(reminderBatch)
		// The status is a literal so that PostgreSQL's generic plan can use the reminder indexes.
		overdue, err := claimReminders(ctx, tx, `UPDATE tasks SET overdue_reminded_at = $1, due_reminded_at = COALESCE(due_reminded_at, $1)
			WHERE id IN (SELECT id FROM tasks WHERE status = '`+string(aman.TaskOpen)+`' AND overdue_reminded_at IS NULL AND due_at < $2
			ORDER BY due_at LIMIT `+limit+`) RETURNING id, assignee_id`, now, today)
		if err != nil {
			return err
		}
		due, err := claimReminders(ctx, tx, `UPDATE tasks SET due_reminded_at = $1
			WHERE id IN (SELECT id FROM tasks WHERE status = '`+string(aman.TaskOpen)+`' AND due_reminded_at IS NULL AND due_at <= $1
			ORDER BY due_at LIMIT `+limit+`) RETURNING id, assignee_id`, now)
		if err != nil {
			return err
		}
		for kind, claimed := range map[string][][2]string{"task_overdue": overdue, "task_due": due} {
			for _, c := range claimed {
				if err := notify(ctx, tx, []string{c[1]}, kind, "task", c[0]); err != nil {
					return err
				}
			}
		}
		sent = len(overdue) + len(due)
		more = len(overdue) == reminderBatch || len(due) == reminderBatch
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return sent, more, nil
}

// claimReminders stamps the tasks a reminder is due for and returns their (id, assignee) pairs.
func claimReminders(ctx context.Context, tx *store.Tx, query string, args ...any) ([][2]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// taskRow is a task read with the facts of its case, which decide who may see it.
type taskRow struct {
	aman.Task
	facts policy.CaseFacts
}

// queryTasks reads the tasks matching where (over tasks t joined to cases c), soonest due first, with
// their titles opened and their cases' facts: one query for the tasks and one for the teams of all
// their cases, however many there are.
func (t *Tasks) queryTasks(ctx context.Context, tx *store.Tx, where string, args ...any) ([]taskRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT t.id, t.case_id, c.number, t.kind, t.title_sealed, t.due_at, t.assignee_id, t.status, t.created_by,
		t.created_at, t.updated_at, t.done_at, COALESCE(c.unit_id, ''), COALESCE(c.assigned_worker_id, ''), c.status
		FROM tasks t JOIN cases c ON c.id = t.case_id WHERE `+where+` ORDER BY t.due_at, t.id LIMIT `+strconv.Itoa(taskListLimit), args...)
	if err != nil {
		return nil, err
	}
	var out []taskRow
	byCase := map[string][]int{}
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var r taskRow
			var kind, status, caseStatus string
			var title seal.Sealed
			var due, created, updated int64
			var done sql.NullInt64
			if err := rows.Scan(&r.ID, &r.CaseID, &r.CaseNumber, &kind, &title, &due, &r.AssigneeID, &status, &r.CreatedBy,
				&created, &updated, &done, &r.facts.UnitID, &r.facts.AssignedWorkerID, &caseStatus); err != nil {
				return err
			}
			r.Kind, r.Status = aman.TaskKind(kind), aman.TaskStatus(status)
			r.DueOn = store.Time(due).In(qatar)
			r.CreatedAt, r.UpdatedAt = store.Time(created), store.Time(updated)
			if done.Valid {
				r.DoneAt = store.Time(done.Int64)
			}
			r.Overdue = overdue(r.Task, tx.Now)
			r.facts.Closed = aman.CaseStatus(caseStatus) == aman.CaseClosed
			var err error
			if r.Title, err = t.Keys.Row("tasks", r.ID).Open("title", title); err != nil {
				return err
			}
			byCase[r.CaseID] = append(byCase[r.CaseID], len(out))
			out = append(out, r)
		}
		return rows.Err()
	}()
	if err != nil || len(out) == 0 {
		return out, err
	}
	teams, err := caseTeams(ctx, tx, byCase)
	for caseID, members := range teams {
		for _, i := range byCase[caseID] {
			out[i].facts.TeamUserIDs = members
		}
	}
	return out, err
}

// caseTeams reads the teams of several cases in one query.
func caseTeams(ctx context.Context, tx *store.Tx, cases map[string][]int) (map[string][]string, error) {
	args := make([]any, 0, len(cases))
	holders := make([]string, 0, len(cases))
	for id := range cases {
		args = append(args, id)
		holders = append(holders, "$"+strconv.Itoa(len(args)))
	}
	rows, err := tx.QueryContext(ctx, `SELECT case_id, user_id FROM case_team WHERE case_id IN (`+strings.Join(holders, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	teams := map[string][]string{}
	for rows.Next() {
		var caseID, userID string
		if err := rows.Scan(&caseID, &userID); err != nil {
			return nil, err
		}
		teams[caseID] = append(teams[caseID], userID)
	}
	return teams, rows.Err()
}

// insertTask writes a task with its title sealed.
func insertTask(ctx context.Context, tx *store.Tx, keys *seal.Keyring, task aman.Task) error {
	title, err := keys.Row("tasks", task.ID).Seal("title", task.Title)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tasks (id, case_id, kind, title_sealed, due_at, assignee_id, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
		task.ID, task.CaseID, string(task.Kind), title, store.Millis(task.DueOn), task.AssigneeID, string(task.Status), task.CreatedBy, store.Millis(tx.Now))
	return err
}

// checkAssignee refuses a task for anyone without a standing tie to the case: the task would show its
// title, and the case, to someone who has no business with it.
func checkAssignee(ctx context.Context, tx *store.Tx, userID string, k aman.Case) error {
	u, err := loadUserBy(ctx, tx, byID, userID)
	if aman.ErrorCode(err) == aman.ENotFound || err == nil && (u.Disabled || !policy.HoldTask(u.Actor(), facts(k))) {
		return aman.FieldError("assignee_id", aman.EAssigneeNotOnCase)
	}
	return err
}

// overdue tells whether a task is open after its due day has ended in Doha.
func overdue(task aman.Task, now time.Time) bool {
	return task.Status == aman.TaskOpen && task.DueOn.Before(qatarDay(now))
}

// parseDueOn reads a due day, YYYY-MM-DD, as midnight in Qatar.
func parseDueOn(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, aman.FieldError("due_on", aman.ERequired)
	}
	day, err := time.ParseInLocation(time.DateOnly, s, qatar)
	if err != nil {
		return time.Time{}, aman.FieldError("due_on", aman.EInvalidDate)
	}
	return day, nil
}

// handOverTasks gives the new worker of a case the open tasks held by the people an assignment takes
// off it (its previous worker, members dropped from its team): otherwise those tasks would show on
// nobody's list, since a task shows only to someone tied to its case.
func handOverTasks(ctx context.Context, tx *store.Tx, before aman.Case, to CaseAssignment) error {
	staying := append([]string{to.WorkerID}, to.TeamIDs...)
	args := []any{to.WorkerID, store.Millis(tx.Now), before.ID, string(aman.TaskOpen)}
	var holders []string
	for _, id := range append([]string{before.AssignedWorkerID}, before.TeamUserIDs...) {
		if id != "" && !slices.Contains(staying, id) {
			args = append(args, id)
			holders = append(holders, "$"+strconv.Itoa(len(args)))
		}
	}
	if len(holders) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE tasks SET assignee_id = $1, updated_at = $2 WHERE case_id = $3 AND status = $4
		AND assignee_id IN (`+strings.Join(holders, ", ")+`)`, args...)
	return err
}
