package app_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// staff creates a unit and, in it or another, the people a case journey needs.
type staff struct {
	workerA, workerB, supervisor, otherSupervisor, admin, partner aman.Actor
	unit, otherUnit                                               string
}

func newStaff(t *testing.T, env *apptest.Env) staff {
	t.Helper()
	unit, err := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "الوحدة الأولى", NameEN: "Unit one"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := env.Accounts.CreateUnit(ctx, apptest.Admin(), app.Unit{NameAR: "الوحدة الثانية", NameEN: "Unit two"})
	make := func(username string, role aman.Role, unitID string) aman.Actor {
		u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: username, Role: role, UnitID: unitID, Password: apptest.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	return staff{
		workerA: make("worker.a", aman.RoleCaseWorker, unit.ID), workerB: make("worker.b", aman.RoleCaseWorker, unit.ID),
		supervisor: make("super.one", aman.RoleSupervisor, unit.ID), otherSupervisor: make("super.two", aman.RoleSupervisor, other.ID),
		admin: make("admin.x", aman.RoleAdmin, ""), partner: make("hospital.desk", aman.RolePartner, ""),
		unit: unit.ID, otherUnit: other.ID,
	}
}

func openCase(t *testing.T, env *apptest.Env, by aman.Actor) aman.Case {
	t.Helper()
	return openCaseBornOn(t, env, by, "")
}

func TestOpenCaseNumbersPerYear(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	first, second := openCase(t, env, s.workerA), openCase(t, env, s.workerA)
	if first.Number != "AMN-2026-000001" || second.Number != "AMN-2026-000002" {
		t.Fatalf("numbers %s, %s", first.Number, second.Number)
	}
	if first.Status != aman.CaseNew || first.AssignedWorkerID != s.workerA.UserID || first.UnitID != s.unit {
		t.Fatalf("opened %+v", first)
	}
	env.Clock.Advance(300 * 24 * time.Hour)
	next := openCase(t, env, s.workerA)
	if !regexp.MustCompile(`^AMN-2027-000001$`).MatchString(next.Number) {
		t.Fatalf("the first case of a new year is %s", next.Number)
	}
	if _, err := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: "nobody"}); aman.ErrorCode(err) != aman.ENotFound || aman.ErrorField(err) != "beneficiary_id" {
		t.Fatalf("unknown beneficiary: %v", err)
	}
	if _, err := env.Cases.Open(ctx, s.admin, app.OpenCaseInput{BeneficiaryID: first.BeneficiaryID}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an administrator opened a case: %v", err)
	}
}

func TestCaseNeedToKnow(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	tests := []struct {
		name     string
		actor    aman.Actor
		wantCode string
		basis    string
	}{
		{"assigned worker", s.workerA, "", policy.BasisAssigned},
		{"supervisor of the unit", s.supervisor, "", policy.BasisUnitSupervisor},
		{"colleague in the same unit", s.workerB, policy.EBreakGlassRequired, ""},
		{"supervisor of another unit", s.otherSupervisor, policy.EBreakGlassRequired, ""},
		{"administrator", s.admin, aman.EForbidden, ""},
		{"partner", s.partner, aman.EForbidden, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.Cases.Get(ctx, tc.actor, k.ID)
			if aman.ErrorCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want %q", err, tc.wantCode)
			}
			if err == nil && got.AccessBasis != tc.basis {
				t.Fatalf("basis %q, want %q", got.AccessBasis, tc.basis)
			}
		})
	}
	denied, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: "case.read_denied"})
	if len(denied) != 2 {
		t.Fatalf("%d refused reads audited, want 2 (the two who may break the glass; the others stop at their role)", len(denied))
	}
}

func TestBreakGlass(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	if _, err := env.Cases.BreakGlass(ctx, s.workerB, k.ID, "urgent"); aman.ErrorCode(err) != app.EReasonTooShort {
		t.Fatalf("a one-word reason: %v", err)
	}
	if _, err := env.Cases.BreakGlass(ctx, s.workerA, k.ID, "I am already assigned to this case"); aman.ErrorCode(err) != app.EBreakGlassNeedless {
		t.Fatalf("break-glass by the assigned worker: %v", err)
	}
	if _, err := env.Cases.BreakGlass(ctx, s.admin, k.ID, "curious about this particular case"); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("break-glass by an administrator: %v", err)
	}
	reason := "Night duty: the police called about this family and the worker is unreachable"
	expires, err := env.Cases.BreakGlass(ctx, s.workerB, k.ID, reason)
	if err != nil || !expires.Equal(env.Clock.Now().Add(time.Hour)) {
		t.Fatalf("break-glass: %v, expires %v", err, expires)
	}
	got, err := env.Cases.Get(ctx, s.workerB, k.ID)
	if err != nil || got.AccessBasis != policy.BasisBreakGlass || got.BreakGlassExpireAt.IsZero() {
		t.Fatalf("after break-glass: %+v %v", got, err)
	}
	alerts, err := env.Notifications.Unread(ctx, s.supervisor)
	if err != nil || len(alerts) != 1 || alerts[0].Kind != "break_glass" || alerts[0].EntityID != k.ID {
		t.Fatalf("the unit's supervisor was not alerted: %+v %v", alerts, err)
	}
	if other, _ := env.Notifications.Unread(ctx, s.otherSupervisor); len(other) != 0 {
		t.Fatal("another unit's supervisor was alerted")
	}
	entries, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, BreakGlassOnly: true, OpenReasons: true})
	if len(entries) != 2 || entries[1].Action != "break_glass" || entries[1].Reason != reason || entries[0].Action != "case.read" {
		t.Fatalf("break-glass audit: %+v", entries)
	}
	env.Clock.Advance(61 * time.Minute)
	if _, err := env.Cases.Get(ctx, s.workerB, k.ID); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Fatalf("an hour later: %v", err)
	}
}

