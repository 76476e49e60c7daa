package risk_test

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/risk"
)

func catalog(t testing.TB) *risk.Catalog {
	t.Helper()
	c, err := risk.LoadCatalog()
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	return c
}

// version returns one pinned version. Boundary tests pin the version whose thresholds the brief
// fixes; a later confirmed version gets its own tests.
func version(t testing.TB, c *risk.Catalog, id string, v int) risk.Instrument {
	t.Helper()
	in, ok := c.GetVersion(id, v)
	if !ok {
		t.Fatalf("GetVersion(%q, %d): not found", id, v)
	}
	return in
}

// firstYes answers the first n items yes and every other item no.
func firstYes(in risk.Instrument, n int) map[string]bool {
	a := make(map[string]bool, len(in.Items))
	for i, it := range in.Items {
		a[it.ID] = i < n
	}
	return a
}

// weighing returns answers whose yes items weigh exactly target, heaviest items first. It reads the
// weights from the definition, so the boundary tests keep testing thresholds, not today's weights.
func weighing(t testing.TB, in risk.Instrument, target int) map[string]bool {
	t.Helper()
	items := slices.Clone(in.Items)
	slices.SortStableFunc(items, func(a, b risk.Item) int { return cmp.Compare(b.Weight, a.Weight) })
	a, sum := map[string]bool{}, 0
	for _, it := range items {
		if it.Weight > 0 && sum+it.Weight <= target {
			a[it.ID] = true
			sum += it.Weight
		}
	}
	if sum != target {
		t.Fatalf("%s: cannot reach score %d from the weights (got %d)", in.ID, target, sum)
	}
	return a
}

func mustScore(t testing.TB, in risk.Instrument, answers map[string]bool, opts risk.ScoreOptions) risk.Result {
	t.Helper()
	r, err := in.Score(answers, opts)
	if err != nil {
		t.Fatalf("%s Score: %v", in.ID, err)
	}
	return r
}

func TestDASHLevelBoundaries(t *testing.T) {
	dash := version(t, catalog(t), risk.DASH, 1)
	tests := []struct {
		yes   int
		level string
		marac bool
	}{
		{0, "standard", false},
		{1, "standard", false},
		{9, "standard", false},
		{10, "medium", false},
		{11, "medium", false},
		{13, "medium", false},
		{14, "high", true},
		{15, "high", true},
		{24, "high", true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.yes), func(t *testing.T) {
			r := mustScore(t, dash, firstYes(dash, tt.yes), risk.ScoreOptions{})
			if r.YesCount != tt.yes || r.Score != tt.yes || r.WeightedScore != tt.yes {
				t.Errorf("counts = %d/%d/%d, want %d", r.YesCount, r.Score, r.WeightedScore, tt.yes)
			}
			if r.Level != tt.level || r.ScoreLevel != tt.level {
				t.Errorf("level = %q (score level %q), want %q", r.Level, r.ScoreLevel, tt.level)
			}
			if r.MARACReferral != tt.marac {
				t.Errorf("marac_referral = %v, want %v", r.MARACReferral, tt.marac)
			}
			if r.Raises() != tt.marac {
				t.Errorf("Raises = %v, want %v (DASH raises exactly at high)", r.Raises(), tt.marac)
			}
			if r.InstrumentID != risk.DASH || r.Version != 1 || !r.WeightsConfirmed || r.ImmediateDanger {
				t.Errorf("result header = %+v", r)
			}
		})
	}
}

func TestDASHMissingAnswersCountAsNo(t *testing.T) {
	dash := version(t, catalog(t), risk.DASH, 1)
	r := mustScore(t, dash, nil, risk.ScoreOptions{})
	if r.YesCount != 0 || r.Level != "standard" || r.MARACReferral {
		t.Errorf("nil answers: %+v", r)
	}
	// 14 yes, the other ten not answered at all: still high.
	a := map[string]bool{}
	for i := 1; i <= 14; i++ {
		a[strconv.Itoa(i)] = true
	}
	if r := mustScore(t, dash, a, risk.ScoreOptions{}); r.YesCount != 14 || r.Level != "high" {
		t.Errorf("14 yes, rest missing: %+v", r)
	}
}

