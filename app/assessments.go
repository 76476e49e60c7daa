package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/risk"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Assessments are a case's comprehensive assessment (versioned, sealed) and its risk-instrument results,
// with what a serious result sets in motion: a higher case priority and an alert.
type Assessments struct {
	Deps
	instruments *risk.Catalog
}

// NewAssessments builds the service over the embedded risk instruments; it fails if one does not load.
func NewAssessments(deps Deps) (*Assessments, error) {
	catalog, err := risk.LoadCatalog()
	if err != nil {
		return nil, err
	}
	return &Assessments{Deps: deps, instruments: catalog}, nil
}

const assessmentTable = "assessments"

// assessmentColumns are the sealed columns of the sections, by section, without `_sealed`.
func assessmentColumns() []aman.AssessmentSection {
	return []aman.AssessmentSection{aman.SectionSafety, aman.SectionHealth, aman.SectionFamily,
		aman.SectionEducationWork, aman.SectionLegal, aman.SectionChildNeeds}
}

// SaveAssessment stores a new version of the case's comprehensive assessment. Every version is kept;
// the latest is the assessment. Sections left out of this version are empty in it: the form is saved
// whole, so what a worker removed does not linger from an older version.
func (a *Assessments) SaveAssessment(ctx context.Context, actor aman.Actor, caseID string, sections map[aman.AssessmentSection]aman.SectionAnswer) (aman.Assessment, error) {
	clean, err := aman.NormalizeAssessment(sections)
	if err != nil {
		return aman.Assessment{}, err
	}
	out := aman.Assessment{CaseID: caseID, Sections: clean, CreatedBy: actor.UserID}
	id := newID()
	row := a.Keys.Row(assessmentTable, id)
	args := []any{id, caseID}
	for _, section := range assessmentColumns() {
		var sealed seal.Sealed
		if answer, ok := clean[section]; ok {
			doc, err := json.Marshal(answer)
			if err != nil {
				return aman.Assessment{}, err
			}
			if sealed, err = row.Seal(string(section), string(doc)); err != nil {
				return aman.Assessment{}, err
			}
		}
		args = append(args, sealed)
	}
	err = a.onCaseRecords(ctx, actor, caseID, true, "assessment.create", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM assessments WHERE case_id = $1`, caseID).Scan(&out.Version); err != nil {
			return nil, err
		}
		out.CreatedAt = tx.Now
		// UNIQUE (case_id, version) turns a concurrent save of the same version into a conflict
		// instead of two assessments claiming to be the latest.
		_, err := tx.ExecContext(ctx, `INSERT INTO assessments (id, case_id, safety_sealed, health_sealed, family_sealed, education_work_sealed,
			legal_sealed, child_needs_sealed, version, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			append(args, out.Version, actor.UserID, store.Millis(tx.Now))...)
		if store.IsUniqueViolation(err) {
			return nil, aman.Errorf(aman.EConflict, "assessment version %d saved twice", out.Version)
		}
		if err != nil {
			return nil, err
		}
		return map[string]string{"version": strconv.Itoa(out.Version)}, nil
	})
	return out, err
}

