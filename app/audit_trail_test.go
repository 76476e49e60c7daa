package app_test

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/store"
)

// trailFixture is a trail with a small, known history: two people reading cases, one of them under
// break-glass, an hour apart.
type trailFixture struct {
	env     *apptest.Env
	trail   *app.AuditTrail
	auditor aman.Actor
	sara    app.User
	huda    app.User
	// start is when the first case was read; each later entry is an hour after the one before.
	start time.Time
}

const breakGlassReason = "Night call: the mother says the child is in danger now"

func newTrailFixture(t *testing.T) *trailFixture {
	t.Helper()
	env := apptest.New(t)
	sara, _ := env.CreateUser(t, "sara", aman.RoleCaseWorker)
	huda, _ := env.CreateUser(t, "huda", aman.RolePsychologist)
	auditor, _ := env.CreateUser(t, "noor", aman.RoleAuditor)
	fx := &trailFixture{env: env, trail: &app.AuditTrail{Deps: env.Accounts.Deps}, auditor: auditor.Actor(), sara: sara, huda: huda}
	env.Clock.Advance(time.Hour)
	fx.start = env.DB.Now()
	for _, step := range []struct {
		by    app.User
		entry audit.Entry
	}{
		{sara, audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-1"}},
		{sara, audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-2"}},
		{huda, audit.Entry{Action: audit.ActionBreakGlass, Entity: audit.EntityCase, EntityID: "case-1", Reason: breakGlassReason}},
		{huda, audit.Entry{Action: audit.ActionCaseUpdate, Entity: audit.EntityCase, EntityID: "case-1", BreakGlass: true}},
	} {
		appendEntry(t, env, step.by.Actor(), step.entry)
		env.Clock.Advance(time.Hour)
	}
	return fx
}

func appendEntry(t *testing.T, env *apptest.Env, by aman.Actor, e audit.Entry) {
	t.Helper()
	err := env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return env.Audit.Append(ctx, tx, by, e) })
	if err != nil {
		t.Fatal(err)
	}
}

// described names entries as "actor-username action entity-id", newest first, for readable failures.
func described(page app.AuditPage) []string {
	var out []string
	for _, e := range page.Entries {
		out = append(out, page.Usernames[e.ActorID]+" "+e.Action+" "+e.EntityID)
	}
	return out
}

func TestOnlyAuditorsSearchAndExportTheTrail(t *testing.T) {
	fx := newTrailFixture(t)
	for _, role := range aman.Roles() {
		actor := aman.Actor{UserID: "u-" + string(role), Role: role}
		_, searchErr := fx.trail.Search(ctx, actor, app.AuditQuery{})
		exportErr := fx.trail.Export(ctx, actor, app.AuditQuery{}, io.Discard)
		for name, err := range map[string]error{"search": searchErr, "export": exportErr} {
			if allowed := aman.ErrorCode(err) != aman.EForbidden; allowed != (role == aman.RoleAuditor) {
				t.Errorf("%s may %s: %v", role, name, err)
			}
		}
	}
}

