package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/store"
)

// hotlineDesk is the hotline's people next to the case staff of newStaff.
type hotlineDesk struct {
	staff
	operator, otherOperator aman.Actor
}

func newHotlineDesk(t *testing.T, env *apptest.Env) hotlineDesk {
	t.Helper()
	d := hotlineDesk{staff: newStaff(t, env)}
	for _, p := range []struct {
		into     *aman.Actor
		username string
	}{{&d.operator, "amal.line"}, {&d.otherOperator, "fatma.line"}} {
		u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: p.username, Role: aman.RoleHotlineOperator, Password: apptest.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		*p.into = u.Actor()
	}
	return d
}

// counsellingCall is a valid call that started five minutes before now; tests change one thing in it.
func counsellingCall(env *apptest.Env) app.CallInput {
	return app.CallInput{
		StartedAt: env.Clock.Now().Add(-5 * time.Minute).Format(time.RFC3339), CallerType: "victim", ContactKind: "counselling",
		Reasons: []string{"violence_physical"}, Outcome: "counselling", Summary: "Spoke about the night before.",
	}
}

func callAudit(t *testing.T, env *apptest.Env, action string) []audit.Entry {
	t.Helper()
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestLogCallValidation(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	now := env.Clock.Now()
	tests := []struct {
		name   string
		change func(in *app.CallInput)
		field  string
		code   string
	}{
		{"a valid counselling call", func(in *app.CallInput) {}, "", ""},
		{"no contact kind", func(in *app.CallInput) { in.ContactKind = "" }, "contact_kind", aman.ERequired},
		{"unknown contact kind", func(in *app.CallInput) { in.ContactKind = "chat" }, "contact_kind", aman.EInvalidContactKind},
		{"counselling without a caller type", func(in *app.CallInput) { in.CallerType = "" }, "caller_type", aman.ERequired},
		{"unknown caller type", func(in *app.CallInput) { in.CallerType = "uncle" }, "caller_type", aman.EInvalidCallerType},
		{"counselling without reasons", func(in *app.CallInput) { in.Reasons = nil }, "reasons", aman.ECallReasonsRequired},
		{"unknown reason", func(in *app.CallInput) { in.Reasons = []string{"neglect", "boredom"} }, "reasons", aman.EInvalidCallReason},
		{"counselling without an outcome", func(in *app.CallInput) { in.Outcome = "" }, "outcome", aman.ECallOutcomeRequired},
		{"unknown outcome", func(in *app.CallInput) { in.Outcome = "solved" }, "outcome", aman.EInvalidCallOutcome},
		{"linked to a case, but to none", func(in *app.CallInput) { in.Outcome = "linked_to_case" }, "beneficiary_id", aman.ECallLinkRequired},
		{"a sub-kind on a counselling call", func(in *app.CallInput) { in.NonCounsellingKind = "prank" }, "non_counselling_kind", aman.EInvalidNonCounsellingKind},
		{"non-counselling without its sub-kind", func(in *app.CallInput) {
			in.ContactKind, in.Reasons, in.Outcome = "non_counselling", nil, ""
		}, "non_counselling_kind", aman.ENonCounsellingKindRequired},
		{"non-counselling with an unknown sub-kind", func(in *app.CallInput) {
			in.ContactKind, in.NonCounsellingKind, in.Reasons = "non_counselling", "sneeze", nil
		}, "non_counselling_kind", aman.EInvalidNonCounsellingKind},
		{"non-counselling with reasons", func(in *app.CallInput) {
			in.ContactKind, in.NonCounsellingKind = "non_counselling", "silent"
		}, "reasons", aman.ECallReasonsNotCounselling},
		{"a silent call needs no caller type or outcome", func(in *app.CallInput) {
			in.ContactKind, in.NonCounsellingKind, in.Reasons, in.CallerType, in.Outcome = "non_counselling", "silent", nil, "", ""
		}, "", ""},
		{"no start", func(in *app.CallInput) { in.StartedAt = "" }, "started_at", aman.ERequired},
		{"start not RFC 3339", func(in *app.CallInput) { in.StartedAt = "15/03/2026 08:00" }, "started_at", aman.EInvalidCallTime},
		{"end before start", func(in *app.CallInput) {
			in.EndedAt = now.Add(-10 * time.Minute).Format(time.RFC3339)
		}, "ended_at", aman.ECallEndsBeforeStart},
		{"start in the future", func(in *app.CallInput) {
			in.StartedAt = now.Add(time.Hour).Format(time.RFC3339)
		}, "started_at", aman.ECallInFuture},
		{"a thirteen-hour call", func(in *app.CallInput) {
			in.StartedAt = now.Add(-13 * time.Hour).Format(time.RFC3339)
		}, "ended_at", aman.ECallTooLong},
		{"a summary far too long", func(in *app.CallInput) { in.Summary = strings.Repeat("س", app.MaxCallSummary+1) }, "summary", aman.ETextTooLong},
		{"a bad callback answer", func(in *app.CallInput) { in.SafeToCallBack = "maybe" }, "safe_to_call_back", aman.EInvalidCallbackSafety},
		{"a number that is not one", func(in *app.CallInput) { in.CallerNumber = "12" }, "caller_number", aman.EInvalidPhone},
		{"a person who does not exist", func(in *app.CallInput) { in.BeneficiaryID = "nobody" }, "beneficiary_id", aman.ENotFound},
		{"a case that does not exist", func(in *app.CallInput) { in.CaseID = "no-case" }, "case_id", aman.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := counsellingCall(env)
			tt.change(&in)
			call, err := env.Calls.Log(ctx, d.operator, in)
			if aman.ErrorCode(err) != tt.code || aman.ErrorField(err) != tt.field {
				t.Fatalf("error %v (code %q, field %q), want %q on %q", err, aman.ErrorCode(err), aman.ErrorField(err), tt.code, tt.field)
			}
			if tt.code == "" && (call.ID == "" || call.Status != aman.CallLogged || call.OperatorID != d.operator.UserID) {
				t.Fatalf("logged %+v", call)
			}
		})
	}
	// Only the two valid calls were written, each with its audit entry; no refused one left a trace.
	var n int
	if err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM calls`).Scan(&n)
	}); err != nil || n != 2 {
		t.Fatalf("%d calls stored (%v), want 2", n, err)
	}
	if got := len(callAudit(t, env, "call.log")); got != 2 {
		t.Fatalf("%d call.log entries, want 2", got)
	}
	for _, who := range []aman.Actor{d.supervisor, d.workerA, d.admin} {
		if _, err := env.Calls.Log(ctx, who, counsellingCall(env)); aman.ErrorCode(err) != aman.EForbidden {
			t.Errorf("%s logged a call: %v", who.Role, err)
		}
	}
}

func TestLoggedCallKeepsWhatWasSaid(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	in := counsellingCall(env)
	in.Reasons = []string{"custody", "violence_psychological", "custody"}
	in.Risk = aman.CallRisk{Weapon: true, ChildrenPresent: true}
	in.SafeToCallBack = "yes"
	logged, err := env.Calls.Log(ctx, d.operator, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := env.Calls.Get(ctx, d.operator, logged.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Summary != in.Summary || got.CallerType != aman.CallerVictim || got.Outcome != aman.OutcomeCounselling ||
		len(got.Reasons) != 2 || got.Reasons[0] != aman.ReasonViolencePsychological || got.Reasons[1] != aman.ReasonCustody ||
		!got.Risk.Weapon || !got.Risk.ChildrenPresent || got.Risk.ImmediateDanger || got.Duration != 5*time.Minute ||
		got.SafeToCallBack != aman.SafetySafe || got.HasCallerNumber || got.AccessBasis != "call_operator" {
		t.Fatalf("read back %+v", got)
	}
}

// rawDatabase is every value of every row of every table, as the engine stores it: what a copy of the
// database would show someone without the keys.
func rawDatabase(t *testing.T, env *apptest.Env) []byte {
	t.Helper()
	var out bytes.Buffer
	err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		q := `SELECT name FROM sqlite_master WHERE type = 'table'`
		if tx.Engine == store.Postgres {
			q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
		}
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		var tables []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			tables = append(tables, name)
		}
		rows.Close()
		for _, table := range tables {
			rs, err := tx.QueryContext(ctx, `SELECT * FROM `+table)
			if err != nil {
				return err
			}
			cols, _ := rs.Columns()
			for rs.Next() {
				vals := make([]sql.RawBytes, len(cols))
				dest := make([]any, len(cols))
				for i := range vals {
					dest[i] = &vals[i]
				}
				if err := rs.Scan(dest...); err != nil {
					rs.Close()
					return err
				}
				for _, v := range vals {
					out.Write(v)
					out.WriteByte(0)
				}
			}
			rs.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestCallSealingAndRepeatCallers(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	const marker = "QARANFIL-CALL-SUMMARY-MARKER"
	first := counsellingCall(env)
	first.Summary, first.CallerNumber, first.SafeToCallBack = marker, "+974 5555 7319", "yes"
	one, err := env.Calls.Log(ctx, d.operator, first)
	if err != nil {
		t.Fatal(err)
	}
	if one.RepeatCalls != 0 || !one.HasCallerNumber || one.KnownSafety != aman.SafetySafe {
		t.Fatalf("first call %+v", one)
	}
	env.Clock.Advance(time.Hour)
	// The same number, typed as an Arabic keyboard types it, by another operator: recognised.
	second := counsellingCall(env)
	second.CallerNumber = "٥٥٥٥٧٣١٩"
	two, err := env.Calls.Log(ctx, d.otherOperator, second)
	if err != nil {
		t.Fatal(err)
	}
	if two.RepeatCalls != 1 || two.KnownSafety != aman.SafetySafe || two.SafeToCallBack != aman.SafetyUnknown {
		t.Fatalf("second call from the same number: repeat %d, known safety %q", two.RepeatCalls, two.KnownSafety)
	}
	env.Clock.Advance(time.Hour)
	third := counsellingCall(env)
	third.CallerNumber = "+97455550000"
	other, err := env.Calls.Log(ctx, d.operator, third)
	if err != nil || other.RepeatCalls != 0 || other.KnownSafety != aman.SafetyUnknown {
		t.Fatalf("another number: %+v %v", other, err)
	}

	raw := rawDatabase(t, env)
	if !bytes.Contains(raw, []byte("violence_physical")) {
		t.Fatal("the dump holds none of the readable codes, so it proves nothing")
	}
	for _, form := range []string{marker, "+97455557319", "55557319", "5555 7319", "٥٥٥٥٧٣١٩", "Spoke about the night before"} {
		if bytes.Contains(raw, []byte(form)) {
			t.Errorf("the database holds %q in plaintext", form)
		}
	}
	// The blind index is what links the two calls: equal for them, different for the third.
	keys := map[string][]byte{}
	err = env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		for _, id := range []string{one.ID, two.ID, other.ID} {
			var k []byte
			if err := tx.QueryRowContext(ctx, `SELECT caller_key FROM calls WHERE id = $1`, id).Scan(&k); err != nil {
				return err
			}
			keys[id] = k
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys[one.ID]) == 0 || !bytes.Equal(keys[one.ID], keys[two.ID]) || bytes.Equal(keys[one.ID], keys[other.ID]) {
		t.Fatal("the blind index does not tell repeat callers apart")
	}
	if got := env.Keys.BlindIndex("phone", "+97455557319"); bytes.Equal(got, keys[one.ID]) {
		t.Fatal("the caller index can be joined with the registry's phone index")
	}
}

func TestCallsThatNeedTheCentreGoToTriage(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	tests := []struct {
		name    string
		change  func(in *app.CallInput)
		urgency aman.Urgency // "" when the call stays off the queue
	}{
		{"counselling given", func(in *app.CallInput) {}, ""},
		{"a weapon alone is for the operator to act on", func(in *app.CallInput) { in.Risk.Weapon = true }, ""},
		{"immediate danger", func(in *app.CallInput) { in.Risk.ImmediateDanger = true }, aman.UrgencyCritical},
		{"a silent call in immediate danger", func(in *app.CallInput) {
			in.ContactKind, in.NonCounsellingKind, in.Reasons, in.Outcome, in.CallerType = "non_counselling", "silent", nil, "", ""
			in.Risk.ImmediateDanger = true
		}, aman.UrgencyCritical},
		{"an intake", func(in *app.CallInput) { in.Outcome = "intake_to_triage" }, aman.UrgencyNormal},
		{"an intake with a weapon", func(in *app.CallInput) { in.Outcome, in.Risk.Weapon = "intake_to_triage", true }, aman.UrgencyHigh},
		{"an intake from a child about harm", func(in *app.CallInput) { in.Outcome, in.CallerType = "intake_to_triage", "child_self" }, aman.UrgencyCritical},
		{"an intake from a child about custody", func(in *app.CallInput) {
			in.Outcome, in.CallerType, in.Reasons = "intake_to_triage", "child_self", []string{"custody"}
		}, aman.UrgencyNormal},
		{"an emergency escalation", func(in *app.CallInput) { in.Outcome = "emergency_escalation" }, aman.UrgencyCritical},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := counsellingCall(env)
			tt.change(&in)
			call, err := env.Calls.Log(ctx, d.operator, in)
			if err != nil {
				t.Fatal(err)
			}
			if call.Urgency != tt.urgency || (call.IntakeID != "") != (tt.urgency != "") {
				t.Fatalf("urgency %q intake %q, want %q", call.Urgency, call.IntakeID, tt.urgency)
			}
			if tt.urgency == "" {
				return
			}
			intake, err := env.Triage.Get(ctx, d.supervisor, call.IntakeID)
			if err != nil || intake.Channel != aman.ChannelHotline || intake.SourceID != call.ID || intake.Urgency != tt.urgency {
				t.Fatalf("intake %+v %v", intake, err)
			}
			if got, err := env.Calls.Get(ctx, d.operator, call.ID); err != nil || got.IntakeID != intake.ID || got.Urgency != tt.urgency {
				t.Fatalf("the call does not name its intake: %+v %v", got, err)
			}
		})
	}
	// Critical calls alerted the supervisors at once.
	if alerts, _ := env.Notifications.Unread(ctx, d.supervisor); len(alerts) != 4 {
		t.Fatalf("%d alerts for 4 critical calls", len(alerts))
	}
}

func TestWhoMayReadACall(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	k := openCase(t, env, d.workerA)
	in := counsellingCall(env)
	in.BeneficiaryID = k.BeneficiaryID
	linked, err := env.Calls.Log(ctx, d.operator, in)
	if err != nil {
		t.Fatal(err)
	}
	if linked.CaseID != k.ID {
		t.Fatalf("linking the person did not link their open case: %q", linked.CaseID)
	}
	unlinked, err := env.Calls.Log(ctx, d.operator, counsellingCall(env))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		actor aman.Actor
		call  string
		basis string // "" for a refusal
	}{
		{"the operator who took it", d.operator, linked.ID, "call_operator"},
		{"another operator", d.otherOperator, linked.ID, ""},
		{"a supervisor of another unit", d.otherSupervisor, unlinked.ID, "call_supervisor"},
		{"the case's worker", d.workerA, linked.ID, "linked_case"},
		{"a case worker not on the case", d.workerB, linked.ID, ""},
		{"the case's worker, on a call not linked", d.workerA, unlinked.ID, ""},
		{"the administrator", d.admin, linked.ID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := env.Calls.Get(ctx, tt.actor, tt.call)
			if tt.basis == "" {
				if aman.ErrorCode(err) != aman.EForbidden || got.Summary != "" {
					t.Fatalf("read %+v, %v; want forbidden", got, err)
				}
				return
			}
			if err != nil || got.AccessBasis != tt.basis || got.Summary == "" {
				t.Fatalf("read %+v, %v; want basis %s", got, err, tt.basis)
			}
		})
	}
	if n := len(callAudit(t, env, "call.read_denied")); n != 3 {
		t.Errorf("%d refused reads audited, want 3 (the admin never reaches the record)", n)
	}
	if _, err := env.Calls.Get(ctx, d.supervisor, "no-such-call"); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("missing call: %v", err)
	}
}

func TestShiftView(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	old := counsellingCall(env)
	old.CallerNumber = "+97455551111"
	if _, err := env.Calls.Log(ctx, d.operator, old); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(25 * time.Hour)
	mine, err := env.Calls.Log(ctx, d.operator, counsellingCall(env))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := env.Calls.Log(ctx, d.otherOperator, counsellingCall(env))
	if err != nil {
		t.Fatal(err)
	}
	shift, err := env.Calls.Shift(ctx, d.operator, d.operator.UserID)
	if err != nil || len(shift) != 1 || shift[0].ID != mine.ID || shift[0].Summary != "" || len(shift[0].Reasons) != 1 {
		t.Fatalf("own shift: %+v %v", shift, err)
	}
	if _, err := env.Calls.Shift(ctx, d.operator, d.otherOperator.UserID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an operator read a colleague's shift: %v", err)
	}
	if _, err := env.Calls.Shift(ctx, d.operator, ""); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an operator read the whole line: %v", err)
	}
	line, err := env.Calls.Shift(ctx, d.supervisor, "")
	if err != nil || len(line) != 2 || line[0].ID != theirs.ID {
		t.Fatalf("the line: %+v %v", line, err)
	}
	if _, err := env.Calls.Shift(ctx, d.workerA, d.workerA.UserID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a case worker listed calls: %v", err)
	}
}

func unix(n int64) string { return strconv.FormatInt(n, 10) }

func TestTelephonySignaturesAndReplays(t *testing.T) {
	env := apptest.New(t)
	body := []byte(`{"call_ref":"pbx-1","event":"ringing","at":"2026-03-15T09:00:00Z","from":"+97455550001"}`)
	now := env.Clock.Now().Unix()
	good := app.TelephonyDelivery{Body: body, Timestamp: unix(now), Signature: app.Sign([]byte(apptest.TelephonySecret), unix(now), body)}
	stale := func(offset time.Duration) app.TelephonyDelivery {
		ts := unix(now + int64(offset/time.Second))
		return app.TelephonyDelivery{Body: body, Timestamp: ts, Signature: app.Sign([]byte(apptest.TelephonySecret), ts, body)}
	}
	tests := []struct {
		name string
		d    app.TelephonyDelivery
		code string
	}{
		{"a good signature", good, ""},
		{"the same request again", good, app.ETelephonyReplay},
		{"signed with another secret", app.TelephonyDelivery{Body: body, Timestamp: good.Timestamp,
			Signature: app.Sign([]byte("another secret"), good.Timestamp, body)}, app.ETelephonySignature},
		{"a body changed after signing", app.TelephonyDelivery{Body: bytes.Replace(body, []byte("0001"), []byte("0002"), 1),
			Timestamp: good.Timestamp, Signature: good.Signature}, app.ETelephonySignature},
		{"a timestamp changed after signing", app.TelephonyDelivery{Body: body, Timestamp: unix(now + 1), Signature: good.Signature},
			app.ETelephonySignature},
		{"no signature", app.TelephonyDelivery{Body: body, Timestamp: good.Timestamp}, app.ETelephonySignature},
		{"a signature without its scheme", app.TelephonyDelivery{Body: body, Timestamp: good.Timestamp,
			Signature: strings.TrimPrefix(good.Signature, "sha256=")}, app.ETelephonySignature},
		{"six minutes old", stale(-6 * time.Minute), app.ETelephonyStale},
		{"six minutes ahead", stale(6 * time.Minute), app.ETelephonyStale},
		{"four minutes old is fresh", stale(-4 * time.Minute), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.Telephony.Receive(ctx, tt.d)
			if aman.ErrorCode(err) != tt.code {
				t.Fatalf("error %v, want %q", err, tt.code)
			}
		})
	}
	// Replays are refused however long the receipt table has been growing, and old receipts go.
	env.Clock.Advance(10 * time.Minute)
	if _, err := env.Telephone(t, `{"call_ref":"pbx-2","event":"ringing","at":"AT"}`); err != nil {
		t.Fatal(err)
	}
	var receipts int
	if err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM telephony_receipts`).Scan(&receipts)
	}); err != nil || receipts != 1 {
		t.Fatalf("%d receipts kept (%v), want only the fresh one", receipts, err)
	}
	off := &app.Telephony{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}}
	if _, err := off.Receive(ctx, good); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("a webhook without a secret answered %v", err)
	}
	for _, body := range []string{`{"call_ref":"pbx-3","event":"exploded","at":"AT"}`, `{"call_ref":"","event":"ringing","at":"AT"}`,
		`{"call_ref":"pbx-3","event":"ringing","at":"yesterday"}`, `{"call_ref":"pbx-3","event":"ringing","at":"AT","extra":1}`} {
		if _, err := env.Telephone(t, body); err == nil {
			t.Errorf("accepted %s", body)
		}
	}
}