// Assessment returns one version of the case's comprehensive assessment, the latest when version is 0,
// and how many versions there are. A case not yet assessed is not_found. The read is audited.
func (a *Assessments) Assessment(ctx context.Context, actor aman.Actor, caseID string, version int) (aman.Assessment, int, error) {
	out := aman.Assessment{CaseID: caseID, Sections: map[aman.AssessmentSection]aman.SectionAnswer{}}
	var versions int
	err := a.onCaseRecords(ctx, actor, caseID, false, "assessment.read", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM assessments WHERE case_id = $1`, caseID).Scan(&versions); err != nil {
			return nil, err
		}
		want := version
		if want == 0 {
			want = versions
		}
		var id string
		var created int64
		sealed := make([]seal.Sealed, len(assessmentColumns()))
		dest := []any{&id, &out.Version, &out.CreatedBy, &created}
		for i := range sealed {
			dest = append(dest, &sealed[i])
		}
		err := tx.QueryRowContext(ctx, `SELECT id, version, created_by, created_at, safety_sealed, health_sealed, family_sealed,
			education_work_sealed, legal_sealed, child_needs_sealed FROM assessments WHERE case_id = $1 AND version = $2`, caseID, want).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, aman.Errorf(aman.ENotFound, "no assessment version %d", want)
		}
		if err != nil {
			return nil, err
		}
		out.CreatedAt = store.Time(created)
		row := a.Keys.Row(assessmentTable, id)
		for i, section := range assessmentColumns() {
			doc, err := row.Open(string(section), sealed[i])
			if err != nil || doc == "" {
				if err != nil {
					return nil, err
				}
				continue
			}
			answer, err := decodeSection(doc)
			if err != nil {
				return nil, err
			}
			out.Sections[section] = answer
		}
		return map[string]string{"version": strconv.Itoa(out.Version)}, nil
	})
	return out, versions, err
}

// decodeSection reads a stored section back. JSON has one number type, so whole numbers are made ints
// again, as NormalizeAssessment stored them.
func decodeSection(doc string) (aman.SectionAnswer, error) {
	var answer aman.SectionAnswer
	if err := json.Unmarshal([]byte(doc), &answer); err != nil {
		return answer, err
	}
	for name, v := range answer.Fields {
		if f, ok := v.(float64); ok && f == math.Trunc(f) {
			answer.Fields[name] = int(f)
		}
	}
	return answer, nil
}

// RiskAssessmentInput is one completed instrument.
type RiskAssessmentInput struct {
	Instrument            string
	Answers               map[string]bool
	ProfessionalJudgement string
}

// Risk bands put the levels of every instrument on one scale, for the rules that do not depend on the
// instrument: the safety plan, the case's risk shown on screens.
const (
	BandLow    = "low"
	BandMedium = "medium"
	BandHigh   = "high"
)

// RiskAssessment is one stored instrument result.
type RiskAssessment struct {
	ID      string
	CaseID  string
	Answers map[string]bool
	risk.Result
	// Band is the result on the common scale.
	Band string
	// IncidentsCounted is how many incidents of the case fell in the instrument's escalation window
	// when it was scored; 0 for instruments without the rule.
	IncidentsCounted int
	CreatedBy        string
	CreatedAt        time.Time
}

// riskBand places a result on the common scale. A level that raises the case's priority (DASH high,
// Danger Assessment severe or extreme, child-protection high) or immediate danger is high; any level
// above an instrument's lowest is medium; the lowest is low.
func riskBand(in risk.Instrument, r risk.Result) string {
	if r.Raises() {
		return BandHigh
	}
	for i, l := range in.Levels {
		if l.Code == r.Level {
			if i > 0 {
				return BandMedium
			}
			break
		}
	}
	return BandLow
}

// bandRank orders bands; "" (not assessed) is below low.
func bandRank(band string) int {
	switch band {
	case BandLow:
		return 1
	case BandMedium:
		return 2
	case BandHigh:
		return 3
	}
	return 0
}

// safetyPlanRequired is the rule that every case at medium or high risk has a safety plan.
func safetyPlanRequired(band string) bool { return bandRank(band) >= bandRank(BandMedium) }

// riskPriority is the case priority a result calls for: critical when a child is in immediate danger,
// high for a result that raises priority, normal otherwise.
func riskPriority(r risk.Result) aman.Priority {
	switch {
	case r.ImmediateDanger:
		return aman.PriorityCritical
	case r.RaisesPriority:
		return aman.PriorityHigh
	}
	return aman.PriorityNormal
}

// Notification kinds of risk results.
const (
	notifyRiskHigh        = "risk_high"
	notifyImmediateDanger = "immediate_danger"
)

// RecordRisk scores a completed instrument for a case and stores the result. DASH's escalation flag
// counts the case's own incidents in the instrument's window; nobody types that number. A result that
// raises priority raises the case's priority (never lowers it) and alerts the unit's supervisors in the
// same transaction; immediate danger makes the case critical and also alerts its assigned worker, at
// once.
func (a *Assessments) RecordRisk(ctx context.Context, actor aman.Actor, caseID string, in RiskAssessmentInput) (RiskAssessment, error) {
	out := RiskAssessment{ID: newID(), CaseID: caseID, Answers: in.Answers, CreatedBy: actor.UserID}
	if in.Instrument == "" {
		return out, aman.FieldError("instrument", aman.ERequired)
	}
	instrument, ok := a.instruments.Get(in.Instrument)
	if !ok {
		return out, aman.FieldError("instrument", aman.EInvalid)
	}
	if out.Answers == nil {
		out.Answers = map[string]bool{}
	}
	answers, err := json.Marshal(out.Answers)
	if err != nil {
		return out, err
	}
	sealedAnswers, err := a.Keys.Row("risk_assessments", out.ID).Seal("answers", string(answers))
	if err != nil {
		return out, err
	}
	err = a.onCaseRecords(ctx, actor, caseID, true, "risk_assessment.create", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		if months := instrument.Flags.EscalationWindowMonths; months > 0 {
			n, err := incidentsWithin(ctx, tx, caseID, months)
			if err != nil {
				return nil, err
			}
			out.IncidentsCounted = n
		}
		result, err := instrument.Score(out.Answers, risk.ScoreOptions{ProfessionalJudgement: in.ProfessionalJudgement, IncidentsLast12Months: out.IncidentsCounted})
		if err != nil {
			return nil, err
		}
		out.Result, out.Band, out.CreatedAt = result, riskBand(instrument, result), tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO risk_assessments (id, case_id, instrument_id, instrument_version, answers_sealed,
			professional_judgement, score, yes_count, score_level, level, band, marac_referral, escalation, immediate_danger, raises_priority,
			incidents_counted, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
			out.ID, caseID, result.InstrumentID, result.Version, sealedAnswers, result.ProfessionalJudgement, result.Score, result.YesCount,
			result.ScoreLevel, result.Level, out.Band, result.MARACReferral, result.Escalation, result.ImmediateDanger, result.RaisesPriority,
			out.IncidentsCounted, actor.UserID, store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		detail := map[string]string{"risk_assessment": out.ID, "instrument": result.InstrumentID, "version": strconv.Itoa(result.Version), "level": result.Level}
		p := riskPriority(result)
		if err := (&Cases{Deps: a.Deps}).raiseRiskPriority(ctx, tx, k.ID, p); err != nil {
			return nil, err
		}
		if k.Priority.Below(p) {
			detail["priority"] = string(p)
		}
		if err := alertRisk(ctx, tx, actor, k, result); err != nil {
			return nil, err
		}
		return detail, nil
	})
	return out, err
}

// alertRisk makes sure a serious result reaches people at once. raiseRiskPriority already alerts the
// unit's supervisors when the result raises the case's priority; a high result on a case already at
// that priority is news too (a new MARAC referral, a worse score), so they are told here then. Immediate
// danger always sends its own alert, to the supervisors and the assigned worker, whatever the priority
// was. Nobody is told what they did themselves, and the alert carries the case id only.
func alertRisk(ctx context.Context, tx *store.Tx, actor aman.Actor, k aman.Case, r risk.Result) error {
	p := riskPriority(r)
	if !r.ImmediateDanger && (!r.Raises() || k.Priority.Below(p)) {
		return nil
	}
	supervisors, err := unitSupervisors(ctx, tx, k.UnitID)
	if err != nil {
		return err
	}
	if r.ImmediateDanger {
		return notify(ctx, tx, recipients(actor, append(supervisors, k.AssignedWorkerID)...), notifyImmediateDanger, "case", k.ID)
	}
	return notify(ctx, tx, recipients(actor, supervisors...), notifyRiskHigh, "case", k.ID)
}

// RiskSummary is the case's risk as screens show it: from the latest result of each instrument.
type RiskSummary struct {
	// Band is the highest band among the latest results; "" when no instrument was scored.
	Band            string
	MARACReferral   bool
	Escalation      bool
	ImmediateDanger bool
	// SafetyPlanMissing: the case is at medium or high risk and has no safety plan.
	SafetyPlanMissing bool
	Priority          aman.Priority
	// Latest holds the latest result of each instrument scored on the case.
	Latest []RiskAssessment
}

// RiskHistory returns the case's risk summary and every stored result, newest first, answers opened.
// The read is audited.
func (a *Assessments) RiskHistory(ctx context.Context, actor aman.Actor, caseID string) (RiskSummary, []RiskAssessment, error) {
	var summary RiskSummary
	var history []RiskAssessment
	err := a.onCaseRecords(ctx, actor, caseID, false, "risk_assessment.list", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		var err error
		if history, err = a.loadRisk(ctx, tx, caseID); err != nil {
			return nil, err
		}
		summary, err = summarizeRisk(ctx, tx, k, history)
		return map[string]string{"count": strconv.Itoa(len(history))}, err
	})
	return summary, history, err
}

func (a *Assessments) loadRisk(ctx context.Context, tx *store.Tx, caseID string) ([]RiskAssessment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, instrument_id, instrument_version, answers_sealed, professional_judgement, score, yes_count,
		score_level, level, band, marac_referral, escalation, immediate_danger, raises_priority, incidents_counted, created_by, created_at
		FROM risk_assessments WHERE case_id = $1 ORDER BY created_at DESC, id DESC`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RiskAssessment
	for rows.Next() {
		r := RiskAssessment{CaseID: caseID}
		var answers seal.Sealed
		var created int64
		if err := rows.Scan(&r.ID, &r.InstrumentID, &r.Version, &answers, &r.ProfessionalJudgement, &r.Score, &r.YesCount, &r.ScoreLevel,
			&r.Level, &r.Band, &r.MARACReferral, &r.Escalation, &r.ImmediateDanger, &r.RaisesPriority, &r.IncidentsCounted, &r.CreatedBy, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = store.Time(created)
		doc, err := a.Keys.Row("risk_assessments", r.ID).Open("answers", answers)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &r.Answers); err != nil {
			return nil, err
		}
		// The instrument version says whether its weights were confirmed; the stored row need not.
		if in, ok := a.instruments.GetVersion(r.InstrumentID, r.Version); ok {
			r.WeightsConfirmed = in.WeightsConfirmed
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// summarizeRisk derives the summary from a case's results, newest first.
func summarizeRisk(ctx context.Context, tx *store.Tx, k aman.Case, newestFirst []RiskAssessment) (RiskSummary, error) {
	s := RiskSummary{Priority: k.Priority}
	seen := map[string]bool{}
	for _, r := range newestFirst {
		if seen[r.InstrumentID] {
			continue
		}
		seen[r.InstrumentID] = true
		s.Latest = append(s.Latest, r)
		if bandRank(r.Band) > bandRank(s.Band) {
			s.Band = r.Band
		}
		s.MARACReferral = s.MARACReferral || r.MARACReferral
		s.Escalation = s.Escalation || r.Escalation
		s.ImmediateDanger = s.ImmediateDanger || r.ImmediateDanger
	}
	if safetyPlanRequired(s.Band) {
		var plans int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM safety_plans WHERE case_id = $1`, k.ID).Scan(&plans); err != nil {
			return s, err
		}
		s.SafetyPlanMissing = plans == 0
	}
	return s, nil
}
