// Package risk scores risk-assessment instruments (DASH, the Danger Assessment, the child-protection
// screen) and classifies incidents by the GBVIMS typology.
//
// Instruments are data, not code: each version is a JSON file under instruments/, embedded in the
// binary and parsed by LoadCatalog. A corrected translation or a confirmed set of weights is a new
// file with a higher version; nothing in Go changes, and assessments already stored keep naming
// the version they were scored with, so they can always be shown and re-scored as they were.
//
// Everything here is a pure function of its arguments. The package keeps no mutable state of its
// own: the catalog lives wherever the caller keeps the value LoadCatalog returned.
package risk

import "aman.qa/aman"

// Instrument identifiers of the definitions shipped in instruments/.
const (
	DASH             = "dash"
	DangerAssessment = "danger_assessment"
	ChildProtection  = "child_protection"
)

// Scoring methods a definition may name.
const (
	// CountYes scores the number of items answered yes; every item weighs exactly 1.
	CountYes = "count_yes"
	// WeightedSum scores the sum of the weights of the items answered yes.
	WeightedSum = "weighted_sum"
)

// Error codes particular to this package. Like the codes in package aman, each is also the i18n key
// of the message a person sees.
const (
	// EUnknownItem: an answer names an item the instrument does not have. It is refused rather than
	// ignored because it almost always means the form was built from another instrument or version,
	// and scoring it would silently understate the risk.
	EUnknownItem = "unknown_item"
	// EUnknownAct: an act is not in the GBVIMS vocabulary of Acts.
	EUnknownAct = "unknown_act"
)

// Text is a string in both languages the centre works in. Both are required: a question a
// caseworker cannot read in the survivor's language cannot be asked.
type Text struct {
	AR string `json:"ar"`
	EN string `json:"en"`
}

// Item is one yes/no question.
type Item struct {
	ID     string `json:"id"`
	Text   Text   `json:"text"`
	Weight int    `json:"weight"`
	// ImmediateDanger marks a question whose "yes" means the person is in danger now. It sets
	// Result.ImmediateDanger whatever the score, because an alert must not wait for a threshold.
	ImmediateDanger bool `json:"immediate_danger,omitempty"`
}

// Level is one band of the score. Levels are ordered from least to most serious and a score falls
// in the last level whose Min it reaches.
type Level struct {
	Min  int    `json:"min"`
	Code string `json:"code"`
	Name Text   `json:"name"`
	// MARACReferral: reaching this level means the case must be referred to the multi-agency risk
	// assessment conference.
	MARACReferral bool `json:"marac_referral,omitempty"`
	// RaisesPriority: reaching this level raises the case's priority and alerts a supervisor.
	RaisesPriority bool `json:"raises_priority,omitempty"`
}

// Flags switch on the optional rules of an instrument.
type Flags struct {
	// ProfessionalJudgement lets a practitioner name a level that raises, never lowers, the scored
	// one: a checklist can miss what a trained person sees, but a person must not be able to argue
	// a high score away.
	ProfessionalJudgement bool `json:"professional_judgement,omitempty"`
	// EscalationIncidents is how many incidents within EscalationWindowMonths set Result.Escalation;
	// 0 means the instrument has no escalation rule. The window is carried so that callers count
	// incidents over the period the definition means, not one hard-coded elsewhere.
	EscalationIncidents    int `json:"escalation_incidents,omitempty"`
	EscalationWindowMonths int `json:"escalation_window_months,omitempty"`
}

// Instrument is one version of a risk-assessment instrument. Obtain it from a Catalog: Score
// refuses an Instrument that did not come through LoadCatalog's validation.
type Instrument struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Name    Text   `json:"name"`
	Source  string `json:"source"`
	Scoring string `json:"scoring"`
	// WeightsConfirmed is false until the centre has confirmed the weights and thresholds; screens
	// should say so next to the level, so nobody mistakes a provisional band for a validated one.
	WeightsConfirmed bool    `json:"weights_confirmed"`
	Notes            Text    `json:"notes"`
	Flags            Flags   `json:"flags"`
	Items            []Item  `json:"items"`
	Levels           []Level `json:"levels"`

	// index maps item id to its position in Items. It is built once by the catalog and only read
	// afterwards, so copies of an Instrument may share it safely.
	index map[string]int
}

// ScoreOptions are the inputs to a score besides the answers. The JSON names are those of the HTTP
// contract.
type ScoreOptions struct {
	// ProfessionalJudgement is a level code, or "" for none. It is refused by instruments without
	// Flags.ProfessionalJudgement, rather than ignored, so a practitioner is never led to believe
	// her judgement was recorded when it was not.
	ProfessionalJudgement string `json:"professional_judgement,omitempty"`
	// IncidentsLast12Months is the number of incidents in the case within the instrument's
	// escalation window (Flags.EscalationWindowMonths; 12 for DASH).
	IncidentsLast12Months int `json:"incidents_last_12_months,omitempty"`
}

// ScoreRequest is the body of POST /api/v1/instruments/{id}/score:
//
//	{"answers":{"1":true,…,"24":false},"professional_judgement":"high"}
type ScoreRequest struct {
	Answers map[string]bool `json:"answers"`
	ScoreOptions
}

