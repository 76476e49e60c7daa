package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/risk"
)

// caseState is one case as the simulation walks it through its life, one step per agenda entry.
type caseState struct {
	id, beneficiaryID string
	phone             string
	child             bool
	unit              int
	worker            aman.Actor
	// team is the psychologist and the legal officer on the case, when it has them.
	psychologist, legal *aman.Actor
	stage               stage
	visitsLeft          int
	taskID              string
	goalID              string
}

// stage is where the simulation has taken a case; each names the next thing that happens to it.
type stage uint8

const (
	stageStart stage = iota
	stageAssess
	stagePlan
	stageApprovePlan
	stageWork
	stageReview
	stageClose
	stageApproveClosure
	stageWithdrawn
	stageDone
)

// registerFamily registers a household (at most left persons), opens its case and records what
// brought it in. It returns how many persons it registered.
func (g *generator) registerFamily(ctx context.Context, d int, at time.Time, left int) (int, error) {
	childCase := g.rng.IntN(100) < 35
	members := g.ppl.family(at, childCase)
	if len(members) > left {
		members = members[:left]
	}
	u := 0
	if childCase {
		u = 1
	}
	if g.rng.IntN(5) == 0 {
		u = 2
	}
	un := &g.staff.units[u]
	worker := un.workers[g.rng.IntN(len(un.workers))]
	ids := make([]string, len(members))
	for i, p := range members {
		in := app.BeneficiaryInput{NameAR: p.nameAR, NameEN: p.nameEN, Sex: "male", BirthDate: p.birth.Format(time.DateOnly),
			QID: p.qid, Phone: p.phone, Nationality: p.nat.alpha2, Area: areas[p.area].ar, Zone: strconv.Itoa(p.zone)}
		if p.female {
			in.Sex = "female"
		}
		b, err := g.svc.Beneficiaries.Create(ctx, worker, in)
		if err != nil {
			return 0, fmt.Errorf("register %s: %w", in.Nationality, err)
		}
		ids[i] = b.ID
		g.sum.Beneficiaries++
		g.bar.add(1)
	}
	k, err := g.svc.Cases.Open(ctx, worker, app.OpenCaseInput{BeneficiaryID: ids[0], UnitID: un.id})
	if err != nil {
		return 0, fmt.Errorf("open case: %w", err)
	}
	g.sum.Cases++
	state := &caseState{id: k.ID, beneficiaryID: ids[0], phone: members[0].phone, child: childCase, unit: u, worker: worker,
		visitsLeft: 6 + g.rng.IntN(22)}
	for i := 1; i < len(members); i++ {
		role, rel := app.PersonHousehold, householdRelation(childCase, members[i], members[0])
		if childCase && i == 2 && g.rng.IntN(3) == 0 {
			role, rel = app.PersonPerpetrator, "father"
		}
		if err := g.svc.Cases.AddPerson(ctx, worker, k.ID, ids[i], role, rel); err != nil {
			return 0, fmt.Errorf("add person: %w", err)
		}
	}
	// A third of cases need a psychologist, one in five a legal officer; the supervisor puts them on it.
	var team []string
	if g.rng.IntN(3) == 0 {
		p := un.psychologists[g.rng.IntN(len(un.psychologists))]
		state.psychologist, team = &p, append(team, p.UserID)
	}
	if g.rng.IntN(5) == 0 {
		l := un.legal[g.rng.IntN(len(un.legal))]
		state.legal, team = &l, append(team, l.UserID)
	}
	if len(team) > 0 {
		if err := g.svc.Cases.Assign(ctx, un.supervisor, k.ID, app.CaseAssignment{WorkerID: worker.UserID, TeamIDs: team}); err != nil {
			return 0, fmt.Errorf("assign team: %w", err)
		}
	}
	for range 1 + g.rng.IntN(2) {
		if err := g.incident(ctx, at, state); err != nil {
			return 0, err
		}
	}
	g.bar.add(int64(len(members) + 3))
	g.opened = append(g.opened, state)
	g.schedule(state, d+1+g.rng.IntN(5))
	return len(members), nil
}