func TestSearchFiltersTheTrail(t *testing.T) {
	fx := newTrailFixture(t)
	tests := []struct {
		name  string
		query app.AuditQuery
		want  []string
	}{
		{"who accessed case-1", app.AuditQuery{Filter: audit.Filter{EntityType: "case", EntityID: "case-1"}},
			[]string{"huda case.update case-1", "huda break_glass case-1", "sara case.read case-1"}},
		{"what sara did, by username", app.AuditQuery{Filter: audit.Filter{EntityType: "case"}, Actor: "sara"},
			[]string{"sara case.read case-2", "sara case.read case-1"}},
		{"a username as typed, in capitals with spaces", app.AuditQuery{Filter: audit.Filter{Action: "case.read"}, Actor: "  SARA "},
			[]string{"sara case.read case-2", "sara case.read case-1"}},
		{"what huda did, by id", app.AuditQuery{Actor: fx.huda.ID},
			[]string{"huda case.update case-1", "huda break_glass case-1"}},
		{"one action", app.AuditQuery{Filter: audit.Filter{Action: "break_glass"}}, []string{"huda break_glass case-1"}},
		{"break-glass only", app.AuditQuery{Filter: audit.Filter{BreakGlassOnly: true}},
			[]string{"huda case.update case-1", "huda break_glass case-1"}},
		{"the second and third hours", app.AuditQuery{Filter: audit.Filter{EntityType: "case", From: fx.start.Add(time.Hour), To: fx.start.Add(3 * time.Hour)}},
			[]string{"huda break_glass case-1", "sara case.read case-2"}},
		{"a period in the future", app.AuditQuery{Filter: audit.Filter{From: fx.start.AddDate(1, 0, 0), To: fx.start.AddDate(1, 0, 1)}}, nil},
		{"a system actor's id", app.AuditQuery{Filter: audit.Filter{Action: "case.read"}, Actor: "system:test"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := fx.trail.Search(ctx, fx.auditor, tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := described(page); !slices.Equal(got, tc.want) {
				t.Fatalf("entries %q, want %q", got, tc.want)
			}
			if page.Older != 0 {
				t.Errorf("Older = %d on a page with room to spare", page.Older)
			}
		})
	}
	// The accounts were created by the command line's actor; its entries are found by its id.
	page, err := fx.trail.Search(ctx, fx.auditor, app.AuditQuery{Filter: audit.Filter{Action: audit.ActionUserCreate}, Actor: "system:test"})
	if err != nil || len(page.Entries) != 3 {
		t.Fatalf("user.create by system:test: %d entries, %v", len(page.Entries), err)
	}
}

func TestSearchRefusesQueriesItCannotAnswer(t *testing.T) {
	fx := newTrailFixture(t)
	tests := []struct {
		name      string
		query     app.AuditQuery
		wantCode  string
		wantField string
	}{
		{"unknown username", app.AuditQuery{Actor: "nobody"}, app.EUnknownUser, "actor"},
		{"record id without its type", app.AuditQuery{Filter: audit.Filter{EntityID: "case-1"}}, aman.ERequired, "entity_type"},
		{"period that ends before it starts", app.AuditQuery{Filter: audit.Filter{From: fx.start, To: fx.start.Add(-time.Hour)}}, app.EInvalidDateRange, "to"},
		{"a record id longer than any id", app.AuditQuery{Filter: audit.Filter{EntityType: "case", EntityID: strings.Repeat("x", 257)}}, aman.EInvalid, "entity_id"},
		{"period of no length", app.AuditQuery{Filter: audit.Filter{From: fx.start, To: fx.start}}, app.EInvalidDateRange, "to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, searchErr := fx.trail.Search(ctx, fx.auditor, tc.query)
			exportErr := fx.trail.Export(ctx, fx.auditor, tc.query, io.Discard)
			for _, err := range []error{searchErr, exportErr} {
				if aman.ErrorCode(err) != tc.wantCode || aman.ErrorField(err) != tc.wantField {
					t.Fatalf("err = %v, want %s on %s", err, tc.wantCode, tc.wantField)
				}
			}
		})
	}
	// A refused export exported nothing, so it recorded nothing.
	entries, err := fx.env.Audit.Query(ctx, fx.env.DB, audit.Filter{Action: audit.ActionExportCSV})
	if err != nil || len(entries) != 0 {
		t.Fatalf("refused exports left %d entries (%v)", len(entries), err)
	}
}

func TestSearchPagesWithoutSkippingOrRepeating(t *testing.T) {
	fx := newTrailFixture(t)
	all, err := fx.env.Audit.Query(ctx, fx.env.DB, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 2, 3, len(all), len(all) + 1} {
		var seqs []int64
		query := app.AuditQuery{Filter: audit.Filter{Limit: size}}
		for pages := 0; ; pages++ {
			if pages > len(all) {
				t.Fatalf("page size %d: paging does not end", size)
			}
			page, err := fx.trail.Search(ctx, fx.auditor, query)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Entries) > size {
				t.Fatalf("page size %d: a page of %d", size, len(page.Entries))
			}
			for _, e := range page.Entries {
				seqs = append(seqs, e.Seq)
			}
			if page.Older == 0 {
				break
			}
			// An entry written between two pages must not shift the pages.
			appendEntry(t, fx.env, fx.sara.Actor(), audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-9"})
			query.BeforeSeq = page.Older
		}
		var want []int64
		for _, e := range all {
			want = append(want, e.Seq)
		}
		if !slices.Equal(seqs, want) {
			t.Fatalf("page size %d: seqs %v, want %v", size, seqs, want)
		}
		all, _ = fx.env.Audit.Query(ctx, fx.env.DB, audit.Filter{})
	}
}

