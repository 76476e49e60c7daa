package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// Triage is the one queue every intake lands in, whatever its door.
type Triage struct {
	Deps
	Targets aman.ResponseTargets
	// OnCritical, when set, is called after a critical intake has committed (an email to the on-duty
	// supervisors is enqueued through it). In-app alerts are written in the intake's own transaction.
	OnCritical func(ctx context.Context, tx *store.Tx, intake aman.Intake, recipients []string) error
}

// Triage error codes.
const (
	EIntakeNotOpen     = "intake_not_open"
	EInvalidInfoReason = "invalid_info_reason"
)

// InfoOnlyReasons are why an intake can be closed without a case.
func InfoOnlyReasons() []string {
	return []string{"information_given", "referred_elsewhere", "duplicate", "wrong_number", "silent_or_prank", "no_action_needed", "other"}
}

// Enqueue puts an intake in the queue, inside the transaction that recorded it in its channel. Urgency
// comes from the intake's signals; the due time from the response targets. A critical intake alerts the
// on-duty supervisors at once (everyone supervising when nobody is on duty).
func (t *Triage) Enqueue(ctx context.Context, tx *store.Tx, channel aman.Channel, sourceID string, signals aman.IntakeSignals, partnerOrgID string) (aman.Intake, error) {
	in := aman.Intake{ID: newID(), Channel: channel, SourceID: sourceID, Urgency: aman.UrgencyOf(signals), ReceivedAt: tx.Now,
		Status: aman.IntakeOpen, PartnerOrgID: partnerOrgID}
	targets := t.Targets
	if targets == (aman.ResponseTargets{}) {
		targets = aman.DefaultResponseTargets()
	}
	in.DueAt = targets.DueBy(tx.Now, in.Urgency, qatar)
	if _, err := tx.ExecContext(ctx, `INSERT INTO intakes (id, channel, source_id, urgency, urgency_rank, received_at, due_at, status, partner_org_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, in.ID, string(channel), sourceID, string(in.Urgency), in.Urgency.Rank(),
		store.Millis(tx.Now), store.Millis(in.DueAt), string(in.Status), nullable(partnerOrgID)); err != nil {
		return in, err
	}
	if in.Urgency != aman.UrgencyCritical {
		return in, nil
	}
	recipients, err := onDutySupervisors(ctx, tx)
	if err != nil {
		return in, err
	}
	if err := notify(ctx, tx, recipients, "critical_intake", "intake", in.ID); err != nil {
		return in, err
	}
	if t.OnCritical != nil {
		return in, t.OnCritical(ctx, tx, in, recipients)
	}
	return in, nil
}

// onDutySupervisors are the enabled supervisors marked on duty, or every enabled supervisor when none
// is, so a critical alert always reaches someone.
func onDutySupervisors(ctx context.Context, tx *store.Tx) ([]string, error) {
	ids, err := userIDs(ctx, tx, `SELECT id FROM users WHERE role = $1 AND NOT disabled AND on_duty ORDER BY id`, string(aman.RoleSupervisor))
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	return userIDs(ctx, tx, `SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id`, string(aman.RoleSupervisor))
}

func userIDs(ctx context.Context, tx *store.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var ids []string
	return ids, collect(rows, func(id string, _ int) { ids = append(ids, id) })
}

// SetOnDuty marks a supervisor on or off duty for critical alerts.
func (t *Triage) SetOnDuty(ctx context.Context, actor aman.Actor, onDuty bool) error {
	if err := authorize(actor, policy.TriageView); err != nil {
		return err
	}
	if actor.Role != aman.RoleSupervisor {
		return aman.Errorf(aman.EForbidden, "only supervisors go on duty")
	}
	return t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET on_duty = $1 WHERE id = $2`, onDuty, actor.UserID); err != nil {
			return err
		}
		return t.record(ctx, tx, actor, audit.Entry{Action: "triage.on_duty", Entity: "user", EntityID: actor.UserID, Detail: map[string]string{"on_duty": boolString(onDuty)}})
	})
}

// The queue is read a page at a time, so that a screen costs the same whether ten intakes wait or a
// thousand. DefaultQueuePage is what a person can take in and act on before the page refreshes;
// MaxQueue bounds what one request reads (and is all the API gave before it was paged).
const (
	DefaultQueuePage = 50
	MaxQueue         = 200
)

