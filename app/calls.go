package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/textnorm"
)

// Calls is the hotline desk: calls logged by operators, drafts opened by the telephone system, the
// shift view and the callback list.
type Calls struct {
	Deps
	// Triage receives the calls that need the centre to act: immediate danger, an intake, an emergency.
	Triage *Triage
}

const callTable = "calls"

// Now is the clock calls are stamped with: a console shows it as the start of a call being logged.
func (c *Calls) Now() time.Time { return c.DB.Now() }

// keyCallerPhone is the blind-index domain of a caller's number (E.164). It differs from the registry's
// "phone" domain on purpose: a caller's number is not a registered person's number, and the two indexes
// must not be joinable by anyone who reads only the database.
const keyCallerPhone = "caller_phone"

// MaxCallSummary bounds the summary: a few lines written during or just after a call, not a case note.
const MaxCallSummary = 4000

// ShiftWindow is how far back the shift view looks.
const ShiftWindow = 24 * time.Hour

// MaxCallList bounds one page of the shift view or the callback list.
const MaxCallList = 200

// callClockSkew is how far ahead of the server a browser's or a telephone system's clock may run before
// a time it sends counts as the future.
const callClockSkew = 2 * time.Minute

// CallInput is a call as the console or the API sends it.
type CallInput struct {
	// DraftID names a call the telephone system opened, which this input completes.
	DraftID string
	// StartedAt and EndedAt are RFC 3339. StartedAt may be empty only when completing a draft; an empty
	// EndedAt means the call ends now (or when the telephone system said it ended).
	StartedAt          string
	EndedAt            string
	CallerType         string
	ContactKind        string
	NonCounsellingKind string
	Reasons            []string
	Risk               aman.CallRisk
	Outcome            string
	Summary            string
	// CallerNumber is the number the caller rang from, if the operator has it; it is sealed.
	CallerNumber   string
	SafeToCallBack string
	BeneficiaryID  string
	CaseID         string
}

