package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
	"aman.qa/aman/risk"
	"aman.qa/aman/session"
)

const viewCaseRisk = "case_risk"

// caseRiskView is the risk summary at the top of the case page: the latest result of each instrument,
// the flags a result raises, and the priorities it sets.
type caseRiskView struct {
	// Band is the case's risk on the common scale (app.BandLow…); "" when nothing was scored.
	Band              string
	MARAC             bool
	Escalation        bool
	ImmediateDanger   bool
	SafetyPlanMissing bool
	Priority          aman.Priority
	// RiskPriority is the priority the latest risk result set; "" before any.
	RiskPriority aman.Priority
	Results      []riskResultView
	// Instruments are offered to run; empty for those who may not change the case.
	Instruments []riskInstrumentLink
	Notice      string
}

// riskResultView is the latest result of one instrument, in the page's language.
type riskResultView struct {
	Instrument string
	Level      string
	Band       string
	Score      int
	// JudgedFrom is the level the score alone reached when professional judgement raised it; "" otherwise.
	JudgedFrom       string
	MARAC            bool
	Escalation       bool
	ImmediateDanger  bool
	WeightsConfirmed bool
	By               string
	At               shownTime
}

type riskInstrumentLink struct {
	ID               string
	Name             string
	WeightsConfirmed bool
}

// instrumentText is a text of an instrument in lang.
func instrumentText(lang i18n.Lang, t risk.Text) string {
	if lang == i18n.English {
		return t.EN
	}
	return t.AR
}

func (c careContext) riskSection(k aman.Case, s app.RiskSummary) caseRiskView {
	v := caseRiskView{Band: s.Band, MARAC: s.MARACReferral, Escalation: s.Escalation, ImmediateDanger: s.ImmediateDanger,
		SafetyPlanMissing: s.SafetyPlanMissing, Priority: k.Priority, RiskPriority: k.RiskPriority, Notice: c.notice(doneRisk)}
	for _, r := range s.Latest {
		res := riskResultView{Instrument: r.InstrumentID, Level: r.Level, Band: r.Band, Score: r.Score, MARAC: r.MARACReferral,
			Escalation: r.Escalation, ImmediateDanger: r.ImmediateDanger, WeightsConfirmed: r.WeightsConfirmed, By: c.name(r.CreatedBy),
			At: showTime(r.CreatedAt, c.h.zone)}
		// A result names the version it was scored with, whose words it is shown in.
		if in, ok := c.h.instruments.GetVersion(r.InstrumentID, r.Version); ok {
			res.Instrument = instrumentText(c.lang, in.Name)
			if l, ok := in.Level(r.Level); ok {
				res.Level = instrumentText(c.lang, l.Name)
			}
			if r.ScoreLevel != r.Level {
				if l, ok := in.Level(r.ScoreLevel); ok {
					res.JudgedFrom = instrumentText(c.lang, l.Name)
				}
			}
		}
		v.Results = append(v.Results, res)
	}
	if c.staff.MayEdit {
		for _, in := range c.h.instruments.List() {
			v.Instruments = append(v.Instruments, riskInstrumentLink{ID: in.ID, Name: instrumentText(c.lang, in.Name), WeightsConfirmed: in.WeightsConfirmed})
		}
	}
	return v
}

// riskFormView is the page that runs one instrument on a case: its questions in the page's language,
// from the instrument's definition, as yes/no choices.
type riskFormView struct {
	CaseID     string
	CaseNumber string
	// BreakGlass is set when the case is open on a break-glass grant: the page says so, as the case page does.
	BreakGlass bool
	Instrument string
	Name       string
	Notes      string
	Source     string
	// WeightsConfirmed is false while the centre has not confirmed the instrument's weights and
	// thresholds: the page says the level will be provisional.
	WeightsConfirmed bool
	Items            []riskItemView
	// Judgement offers the professional judgement, for instruments that take one.
	Judgement []option
	// EscalationIncidents and EscalationMonths describe the escalation rule, counted from the case's
	// incidents; 0 for instruments without one.
	EscalationIncidents int
	EscalationMonths    int
	formState
}

type riskItemView struct {
	ID              string
	Number          int
	Text            string
	ImmediateDanger bool
	// Answer is "yes", "no" or "" (not answered).
	Answer string
}

// Answers as a risk form posts them.
const (
	answerYes = "yes"
	answerNo  = "no"
)

// showRiskForm opens an instrument's form for someone who may change the case. A colleague to whom the
// case is not open is offered break-glass, as on the case page.
func (h *Handler) showRiskForm(w http.ResponseWriter, r *http.Request) {
	form, err := h.riskForm(r, nil)
	if err != nil {
		h.showCaseRefusal(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewCaseRisk, "case.risk.form_title", form)
}

// riskForm builds the form of the instrument named by the path, with typed answers when a failed save
// brings it back. Reading the case goes through app (an audited read); the form is refused to whoever
// may not change the case.
func (h *Handler) riskForm(r *http.Request, typed *app.RiskAssessmentInput) (riskFormView, error) {
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	in, ok := h.instruments.Get(r.PathValue("instrument"))
	if !ok {
		return riskFormView{}, aman.Errorf(aman.ENotFound, "no such instrument")
	}
	k, err := h.cases.Get(ctx, actor, r.PathValue("id"))
	if err != nil {
		return riskFormView{}, err
	}
	staff, err := h.cases.RecordStaff(ctx, actor, k.ID, nil)
	if err != nil {
		return riskFormView{}, err
	}
	if !staff.MayEdit {
		return riskFormView{}, aman.Errorf(aman.EForbidden, "may not change the case")
	}
	lang := langOf(r)
	form := riskFormView{CaseID: k.ID, CaseNumber: k.Number, BreakGlass: k.AccessBasis == policy.BasisBreakGlass, Instrument: in.ID, Name: instrumentText(lang, in.Name), Notes: instrumentText(lang, in.Notes),
		Source: in.Source, WeightsConfirmed: in.WeightsConfirmed, EscalationIncidents: in.Flags.EscalationIncidents,
		EscalationMonths: in.Flags.EscalationWindowMonths}
	for i, it := range in.Items {
		item := riskItemView{ID: it.ID, Number: i + 1, Text: instrumentText(lang, it.Text), ImmediateDanger: it.ImmediateDanger}
		if typed != nil {
			if yes, ok := typed.Answers[it.ID]; ok {
				item.Answer = answerNo
				if yes {
					item.Answer = answerYes
				}
			}
		}
		form.Items = append(form.Items, item)
	}
	if in.Flags.ProfessionalJudgement {
		chosen := ""
		if typed != nil {
			chosen = typed.ProfessionalJudgement
		}
		form.Judgement = []option{{Value: "", Label: h.bundle.T(lang, "case.risk.judgement_none"), Selected: chosen == ""}}
		for _, l := range in.Levels {
			form.Judgement = append(form.Judgement, option{Value: l.Code, Label: instrumentText(lang, l.Name), Selected: l.Code == chosen})
		}
	}
	return form, nil
}