func TestTelephonyEventsOpenAndCompleteCalls(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	steps := []struct {
		body   string
		status aman.CallStatus
	}{
		{`{"call_ref":"pbx-10","event":"ringing","at":"AT","from":"+974 5555 2222"}`, aman.CallDraft},
		{`{"call_ref":"pbx-10","event":"answered","at":"AT","from":"+974 5555 2222","operator":"amal.line"}`, aman.CallDraft},
		{`{"call_ref":"pbx-10","event":"answered","at":"AT","operator":"fatma.line"}`, aman.CallDraft},
		{`{"call_ref":"pbx-10","event":"ended","at":"AT"}`, aman.CallDraft},
	}
	var callID string
	for i, s := range steps {
		env.Clock.Advance(30 * time.Second)
		res, err := env.Telephone(t, s.body)
		if err != nil || res.Status != s.status || (callID != "" && res.CallID != callID) {
			t.Fatalf("step %d: %+v %v", i, res, err)
		}
		callID = res.CallID
	}
	// The draft waits for the operator who answered, and for nobody else.
	drafts, err := env.Calls.Drafts(ctx, d.operator)
	if err != nil || len(drafts) != 1 || drafts[0].ID != callID || !drafts[0].HasCallerNumber || drafts[0].Duration != time.Minute {
		t.Fatalf("drafts: %+v %v", drafts, err)
	}
	if others, _ := env.Calls.Drafts(ctx, d.otherOperator); len(others) != 0 {
		t.Fatalf("another operator sees the draft: %+v", others)
	}
	if _, err := env.Calls.Log(ctx, d.otherOperator, app.CallInput{DraftID: callID, ContactKind: "non_counselling", NonCounsellingKind: "silent"}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("another operator completed the draft: %v", err)
	}
	in := counsellingCall(env)
	in.DraftID, in.StartedAt = callID, ""
	done, err := env.Calls.Log(ctx, d.operator, in)
	if err != nil {
		t.Fatal(err)
	}
	if done.ID != callID || done.Status != aman.CallLogged || done.Duration != time.Minute || done.CallRef != "pbx-10" || !done.HasCallerNumber {
		t.Fatalf("completed %+v", done)
	}
	if _, err := env.Calls.Log(ctx, d.operator, in); aman.ErrorCode(err) != aman.ECallNotDraft {
		t.Fatalf("completed twice: %v", err)
	}
	// A late event changes nothing on a logged call.
	if res, err := env.Telephone(t, `{"call_ref":"pbx-10","event":"missed","at":"AT"}`); err != nil || res.Status != aman.CallLogged {
		t.Fatalf("late event: %+v %v", res, err)
	}
	if n := len(callAudit(t, env, "telephony.answered")); n != 2 {
		t.Fatalf("%d answered events audited, want 2", n)
	}
}