// validateCall checks the parts of a call that need no database, and returns the call to store. now is
// the transaction's time; draft is the draft being completed, if any, whose times fill what the input
// leaves empty. The first problem found is returned, in the order the console shows the fields.
func validateCall(in CallInput, now time.Time, draft *aman.Call) (aman.Call, error) {
	c := aman.Call{
		CallerType: aman.CallerType(strings.TrimSpace(in.CallerType)), ContactKind: aman.ContactKind(strings.TrimSpace(in.ContactKind)),
		NonCounsellingKind: aman.NonCounsellingKind(strings.TrimSpace(in.NonCounsellingKind)), Risk: in.Risk,
		Outcome: aman.CallOutcome(strings.TrimSpace(in.Outcome)), SafeToCallBack: aman.CallbackSafety(strings.TrimSpace(in.SafeToCallBack)),
		BeneficiaryID: strings.TrimSpace(in.BeneficiaryID), CaseID: strings.TrimSpace(in.CaseID),
	}
	counselling := c.ContactKind == aman.ContactCounselling
	switch {
	case c.ContactKind == "":
		return c, aman.FieldError("contact_kind", aman.ERequired)
	case !c.ContactKind.Valid():
		return c, aman.FieldError("contact_kind", aman.EInvalidContactKind)
	}
	// Who called is asked on every counselling call; the line cannot say who was silent or hung up.
	switch {
	case c.CallerType == "" && counselling:
		return c, aman.FieldError("caller_type", aman.ERequired)
	case c.CallerType != "" && !c.CallerType.Valid():
		return c, aman.FieldError("caller_type", aman.EInvalidCallerType)
	}
	switch {
	case !counselling && c.NonCounsellingKind == "":
		return c, aman.FieldError("non_counselling_kind", aman.ENonCounsellingKindRequired)
	case c.NonCounsellingKind != "" && (counselling || !c.NonCounsellingKind.Valid()):
		return c, aman.FieldError("non_counselling_kind", aman.EInvalidNonCounsellingKind)
	}
	for _, r := range in.Reasons {
		reason := aman.CallReason(strings.TrimSpace(r))
		if !reason.Valid() {
			return c, aman.FieldError("reasons", aman.EInvalidCallReason)
		}
		if !slices.Contains(c.Reasons, reason) {
			c.Reasons = append(c.Reasons, reason)
		}
	}
	// Keep the vocabulary's order, so two calls with the same reasons read (and compare) the same.
	slices.SortFunc(c.Reasons, func(a, b aman.CallReason) int {
		return slices.Index(aman.CallReasons(), a) - slices.Index(aman.CallReasons(), b)
	})
	// Reasons are what the figures count per counselling call; a prank has none to count.
	switch {
	case counselling && len(c.Reasons) == 0:
		return c, aman.FieldError("reasons", aman.ECallReasonsRequired)
	case !counselling && len(c.Reasons) > 0:
		return c, aman.FieldError("reasons", aman.ECallReasonsNotCounselling)
	}
	switch {
	case c.Outcome == "" && counselling:
		return c, aman.FieldError("outcome", aman.ECallOutcomeRequired)
	case c.Outcome != "" && !c.Outcome.Valid():
		return c, aman.FieldError("outcome", aman.EInvalidCallOutcome)
	case c.Outcome == aman.OutcomeLinkedToCase && c.BeneficiaryID == "" && c.CaseID == "":
		return c, aman.FieldError("beneficiary_id", aman.ECallLinkRequired)
	}
	var err error
	if c.StartedAt, err = callTime("started_at", in.StartedAt); err != nil {
		return c, err
	}
	if c.EndedAt, err = callTime("ended_at", in.EndedAt); err != nil {
		return c, err
	}
	if draft != nil {
		if c.StartedAt.IsZero() {
			c.StartedAt = draft.StartedAt
		}
		if c.EndedAt.IsZero() {
			c.EndedAt = draft.EndedAt
		}
	}
	if c.StartedAt.IsZero() {
		return c, aman.FieldError("started_at", aman.ERequired)
	}
	if c.EndedAt.IsZero() {
		// Logged as the call ends: the moment of logging is its end.
		c.EndedAt = now
	}
	switch {
	case c.StartedAt.After(now.Add(callClockSkew)):
		return c, aman.FieldError("started_at", aman.ECallInFuture)
	case c.EndedAt.After(now.Add(callClockSkew)):
		return c, aman.FieldError("ended_at", aman.ECallInFuture)
	case c.EndedAt.Before(c.StartedAt):
		return c, aman.FieldError("ended_at", aman.ECallEndsBeforeStart)
	case c.EndedAt.Sub(c.StartedAt) > aman.MaxCallDuration:
		return c, aman.FieldError("ended_at", aman.ECallTooLong)
	}
	c.Duration = c.EndedAt.Sub(c.StartedAt)
	if c.Summary, err = boundedText("summary", in.Summary, MaxCallSummary); err != nil {
		return c, err
	}
	if !c.SafeToCallBack.Valid() {
		return c, aman.FieldError("safe_to_call_back", aman.EInvalidCallbackSafety)
	}
	return c, nil
}

// callTime reads an RFC 3339 instant; empty is the zero time. Stored times have millisecond precision.
func callTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, aman.FieldError(field, aman.EInvalidCallTime)
	}
	return t.UTC().Truncate(time.Millisecond), nil
}

// normalizeCallerNumber turns a typed or reported number into E.164, in whatever digits it came.
func normalizeCallerNumber(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	e164, err := textnorm.NormalizePhone(s)
	if err != nil {
		return "", aman.FieldError("caller_number", aman.EInvalidPhone)
	}
	return e164, nil
}

// callSignals are what a call tells triage, and whether it must go there at all: immediate danger, an
// intake or an emergency escalation. A child calling about harm to themselves is a child in danger, as in
// the children's app; a weapon, a risk of suicide or children present at home make it high.
func callSignals(c aman.Call) (aman.IntakeSignals, bool) {
	s := aman.IntakeSignals{
		ImmediateDanger: c.Risk.ImmediateDanger || c.Outcome == aman.OutcomeEmergencyEscalation,
		ChildInDanger:   c.CallerType == aman.CallerChildSelf && slices.ContainsFunc(c.Reasons, aman.CallReason.Harm),
		HighRisk:        c.Risk.Weapon || c.Risk.SuicideRisk || c.Risk.ChildrenPresent,
	}
	enqueue := c.Risk.ImmediateDanger || c.Outcome == aman.OutcomeIntakeToTriage || c.Outcome == aman.OutcomeEmergencyEscalation
	return s, enqueue
}

