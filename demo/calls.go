package demo

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"aman.qa/aman"
	"aman.qa/aman/app"
)

// drawnCall is one hotline call as drawn, ready to log.
type drawnCall struct {
	operator aman.Actor
	in       app.CallInput
}

// drawCall draws one hotline call that ended just before at: about a third are silent calls, hang-ups
// and the like; the rest are counselling calls, some from families the centre already knows.
func (g *generator) drawCall(at time.Time) drawnCall {
	op := g.operatorAt(at.In(qatar).Hour())
	in := app.CallInput{ContactKind: string(aman.ContactCounselling)}
	var length time.Duration
	if g.rng.IntN(100) < 35 {
		in.ContactKind = string(aman.ContactNonCounselling)
		in.NonCounsellingKind = string(aman.NonCounsellingKinds()[zipf(g.rng, len(aman.NonCounsellingKinds()))])
		length = time.Duration(5+g.rng.IntN(60)) * time.Second
	} else {
		g.counselling(&in)
		// Counselling calls last minutes: most under a quarter of an hour, some much longer.
		length = time.Duration(2+g.rng.IntN(12)+g.rng.IntN(2)*g.rng.IntN(35)) * time.Minute
	}
	started := at.Add(-length - time.Duration(g.rng.IntN(50))*time.Minute).Truncate(time.Second)
	in.StartedAt, in.EndedAt = started.Format(time.RFC3339), started.Add(length).Format(time.RFC3339)
	if in.CallerNumber == "" && g.rng.IntN(10) < 7 {
		in.CallerNumber = g.callerNumber()
	}
	return drawnCall{operator: op, in: in}
}

// logCalls logs an hour's calls, drawn in order first so that the seed decides them whatever the
// order they are logged in. With workers > 1 they are logged concurrently, each in its own
// transaction: ctx must then carry no transaction, and everything they refer to must be committed.
func (g *generator) logCalls(ctx context.Context, at time.Time, n, workers int) error {
	calls := make([]drawnCall, n)
	for i := range calls {
		calls[i] = g.drawCall(at)
	}
	logOne := func(c drawnCall) error {
		if _, err := g.svc.Calls.Log(ctx, c.operator, c.in); err != nil {
			return fmt.Errorf("call: %w", err)
		}
		g.bar.add(1)
		return nil
	}
	if workers <= 1 {
		// In the caller's goroutine and context: under SQLite's day transaction a derived,
		// cancellable context would cost a watching goroutine per statement (see simulate).
		for _, c := range calls {
			if err := logOne(c); err != nil {
				return err
			}
			g.sum.Calls++
		}
		return nil
	}
	var logged atomic.Int64
	var group errgroup.Group
	group.SetLimit(workers)
	for _, c := range calls {
		group.Go(func() error {
			if err := logOne(c); err != nil {
				return err
			}
			logged.Add(1)
			return nil
		})
	}
	err := group.Wait()
	g.sum.Calls += int(logged.Load())
	return err
}

// counselling fills in what a counselling call was about and how it ended.
func (g *generator) counselling(in *app.CallInput) {
	reasons := aman.CallReasons()
	in.CallerType = string(pick(g.rng, []aman.CallerType{aman.CallerVictim, aman.CallerVictim, aman.CallerVictim, aman.CallerChildSelf,
		aman.CallerRelative, aman.CallerRelative, aman.CallerNeighbour, aman.CallerProfessional, aman.CallerAnonymous}))
	in.Reasons = []string{string(reasons[zipf(g.rng, len(reasons))])}
	if g.rng.IntN(3) == 0 {
		in.Reasons = append(in.Reasons, string(pick(g.rng, reasons)))
	}
	in.Summary = sentences(g.rng, summarySentencesAR, 1, 3)
	in.Risk = aman.CallRisk{ImmediateDanger: g.rng.IntN(60) == 0, Weapon: g.rng.IntN(80) == 0, ChildrenPresent: g.rng.IntN(8) == 0,
		SuicideRisk: g.rng.IntN(150) == 0}
	in.SafeToCallBack = pick(g.rng, []string{"yes", "yes", "no", ""})
	outcomes := []aman.CallOutcome{aman.OutcomeInformationGiven, aman.OutcomeCounselling, aman.OutcomeAppointment,
		aman.OutcomeReferral, aman.OutcomeIntakeToTriage, aman.OutcomeEmergencyEscalation}
	in.Outcome = string(outcomes[zipf(g.rng, len(outcomes))])
	// One counselling call in eight is from a family with a case; the operator finds it and links it.
	if len(g.opened) > 0 && g.rng.IntN(8) == 0 {
		k := g.opened[g.rng.IntN(len(g.opened))]
		in.Outcome, in.BeneficiaryID, in.CaseID, in.CallerNumber = string(aman.OutcomeLinkedToCase), k.beneficiaryID, k.id, k.phone
	}
	if in.Risk.ImmediateDanger {
		in.Outcome = string(aman.OutcomeEmergencyEscalation)
	}
}