func TestCallbackList(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	// Two missed calls: one from a number that said before it is safe to call back, one from a new number.
	known := counsellingCall(env)
	known.CallerNumber, known.SafeToCallBack = "+97455553333", "yes"
	if _, err := env.Calls.Log(ctx, d.operator, known); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	safe, err := env.Telephone(t, `{"call_ref":"pbx-20","event":"missed","at":"AT","from":"55553333"}`)
	if err != nil || safe.Status != aman.CallMissed {
		t.Fatalf("missed: %+v %v", safe, err)
	}
	env.Clock.Advance(time.Minute)
	unknown, err := env.Telephone(t, `{"call_ref":"pbx-21","event":"ringing","at":"AT","from":"+97455554444"}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Telephone(t, `{"call_ref":"pbx-21","event":"missed","at":"AT"}`); err != nil {
		t.Fatal(err)
	}
	withheld, err := env.Telephone(t, `{"call_ref":"pbx-22","event":"missed","at":"AT","from":"anonymous"}`)
	if err != nil {
		t.Fatal(err)
	}

	list, err := env.Calls.Callbacks(ctx, d.supervisor)
	if err != nil || len(list) != 3 {
		t.Fatalf("callback list: %+v %v", list, err)
	}
	byID := map[string]aman.Call{}
	for _, c := range list {
		byID[c.ID] = c
	}
	if c := byID[safe.CallID]; c.KnownSafety != aman.SafetySafe || c.RepeatCalls != 1 || !c.HasCallerNumber {
		t.Fatalf("missed call from a known number: %+v", c)
	}
	if c := byID[unknown.CallID]; c.KnownSafety != aman.SafetyUnknown || c.RepeatCalls != 0 {
		t.Fatalf("missed call from a new number: %+v", c)
	}
	if byID[withheld.CallID].HasCallerNumber {
		t.Fatal("a withheld number is on record")
	}

	tests := []struct {
		name  string
		actor aman.Actor
		call  string
		code  string
	}{
		{"unknown safety", d.operator, unknown.CallID, aman.ECallbackNotSafe},
		{"no number", d.operator, withheld.CallID, aman.ENoCallerNumber},
		{"a supervisor", d.supervisor, safe.CallID, aman.EForbidden},
		{"a case worker", d.workerA, safe.CallID, aman.EForbidden},
		{"not a missed call", d.operator, "no-such-call", aman.ENotFound},
		{"safe, for an operator", d.operator, safe.CallID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			number, err := env.Calls.RevealNumber(ctx, tt.actor, tt.call)
			if aman.ErrorCode(err) != tt.code {
				t.Fatalf("error %v, want %q", err, tt.code)
			}
			if want := map[bool]string{true: "+97455553333", false: ""}[tt.code == ""]; number != want {
				t.Fatalf("number %q, want %q", number, want)
			}
		})
	}
	if n := len(callAudit(t, env, "callback.reveal")); n != 1 {
		t.Fatalf("%d reveals audited, want 1", n)
	}
	if n := len(callAudit(t, env, "callback.reveal_denied")); n != 2 {
		t.Fatalf("%d refused reveals audited, want 2 (unknown safety, and the supervisor)", n)
	}
	// A later call saying it is no longer safe stops the callback.
	env.Clock.Advance(time.Minute)
	changed := counsellingCall(env)
	changed.CallerNumber, changed.SafeToCallBack = "+97455553333", "no"
	if _, err := env.Calls.Log(ctx, d.otherOperator, changed); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Calls.RevealNumber(ctx, d.operator, safe.CallID); aman.ErrorCode(err) != aman.ECallbackNotSafe {
		t.Fatalf("revealed after the caller said it is not safe: %v", err)
	}
	if err := env.Calls.CloseCallback(ctx, d.operator, safe.CallID); err != nil {
		t.Fatal(err)
	}
	if err := env.Calls.CloseCallback(ctx, d.operator, safe.CallID); aman.ErrorCode(err) != aman.ECallbackClosed {
		t.Fatalf("closed twice: %v", err)
	}
	if list, _ := env.Calls.Callbacks(ctx, d.operator); len(list) != 2 {
		t.Fatalf("%d on the list after closing one, want 2", len(list))
	}
}

// A supervisor chooses whose shift to see among the line's operators: the enabled operators, and anyone
// who logged a call in the last day even if the account has since been disabled. Nobody else is
// offered, and operators get no chooser.
func TestLineOperatorsForTheSupervisorsChooser(t *testing.T) {
	env := apptest.New(t)
	d := newHotlineDesk(t, env)
	gone, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "gone.line", DisplayName: "Zahra", Role: aman.RoleHotlineOperator,
		Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	idle, _, _ := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "idle.line", Role: aman.RoleHotlineOperator, Password: apptest.StrongPassword})
	if _, err := env.Calls.Log(ctx, gone.Actor(), counsellingCall(env)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{gone.ID, idle.ID} {
		if err := env.Accounts.SetDisabled(ctx, apptest.Admin(), id, true); err != nil {
			t.Fatal(err)
		}
	}
	operators, err := env.Calls.Operators(ctx, d.supervisor)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range operators {
		got = append(got, o.DisplayName+"/"+o.Username)
	}
	// By name, the username standing in for a missing display name.
	if want := []string{"Zahra/gone.line", "amal.line/amal.line", "fatma.line/fatma.line"}; !slices.Equal(got, want) {
		t.Fatalf("operators %v, want %v", got, want)
	}
	for _, who := range []aman.Actor{d.operator, d.workerA, d.admin} {
		if _, err := env.Calls.Operators(ctx, who); aman.ErrorCode(err) != aman.EForbidden {
			t.Errorf("%s listed the line's operators: %v", who.Username, err)
		}
	}
	// One operator's shift, chosen by a supervisor, is audited with whose it was.
	if calls, err := env.Calls.Shift(ctx, d.supervisor, gone.ID); err != nil || len(calls) != 1 {
		t.Fatalf("one operator's shift: %v %v", calls, err)
	}
	entries := callAudit(t, env, "call.list")
	if last := entries[0]; last.Detail["operator_id"] != gone.ID || last.ActorID != d.supervisor.UserID {
		t.Fatalf("audit of one operator's shift: %+v", last)
	}
}