// Log records a call for the signed-in operator, or completes the draft the telephone system opened for
// it, in one transaction with its reasons, its place in the triage queue when it needs one, and the
// audit entry. The returned call carries the number of earlier calls from the same number.
func (c *Calls) Log(ctx context.Context, actor aman.Actor, in CallInput) (aman.Call, error) {
	if err := authorize(actor, policy.CallLog); err != nil {
		return aman.Call{}, err
	}
	if _, err := validateCall(in, c.DB.Now(), &aman.Call{StartedAt: c.DB.Now()}); err != nil {
		// Checked once outside the transaction, so bad input never waits for SQLite's writer.
		return aman.Call{}, err
	}
	number, err := normalizeCallerNumber(in.CallerNumber)
	if err != nil {
		return aman.Call{}, err
	}
	var out aman.Call
	err = c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var draft *aman.Call
		var draftKey []byte
		if in.DraftID != "" {
			d, key, err := c.loadDraft(ctx, tx, actor, in.DraftID)
			if err != nil {
				return err
			}
			draft, draftKey = &d, key
		}
		call, err := validateCall(in, tx.Now, draft)
		if err != nil {
			return err
		}
		if err := c.resolveLink(ctx, tx, &call); err != nil {
			return err
		}
		call.Status, call.OperatorID, call.LoggedAt = aman.CallLogged, actor.UserID, tx.Now
		call.ID = newID()
		if draft != nil {
			call.ID, call.CallRef, call.RangAt, call.AnsweredAt = draft.ID, draft.CallRef, draft.RangAt, draft.AnsweredAt
		}
		row := c.Keys.Row(callTable, call.ID)
		summary, err := row.Seal("summary", call.Summary)
		if err != nil {
			return err
		}
		var phone seal.Sealed
		key := draftKey
		if number != "" {
			if phone, err = row.Seal("caller_phone", number); err != nil {
				return err
			}
			key = c.Keys.BlindIndex(keyCallerPhone, number)
		}
		// The intake comes first, so that the call is written once, with its place in the queue.
		if signals, needed := callSignals(call); needed {
			intake, err := c.Triage.Enqueue(ctx, tx, aman.ChannelHotline, call.ID, signals, "")
			if err != nil {
				return err
			}
			call.IntakeID, call.Urgency = intake.ID, intake.Urgency
		}
		if err := c.writeLogged(ctx, tx, call, draft != nil, summary, phone, key); err != nil {
			return err
		}
		call.HasCallerNumber = len(key) > 0
		if call.RepeatCalls, call.KnownSafety, err = callerHistory(ctx, tx, key, call.StartedAt); err != nil {
			return err
		}
		if call.KnownSafety == aman.SafetyUnknown || call.SafeToCallBack != aman.SafetyUnknown {
			call.KnownSafety = call.SafeToCallBack
		}
		detail := map[string]string{"contact_kind": string(call.ContactKind), "outcome": string(call.Outcome)}
		if call.Urgency != "" {
			detail["urgency"] = string(call.Urgency)
		}
		if draft != nil {
			detail["completed_draft"] = "true"
		}
		out = call
		return c.record(ctx, tx, actor, audit.Entry{Action: "call.log", Entity: "call", EntityID: call.ID, Detail: detail})
	})
	return out, err
}

// writeLogged inserts a logged call, or turns its draft into one, with its reasons.
func (c *Calls) writeLogged(ctx context.Context, tx *store.Tx, call aman.Call, fromDraft bool, summary, phone seal.Sealed, key []byte) error {
	args := []any{call.ID, string(call.Status), store.Millis(call.StartedAt), store.NullMillis(call.EndedAt), ms(call.Duration),
		string(call.CallerType), string(call.ContactKind), string(call.NonCounsellingKind), call.Risk.ImmediateDanger, call.Risk.Weapon,
		call.Risk.ChildrenPresent, call.Risk.SuicideRisk, string(call.Outcome), summary, string(call.SafeToCallBack),
		call.OperatorID, nullable(call.BeneficiaryID), nullable(call.CaseID), store.Millis(tx.Now), nullable(call.IntakeID)}
	if fromDraft {
		// The draft's number stays unless the operator typed one; the status check makes completion
		// happen once even if two operators submit at the same moment.
		res, err := tx.ExecContext(ctx, `UPDATE calls SET status = $2, started_at = $3, ended_at = $4, duration_ms = $5, caller_type = $6,
			contact_kind = $7, non_counselling_kind = $8, immediate_danger = $9, weapon = $10, children_present = $11, suicide_risk = $12,
			outcome = $13, summary_sealed = $14, callback_safety = $15, operator_id = $16, beneficiary_id = $17, case_id = $18,
			logged_at = $19, updated_at = $19, intake_id = $20, caller_phone_sealed = COALESCE($21, caller_phone_sealed), caller_key = $22
			WHERE id = $1 AND status = $23`, append(args, phone, nullBytes(key), string(aman.CallDraft))...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return aman.Errorf(aman.ECallNotDraft, "the draft was completed meanwhile")
		}
	} else if _, err := tx.ExecContext(ctx, `INSERT INTO calls (id, status, started_at, ended_at, duration_ms, caller_type, contact_kind,
		non_counselling_kind, immediate_danger, weapon, children_present, suicide_risk, outcome, summary_sealed, callback_safety,
		operator_id, beneficiary_id, case_id, logged_at, created_at, updated_at, intake_id, caller_phone_sealed, caller_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $19, $20, $21, $22)`,
		append(args, phone, nullBytes(key))...); err != nil {
		return err
	}
	for _, r := range call.Reasons {
		if _, err := tx.ExecContext(ctx, `INSERT INTO call_reasons (call_id, code) VALUES ($1, $2)`, call.ID, string(r)); err != nil {
			return err
		}
	}
	return nil
}