// Queue page error codes.
const (
	// EInvalidQueueLimit: a page of the queue holds 1 to MaxQueue intakes.
	EInvalidQueueLimit = "invalid_queue_limit"
	// EInvalidQueueCursor: an "after" cursor that this server did not write, or that was cut short.
	EInvalidQueueCursor = "invalid_queue_cursor"
)

// QueuePage chooses a page of the open queue: the Limit intakes that follow After in queue order, or
// the first Limit when After is zero. Limit 0 is DefaultQueuePage.
type QueuePage struct {
	After QueueCursor
	Limit int
}

// QueueCursor is a place in the open queue, in its order (urgency, time received, then id): an
// intake's urgency rank, time and id, nothing else. Its text form travels in addresses and API
// answers, so, like NoteCursor, it holds nothing of what the intake says or who sent it.
type QueueCursor struct {
	Rank int
	At   time.Time
	ID   string
}

// IsZero tells whether c is no place at all: the head of the queue.
func (c QueueCursor) IsZero() bool { return c.ID == "" }

// String is the cursor as clients carry it (cursorText): opaque to them, so its form may change with
// the server.
func (c QueueCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return cursorText(c.ID, int64(c.Rank), store.Millis(c.At))
}

// ParseQueueCursor reads a cursor written by String. Anything else is refused on the field "after",
// rather than read as some other place in the queue.
func ParseQueueCursor(s string) (QueueCursor, error) {
	nums, id, ok := cursorValues(s, 2)
	if !ok || nums[0] > int64(aman.UrgencyNormal.Rank()) {
		return QueueCursor{}, aman.FieldError("after", EInvalidQueueCursor)
	}
	return QueueCursor{Rank: int(nums[0]), At: store.Time(nums[1]), ID: id}, nil
}

// cursorOf is the place of in in the queue.
func cursorOf(in aman.Intake) QueueCursor {
	return QueueCursor{Rank: in.Urgency.Rank(), At: in.ReceivedAt, ID: in.ID}
}

// OpenQueue is one page of the open queue.
type OpenQueue struct {
	// Intakes is the page, most urgent and oldest first.
	Intakes []aman.Intake
	// Open counts the open intakes on every page, not this page's: how big the queue is, up to
	// MaxCountedQueue. At that figure the queue may be longer: counting every entry of a queue that
	// had grown to 248,883 (the demo at a million) took 20 ms a page, and a supervisor needs to know
	// it is over a thousand, not by how much.
	Open int
	// Next is where the next page starts, the place of the last intake shown; zero when none follows.
	Next QueueCursor
}

// CountedInPart tells whether the queue was counted only as far as MaxCountedQueue: it holds at least
// Open intakes.
func (q OpenQueue) CountedInPart() bool { return q.Open >= MaxCountedQueue }

// HasMore tells whether open intakes follow this page.
func (q OpenQueue) HasMore() bool { return !q.Next.IsZero() }

const intakeColumns = `id, channel, source_id, urgency, received_at, due_at, status, COALESCE(beneficiary_id, ''), COALESCE(case_id, ''),
	COALESCE(partner_org_id, ''), COALESCE(closed_reason, ''), COALESCE(decided_by, ''), decided_at`

func scanIntake(row interface{ Scan(...any) error }, now time.Time) (aman.Intake, error) {
	var in aman.Intake
	var channel, urgency, status string
	var received, due int64
	var decided sql.NullInt64
	if err := row.Scan(&in.ID, &channel, &in.SourceID, &urgency, &received, &due, &status, &in.BeneficiaryID, &in.CaseID,
		&in.PartnerOrgID, &in.ClosedReason, &in.DecidedBy, &decided); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return in, aman.Errorf(aman.ENotFound, "no such intake")
		}
		return in, err
	}
	in.Channel, in.Urgency, in.Status = aman.Channel(channel), aman.Urgency(urgency), aman.IntakeStatus(status)
	in.ReceivedAt, in.DueAt = store.Time(received), store.Time(due)
	if decided.Valid {
		in.DecidedAt = store.Time(decided.Int64)
	}
	in.Breached = in.Status == aman.IntakeOpen && now.After(in.DueAt)
	return in, nil
}