func TestAssignCase(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.supervisor)
	if k.AssignedWorkerID != "" {
		t.Fatal("a case opened by a supervisor was assigned to them")
	}
	if err := env.Cases.Assign(ctx, s.workerA, k.ID, app.CaseAssignment{WorkerID: s.workerA.UserID}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("a worker assigned a case: %v", err)
	}
	if err := env.Cases.Assign(ctx, s.otherSupervisor, k.ID, app.CaseAssignment{WorkerID: s.workerB.UserID}); aman.ErrorCode(err) != policy.EBreakGlassRequired {
		t.Fatalf("another unit's supervisor assigned a case: %v", err)
	}
	if _, err := env.Cases.BreakGlass(ctx, s.otherSupervisor, k.ID, "Covering the night shift for the other unit tonight"); err != nil {
		t.Fatal(err)
	}
	if err := env.Cases.Assign(ctx, s.otherSupervisor, k.ID, app.CaseAssignment{WorkerID: s.workerB.UserID}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("another unit's supervisor took the case over under break-glass: %v", err)
	}
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.admin.UserID}); aman.ErrorCode(err) != app.ENotCaseStaff {
		t.Fatalf("assigned to an administrator: %v", err)
	}
	if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.workerB.UserID, TeamIDs: []string{s.workerA.UserID}}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []aman.Actor{s.workerA, s.workerB} {
		if _, err := env.Cases.Get(ctx, who, k.ID); err != nil {
			t.Fatalf("%s after assignment: %v", who.Username, err)
		}
		if alerts, _ := env.Notifications.Unread(ctx, who); len(alerts) != 1 || alerts[0].Kind != "case_assigned" {
			t.Fatalf("%s was not told: %+v", who.Username, alerts)
		}
	}
}

// Together puts several use cases in one transaction: what they record commits or rolls back as one,
// and a refusal that must be recorded is kept even though the refusal ends the transaction.
func TestTogetherSharesOneTransactionAndKeepsRefusals(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	count := func(action string) int {
		got, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: action})
		return len(got)
	}
	boom := errors.New("the page failed after reading")
	err := env.Cases.Together(ctx, func(ctx context.Context) error {
		if _, err := env.Cases.Get(ctx, s.workerA, k.ID); err != nil {
			return err
		}
		if _, err := env.Cases.Staff(ctx, s.workerA, k.ID); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || count("case.read") != 0 {
		t.Fatalf("err = %v, %d reads recorded; a failed page records nothing it did not show", err, count("case.read"))
	}
	if err := env.Cases.Together(ctx, func(ctx context.Context) error {
		_, err := env.Cases.Get(ctx, s.workerA, k.ID)
		return err
	}); err != nil || count("case.read") != 1 {
		t.Fatalf("err = %v, %d reads recorded, want 1", err, count("case.read"))
	}
	err = env.Cases.Together(ctx, func(ctx context.Context) error {
		_, err := env.Cases.Get(ctx, s.workerB, k.ID)
		return err
	})
	if aman.ErrorCode(err) != policy.EBreakGlassRequired || count("case.read_denied") != 1 {
		t.Fatalf("stranger inside Together: err = %v, %d refusals recorded, want 1", err, count("case.read_denied"))
	}
}

// Within a page read (Together) each part decides need-to-know afresh, but on the case's facts as
// loaded once for the page; an access for editing reloads them, so a change is never decided on from
// facts read before it. The row is changed behind the use cases' back to see which facts they used.
func TestPageReadLoadsACaseOnceAndAnEditReloadsIt(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.supervisor)
	err := env.Cases.Together(ctx, func(ctx context.Context) error {
		if _, err := env.Cases.Get(ctx, s.supervisor, k.ID); err != nil {
			return err
		}
		tx, _ := store.TxFrom(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET priority = $1 WHERE id = $2`, string(aman.PriorityCritical), k.ID); err != nil {
			return err
		}
		got, err := env.Cases.Get(ctx, s.supervisor, k.ID)
		if err != nil {
			return err
		}
		if got.Priority == aman.PriorityCritical {
			t.Error("the second part of the page loaded the case again")
		}
		if err := env.Cases.Assign(ctx, s.supervisor, k.ID, app.CaseAssignment{WorkerID: s.workerA.UserID}); err != nil {
			return err
		}
		got, err = env.Cases.Get(ctx, s.workerA, k.ID)
		if err != nil {
			return fmt.Errorf("the new worker, after the assignment in the same transaction: %w", err)
		}
		if got.Priority != aman.PriorityCritical || got.AssignedWorkerID != s.workerA.UserID {
			t.Errorf("after an edit the page still decided on the facts from before it: %+v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