// loadDraft loads a draft the actor may complete, with its number's blind index.
func (c *Calls) loadDraft(ctx context.Context, tx *store.Tx, actor aman.Actor, id string) (aman.Call, []byte, error) {
	call, key, err := c.loadCall(ctx, tx, id)
	if err != nil {
		return call, nil, err
	}
	if call.Status != aman.CallDraft {
		return call, nil, aman.Errorf(aman.ECallNotDraft, "call is %s", call.Status)
	}
	if !policy.CompleteCall(actor, call.OperatorID) {
		return call, nil, aman.Errorf(aman.EForbidden, "the draft was answered by another operator")
	}
	return call, key, nil
}

// resolveLink checks the person and case a call is linked to. A case given alone brings its
// beneficiary; a person given alone brings their most recent open case, so the call reaches the case
// team that already knows them. A case must be the person's.
func (c *Calls) resolveLink(ctx context.Context, tx *store.Tx, call *aman.Call) error {
	if call.CaseID != "" {
		var beneficiary string
		err := tx.QueryRowContext(ctx, `SELECT beneficiary_id FROM cases WHERE id = $1`, call.CaseID).Scan(&beneficiary)
		if errors.Is(err, sql.ErrNoRows) {
			return aman.FieldError("case_id", aman.ENotFound)
		}
		if err != nil {
			return err
		}
		if call.BeneficiaryID == "" {
			call.BeneficiaryID = beneficiary
		} else if call.BeneficiaryID != beneficiary {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_people WHERE case_id = $1 AND person_id = $2`,
				call.CaseID, call.BeneficiaryID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return aman.FieldError("case_id", aman.ENotOnCase)
			}
		}
	}
	if call.BeneficiaryID == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM beneficiaries WHERE id = $1 AND merged_into IS NULL`, call.BeneficiaryID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return aman.FieldError("beneficiary_id", aman.ENotFound)
	}
	if call.CaseID != "" {
		return nil
	}
	err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE beneficiary_id = $1 AND status <> $2 ORDER BY opened_at DESC, id DESC LIMIT 1`,
		call.BeneficiaryID, string(aman.CaseClosed)).Scan(&call.CaseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// callerHistory counts the calls from the same number before this one (by its blind index) and finds the
// latest callback-safety answer given for that number, on this call or any other.
func callerHistory(ctx context.Context, tx *store.Tx, key []byte, startedAt time.Time) (int, aman.CallbackSafety, error) {
	if len(key) == 0 {
		return 0, aman.SafetyUnknown, nil
	}
	// The call itself is stored under the same key by now and counted here, hence the minus one: the
	// count then reads the (caller_key, started_at, callback_safety) index alone, never a row. The
	// newest answer comes from walking the same index backwards, which stops at the first call that has
	// one however often the number has rung; calls that started in the same millisecond are told apart
	// by the index's own order. One statement for both: this runs for every call logged.
	var n int
	var safety sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), (SELECT callback_safety FROM calls WHERE caller_key = $1 AND callback_safety <> $3
		ORDER BY started_at DESC LIMIT 1) FROM calls WHERE caller_key = $1 AND started_at <= $2`,
		key, store.Millis(startedAt), string(aman.SafetyUnknown)).Scan(&n, &safety); err != nil {
		return 0, "", err
	}
	n = max(n-1, 0)
	return n, aman.CallbackSafety(safety.String), nil
}