func TestProfessionalJudgementRaisesNeverLowers(t *testing.T) {
	dash := version(t, catalog(t), risk.DASH, 1)
	rank := map[string]int{"standard": 0, "medium": 1, "high": 2}
	scored := map[string]int{"standard": 9, "medium": 10, "high": 14}
	for scoredLevel, yes := range scored {
		for _, judgement := range []string{"", "standard", "medium", "high"} {
			t.Run(scoredLevel+"/"+judgement, func(t *testing.T) {
				r := mustScore(t, dash, firstYes(dash, yes), risk.ScoreOptions{ProfessionalJudgement: judgement})
				want := scoredLevel
				if judgement != "" && rank[judgement] > rank[scoredLevel] {
					want = judgement
				}
				if r.Level != want {
					t.Errorf("level = %q, want %q", r.Level, want)
				}
				if r.ScoreLevel != scoredLevel {
					t.Errorf("score_level = %q, want %q (judgement must not rewrite the score)", r.ScoreLevel, scoredLevel)
				}
				if r.ProfessionalJudgement != judgement {
					t.Errorf("professional_judgement = %q, want %q", r.ProfessionalJudgement, judgement)
				}
				if r.MARACReferral != (want == "high") {
					t.Errorf("marac_referral = %v with final level %q", r.MARACReferral, want)
				}
				if r.Raises() != (want == "high") {
					t.Errorf("Raises = %v with final level %q", r.Raises(), want)
				}
			})
		}
	}
}

func TestProfessionalJudgementRefused(t *testing.T) {
	c := catalog(t)
	dash := version(t, c, risk.DASH, 1)
	for _, j := range []string{"extreme", "HIGH", "severe", " high"} {
		_, err := dash.Score(nil, risk.ScoreOptions{ProfessionalJudgement: j})
		if aman.ErrorCode(err) != aman.EInvalid || aman.ErrorField(err) != "professional_judgement" {
			t.Errorf("judgement %q: err = %v, want invalid_input on professional_judgement", j, err)
		}
	}
	// The DA has no judgement rule: a judgement is refused, not silently dropped.
	da := version(t, c, risk.DangerAssessment, 1)
	if _, err := da.Score(nil, risk.ScoreOptions{ProfessionalJudgement: "extreme"}); aman.ErrorCode(err) != aman.EInvalid {
		t.Errorf("DA with judgement: err = %v, want invalid_input", err)
	}
}

func TestDASHEscalation(t *testing.T) {
	dash := version(t, catalog(t), risk.DASH, 1)
	if dash.Flags.EscalationIncidents != 3 || dash.Flags.EscalationWindowMonths != 12 {
		t.Fatalf("flags = %+v, want 3 incidents in 12 months", dash.Flags)
	}
	for _, tt := range []struct {
		incidents int
		want      bool
	}{{0, false}, {1, false}, {2, false}, {3, true}, {4, true}, {40, true}} {
		r := mustScore(t, dash, firstYes(dash, 2), risk.ScoreOptions{IncidentsLast12Months: tt.incidents})
		if r.Escalation != tt.want {
			t.Errorf("%d incidents: escalation = %v, want %v", tt.incidents, r.Escalation, tt.want)
		}
		// Escalation is its own flag: it changes neither the level nor the referral.
		if r.Level != "standard" || r.MARACReferral || r.Raises() {
			t.Errorf("%d incidents: %+v", tt.incidents, r)
		}
	}
	_, err := dash.Score(nil, risk.ScoreOptions{IncidentsLast12Months: -1})
	if aman.ErrorCode(err) != aman.EInvalid || aman.ErrorField(err) != "incidents_last_12_months" {
		t.Errorf("negative incidents: err = %v", err)
	}
}

