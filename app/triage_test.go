package app_test

import (
	"context"
	"encoding/base64"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/store"
)

func enqueue(t *testing.T, env *apptest.Env, channel aman.Channel, source string, s aman.IntakeSignals) aman.Intake {
	t.Helper()
	var in aman.Intake
	err := env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		in, err = env.Triage.Enqueue(ctx, tx, channel, source, s, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestTriageQueueOrderAndAlerts(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	normal := enqueue(t, env, aman.ChannelReport, "r1", aman.IntakeSignals{})
	env.Clock.Advance(time.Minute)
	high := enqueue(t, env, aman.ChannelConsultation, "c1", aman.IntakeSignals{HighRisk: true})
	env.Clock.Advance(time.Minute)
	critical := enqueue(t, env, aman.ChannelHelpRequest, "h1", aman.IntakeSignals{ChildInDanger: true})
	if critical.Urgency != aman.UrgencyCritical || !critical.DueAt.Equal(critical.ReceivedAt.Add(15*time.Minute)) {
		t.Fatalf("critical intake %+v", critical)
	}
	// Nobody is on duty: every supervisor is alerted.
	for _, sup := range []aman.Actor{s.supervisor, s.otherSupervisor} {
		if alerts, _ := env.Notifications.Unread(ctx, sup); len(alerts) != 1 || alerts[0].Kind != "critical_intake" {
			t.Fatalf("%s alerts: %+v", sup.Username, alerts)
		}
	}
	if err := env.Triage.SetOnDuty(ctx, s.supervisor, true); err != nil {
		t.Fatal(err)
	}
	enqueue(t, env, aman.ChannelHotline, "call1", aman.IntakeSignals{ImmediateDanger: true})
	if alerts, _ := env.Notifications.Unread(ctx, s.otherSupervisor); len(alerts) != 1 {
		t.Fatalf("an off-duty supervisor was alerted while someone was on duty: %d", len(alerts))
	}
	env.Clock.Advance(20 * time.Minute)
	page, err := env.Triage.QueuePage(ctx, s.workerA, app.QueuePage{Limit: app.MaxQueue})
	queue := page.Intakes
	if err != nil || len(queue) != 4 {
		t.Fatalf("queue: %d %v", len(queue), err)
	}
	if queue[0].ID != critical.ID || queue[2].ID != high.ID || queue[3].ID != normal.ID {
		t.Fatalf("order: %v", []aman.Urgency{queue[0].Urgency, queue[1].Urgency, queue[2].Urgency, queue[3].Urgency})
	}
	if !queue[0].Breached || queue[3].Breached {
		t.Fatalf("breaches: critical %v, normal %v", queue[0].Breached, queue[3].Breached)
	}
	if _, err := env.Triage.QueuePage(ctx, s.admin, app.QueuePage{Limit: app.MaxQueue}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an administrator read the queue: %v", err)
	}
}

func TestTriageActions(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	info := enqueue(t, env, aman.ChannelHotline, "call1", aman.IntakeSignals{})
	if err := env.Triage.CloseAsInformation(ctx, s.workerA, info.ID, "because"); aman.ErrorField(err) != "reason" {
		t.Fatalf("unknown reason: %v", err)
	}
	if err := env.Triage.CloseAsInformation(ctx, s.workerA, info.ID, "information_given"); err != nil {
		t.Fatal(err)
	}
	if err := env.Triage.CloseAsInformation(ctx, s.workerB, info.ID, "duplicate"); aman.ErrorCode(err) != app.EIntakeNotOpen {
		t.Fatalf("a second decision: %v", err)
	}
	person, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "هدى"})
	toCase := enqueue(t, env, aman.ChannelReport, "r1", aman.IntakeSignals{})
	k, err := env.Triage.OpenCase(ctx, s.workerA, toCase.ID, person.ID, env.Cases)
	if err != nil || k.Number == "" {
		t.Fatalf("open case from intake: %+v %v", k, err)
	}
	got, _ := env.Triage.Get(ctx, s.workerA, toCase.ID)
	if got.Status != aman.IntakeCaseOpened || got.CaseID != k.ID || got.DecidedBy != s.workerA.UserID {
		t.Fatalf("intake after opening a case: %+v", got)
	}
	linked := enqueue(t, env, aman.ChannelConsultation, "c1", aman.IntakeSignals{})
	if err := env.Triage.LinkToBeneficiary(ctx, s.workerB, linked.ID, person.ID, k.ID, env.Cases); aman.ErrorCode(err) != "break_glass_required" {
		t.Fatalf("linking to a case that is not one's own: %v", err)
	}
	if err := env.Triage.LinkToBeneficiary(ctx, s.workerA, linked.ID, person.ID, k.ID, env.Cases); err != nil {
		t.Fatal(err)
	}
	if q, _ := env.Triage.QueuePage(ctx, s.workerA, app.QueuePage{Limit: app.MaxQueue}); len(q.Intakes) != 0 {
		t.Fatalf("%d intakes still open", len(q.Intakes))
	}
}