// knownSafety finds, for each number's blind index, the latest callback-safety answer recorded on any
// call from it, in one query for the whole page.
func knownSafety(ctx context.Context, tx *store.Tx, keys [][]byte) (map[string]aman.CallbackSafety, error) {
	out := map[string]aman.CallbackSafety{}
	if len(keys) == 0 {
		return out, nil
	}
	in, args := inList(2, keys)
	rows, err := tx.QueryContext(ctx, `SELECT caller_key, callback_safety FROM calls WHERE callback_safety <> $1
		AND caller_key IN `+in+` ORDER BY started_at DESC, id DESC`, append([]any{string(aman.SafetyUnknown)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var key []byte
		var safety string
		if err := rows.Scan(&key, &safety); err != nil {
			return nil, err
		}
		if _, seen := out[string(key)]; !seen {
			out[string(key)] = aman.CallbackSafety(safety)
		}
	}
	return out, rows.Err()
}

const callColumns = `c.id, c.status, COALESCE(c.call_ref, ''), c.rang_at, c.started_at, c.answered_at, c.ended_at, c.caller_type,
	c.contact_kind, c.non_counselling_kind, c.immediate_danger, c.weapon, c.children_present, c.suicide_risk, c.outcome,
	c.callback_safety, COALESCE(c.operator_id, ''), COALESCE(c.beneficiary_id, ''), COALESCE(c.case_id, ''), COALESCE(c.intake_id, ''),
	COALESCE(i.urgency, ''), c.logged_at, c.callback_done_at, c.summary_sealed, c.caller_key,
	COALESCE(NULLIF(u.display_name, ''), u.username, '')`

// callFrom joins what a list shows beside each call — its intake's urgency, its operator's name — so a
// page of calls is one query.
const callFrom = ` FROM calls c LEFT JOIN intakes i ON i.id = c.intake_id LEFT JOIN users u ON u.id = c.operator_id`

// scannedCall is a call row with its sealed summary (opened only by Get) and its number's blind index.
type scannedCall struct {
	aman.Call
	summary seal.Sealed
	key     []byte
}

func scanCall(row interface{ Scan(...any) error }) (scannedCall, error) {
	var s scannedCall
	var status, callerType, kind, subKind, outcome, safety, urgency string
	var rang, answered, ended, logged, done sql.NullInt64
	var started int64
	if err := row.Scan(&s.ID, &status, &s.CallRef, &rang, &started, &answered, &ended, &callerType, &kind, &subKind,
		&s.Risk.ImmediateDanger, &s.Risk.Weapon, &s.Risk.ChildrenPresent, &s.Risk.SuicideRisk, &outcome, &safety,
		&s.OperatorID, &s.BeneficiaryID, &s.CaseID, &s.IntakeID, &urgency, &logged, &done, &s.summary, &s.key, &s.OperatorName); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return s, aman.Errorf(aman.ENotFound, "no such call")
		}
		return s, err
	}
	s.Status, s.CallerType, s.ContactKind = aman.CallStatus(status), aman.CallerType(callerType), aman.ContactKind(kind)
	s.NonCounsellingKind, s.Outcome, s.SafeToCallBack, s.Urgency = aman.NonCounsellingKind(subKind), aman.CallOutcome(outcome),
		aman.CallbackSafety(safety), aman.Urgency(urgency)
	s.StartedAt, s.RangAt, s.AnsweredAt, s.EndedAt = store.Time(started), nullTime(rang), nullTime(answered), nullTime(ended)
	s.LoggedAt, s.CallbackDoneAt = nullTime(logged), nullTime(done)
	if !s.EndedAt.IsZero() {
		s.Duration = s.EndedAt.Sub(s.StartedAt)
	}
	s.HasCallerNumber = len(s.key) > 0
	s.KnownSafety = s.SafeToCallBack
	return s, nil
}

// inList is the placeholder list "($first, $first+1, …)" for values, with the values as query arguments:
// one query for a whole page instead of one per row.
func inList[T any](first int, values []T) (string, []any) {
	holders := make([]string, len(values))
	args := make([]any, len(values))
	for i, v := range values {
		holders[i], args[i] = "$"+strconv.Itoa(first+i), v
	}
	return "(" + strings.Join(holders, ", ") + ")", args
}

// nullBytes stores an absent blind index as NULL rather than as an empty value.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func nullTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return store.Time(v.Int64)
}

// loadCall reads one call row with its reasons, and its number's blind index.
func (c *Calls) loadCall(ctx context.Context, tx *store.Tx, id string) (aman.Call, []byte, error) {
	s, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+callFrom+` WHERE c.id = $1`, id))
	if err != nil {
		return s.Call, nil, err
	}
	calls := []*aman.Call{&s.Call}
	if err := loadReasons(ctx, tx, calls); err != nil {
		return s.Call, nil, err
	}
	return s.Call, s.key, nil
}

