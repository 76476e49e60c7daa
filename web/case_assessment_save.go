package web

import (
	"net/http"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/session"
)

// saveAssessment saves the comprehensive assessment as a new version; every version is kept. Success
// returns to the case's assessment; a problem brings the case page back with the form as typed.
func (h *Handler) saveAssessment(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := postedAssessment(r)
	sections, err := assessmentInput(typed)
	if err == nil {
		if _, err = h.assessments.SaveAssessment(r.Context(), actor, id, sections); err == nil {
			redirectCare(w, r, id, doneAssessment, anchorAssessment)
			return
		}
	}
	h.showCareProblem(w, r, err, assessmentFieldNames(), func(care *caseCareView, state formState) bool {
		if care.Assessment.Form == nil {
			return false
		}
		care.Assessment.Form = &assessmentForm{Sections: typed, formState: state}
		return true
	})
}

// postedAssessment reads the form as typed, under the field names app gives its errors:
// sections.<section>.text and sections.<section>.fields.<name>.
func postedAssessment(r *http.Request) []assessmentSectionView {
	sections := assessmentSections(nil)
	for i := range sections {
		s := &sections[i]
		prefix := "sections." + s.Section
		// Free text is kept as typed, line breaks and all.
		s.Text = r.PostFormValue(prefix + ".text")
		for j := range s.Fields {
			s.Fields[j].Value = formValue(r, prefix+".fields."+s.Fields[j].Name)
		}
	}
	return sections
}

// assessmentInput turns the typed form into the answers app checks. Only a count needs reading here;
// app checks every answer against the form.
func assessmentInput(typed []assessmentSectionView) (map[aman.AssessmentSection]aman.SectionAnswer, error) {
	out := map[aman.AssessmentSection]aman.SectionAnswer{}
	for _, s := range typed {
		answer := aman.SectionAnswer{Text: s.Text, Fields: map[string]any{}}
		for _, f := range s.Fields {
			if f.Value == "" {
				continue
			}
			switch aman.FieldKind(f.Kind) {
			case aman.FieldYesNo:
				answer.Fields[f.Name] = f.Value == answerYes
				if f.Value != answerYes && f.Value != answerNo {
					return nil, aman.FieldError("sections."+s.Section+".fields."+f.Name, aman.EInvalidAnswer)
				}
			case aman.FieldCount:
				n, err := strconv.Atoi(foldDigits(f.Value))
				if err != nil {
					return nil, aman.FieldError("sections."+s.Section+".fields."+f.Name, aman.EInvalidAnswer)
				}
				answer.Fields[f.Name] = n
			default:
				answer.Fields[f.Name] = f.Value
			}
		}
		out[aman.AssessmentSection(s.Section)] = answer
	}
	return out, nil
}

// assessmentFieldNames are the names of the assessment form's inputs, and "sections", the form as a
// whole.
func assessmentFieldNames() []string {
	names := []string{"sections"}
	for _, s := range aman.AssessmentForm() {
		prefix := "sections." + string(s.Section)
		names = append(names, prefix+".text")
		for _, f := range s.Fields {
			names = append(names, prefix+".fields."+f.Name)
		}
	}
	return names
}