// Triage links an intake to one of the person's cases: only a case the person is on, only a case the
// triager may open, and the chooser lists exactly those that are still open.
func TestTriageLinksAnIntakeToOneOfThePersonsCases(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	person, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "هدى"})
	mother, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "أم هدى"})
	stranger, _ := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameAR: "غريبة"})
	own, err := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: person.ID})
	if err != nil {
		t.Fatal(err)
	}
	// The person is also in her mother's case (the household), which worker A does not hold.
	mothers, err := env.Cases.Open(ctx, s.workerB, app.OpenCaseInput{BeneficiaryID: mother.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Cases.AddPerson(ctx, s.workerB, mothers.ID, person.ID, app.PersonHousehold, "child"); err != nil {
		t.Fatal(err)
	}
	closed, _ := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: person.ID})
	closeCaseForTest(t, env, closed.ID)
	strangers, _ := env.Cases.Open(ctx, s.workerA, app.OpenCaseInput{BeneficiaryID: stranger.ID})

	ids := func(list []app.PersonCase) []string {
		var out []string
		for _, k := range list {
			out = append(out, k.ID)
		}
		return out
	}
	tests := []struct {
		name  string
		actor aman.Actor
		want  []string
	}{
		{"worker A sees her own open case only", s.workerA, []string{own.ID}},
		{"worker B sees the mother's case only", s.workerB, []string{mothers.ID}},
		{"the unit's supervisor sees both open cases, newest first", s.supervisor, []string{mothers.ID, own.ID}},
		{"another unit's supervisor sees none", s.otherSupervisor, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.Triage.CasesToLink(ctx, tc.actor, person.ID, env.Cases)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Fatalf("cases %v, want %v", ids(got), tc.want)
			}
		})
	}
	if _, err := env.Triage.CasesToLink(ctx, s.admin, person.ID, env.Cases); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an administrator listed a person's cases: %v", err)
	}

	in := enqueue(t, env, aman.ChannelHotline, "call-link", aman.IntakeSignals{})
	refusals := []struct {
		name         string
		actor        aman.Actor
		caseID, code string
	}{
		{"a case the person is not on", s.workerA, strangers.ID, aman.ENotOnCase},
		{"a case the triager may not open", s.workerA, mothers.ID, "break_glass_required"},
		{"a closed case", s.workerA, closed.ID, aman.EForbidden},
		{"no such case", s.workerA, "no-such-case", aman.ENotFound},
	}
	for _, tc := range refusals {
		if err := env.Triage.LinkToBeneficiary(ctx, tc.actor, in.ID, person.ID, tc.caseID, env.Cases); aman.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if got, _ := env.Triage.Get(ctx, s.workerA, in.ID); got.Status != aman.IntakeOpen {
		t.Fatalf("a refused link decided the intake: %s", got.Status)
	}
	// Her mother's case through the household: the supervisor may.
	if err := env.Triage.LinkToBeneficiary(ctx, s.supervisor, in.ID, person.ID, mothers.ID, env.Cases); err != nil {
		t.Fatal(err)
	}
	got, _ := env.Triage.Get(ctx, s.workerA, in.ID)
	if got.Status != aman.IntakeLinked || got.BeneficiaryID != person.ID || got.CaseID != mothers.ID {
		t.Fatalf("linked intake %+v", got)
	}
	entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "triage.linked"})
	if err != nil || len(entries) != 1 || entries[0].Detail["case_id"] != mothers.ID {
		t.Fatalf("audit of the link: %+v %v", entries, err)
	}
}