// callerNumber is the number of a caller the registry does not know; one in five rang before.
func (g *generator) callerNumber() string {
	if len(g.recentNumbers) > 0 && g.rng.IntN(5) == 0 {
		return g.recentNumbers[g.rng.IntN(len(g.recentNumbers))]
	}
	n := "+974" + pick(g.rng, mobilePrefixes) + fmt.Sprintf("%06d", g.rng.IntN(1_000_000))
	if len(g.recentNumbers) < 2000 {
		g.recentNumbers = append(g.recentNumbers, n)
	} else {
		g.recentNumbers[g.rng.IntN(len(g.recentNumbers))] = n
	}
	return n
}

// publicRequest is one request from the three apps: a child's help request, a woman's consultation,
// or a report by anyone.
func (g *generator) publicRequest(ctx context.Context, at time.Time) error {
	in := app.PublicRequestInput{Passphrase: "demo-" + strconv.FormatUint(g.rng.Uint64(), 36), Danger: g.rng.IntN(30) == 0}
	switch g.rng.IntN(3) {
	case 0:
		in.Channel = aman.ChannelHelpRequest
		in.Harms = []string{pick(g.rng, app.Harms())}
		in.Age = strconv.Itoa(8 + g.rng.IntN(10))
		if g.rng.IntN(2) == 0 {
			in.Message = "بابا يضربني لما يعصب وأنا خايف أرجع البيت"
		}
	case 1:
		in.Channel = aman.ChannelConsultation
		in.Kind = pick(g.rng, app.ConsultationKinds())
		in.Message = sentences(g.rng, summarySentencesAR, 1, 3)
	default:
		in.Channel = aman.ChannelReport
		in.About = pick(g.rng, []string{"woman", "child"})
		in.Urgency = pick(g.rng, []string{"normal", "normal", "urgent"})
		in.Message = sentences(g.rng, narrativeSentencesAR, 1, 3)
		in.Area = areas[zipf(g.rng, len(areas))].ar
	}
	// Each sender comes from their own address (documentation range), as the public apps' rate limits expect.
	meta := app.Meta{IP: "198.51.100." + strconv.Itoa(1+g.sum.PublicRequests%250), RequestID: "demo"}
	if _, err := g.svc.PublicIntake.Submit(ctx, meta, in); err != nil {
		return fmt.Errorf("public request: %w", err)
	}
	g.sum.PublicRequests++
	g.bar.add(1)
	return nil
}

// triage is the on-duty supervisor's round of the queue: intakes about a known family are linked to it,
// the rest closed as information after the call or message dealt with them.
func (g *generator) triage(ctx context.Context, at time.Time) error {
	sup := g.staff.units[0].supervisor
	queue, err := g.svc.Triage.Queue(ctx, sup)
	if err != nil {
		return fmt.Errorf("triage queue: %w", err)
	}
	reasons := app.InfoOnlyReasons()
	for _, it := range queue {
		if it.ReceivedAt.After(at.Add(-time.Hour)) {
			continue
		}
		if len(g.opened) > 0 && g.rng.IntN(5) == 0 {
			k := g.opened[g.rng.IntN(len(g.opened))]
			if k.unit == 0 {
				if err := g.svc.Triage.LinkToBeneficiary(ctx, sup, it.ID, k.beneficiaryID, k.id, g.svc.Cases); err != nil {
					return fmt.Errorf("triage link: %w", err)
				}
				continue
			}
		}
		if err := g.svc.Triage.CloseAsInformation(ctx, sup, it.ID, reasons[zipf(g.rng, len(reasons))]); err != nil {
			return fmt.Errorf("triage close: %w", err)
		}
	}
	return nil
}