// QueuePage reads one page of the open queue (see QueuePage and OpenQueue) and counts the whole queue,
// in one snapshot, so the count and the page agree. Nothing is audited: the queue shows no personal
// data, only channels, urgencies and times.
func (t *Triage) QueuePage(ctx context.Context, actor aman.Actor, page QueuePage) (OpenQueue, error) {
	if err := authorize(actor, policy.TriageView); err != nil {
		return OpenQueue{}, err
	}
	if page.Limit == 0 {
		page.Limit = DefaultQueuePage
	}
	if page.Limit < 1 || page.Limit > MaxQueue {
		return OpenQueue{}, aman.FieldError("limit", EInvalidQueueLimit)
	}
	var out OpenQueue
	err := t.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, openIntakesCount, string(aman.IntakeOpen), MaxCountedQueue).Scan(&out.Open); err != nil {
			return err
		}
		// One intake more than the page tells whether more follow, without counting them.
		rows, err := queueRows(ctx, tx, page.After, page.Limit+1)
		if err != nil {
			return err
		}
		if len(rows) > page.Limit {
			rows = rows[:page.Limit]
			out.Next = cursorOf(rows[len(rows)-1])
		}
		out.Intakes = rows
		return nil
	})
	return out, err
}

// queueRows reads up to limit open intakes after the place after (from the head when it is zero), in
// queue order.
func queueRows(ctx context.Context, tx *store.Tx, after QueueCursor, limit int) ([]aman.Intake, error) {
	var rows *sql.Rows
	var err error
	if after.IsZero() {
		rows, err = tx.QueryContext(ctx, queueHead, string(aman.IntakeOpen), limit)
	} else {
		rows, err = tx.QueryContext(ctx, queueAfter, string(aman.IntakeOpen), after.Rank, store.Millis(after.At), after.ID, limit)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aman.Intake
	for rows.Next() {
		in, err := scanIntake(rows, tx.Now)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// The queries of a page of the queue. Each reads the queue index (status, urgency_rank, received_at,
// id) forwards from where the page starts and stops after $n rows: no sort, and nothing after the page
// is read. The row value comparison is a range of that index on both engines, and the count reads the
// index alone (TestQueuePageQueriesReadTheIndexInOrder).
const (
	queueHead = `SELECT ` + intakeColumns + ` FROM intakes WHERE status = $1
		ORDER BY urgency_rank, received_at, id LIMIT $2`
	queueAfter = `SELECT ` + intakeColumns + ` FROM intakes WHERE status = $1 AND (urgency_rank, received_at, id) > ($2, $3, $4)
		ORDER BY urgency_rank, received_at, id LIMIT $5`
	openIntakesCount = `SELECT COUNT(*) FROM (SELECT 1 FROM intakes WHERE status = $1 LIMIT $2) AS counted`
)

// MaxCountedQueue is as far as the open queue is counted (see OpenQueue.Open).
const MaxCountedQueue = 1000

// Get returns one intake's triage row.
func (t *Triage) Get(ctx context.Context, actor aman.Actor, id string) (aman.Intake, error) {
	if err := authorize(actor, policy.TriageView); err != nil {
		return aman.Intake{}, err
	}
	var in aman.Intake
	err := t.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		in, err = scanIntake(tx.QueryRowContext(ctx, `SELECT `+intakeColumns+` FROM intakes WHERE id = $1`, id), tx.Now)
		return err
	})
	return in, err
}

// decide moves an open intake to its outcome, once: a second decision on the same intake is refused, so
// two people triaging at once never both act.
func (t *Triage) decide(ctx context.Context, tx *store.Tx, actor aman.Actor, id string, status aman.IntakeStatus, set map[string]any) error {
	args := []any{string(status), actor.UserID, store.Millis(tx.Now), id, string(aman.IntakeOpen)}
	assign := ""
	for _, col := range []string{"beneficiary_id", "case_id", "closed_reason"} {
		if v, ok := set[col]; ok {
			args = append(args, v)
			assign += ", " + col + " = $" + strconv.Itoa(len(args))
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE intakes SET status = $1, decided_by = $2, decided_at = $3`+assign+` WHERE id = $4 AND status = $5`, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM intakes WHERE id = $1`, id).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return aman.Errorf(aman.ENotFound, "no such intake")
		}
		return aman.Errorf(EIntakeNotOpen, "already triaged")
	}
	entry := audit.Entry{Action: "triage." + string(status), Entity: "intake", EntityID: id}
	if caseID, ok := set["case_id"].(string); ok {
		// The case the intake went to, so the trail of a case shows every first contact that reached it.
		entry.Detail = map[string]string{"case_id": caseID}
	}
	return t.record(ctx, tx, actor, entry)
}

