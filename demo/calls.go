package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
)

// call logs one hotline call that ended just before at: about a third are silent calls, hang-ups and
// the like; the rest are counselling calls, some from families the centre already knows.
func (g *generator) call(ctx context.Context, at time.Time) error {
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
	if _, err := g.svc.Calls.Log(ctx, op, in); err != nil {
		return fmt.Errorf("call: %w", err)
	}
	g.sum.Calls++
	g.bar.add(1)
	return nil
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

// triage is the on-duty supervisor's round of the queue: every intake older than an hour is decided,
// page by page to the end of the queue, as a real round clears it. Intakes about a known family are
// linked to it, the rest closed as information after the call or message dealt with them. (A round that
// took only the head of the queue left 248,883 intakes open at a million.)
func (g *generator) triage(ctx context.Context, at time.Time) error {
	page := app.QueuePage{Limit: app.MaxQueue}
	for {
		queue, err := g.svc.Triage.QueuePage(ctx, g.staff.units[0].supervisor, page)
		if err != nil {
			return fmt.Errorf("triage queue: %w", err)
		}
		if err := g.decide(ctx, at, queue.Intakes); err != nil {
			return err
		}
		if queue.Next.IsZero() {
			return nil
		}
		page.After = queue.Next
	}
}

// decide closes or links the intakes of one page of the queue that are older than an hour.
func (g *generator) decide(ctx context.Context, at time.Time, queue []aman.Intake) error {
	sup := g.staff.units[0].supervisor
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