func TestSearchNamesActorsWithoutOpeningReasons(t *testing.T) {
	fx := newTrailFixture(t)
	page, err := fx.trail.Search(ctx, fx.auditor, app.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{fx.sara.ID: "sara", fx.huda.ID: "huda"}
	if len(page.Usernames) != len(want) || page.Usernames[fx.sara.ID] != "sara" || page.Usernames[fx.huda.ID] != "huda" {
		t.Errorf("usernames %v, want %v (system actors have no account)", page.Usernames, want)
	}
	sealed := 0
	for _, e := range page.Entries {
		if e.HasReason {
			sealed++
		}
		if e.Reason != "" {
			t.Errorf("entry %d shows its reason unasked", e.Seq)
		}
	}
	if sealed != 1 {
		t.Errorf("%d entries with a sealed reason, want 1", sealed)
	}
	if opened, _ := fx.env.Audit.Query(ctx, fx.env.DB, audit.Filter{Action: app.ActionAuditReasonsOpen}); len(opened) != 0 {
		t.Errorf("a search that opened no reason was recorded as opening them")
	}
}

func TestOpeningReasonsIsRecorded(t *testing.T) {
	fx := newTrailFixture(t)
	page, err := fx.trail.Search(ctx, fx.auditor, app.AuditQuery{Filter: audit.Filter{BreakGlassOnly: true, OpenReasons: true}, Actor: "huda"})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range page.Entries {
		if e.Reason != "" {
			reasons = append(reasons, e.Reason)
		}
	}
	if !slices.Equal(reasons, []string{breakGlassReason}) {
		t.Fatalf("reasons %q", reasons)
	}
	opened, err := fx.env.Audit.Query(ctx, fx.env.DB, audit.Filter{Action: app.ActionAuditReasonsOpen})
	if err != nil || len(opened) != 1 {
		t.Fatalf("%d reasons_open entries (%v), want 1", len(opened), err)
	}
	got := opened[0]
	if got.ActorID != fx.auditor.UserID || got.Detail["actor_id"] != fx.huda.ID || got.Detail["break_glass_only"] != "true" {
		t.Errorf("entry %+v", got)
	}
	for _, value := range got.Detail {
		if strings.Contains(value, "huda") {
			t.Errorf("the entry names the person searched for: %v", got.Detail)
		}
	}
}

// orderWitness is an export's destination that, at its first write, checks that the export has already
// been recorded.
type orderWitness struct {
	env *apptest.Env
	strings.Builder
	recorded bool
	checked  bool
}

func (w *orderWitness) Write(p []byte) (int, error) {
	if !w.checked {
		w.checked = true
		entries, err := w.env.Audit.Query(ctx, w.env.DB, audit.Filter{Action: audit.ActionExportCSV})
		w.recorded = err == nil && len(entries) == 1
	}
	return w.Builder.Write(p)
}

func TestExportRecordsItselfThenStreamsTheSelection(t *testing.T) {
	fx := newTrailFixture(t)
	w := &orderWitness{env: fx.env}
	from := fx.start.Add(-time.Minute)
	if err := fx.trail.Export(ctx, fx.auditor, app.AuditQuery{Filter: audit.Filter{EntityType: "case", EntityID: "case-1", From: from}}, w); err != nil {
		t.Fatal(err)
	}
	if !w.recorded {
		t.Fatal("the first bytes were written before the export was recorded")
	}
	rows, err := csv.NewReader(strings.NewReader(w.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "seq" || rows[0][4] != "action" {
		t.Fatalf("rows %q: want a header and three entries", rows)
	}
	var actions []string
	for _, row := range rows[1:] {
		actions = append(actions, row[4]+" "+row[6]+" "+row[11])
	}
	if want := []string{"case.update case-1 ", "break_glass case-1 " + audit.ReasonSealed, "case.read case-1 "}; !slices.Equal(actions, want) {
		t.Fatalf("exported %q, want %q", actions, want)
	}
	exports, err := fx.env.Audit.Query(ctx, fx.env.DB, audit.Filter{Action: audit.ActionExportCSV})
	if err != nil || len(exports) != 1 {
		t.Fatalf("%d export entries (%v)", len(exports), err)
	}
	want := map[string]string{"entity": "case", "entity_id": "case-1", "from": from.UTC().Format(time.RFC3339)}
	if e := exports[0]; e.ActorID != fx.auditor.UserID || e.Entity != "audit_log" || len(e.Detail) != len(want) ||
		e.Detail["entity"] != want["entity"] || e.Detail["entity_id"] != want["entity_id"] || e.Detail["from"] != want["from"] {
		t.Errorf("export entry %+v, want detail %v", e, want)
	}
}
