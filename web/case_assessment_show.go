package web

import (
	"strconv"

	"aman.qa/aman"
)

// caseAssessmentView shows the latest version of the case's comprehensive assessment, read-only, and
// offers the form that saves a new version.
type caseAssessmentView struct {
	// Latest is nil while the case has not been assessed.
	Latest *assessmentShown
	// Form is nil for those who may not change the case.
	Form   *assessmentForm
	Notice string
}

// assessmentShown is one saved version, with who saved it and when.
type assessmentShown struct {
	Version  int
	Versions int
	By       string
	At       shownTime
	// Sections are those the version answers, in the form's order.
	Sections []assessmentSectionView
}

// assessmentSectionView is one section of the form, as saved or as typed: its free text and its
// structured answers, in aman.AssessmentForm's order.
type assessmentSectionView struct {
	Section string
	Text    string
	Fields  []assessmentFieldView
}

// assessmentFieldView is one structured question. Value is "yes" or "no" (yes_no), digits (count) or a
// choice, and "" when unanswered.
type assessmentFieldView struct {
	Name    string
	Kind    string
	Value   string
	Choices []string
}

// assessmentForm is the whole assessment, saved as one new version.
type assessmentForm struct {
	Sections []assessmentSectionView
	formState
}

// answered tells whether a section says anything.
func (s assessmentSectionView) answered() bool {
	if s.Text != "" {
		return true
	}
	for _, f := range s.Fields {
		if f.Value != "" {
			return true
		}
	}
	return false
}

// assessmentSections lays a version's answers (nil for none) over the form.
func assessmentSections(answers map[aman.AssessmentSection]aman.SectionAnswer) []assessmentSectionView {
	var out []assessmentSectionView
	for _, spec := range aman.AssessmentForm() {
		answer := answers[spec.Section]
		s := assessmentSectionView{Section: string(spec.Section), Text: answer.Text}
		for _, f := range spec.Fields {
			field := assessmentFieldView{Name: f.Name, Kind: string(f.Kind), Choices: f.Choices}
			switch v := answer.Fields[f.Name].(type) {
			case bool:
				field.Value = answerNo
				if v {
					field.Value = answerYes
				}
			case int:
				field.Value = strconv.Itoa(v)
			case string:
				field.Value = v
			}
			s.Fields = append(s.Fields, field)
		}
		out = append(out, s)
	}
	return out
}

func (c careContext) assessmentSection(latest *aman.Assessment, versions int) caseAssessmentView {
	v := caseAssessmentView{Notice: c.notice(doneAssessment)}
	var answers map[aman.AssessmentSection]aman.SectionAnswer
	if latest != nil {
		answers = latest.Sections
		shown := &assessmentShown{Version: latest.Version, Versions: versions, By: c.name(latest.CreatedBy), At: showTime(latest.CreatedAt, c.h.zone)}
		for _, s := range assessmentSections(answers) {
			if s.answered() {
				shown.Sections = append(shown.Sections, s)
			}
		}
		v.Latest = shown
	}
	if c.staff.MayEdit {
		// The form is saved whole, so it starts from the latest version: what is not changed is kept.
		v.Form = &assessmentForm{Sections: assessmentSections(answers)}
	}
	return v
}