// The queue is read a page at a time: walking the "after" cursors reaches every open intake once, in
// the order of the whole queue (most urgent, then oldest, then id for intakes of the same
// millisecond), each page counting the whole open queue. A cursor holds an urgency rank, a time and an
// id, nothing else; a page size outside 1..MaxQueue and a cursor this server did not write are refused
// on their field.
func TestTriageQueueIsReadAPageAtATime(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	signals := []aman.IntakeSignals{{}, {HighRisk: true}, {}, {ChildInDanger: true}, {}, {HighRisk: true}, {}, {ImmediateDanger: true}, {}, {}, {}}
	for i, sig := range signals {
		enqueue(t, env, aman.ChannelReport, "r"+strconv.Itoa(i), sig)
		if i%3 != 0 { // every third intake shares its millisecond with the next
			env.Clock.Advance(time.Minute)
		}
	}
	closed := enqueue(t, env, aman.ChannelHotline, "call-closed", aman.IntakeSignals{})
	if err := env.Triage.CloseAsInformation(ctx, s.workerA, closed.ID, "information_given"); err != nil {
		t.Fatal(err)
	}
	head, err := env.Triage.QueuePage(ctx, s.workerA, app.QueuePage{Limit: app.MaxQueue})
	whole := head.Intakes
	if err != nil || len(whole) != len(signals) {
		t.Fatalf("the whole queue: %d intakes (%v)", len(whole), err)
	}

	// Pages of five end between the last two normal intakes, which share their millisecond.
	const limit = 5
	var walked []string
	var cursor app.QueueCursor
	for pages := 1; ; pages++ {
		got, err := env.Triage.QueuePage(ctx, s.supervisor, app.QueuePage{After: cursor, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if got.Open != len(signals) {
			t.Fatalf("page %d counts %d open intakes, want %d", pages, got.Open, len(signals))
		}
		if len(got.Intakes) == 0 || len(got.Intakes) > limit {
			t.Fatalf("page %d holds %d intakes", pages, len(got.Intakes))
		}
		for _, in := range got.Intakes {
			walked = append(walked, in.ID)
		}
		if !got.HasMore() {
			break
		}
		if last := got.Intakes[len(got.Intakes)-1]; got.Next.ID != last.ID || got.Next.Rank != last.Urgency.Rank() || !got.Next.At.Equal(last.ReceivedAt) {
			t.Fatalf("page %d's cursor %+v is not its last intake", pages, got.Next)
		}
		if pages > len(signals) {
			t.Fatal("the walk does not end")
		}
		cursor = got.Next
	}
	var want []string
	for _, in := range whole {
		want = append(want, in.ID)
	}
	if !slices.Equal(walked, want) {
		t.Fatalf("the walk read\n%q\nwant the whole queue once, in its order:\n%q", walked, want)
	}
	if first, err := env.Triage.QueuePage(ctx, s.workerA, app.QueuePage{}); err != nil || len(first.Intakes) != len(signals) || first.HasMore() {
		t.Fatalf("the default page: %d intakes, more %v (%v)", len(first.Intakes), first.HasMore(), err)
	}

	text := app.QueueCursor{Rank: 1, At: whole[3].ReceivedAt, ID: whole[3].ID}.String()
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil || !regexp.MustCompile(`^[0-2]:[0-9]+:[0-9a-f-]+$`).Match(raw) {
		t.Fatalf("cursor %q holds %q", text, raw)
	}
	tests := []struct {
		name  string
		limit int
		after string
		code  string
		field string
	}{
		{"the most", app.MaxQueue, "", "", ""},
		{"one", 1, "", "", ""},
		{"one too many", app.MaxQueue + 1, "", app.EInvalidQueueLimit, "limit"},
		{"negative", -1, "", app.EInvalidQueueLimit, "limit"},
		{"a cursor", 0, text, "", ""},
		{"not base64", 0, "not a cursor!", app.EInvalidQueueCursor, "after"},
		{"cut short", 0, text[:6], app.EInvalidQueueCursor, "after"},
		{"no rank", 0, b64("1700000000000:abc"), app.EInvalidQueueCursor, "after"},
		{"a negative rank", 0, b64("-1:1700000000000:abc"), app.EInvalidQueueCursor, "after"},
		{"a rank past normal", 0, b64("3:1700000000000:abc"), app.EInvalidQueueCursor, "after"},
		{"a quote in the id", 0, b64("0:1700000000000:x'y"), app.EInvalidQueueCursor, "after"},
		{"no id", 0, b64("0:1700000000000:"), app.EInvalidQueueCursor, "after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := app.QueuePage{Limit: tc.limit}
			var err error
			if tc.after != "" {
				page.After, err = app.ParseQueueCursor(tc.after)
			}
			if err == nil {
				_, err = env.Triage.QueuePage(ctx, s.workerA, page)
			}
			if aman.ErrorCode(err) != tc.code || aman.ErrorField(err) != tc.field {
				t.Fatalf("err = %v, want %q on %q", err, tc.code, tc.field)
			}
		})
	}
	if _, err := env.Triage.QueuePage(ctx, s.admin, app.QueuePage{}); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("an administrator read a page of the queue: %v", err)
	}
}

// The open queue is counted only as far as MaxCountedQueue: a page of a queue that has grown very long
// costs what a page of a short one does, and says the queue holds at least that many.
func TestTheQueueIsCountedUpToALimit(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	err := env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		for i := range app.MaxCountedQueue + 5 {
			if _, err := env.Triage.Enqueue(ctx, tx, aman.ChannelReport, "r"+strconv.Itoa(i), aman.IntakeSignals{}, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := env.Triage.QueuePage(ctx, s.supervisor, app.QueuePage{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Open != app.MaxCountedQueue || !page.CountedInPart() || len(page.Intakes) != app.DefaultQueuePage || !page.HasMore() {
		t.Fatalf("open %d, page of %d, more %v; want %d counted and a full page", page.Open, len(page.Intakes), page.HasMore(), app.MaxCountedQueue)
	}
}