// householdRelation is how member relates to the person the case is about.
func householdRelation(childCase bool, member, first person) string {
	switch {
	case !childCase:
		return "child"
	case member.birth.Before(first.birth.AddDate(-15, 0, 0)) && member.female:
		return "mother"
	case member.birth.Before(first.birth.AddDate(-15, 0, 0)):
		return "father"
	}
	return "sibling"
}

func (g *generator) incident(ctx context.Context, at time.Time, k *caseState) error {
	acts := []string{risk.ActPsychologicalAbuse}
	switch r := g.rng.IntN(100); {
	case r < 45:
		acts = append(acts, risk.ActPhysicalAssault)
	case r < 55:
		acts = []string{risk.ActDenialOfResources}
	case r < 60:
		acts = []string{risk.ActUnwantedSexualContact}
	case r < 62:
		acts = []string{risk.ActForcedMarriage}
	}
	rel := pick(g.rng, []string{risk.RelHusband, risk.RelHusband, risk.RelHusband, risk.RelFormerHusband, risk.RelBrother, risk.RelOtherRelative})
	place := aman.PlaceHome
	if g.rng.IntN(6) == 0 {
		place = pick(g.rng, aman.PlaceTypes())
	}
	in := app.IncidentInput{OccurredOn: at.In(qatar).AddDate(0, 0, -g.rng.IntN(60)).Format(time.DateOnly), Place: string(place),
		Acts: acts, PerpetratorRelationships: []string{rel}, Narrative: sentences(g.rng, narrativeSentencesAR, 2, 5)}
	if k.child {
		in.PerpetratorRelationships = []string{pick(g.rng, []string{risk.RelFather, risk.RelFather, risk.RelMother, risk.RelBrother, risk.RelOtherRelative})}
		in.Harms = []string{string(pick(g.rng, aman.Harms()))}
	}
	if _, err := g.svc.Incidents.Record(ctx, k.worker, k.id, in); err != nil {
		return fmt.Errorf("incident: %w", err)
	}
	g.sum.Incidents++
	return nil
}

// step does a case's next piece of work and puts the one after it on the agenda.
func (g *generator) step(ctx context.Context, d int, at time.Time, k *caseState) error {
	sup := g.staff.units[k.unit].supervisor
	today := at.In(qatar)
	var err error
	next := d + 1 + g.rng.IntN(5)
	switch k.stage {
	case stageStart:
		_, err = g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseAssessment})
		k.stage = stageAssess
	case stageAssess:
		err = g.assess(ctx, k)
		// One case in twenty ends before any plan: the person withdraws or cannot be reached.
		if err == nil && g.rng.IntN(20) == 0 {
			_, err = g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseClosed,
				ClosureReason:  pick(g.rng, []aman.ClosureReason{aman.ClosureBeneficiaryWithdrew, aman.ClosureUnreachable, aman.ClosureMovedAway}),
				ClosureOutcome: aman.ClosureOutcomeNotAssessable, Comment: "لم تتمكن المستفيدة من الاستمرار في المتابعة."})
			k.stage = stageWithdrawn
			break
		}
		k.stage = stagePlan
	case stagePlan:
		err = g.plan(ctx, today, k)
		k.stage, next = stageApprovePlan, d+1+g.rng.IntN(2)
	case stageApprovePlan:
		decision := aman.DecisionApprove
		if g.rng.IntN(10) == 0 {
			decision = aman.DecisionReject
		}
		_, err = g.svc.Cases.Decide(ctx, sup, k.id, app.DecisionInput{Decision: decision, Comment: "راجعت الخطة مع الأخصائية."})
		if err == nil && decision == aman.DecisionReject {
			// Revised and sent again.
			_, err = g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseInProgress, Comment: "تم تعديل الخطة حسب الملاحظات."})
			break
		}
		k.stage = stageWork
	case stageWork:
		err = g.visit(ctx, today, k)
		k.visitsLeft--
		next = d + 3 + g.rng.IntN(8)
		if k.visitsLeft <= 0 {
			k.stage = stageReview
		}
	case stageReview:
		_, err = g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseReview, Comment: "اكتملت أغلب أهداف الخطة."})
		k.stage = stageClose
	case stageClose:
		_, err = g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseClosed, ClosureReason: aman.ClosureGoalsMet,
			ClosureOutcome: pick(g.rng, []aman.ClosureOutcome{aman.ClosureOutcomeGoalsAchieved, aman.ClosureOutcomeGoalsAchieved, aman.ClosureOutcomeGoalsPartlyAchieved}),
			Comment:        "تحققت أهداف الخطة وتم الاتفاق على المتابعة بعد الإغلاق."})
		k.stage, next = stageApproveClosure, d+1+g.rng.IntN(3)
	case stageWithdrawn, stageApproveClosure:
		_, err = g.svc.Cases.Decide(ctx, sup, k.id, app.DecisionInput{Decision: aman.DecisionApprove})
		k.stage = stageDone
	}
	if err != nil {
		return fmt.Errorf("case step %d: %w", k.stage, err)
	}
	g.bar.add(1)
	if k.stage != stageDone {
		g.schedule(k, next)
	}
	return nil
}