func TestDangerAssessmentLevelBoundaries(t *testing.T) {
	da := version(t, catalog(t), risk.DangerAssessment, 1)
	tests := []struct {
		score  int
		level  string
		raises bool
	}{
		{0, "variable", false},
		{7, "variable", false},
		{8, "increased", false},
		{13, "increased", false},
		{14, "severe", true},
		{17, "severe", true},
		{18, "extreme", true},
		{25, "extreme", true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.score), func(t *testing.T) {
			answers := weighing(t, da, tt.score)
			r := mustScore(t, da, answers, risk.ScoreOptions{IncidentsLast12Months: 5})
			if r.Score != tt.score || r.WeightedScore != tt.score {
				t.Errorf("score = %d/%d, want %d", r.Score, r.WeightedScore, tt.score)
			}
			if r.YesCount != len(answers) {
				t.Errorf("yes_count = %d, want %d", r.YesCount, len(answers))
			}
			if r.Level != tt.level {
				t.Errorf("level = %q, want %q", r.Level, tt.level)
			}
			if r.Raises() != tt.raises {
				t.Errorf("Raises = %v, want %v", r.Raises(), tt.raises)
			}
			// No MARAC, no escalation rule and no immediate-danger item on the DA.
			if r.MARACReferral || r.Escalation || r.ImmediateDanger {
				t.Errorf("flags: %+v", r)
			}
			if r.WeightsConfirmed {
				t.Error("weights_confirmed = true; the DA weights are not confirmed")
			}
		})
	}
}

func TestDangerAssessmentWeightsAreTheDefinitions(t *testing.T) {
	da := version(t, catalog(t), risk.DangerAssessment, 1)
	// Every item alone scores its own weight and counts one yes.
	for _, it := range da.Items {
		r := mustScore(t, da, map[string]bool{it.ID: true}, risk.ScoreOptions{})
		if r.YesCount != 1 || r.WeightedScore != it.Weight || r.Score != it.Weight {
			t.Errorf("item %s alone: %+v, want weight %d", it.ID, r, it.Weight)
		}
	}
}

func TestChildProtection(t *testing.T) {
	child := version(t, catalog(t), risk.ChildProtection, 1)
	var immediate string
	for _, it := range child.Items {
		if it.ImmediateDanger {
			immediate = it.ID
		}
	}
	if immediate == "" {
		t.Fatal("no immediate_danger item")
	}
	for _, tt := range []struct {
		score int
		level string
	}{{0, "low"}, {2, "low"}, {3, "medium"}, {6, "medium"}, {7, "high"}, {12, "high"}} {
		t.Run(strconv.Itoa(tt.score), func(t *testing.T) {
			a := weighing(t, child, tt.score)
			r := mustScore(t, child, a, risk.ScoreOptions{})
			if r.Level != tt.level || r.ImmediateDanger {
				t.Errorf("without immediate danger: level %q immediate %v, want %q false", r.Level, r.ImmediateDanger, tt.level)
			}
			if r.Raises() != (tt.level == "high") {
				t.Errorf("Raises = %v at %q", r.Raises(), tt.level)
			}
			// Immediate danger is reported whatever the level and does not move it.
			a[immediate] = true
			r = mustScore(t, child, a, risk.ScoreOptions{})
			if r.Level != tt.level || r.Score != tt.score || !r.ImmediateDanger || !r.Raises() {
				t.Errorf("with immediate danger: %+v", r)
			}
		})
	}
	r := mustScore(t, child, map[string]bool{immediate: false}, risk.ScoreOptions{})
	if r.ImmediateDanger {
		t.Error("immediate danger answered no but reported")
	}
}

func TestUnknownItem(t *testing.T) {
	dash := version(t, catalog(t), risk.DASH, 1)
	tests := []struct {
		answers map[string]bool
		field   string
	}{
		{map[string]bool{"25": true}, "answers.25"},
		{map[string]bool{"0": false}, "answers.0"}, // refused even when answered no
		{map[string]bool{"1": true, "q1": true}, "answers.q1"},
		{map[string]bool{"99": true, "25": true, "30": true, "1": true}, "answers.25"}, // smallest, whatever the map order
		{map[string]bool{"he hit me": true}, "answers"},                                // free text is not echoed
		{map[string]bool{"": true}, "answers"},
	}
	for _, tt := range tests {
		for range 5 { // map order varies between runs; the error must not
			_, err := dash.Score(tt.answers, risk.ScoreOptions{})
			if aman.ErrorCode(err) != risk.EUnknownItem || aman.ErrorField(err) != tt.field {
				t.Errorf("%v: err = %v, want %s on %s", tt.answers, err, risk.EUnknownItem, tt.field)
				break
			}
		}
	}
}