// loadReasons fills the reasons of a page of calls with one query.
func loadReasons(ctx context.Context, tx *store.Tx, calls []*aman.Call) error {
	if len(calls) == 0 {
		return nil
	}
	byID := make(map[string]*aman.Call, len(calls))
	ids := make([]string, len(calls))
	for i, call := range calls {
		byID[call.ID], ids[i] = call, call.ID
	}
	in, args := inList(1, ids)
	rows, err := tx.QueryContext(ctx, `SELECT call_id, code FROM call_reasons WHERE call_id IN `+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, code string
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		byID[id].Reasons = append(byID[id].Reasons, aman.CallReason(code))
	}
	for _, call := range calls {
		slices.SortFunc(call.Reasons, func(a, b aman.CallReason) int {
			return slices.Index(aman.CallReasons(), a) - slices.Index(aman.CallReasons(), b)
		})
	}
	return rows.Err()
}

// Get opens one call, summary included, for someone policy.ViewCall lets in: the operator who took it,
// a supervisor, or case staff of the case it is linked to. The read, or the refusal, is audited.
func (c *Calls) Get(ctx context.Context, actor aman.Actor, id string) (aman.Call, error) {
	if err := authorize(actor, policy.CallView); err != nil {
		return aman.Call{}, err
	}
	var out aman.Call
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		s, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+callFrom+` WHERE c.id = $1`, id))
		if err != nil {
			return err
		}
		var onCase policy.Decision
		if s.CaseID != "" && policy.Allows(actor.Role, policy.CaseView) {
			f, err := loadAccessFacts(ctx, tx, s.CaseID)
			if err != nil {
				return err
			}
			onCase = policy.ViewCase(actor, facts(f.k), f.grants, tx.Now)
		}
		d := policy.ViewCall(actor, policy.CallFacts{OperatorID: s.OperatorID, CaseID: s.CaseID}, onCase)
		if !d.Allowed {
			if err := c.record(ctx, tx, actor, audit.Entry{Action: "call.read_denied", Entity: "call", EntityID: id}); err != nil {
				return err
			}
			return store.CommitAndFail(d.Err())
		}
		if err := loadReasons(ctx, tx, []*aman.Call{&s.Call}); err != nil {
			return err
		}
		if s.Summary, err = c.Keys.Row(callTable, s.ID).Open("summary", s.summary); err != nil {
			return err
		}
		if s.RepeatCalls, s.KnownSafety, err = callerHistory(ctx, tx, s.key, s.StartedAt); err != nil {
			return err
		}
		if s.KnownSafety == aman.SafetyUnknown {
			s.KnownSafety = s.SafeToCallBack
		}
		s.AccessBasis = d.Basis
		out = s.Call
		detail := map[string]string{"basis": d.Basis}
		if d.Basis == policy.BasisLinkedCase {
			detail["case_basis"] = onCase.Basis
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "call.read", Entity: "call", EntityID: id, Detail: detail,
			BreakGlass: onCase.Basis == policy.BasisBreakGlass && d.Basis == policy.BasisLinkedCase})
	})
	return out, err
}