func (g *generator) assess(ctx context.Context, k *caseState) error {
	yes := func(pct int) bool { return g.rng.IntN(100) < pct }
	sections := map[aman.AssessmentSection]aman.SectionAnswer{}
	for i, spec := range aman.AssessmentForm() {
		if spec.Section == aman.SectionChildNeeds && !k.child {
			continue
		}
		fields := map[string]any{}
		for _, f := range spec.Fields {
			switch f.Kind {
			case aman.FieldYesNo:
				fields[f.Name] = yes(35)
			case aman.FieldCount:
				fields[f.Name] = g.rng.IntN(5)
			case aman.FieldChoice:
				fields[f.Name] = pick(g.rng, f.Choices)
			}
		}
		sections[spec.Section] = aman.SectionAnswer{Text: sectionTextsAR[i%len(sectionTextsAR)], Fields: fields}
	}
	if _, err := g.svc.Assessments.SaveAssessment(ctx, k.worker, k.id, sections); err != nil {
		return fmt.Errorf("assessment: %w", err)
	}
	instrument, items := "dash", 24
	if k.child {
		instrument, items = "child_protection", 14
	}
	// Most cases score standard; a tail scores high, as screening populations do.
	likelihood := []int{10, 20, 30, 55}[g.rng.IntN(4)]
	answers := map[string]bool{}
	for i := 1; i <= items; i++ {
		answers[strconv.Itoa(i)] = yes(likelihood)
	}
	if _, err := g.svc.Assessments.RecordRisk(ctx, k.worker, k.id, app.RiskAssessmentInput{Instrument: instrument, Answers: answers}); err != nil {
		return fmt.Errorf("risk: %w", err)
	}
	if _, err := g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseCarePlan}); err != nil {
		return fmt.Errorf("to care plan: %w", err)
	}
	return nil
}