func TestInstrumentNotFromCatalog(t *testing.T) {
	_, err := risk.Instrument{ID: "x"}.Score(nil, risk.ScoreOptions{})
	if aman.ErrorCode(err) != aman.EInternal {
		t.Errorf("err = %v, want internal_error", err)
	}
}

func TestRaises(t *testing.T) {
	tests := []struct {
		r    risk.Result
		want bool
	}{
		{risk.Result{}, false},
		{risk.Result{RaisesPriority: true}, true},
		{risk.Result{ImmediateDanger: true}, true},
		{risk.Result{Escalation: true}, false},
		{risk.Result{MARACReferral: true}, false},
	}
	for _, tt := range tests {
		if got := tt.r.Raises(); got != tt.want {
			t.Errorf("%+v.Raises() = %v, want %v", tt.r, got, tt.want)
		}
	}
}

// TestDASHHTTPContract decodes the documented request body and checks the documented response names.
func TestDASHHTTPContract(t *testing.T) {
	c := catalog(t)
	body := `{"answers":{"1":true,"2":true,"3":true,"4":true,"5":true,"6":true,"7":true,"8":true,"9":true,
		"10":true,"11":false,"12":false,"13":false,"14":false,"15":false,"16":false,"17":false,"18":false,
		"19":false,"20":false,"21":false,"22":false,"23":false,"24":false},"professional_judgement":"high"}`
	var req risk.ScoreRequest
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatal(err)
	}
	if req.ProfessionalJudgement != "high" || len(req.Answers) != 24 {
		t.Fatalf("decoded %+v", req)
	}
	r, err := c.ScoreDASH(req)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got["yes_count"] != float64(10) || got["level"] != "high" || got["marac_referral"] != true {
		t.Errorf("response = %s", out)
	}
	if got["score_level"] != "medium" || got["instrument_id"] != "dash" {
		t.Errorf("response detail = %s", out)
	}

	// Without a judgement the field is absent, and the contract's three names are still there.
	r, err = c.ScoreDASH(risk.ScoreRequest{Answers: map[string]bool{"1": true}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ = json.Marshal(r)
	got = nil
	_ = json.Unmarshal(out, &got)
	for _, k := range []string{"yes_count", "level", "marac_referral"} {
		if _, ok := got[k]; !ok {
			t.Errorf("response lacks %q: %s", k, out)
		}
	}
	if _, ok := got["professional_judgement"]; ok {
		t.Errorf("empty judgement marshalled: %s", out)
	}

	if _, err := c.Score("nope", req); aman.ErrorCode(err) != aman.ENotFound || aman.ErrorField(err) != "instrument" {
		t.Errorf("unknown instrument: err = %v", err)
	}
}

func BenchmarkScoreDASH(b *testing.B) {
	dash := version(b, catalog(b), risk.DASH, 1)
	answers := firstYes(dash, 15)
	opts := risk.ScoreOptions{ProfessionalJudgement: "medium", IncidentsLast12Months: 3}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dash.Score(answers, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCatalogScoreDASH(b *testing.B) {
	c := catalog(b)
	req := risk.ScoreRequest{Answers: firstYes(version(b, c, risk.DASH, 1), 15)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ScoreDASH(req); err != nil {
			b.Fatal(err)
		}
	}
}

func TestItemAndLevelLookup(t *testing.T) {
	dash := version(t, catalog(t), risk.DASH, 1)
	if it, ok := dash.Item("15"); !ok || it.ID != "15" || it.Text.EN == "" || it.Text.AR == "" {
		t.Errorf("Item(15) = %+v, %v", it, ok)
	}
	if _, ok := dash.Item("25"); ok {
		t.Error("Item(25) found")
	}
	if l, ok := dash.Level("high"); !ok || l.Min != 14 || !l.MARACReferral || !l.RaisesPriority {
		t.Errorf("Level(high) = %+v, %v", l, ok)
	}
	if l, ok := dash.Level("medium"); !ok || l.Min != 10 || l.MARACReferral || l.RaisesPriority {
		t.Errorf("Level(medium) = %+v, %v", l, ok)
	}
	if _, ok := dash.Level("extreme"); ok {
		t.Error("Level(extreme) found")
	}
}