// Result is the outcome of scoring. It marshals to the HTTP contract's names (yes_count, level,
// marac_referral) plus the detail a case record keeps.
type Result struct {
	InstrumentID string `json:"instrument_id"`
	Version      int    `json:"version"`
	YesCount     int    `json:"yes_count"`
	// WeightedScore is the sum of the weights of the yes answers; for count_yes it equals YesCount.
	WeightedScore int `json:"weighted_score"`
	// Score is the number compared with the level thresholds.
	Score int `json:"score"`
	// ScoreLevel is the level the score alone reaches; Level is the final one, after judgement.
	// Both are kept so the record shows when, and by how much, a practitioner raised it.
	ScoreLevel            string `json:"score_level"`
	Level                 string `json:"level"`
	ProfessionalJudgement string `json:"professional_judgement,omitempty"`
	MARACReferral         bool   `json:"marac_referral"`
	Escalation            bool   `json:"escalation"`
	// ImmediateDanger is reported apart from the level: the caller must alert at once when it is
	// true, whatever the level says.
	ImmediateDanger  bool `json:"immediate_danger"`
	RaisesPriority   bool `json:"raises_priority"`
	WeightsConfirmed bool `json:"weights_confirmed"`
}

// Raises reports whether the result must raise the case's priority and alert a supervisor: the final
// level is one the definition marks raises_priority (DASH high, DA severe or extreme, child high),
// or the child is in immediate danger.
func (r Result) Raises() bool {
	return r.RaisesPriority || r.ImmediateDanger
}

// Item returns the item with the given id.
func (in Instrument) Item(id string) (Item, bool) {
	i, ok := in.index[id]
	if !ok {
		return Item{}, false
	}
	return in.Items[i], true
}

// Level returns the level with the given code.
func (in Instrument) Level(code string) (Level, bool) {
	if i := in.levelRank(code); i >= 0 {
		return in.Levels[i], true
	}
	return Level{}, false
}

// Score scores one completed instrument. Answers are keyed by item id; an item left out counts as
// "no", because a question not asked is not evidence of risk, and the form may be saved part-done.
// An answer for an item the instrument lacks is an error with code EUnknownItem.
func (in Instrument) Score(answers map[string]bool, opts ScoreOptions) (Result, error) {
	if in.index == nil || len(in.Levels) == 0 {
		return Result{}, aman.Errorf(aman.EInternal, "risk: instrument %q v%d was not loaded from a catalog", in.ID, in.Version)
	}
	if opts.IncidentsLast12Months < 0 {
		return Result{}, aman.FieldError("incidents_last_12_months", aman.EInvalid)
	}
	judged := -1
	if opts.ProfessionalJudgement != "" {
		if !in.Flags.ProfessionalJudgement {
			return Result{}, aman.FieldError("professional_judgement", aman.EInvalid)
		}
		if judged = in.levelRank(opts.ProfessionalJudgement); judged < 0 {
			return Result{}, aman.FieldError("professional_judgement", aman.EInvalid)
		}
	}

	r := Result{InstrumentID: in.ID, Version: in.Version, WeightsConfirmed: in.WeightsConfirmed}
	unknown, haveUnknown := "", false
	for id, yes := range answers {
		i, ok := in.index[id]
		if !ok {
			// Keep the smallest unknown id so the error does not depend on map order.
			if !haveUnknown || id < unknown {
				unknown, haveUnknown = id, true
			}
			continue
		}
		if !yes {
			continue
		}
		it := &in.Items[i]
		r.YesCount++
		r.WeightedScore += it.Weight
		r.ImmediateDanger = r.ImmediateDanger || it.ImmediateDanger
	}
	if haveUnknown {
		return Result{}, aman.FieldError(answerField(unknown), EUnknownItem)
	}

	r.Score = r.WeightedScore
	if in.Scoring == CountYes {
		r.Score = r.YesCount
	}
	scored := in.levelFor(r.Score)
	final := max(scored, judged)
	r.ScoreLevel = in.Levels[scored].Code
	r.Level = in.Levels[final].Code
	r.ProfessionalJudgement = opts.ProfessionalJudgement
	r.MARACReferral = in.Levels[final].MARACReferral
	r.RaisesPriority = in.Levels[final].RaisesPriority || r.ImmediateDanger
	r.Escalation = in.Flags.EscalationIncidents > 0 && opts.IncidentsLast12Months >= in.Flags.EscalationIncidents
	return r, nil
}

// levelFor returns the index of the level a score falls in. Validation guarantees Levels[0].Min is
// 0 and the thresholds rise, and scores are never negative, so the answer is always in range.
func (in Instrument) levelFor(score int) int {
	i := 0
	for j := 1; j < len(in.Levels) && in.Levels[j].Min <= score; j++ {
		i = j
	}
	return i
}

// levelRank returns the index of the level with the given code, or -1. The index is the level's
// seriousness, which is what "raise, never lower" compares.
func (in Instrument) levelRank(code string) int {
	for i := range in.Levels {
		if in.Levels[i].Code == code {
			return i
		}
	}
	return -1
}

// answerField names the field of an unknown answer. The id is echoed only when it looks like an
// item id: the key comes from the client, and free text typed into the wrong place must not travel
// on into error messages and logs.
func answerField(id string) string {
	if isItemID(id) {
		return "answers." + id
	}
	return "answers"
}

// clone returns a copy of in whose slices the caller may modify without touching the catalog.
func (in Instrument) clone() Instrument {
	in.Items = append([]Item(nil), in.Items...)
	in.Levels = append([]Level(nil), in.Levels...)
	return in
}