func (g *generator) plan(ctx context.Context, today time.Time, k *caseState) error {
	tracks := []aman.Track{aman.TrackSocial, aman.TrackPsychological, aman.TrackLegal, aman.TrackVocational, aman.TrackEducation, aman.TrackShelterSafety}
	for i := range 2 + g.rng.IntN(2) {
		goal, err := g.svc.CarePlans.AddGoal(ctx, k.worker, k.id, app.GoalInput{Track: string(tracks[(i+g.rng.IntN(len(tracks)))%len(tracks)]),
			Description: pick(g.rng, goalTextsAR), ResponsibleUserID: k.worker.UserID, DueOn: today.AddDate(0, 2+g.rng.IntN(4), 0).Format(time.DateOnly)})
		if err != nil {
			return fmt.Errorf("goal: %w", err)
		}
		k.goalID = goal.ID
		if _, err := g.svc.CarePlans.AddIntervention(ctx, k.worker, k.id, goal.ID, app.InterventionInput{Description: "جلسات متابعة أسبوعية",
			ResponsibleUserID: k.worker.UserID, DueOn: today.AddDate(0, 1, 0).Format(time.DateOnly)}); err != nil {
			return fmt.Errorf("intervention: %w", err)
		}
	}
	if _, err := g.svc.CarePlans.SaveSafetyPlan(ctx, k.worker, k.id, "الاحتفاظ بأرقام الطوارئ ونسخ الوثائق لدى شخص موثوق، والاتفاق على كلمة سر مع الأسرة.",
		today.AddDate(0, 1, 0).Format(time.DateOnly)); err != nil {
		return fmt.Errorf("safety plan: %w", err)
	}
	task, err := g.svc.Tasks.Create(ctx, k.worker, k.id, app.NewTask{Title: "متابعة هاتفية مع المستفيدة", DueOn: today.AddDate(0, 0, 7+g.rng.IntN(14)).Format(time.DateOnly),
		AssigneeID: k.worker.UserID})
	if err != nil {
		return fmt.Errorf("task: %w", err)
	}
	k.taskID = task.ID
	g.sum.Tasks++
	if _, err := g.svc.Cases.Transition(ctx, k.worker, k.id, app.TransitionInput{To: aman.CaseInProgress, Comment: "الخطة جاهزة للاعتماد."}); err != nil {
		return fmt.Errorf("to in progress: %w", err)
	}
	return nil
}

// visit is a session with the family: a note by whoever saw them, and sometimes a service, progress on
// a goal, or the follow-up task done.
func (g *generator) visit(ctx context.Context, today time.Time, k *caseState) error {
	author, kind := k.worker, policy.NoteGeneral
	switch r := g.rng.IntN(10); {
	case k.psychologist != nil && r < 3:
		author, kind = *k.psychologist, policy.NotePsychological
	case k.legal != nil && r == 3:
		author, kind = *k.legal, policy.NoteLegal
	}
	if _, err := g.svc.Notes.Create(ctx, author, k.id, app.NewNote{Kind: kind, Body: noteText(g.rng)}); err != nil {
		return fmt.Errorf("note: %w", err)
	}
	g.sum.Notes++
	if g.rng.IntN(5) == 0 {
		codes := []string{"counselling_session", "family_counselling", "financial_aid", "in_kind_aid", "legal_aid", "medical_referral",
			"documents", "transport", "education_enrolment", "employment", "shelter_stay", "childcare", "housing"}
		in := app.DeliveryInput{ServiceCode: codes[zipf(g.rng, len(codes))], DeliveredAt: today.Add(-time.Hour).Format(time.RFC3339),
			ProviderUserID: k.worker.UserID, Outcome: string(aman.OutcomeDelivered)}
		if _, err := g.svc.SocialServices.RecordDelivery(ctx, k.worker, k.id, in); err != nil {
			return fmt.Errorf("service: %w", err)
		}
		g.sum.Services++
	}
	if k.goalID != "" && g.rng.IntN(6) == 0 {
		if _, err := g.svc.CarePlans.AddProgressNote(ctx, k.worker, k.id, k.goalID, "تقدم ملحوظ في تحقيق الهدف."); err != nil {
			return fmt.Errorf("progress: %w", err)
		}
	}
	if k.taskID != "" {
		if _, err := g.svc.Tasks.Update(ctx, k.worker, k.taskID, app.TaskChange{Status: aman.TaskDone}); err != nil {
			return fmt.Errorf("task done: %w", err)
		}
		k.taskID = ""
	}
	return nil
}
