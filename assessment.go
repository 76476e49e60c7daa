package aman

import (
	"math"
	"slices"
	"strings"
	"time"
)

// AssessmentSection names one section of the comprehensive assessment.
type AssessmentSection string

const (
	SectionSafety        AssessmentSection = "safety"
	SectionHealth        AssessmentSection = "health"
	SectionFamily        AssessmentSection = "family"
	SectionEducationWork AssessmentSection = "education_work"
	SectionLegal         AssessmentSection = "legal"
	SectionChildNeeds    AssessmentSection = "child_needs"
)

// maxAssessmentText bounds one section's free text, in characters: pages of notes, not a document.
const maxAssessmentText = 20000

// FieldKind is the type of a structured answer in an assessment section.
type FieldKind string

const (
	// FieldYesNo takes true or false.
	FieldYesNo FieldKind = "yes_no"
	// FieldCount takes a whole number from 0.
	FieldCount FieldKind = "count"
	// FieldChoice takes one of the field's Choices.
	FieldChoice FieldKind = "choice"
)

// SectionField is one structured question of a section.
type SectionField struct {
	Name    string
	Kind    FieldKind
	Choices []string
}

// SectionSpec is one section of the form: its free text plus a few structured questions that screens
// and statistics can rely on.
type SectionSpec struct {
	Section AssessmentSection
	Fields  []SectionField
}

// AssessmentForm is the comprehensive assessment form, section by section: safety; physical and mental
// health; family and social situation; education and work; legal needs; the child's needs. It is data
// so that adding a question is one line here and nothing else.
func AssessmentForm() []SectionSpec {
	yes := func(name string) SectionField { return SectionField{Name: name, Kind: FieldYesNo} }
	return []SectionSpec{
		{SectionSafety, []SectionField{yes("safe_at_home"), yes("perpetrator_has_access"), yes("needs_shelter"), yes("children_at_risk")}},
		{SectionHealth, []SectionField{yes("injuries"), yes("needs_medical_care"), yes("mental_health_concern"), yes("self_harm_risk")}},
		{SectionFamily, []SectionField{
			{Name: "marital_status", Kind: FieldChoice, Choices: []string{"single", "married", "divorced", "widowed", "separated"}},
			{Name: "children", Kind: FieldCount}, yes("support_network"),
		}},
		{SectionEducationWork, []SectionField{
			{Name: "education_level", Kind: FieldChoice, Choices: []string{"none", "primary", "secondary", "university", "postgraduate"}},
			yes("employed"), yes("own_income"),
		}},
		{SectionLegal, []SectionField{yes("needs_legal_aid"), yes("proceedings_pending"), yes("documents_missing"), yes("protection_order_needed")}},
		{SectionChildNeeds, []SectionField{yes("attends_school"), yes("needs_alternative_care"), yes("needs_psychological_support")}},
	}
}

// SectionAnswer is one filled-in section: free text and structured answers by field name. Values are
// bool (yes_no), int (count) or string (choice).
type SectionAnswer struct {
	Text   string         `json:"text,omitempty"`
	Fields map[string]any `json:"fields,omitempty"`
}

// Assessment is one version of a case's comprehensive assessment. Every section is sealed at rest; each
// save adds a version and the latest is the assessment.
type Assessment struct {
	CaseID    string
	Version   int
	Sections  map[AssessmentSection]SectionAnswer
	CreatedBy string
	CreatedAt time.Time
}

// Assessment error codes.
const (
	EInvalidSection = "invalid_section"
	EInvalidAnswer  = "invalid_answer"
	EEmptyForm      = "empty_form"
)

// NormalizeAssessment checks filled-in sections against the form and returns them cleaned: text
// trimmed, counts as int, empty sections dropped. At least one section must say something. Field
// errors name "sections.<section>" or "sections.<section>.fields.<name>".
func NormalizeAssessment(in map[AssessmentSection]SectionAnswer) (map[AssessmentSection]SectionAnswer, error) {
	form := AssessmentForm()
	out := map[AssessmentSection]SectionAnswer{}
	for section, answer := range in {
		at := slices.IndexFunc(form, func(s SectionSpec) bool { return s.Section == section })
		if at < 0 {
			return nil, FieldError("sections", EInvalidSection)
		}
		field := "sections." + string(section)
		clean := SectionAnswer{Text: strings.TrimSpace(answer.Text)}
		if len([]rune(clean.Text)) > maxAssessmentText {
			return nil, FieldError(field+".text", ETextTooLong)
		}
		for name, value := range answer.Fields {
			spec := slices.IndexFunc(form[at].Fields, func(f SectionField) bool { return f.Name == name })
			if spec < 0 {
				return nil, FieldError(field+".fields", EInvalidAnswer)
			}
			v, ok := form[at].Fields[spec].normalize(value)
			if !ok {
				return nil, FieldError(field+".fields."+name, EInvalidAnswer)
			}
			if v == nil {
				continue
			}
			if clean.Fields == nil {
				clean.Fields = map[string]any{}
			}
			clean.Fields[name] = v
		}
		if clean.Text != "" || len(clean.Fields) > 0 {
			out[section] = clean
		}
	}
	if len(out) == 0 {
		return nil, FieldError("sections", EEmptyForm)
	}
	return out, nil
}

// normalize checks one answer; nil means unanswered. JSON numbers arrive as float64.
func (f SectionField) normalize(v any) (any, bool) {
	if v == nil {
		return nil, true
	}
	switch f.Kind {
	case FieldYesNo:
		b, ok := v.(bool)
		return b, ok
	case FieldCount:
		var n float64
		switch x := v.(type) {
		case float64:
			n = x
		case int:
			n = float64(x)
		default:
			return nil, false
		}
		if n < 0 || n > 1000 || n != math.Trunc(n) {
			return nil, false
		}
		return int(n), true
	case FieldChoice:
		s, ok := v.(string)
		if !ok || s != "" && !slices.Contains(f.Choices, s) {
			return nil, false
		}
		if s == "" {
			return nil, true
		}
		return s, true
	}
	return nil, false
}
