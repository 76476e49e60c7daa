package risk_test

import (
	"testing"

	"aman.qa/aman/risk"
)

// answerEvery answers every item of in, yes for the items whose position is in yes (0-based), so the
// map has as many entries as the form has questions, as a completed form posts it.
func answerEvery(in risk.Instrument, yes ...int) map[string]bool {
	a := make(map[string]bool, len(in.Items))
	for _, it := range in.Items {
		a[it.ID] = false
	}
	for _, i := range yes {
		a[in.Items[i].ID] = true
	}
	return a
}

// BenchmarkInstrumentScore scores completed forms: DASH with all 24 answers (15 yes, professional
// judgement and the escalation count set), the child-protection screen (14 answers, weighted, with the
// immediate-danger item) and the Danger Assessment (20 answers, weighted).
func BenchmarkInstrumentScore(b *testing.B) {
	c := catalog(b)
	dash := version(b, c, risk.DASH, 1)
	child := version(b, c, risk.ChildProtection, 1)
	da := version(b, c, risk.DangerAssessment, 1)
	cases := []struct {
		name      string
		in        risk.Instrument
		answers   map[string]bool
		opts      risk.ScoreOptions
		wantLevel string
	}{
		{"dash_24_answers", dash, firstYes(dash, 15), risk.ScoreOptions{ProfessionalJudgement: "medium", IncidentsLast12Months: 3}, "high"},
		{"dash_24_answers_standard", dash, answerEvery(dash, 0, 5, 11), risk.ScoreOptions{}, "standard"},
		{"child_protection_14_answers", child, answerEvery(child, 0, 1, 3, 9), risk.ScoreOptions{}, "high"},
		{"danger_assessment_20_answers", da, answerEvery(da, 0, 1, 2, 4, 7), risk.ScoreOptions{}, ""},
	}
	for _, tc := range cases {
		if len(tc.answers) != len(tc.in.Items) {
			b.Fatalf("%s: %d answers for %d items", tc.name, len(tc.answers), len(tc.in.Items))
		}
		r, err := tc.in.Score(tc.answers, tc.opts)
		if err != nil || (tc.wantLevel != "" && r.Level != tc.wantLevel) {
			b.Fatalf("%s: level %q, %v; want %q", tc.name, r.Level, err, tc.wantLevel)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tc.in.Score(tc.answers, tc.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCatalogScoreChild is the POST /api/v1/instruments/child_protection/score path: catalog
// lookup of the latest version, then scoring.
func BenchmarkCatalogScoreChild(b *testing.B) {
	c := catalog(b)
	child := version(b, c, risk.ChildProtection, 1)
	req := risk.ScoreRequest{Answers: answerEvery(child, 0, 1, 3, 9)}
	b.ReportAllocs()
	for b.Loop() {
		if r, err := c.Score(risk.ChildProtection, req); err != nil || !r.ImmediateDanger {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkGBVIMS classifies an incident and derives its contexts, as every incident save does.
func BenchmarkGBVIMS(b *testing.B) {
	b.Run("classify_one_act", func(b *testing.B) {
		acts := []string{risk.ActPhysicalAssault}
		b.ReportAllocs()
		for b.Loop() {
			if typ, err := risk.Classify(acts); err != nil || typ == "" {
				b.Fatal(typ, err)
			}
		}
	})
	b.Run("classify_all_six_acts", func(b *testing.B) {
		acts := []string{risk.ActPsychologicalAbuse, risk.ActDenialOfResources, risk.ActForcedMarriage,
			risk.ActPhysicalAssault, risk.ActUnwantedSexualContact, risk.ActPenetration}
		b.ReportAllocs()
		for b.Loop() {
			if typ, err := risk.Classify(acts); err != nil || typ != risk.TypeRape {
				b.Fatal(typ, err)
			}
		}
	})
	b.Run("classify_and_contexts", func(b *testing.B) {
		acts := []string{risk.ActPenetration, risk.ActPhysicalAssault}
		rels := []string{risk.RelFather, risk.RelFormerHusband}
		b.ReportAllocs()
		for b.Loop() {
			typ, err := risk.Classify(acts)
			if err != nil {
				b.Fatal(err)
			}
			if ctxs := risk.Contexts(typ, 16, rels); len(ctxs) != 2 {
				b.Fatal(ctxs)
			}
		}
	})
}