// CloseAsInformation closes an intake that needs no case, with a reason from InfoOnlyReasons. Nothing
// is deleted: the intake and its channel record stay for the figures and the audit.
func (t *Triage) CloseAsInformation(ctx context.Context, actor aman.Actor, id, reason string) error {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return err
	}
	if !slices.Contains(InfoOnlyReasons(), reason) {
		return aman.FieldError("reason", EInvalidInfoReason)
	}
	return t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return t.decide(ctx, tx, actor, id, aman.IntakeClosedInfo, map[string]any{"closed_reason": reason})
	})
}

// LinkToBeneficiary attaches an intake to a person already registered (and, optionally, one of their
// cases the actor may edit: the person must be the case's beneficiary or one of its people).
func (t *Triage) LinkToBeneficiary(ctx context.Context, actor aman.Actor, id, beneficiaryID, caseID string, cases *Cases) error {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return err
	}
	return t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM beneficiaries WHERE id = $1 AND merged_into IS NULL`, beneficiaryID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return aman.FieldError("beneficiary_id", aman.ENotFound)
		}
		set := map[string]any{"beneficiary_id": beneficiaryID}
		if caseID != "" {
			_, d, err := cases.access(ctx, tx, actor, caseID, true)
			if err != nil {
				return err
			}
			if !d.Allowed {
				return d.Err()
			}
			// Judged after access, so that nobody learns who is on a case they may not open.
			var on int
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cases WHERE id = $1 AND beneficiary_id = $2)
				+ (SELECT COUNT(*) FROM case_people WHERE case_id = $1 AND person_id = $2)`, caseID, beneficiaryID).Scan(&on); err != nil {
				return err
			}
			if on == 0 {
				return aman.FieldError("case_id", aman.ENotOnCase)
			}
			set["case_id"] = caseID
		}
		return t.decide(ctx, tx, actor, id, aman.IntakeLinked, set)
	})
}

// CasesToLink lists the cases an intake about a person could be linked to: the person's cases (as
// beneficiary or one of its people) that are still open and that the actor may open, newest first.
// Cases the actor may not open are left out altogether, not even numbered. The listing is audited by
// Cases.ForPerson.
func (t *Triage) CasesToLink(ctx context.Context, actor aman.Actor, beneficiaryID string, cases *Cases) ([]PersonCase, error) {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return nil, err
	}
	all, err := cases.ForPerson(ctx, actor, beneficiaryID)
	if err != nil {
		return nil, err
	}
	var out []PersonCase
	for _, k := range all {
		if k.MayOpen && k.Status != aman.CaseClosed {
			out = append(out, k)
		}
	}
	return out, nil
}

// OpenCase opens a case for an intake's person and marks the intake done, in one transaction: a case
// prefilled from the intake, never a case without its origin.
func (t *Triage) OpenCase(ctx context.Context, actor aman.Actor, id, beneficiaryID string, cases *Cases) (aman.Case, error) {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return aman.Case{}, err
	}
	var k aman.Case
	err := t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if k, err = cases.Open(ctx, actor, OpenCaseInput{BeneficiaryID: beneficiaryID}); err != nil {
			return err
		}
		return t.decide(ctx, tx, actor, id, aman.IntakeCaseOpened, map[string]any{"beneficiary_id": beneficiaryID, "case_id": k.ID})
	})
	return k, err
}

// MarkAnswered closes a consultation once a counsellor has replied to it.
func (t *Triage) MarkAnswered(ctx context.Context, tx *store.Tx, actor aman.Actor, channel aman.Channel, sourceID string) error {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM intakes WHERE channel = $1 AND source_id = $2 AND status = $3`, string(channel), sourceID, string(aman.IntakeOpen)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return t.decide(ctx, tx, actor, id, aman.IntakeAnswered, nil)
}