// Shift lists the logged calls of the last ShiftWindow, newest first: one operator's (operatorID), or
// the whole line's ("" — supervisors only). It carries no summary and no number, only what the shift
// needs to see: when, how long, who called about what, and what was done.
func (c *Calls) Shift(ctx context.Context, actor aman.Actor, operatorID string) ([]aman.Call, error) {
	if err := authorize(actor, policy.CallList); err != nil {
		return nil, err
	}
	if !policy.ListCalls(actor, operatorID) {
		return nil, aman.Errorf(aman.EForbidden, "another operator's shift")
	}
	var out []aman.Call
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		since := store.Millis(tx.Now.Add(-ShiftWindow))
		query, args := `SELECT `+callColumns+callFrom+` WHERE c.status = $1 AND c.started_at >= $2`, []any{string(aman.CallLogged), since}
		if operatorID != "" {
			query += ` AND c.operator_id = $3`
			args = append(args, operatorID)
		}
		args = append(args, MaxCallList)
		calls, err := c.list(ctx, tx, query+` ORDER BY c.started_at DESC, c.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
		if err != nil {
			return err
		}
		out = calls
		detail := map[string]string{"results": strconv.Itoa(len(out))}
		switch operatorID {
		case "":
			detail["scope"] = "line"
		case actor.UserID:
		default:
			// A supervisor looking at one operator's shift: the trail names whose.
			detail["operator_id"] = operatorID
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "call.list", Detail: detail})
	})
	return out, err
}

// list runs a query over callColumns and fills each call's reasons, repeat count and known callback
// safety with one query each for the whole page.
func (c *Calls) list(ctx context.Context, tx *store.Tx, query string, args ...any) ([]aman.Call, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var scanned []scannedCall
	for rows.Next() {
		s, err := scanCall(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		scanned = append(scanned, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]aman.Call, len(scanned))
	ptrs := make([]*aman.Call, len(scanned))
	var keys [][]byte
	for i := range scanned {
		out[i] = scanned[i].Call
		ptrs[i] = &out[i]
		if len(scanned[i].key) > 0 {
			keys = append(keys, scanned[i].key)
		}
	}
	if err := loadReasons(ctx, tx, ptrs); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return out, nil
	}
	safety, err := knownSafety(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	counts, err := callCounts(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	for i, s := range scanned {
		if len(s.key) == 0 {
			continue
		}
		if known, ok := safety[string(s.key)]; ok {
			out[i].KnownSafety = known
		}
		// Every call from the number but this one: on a list, "has called N other times".
		out[i].RepeatCalls = counts[string(s.key)] - 1
	}
	return out, nil
}

// callCounts counts all calls per number's blind index, in one query.
func callCounts(ctx context.Context, tx *store.Tx, keys [][]byte) (map[string]int, error) {
	in, args := inList(1, keys)
	rows, err := tx.QueryContext(ctx, `SELECT caller_key, COUNT(*) FROM calls WHERE caller_key IN `+in+` GROUP BY caller_key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var key []byte
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, err
		}
		out[string(key)] = n
	}
	return out, rows.Err()
}

// Drafts lists the calls the telephone system opened that wait for the actor to complete them: those
// answered by the actor, and those answered by someone the system could not name. Oldest first, so
// the call that has waited longest is completed first.
func (c *Calls) Drafts(ctx context.Context, actor aman.Actor) ([]aman.Call, error) {
	if err := authorize(actor, policy.CallLog); err != nil {
		return nil, err
	}
	var out []aman.Call
	err := c.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		out, err = c.list(ctx, tx, `SELECT `+callColumns+callFrom+` WHERE c.status = $1 AND c.answered_at IS NOT NULL
			AND (c.operator_id = $2 OR c.operator_id IS NULL) AND c.started_at >= $3 ORDER BY c.started_at, c.id LIMIT $4`,
			string(aman.CallDraft), actor.UserID, store.Millis(tx.Now.Add(-ShiftWindow)), MaxCallList)
		return err
	})
	return out, err
}

// Draft opens one draft for the operator completing it, with the registered people whose phone is the
// caller's number, so the operator knows at once whether the caller is already known. The number itself
// is opened only to look it up, inside this use case, and is not returned.
func (c *Calls) Draft(ctx context.Context, actor aman.Actor, id string) (aman.Call, []Match, error) {
	if err := authorize(actor, policy.CallLog); err != nil {
		return aman.Call{}, nil, err
	}
	var out aman.Call
	var known []Match
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		s, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+callFrom+` WHERE c.id = $1`, id))
		if err != nil {
			return err
		}
		if s.Status != aman.CallDraft {
			return aman.Errorf(aman.ECallNotDraft, "call is %s", s.Status)
		}
		if !policy.CompleteCall(actor, s.OperatorID) {
			return aman.Errorf(aman.EForbidden, "the draft was answered by another operator")
		}
		if s.RepeatCalls, s.KnownSafety, err = callerHistory(ctx, tx, s.key, s.StartedAt); err != nil {
			return err
		}
		out = s.Call
		if len(s.key) > 0 && policy.Allows(actor.Role, policy.BeneficiarySearch) {
			var phone seal.Sealed
			if err := tx.QueryRowContext(ctx, `SELECT caller_phone_sealed FROM calls WHERE id = $1`, id).Scan(&phone); err != nil {
				return err
			}
			number, err := c.Keys.Row(callTable, id).Open("caller_phone", phone)
			if err != nil {
				return err
			}
			if known, err = c.registeredWithPhone(ctx, tx, number); err != nil {
				return err
			}
			if err := c.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.search", Detail: map[string]string{"results": strconv.Itoa(len(known)), "by": "caller_number"}}); err != nil {
				return err
			}
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "call.draft_open", Entity: "call", EntityID: id})
	})
	return out, known, err
}

// registeredWithPhone finds registered people whose phone is number, through the registry's own blind
// index.
func (c *Calls) registeredWithPhone(ctx context.Context, tx *store.Tx, number string) ([]Match, error) {
	registry := &Beneficiaries{Deps: c.Deps}
	rows, err := tx.QueryContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE merged_into IS NULL AND id IN
		(SELECT beneficiary_id FROM beneficiary_keys WHERE kind = $1 AND hash = $2) ORDER BY created_at DESC LIMIT $3`,
		keyPhone, c.Keys.BlindIndex(keyPhone, number), MaxSearchResults)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Match
	for rows.Next() {
		b, err := registry.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, Match{Beneficiary: b, ExactIdentifier: true})
	}
	return out, rows.Err()
}

// Callbacks lists the missed calls not yet called back, newest first, each with how often the number has
// called and whether calling it back is known to be safe. No number is on the list.
func (c *Calls) Callbacks(ctx context.Context, actor aman.Actor) ([]aman.Call, error) {
	if err := authorize(actor, policy.CallbackList); err != nil {
		return nil, err
	}
	var out []aman.Call
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		// The status is a literal so that PostgreSQL's generic plan can use the partial index
		// calls_callbacks (WHERE status = 'missed' AND callback_done_at IS NULL).
		out, err = c.list(ctx, tx, `SELECT `+callColumns+callFrom+` WHERE c.status = '`+string(aman.CallMissed)+`' AND c.callback_done_at IS NULL
			ORDER BY c.started_at DESC, c.id DESC LIMIT $1`, MaxCallList)
		if err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "callback.list", Detail: map[string]string{"results": strconv.Itoa(len(out))}})
	})
	return out, err
}

// loadCallback loads a missed call still on the callback list, with its number's blind index.
func (c *Calls) loadCallback(ctx context.Context, tx *store.Tx, id string) (scannedCall, error) {
	s, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callColumns+callFrom+` WHERE c.id = $1`, id))
	if err != nil {
		return s, err
	}
	if s.Status != aman.CallMissed {
		return s, aman.Errorf(aman.ENotFound, "not a missed call")
	}
	if !s.CallbackDoneAt.IsZero() {
		return s, aman.Errorf(aman.ECallbackClosed, "already called back")
	}
	return s, nil
}

// RevealNumber opens the number of a missed call for the operator who will call it back, when calling
// back is known to be safe (policy.RevealCallerNumber). Each reveal, and each refusal, is audited; the
// number goes to the operator's screen only, never into a list, a log or an address.
func (c *Calls) RevealNumber(ctx context.Context, actor aman.Actor, id string) (string, error) {
	if err := authorize(actor, policy.CallbackList); err != nil {
		return "", err
	}
	var number string
	err := c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		s, err := c.loadCallback(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(s.key) == 0 {
			return aman.Errorf(aman.ENoCallerNumber, "number withheld")
		}
		safety, err := knownSafety(ctx, tx, [][]byte{s.key})
		if err != nil {
			return err
		}
		if refusal := policy.RevealCallerNumber(actor, safety[string(s.key)]); refusal != nil {
			if err := c.record(ctx, tx, actor, audit.Entry{Action: "callback.reveal_denied", Entity: "call", EntityID: id,
				Detail: map[string]string{"code": aman.ErrorCode(refusal)}}); err != nil {
				return err
			}
			return store.CommitAndFail(refusal)
		}
		var phone seal.Sealed
		if err := tx.QueryRowContext(ctx, `SELECT caller_phone_sealed FROM calls WHERE id = $1`, id).Scan(&phone); err != nil {
			return err
		}
		if number, err = c.Keys.Row(callTable, id).Open("caller_phone", phone); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "callback.reveal", Entity: "call", EntityID: id})
	})
	return number, err
}

// CloseCallback takes a missed call off the callback list: it was called back (the conversation is
// logged as a call of its own), or the line decided not to.
func (c *Calls) CloseCallback(ctx context.Context, actor aman.Actor, id string) error {
	if err := authorize(actor, policy.CallbackList); err != nil {
		return err
	}
	return c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := c.loadCallback(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET callback_done_at = $1, callback_done_by = $2, updated_at = $1 WHERE id = $3`,
			store.Millis(tx.Now), actor.UserID, id); err != nil {
			return err
		}
		return c.record(ctx, tx, actor, audit.Entry{Action: "callback.close", Entity: "call", EntityID: id})
	})
}
