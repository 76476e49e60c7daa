package risk_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"aman.qa/aman/risk"
)

// TestEmbeddedDefinitionsLoad checks that every file in instruments/ loads, validates and is in the
// catalog, and that each shipped instrument has the shape the brief fixes.
func TestEmbeddedDefinitionsLoad(t *testing.T) {
	c := catalog(t)

	files, err := filepath.Glob(filepath.Join("instruments", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("glob: %v, %d files", err, len(files))
	}
	loaded := 0
	for _, in := range c.List() {
		loaded += len(c.Versions(in.ID))
	}
	if loaded != len(files) {
		t.Errorf("catalog holds %d versions, instruments/ has %d files", loaded, len(files))
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		i := strings.LastIndex(base, "-v")
		v, _ := strconv.Atoi(base[i+2:])
		in, ok := c.GetVersion(base[:i], v)
		if !ok {
			t.Errorf("%s: not in the catalog", f)
			continue
		}
		// Every item must be answerable and every answer scorable.
		all := map[string]bool{}
		for _, it := range in.Items {
			all[it.ID] = true
		}
		r, err := in.Score(all, risk.ScoreOptions{})
		if err != nil || r.YesCount != len(in.Items) || r.Level != in.Levels[len(in.Levels)-1].Code {
			t.Errorf("%s all yes: %+v, %v", f, r, err)
		}
	}

	ids := []string{}
	for _, in := range c.List() {
		ids = append(ids, in.ID)
	}
	if want := []string{risk.ChildProtection, risk.DangerAssessment, risk.DASH}; !slices.Equal(ids, want) {
		t.Errorf("List ids = %v, want %v", ids, want)
	}

	dash, _ := c.Get(risk.DASH)
	if dash.Scoring != risk.CountYes || len(dash.Items) != 24 || !dash.Flags.ProfessionalJudgement {
		t.Errorf("dash: scoring %q, %d items, flags %+v", dash.Scoring, len(dash.Items), dash.Flags)
	}
	for i, it := range dash.Items {
		if it.ID != strconv.Itoa(i+1) || it.Weight != 1 {
			t.Errorf("dash item %d: id %q weight %d, want id %q weight 1", i, it.ID, it.Weight, strconv.Itoa(i+1))
		}
	}
	if codes := levelCodes(dash); !slices.Equal(codes, []string{"standard", "medium", "high"}) {
		t.Errorf("dash levels = %v", codes)
	}

	da, _ := c.Get(risk.DangerAssessment)
	if da.Scoring != risk.WeightedSum || len(da.Items) != 20 || da.WeightsConfirmed {
		t.Errorf("danger assessment: scoring %q, %d items, weights_confirmed %v", da.Scoring, len(da.Items), da.WeightsConfirmed)
	}
	if !strings.Contains(da.Notes.EN, "confirm") || da.Notes.AR == "" {
		t.Errorf("danger assessment notes must tell the centre to confirm the weights: %q", da.Notes.EN)
	}
	if codes := levelCodes(da); !slices.Equal(codes, []string{"variable", "increased", "severe", "extreme"}) {
		t.Errorf("danger assessment levels = %v", codes)
	}

	child, _ := c.Get(risk.ChildProtection)
	if codes := levelCodes(child); !slices.Equal(codes, []string{"low", "medium", "high"}) {
		t.Errorf("child protection levels = %v", codes)
	}
	// The raw file must say weights_confirmed false in so many words, not leave it to a default.
	raw, err := os.ReadFile(filepath.Join("instruments", "danger_assessment-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m["weights_confirmed"] != false {
		t.Errorf("danger_assessment-v1.json weights_confirmed = %v (%v), want false", m["weights_confirmed"], err)
	}
}

func levelCodes(in risk.Instrument) []string {
	var out []string
	for _, l := range in.Levels {
		out = append(out, l.Code)
	}
	return out
}

// dashDefinition returns the shipped DASH v1 file as a generic map, to mutate into test cases.
func dashDefinition(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("instruments", "dash-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encode(t *testing.T, m map[string]any) *fstest.MapFile {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return &fstest.MapFile{Data: b}
}

func TestNewVersionIsAFile(t *testing.T) {
	v1 := dashDefinition(t)
	v2 := dashDefinition(t)
	v2["version"] = 2
	// v2 moves the high threshold, to show scoring follows the data.
	levels := v2["levels"].([]any)
	levels[2].(map[string]any)["min"] = 12
	c, err := risk.LoadCatalogFS(fstest.MapFS{
		"dash-v1.json": encode(t, v1),
		"dash-v2.json": encode(t, v2),
		"README.md":    &fstest.MapFile{Data: []byte("not a definition")},
	})
	if err != nil {
		t.Fatal(err)
	}
	latest, _ := c.Get(risk.DASH)
	if latest.Version != 2 {
		t.Errorf("Get: version %d, want 2", latest.Version)
	}
	if got := c.Versions(risk.DASH); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("Versions = %v", got)
	}
	old, ok := c.GetVersion(risk.DASH, 1)
	if !ok || old.Version != 1 {
		t.Fatalf("GetVersion 1: %v %v", old.Version, ok)
	}
	for _, v := range []int{0, 3, -1} {
		if _, ok := c.GetVersion(risk.DASH, v); ok {
			t.Errorf("GetVersion(%d) found", v)
		}
	}
	if _, ok := c.Get("nope"); ok {
		t.Error("Get(nope) found")
	}
	if list := c.List(); len(list) != 1 || list[0].Version != 2 {
		t.Errorf("List = %d instruments, want only the latest dash", len(list))
	}
	answers := firstYes(latest, 12)
	if r := mustScore(t, latest, answers, risk.ScoreOptions{}); r.Level != "high" || r.Version != 2 {
		t.Errorf("v2 at 12: %+v", r)
	}
	if r := mustScore(t, old, answers, risk.ScoreOptions{}); r.Level != "medium" || r.Version != 1 {
		t.Errorf("v1 at 12: %+v", r)
	}
	if r, err := c.ScoreDASH(risk.ScoreRequest{Answers: answers}); err != nil || r.Version != 2 {
		t.Errorf("ScoreDASH uses version %d (%v), want the latest", r.Version, err)
	}
}

func TestGetReturnsACopy(t *testing.T) {
	c := catalog(t)
	in, _ := c.Get(risk.DASH)
	in.Items[0].Weight = 100
	in.Items[0].Text.EN = "changed"
	in.Levels[2].Min = 1
	again, _ := c.Get(risk.DASH)
	if again.Items[0].Weight != 1 || again.Items[0].Text.EN == "changed" || again.Levels[2].Min != 14 {
		t.Error("changing a returned Instrument changed the catalog")
	}
	if r := mustScore(t, again, firstYes(again, 1), risk.ScoreOptions{}); r.Level != "standard" {
		t.Errorf("catalog scores with the caller's edits: %+v", r)
	}
}

func TestDefinitionValidation(t *testing.T) {
	item := func(m map[string]any, i int) map[string]any { return m["items"].([]any)[i].(map[string]any) }
	level := func(m map[string]any, i int) map[string]any { return m["levels"].([]any)[i].(map[string]any) }
	tests := []struct {
		name   string
		file   string // default dash-v1.json
		mutate func(m map[string]any)
		raw    string // used instead of the mutated definition when set
		want   string
	}{
		{name: "duplicate item id", mutate: func(m map[string]any) { item(m, 1)["id"] = "1" }, want: `id "1" is used twice`},
		{name: "empty item id", mutate: func(m map[string]any) { item(m, 1)["id"] = "" }, want: "items[1]"},
		{name: "item id with spaces", mutate: func(m map[string]any) { item(m, 1)["id"] = "question two" }, want: "items[1]"},
		{name: "thresholds not rising", mutate: func(m map[string]any) { level(m, 2)["min"] = 10 }, want: "must be above"},
		{name: "thresholds reversed", mutate: func(m map[string]any) { level(m, 1)["min"] = 15 }, want: "must be above"},
		{name: "first threshold not 0", mutate: func(m map[string]any) { level(m, 0)["min"] = 1 }, want: "min must be 0"},
		{name: "unreachable level", mutate: func(m map[string]any) { level(m, 2)["min"] = 25 }, want: "highest possible score is 24"},
		{name: "duplicate level code", mutate: func(m map[string]any) { level(m, 2)["code"] = "medium" }, want: "used twice"},
		{name: "bad level code", mutate: func(m map[string]any) { level(m, 2)["code"] = "High" }, want: `code "High"`},
		{name: "no levels", mutate: func(m map[string]any) { m["levels"] = []any{} }, want: "levels"},
		{name: "no items", mutate: func(m map[string]any) { m["items"] = []any{} }, want: "items"},
		{name: "marac dropped higher up", mutate: func(m map[string]any) {
			level(m, 1)["marac_referral"] = true
			delete(level(m, 2), "marac_referral")
		}, want: "must keep"},
		{name: "unknown field", mutate: func(m map[string]any) { level(m, 2)["marac_refferal"] = true }, want: "unknown field"},
		{name: "unknown scoring", mutate: func(m map[string]any) { m["scoring"] = "average" }, want: `scoring "average"`},
		{name: "count_yes weight not 1", mutate: func(m map[string]any) { item(m, 3)["weight"] = 2 }, want: "count_yes items weigh 1"},
		{name: "count_yes weight missing", mutate: func(m map[string]any) { delete(item(m, 3), "weight") }, want: "count_yes items weigh 1"},
		{name: "weighted_sum without weights_confirmed", mutate: func(m map[string]any) {
			m["scoring"] = "weighted_sum"
			delete(m, "weights_confirmed")
		}, want: "weights_confirmed is required"},
		{name: "unconfirmed without notes", mutate: func(m map[string]any) {
			m["weights_confirmed"] = false
			delete(m, "notes")
		}, want: "notes are required"},
		{name: "negative weight", mutate: func(m map[string]any) {
			m["scoring"] = "weighted_sum"
			item(m, 0)["weight"] = -1
		}, want: "negative"},
		{name: "zero weight on an ordinary item", mutate: func(m map[string]any) {
			m["scoring"] = "weighted_sum"
			item(m, 0)["weight"] = 0
		}, want: "weight 0"},
		{name: "missing Arabic question", mutate: func(m map[string]any) { item(m, 4)["text"].(map[string]any)["ar"] = "" }, want: "Arabic is missing"},
		{name: "English pasted as Arabic", mutate: func(m map[string]any) {
			item(m, 4)["text"].(map[string]any)["ar"] = "Are you feeling depressed?"
		}, want: "Arabic is missing"},
		{name: "missing English name", mutate: func(m map[string]any) { m["name"].(map[string]any)["en"] = " " }, want: "English is missing"},
		{name: "missing level name", mutate: func(m map[string]any) { delete(level(m, 0), "name") }, want: "levels[0]"},
		{name: "missing source", mutate: func(m map[string]any) { delete(m, "source") }, want: "source is required"},
		{name: "notes in one language", mutate: func(m map[string]any) { m["notes"].(map[string]any)["ar"] = "" }, want: "notes: Arabic is missing"},
		{name: "negative escalation", mutate: func(m map[string]any) { m["flags"].(map[string]any)["escalation_incidents"] = -3 }, want: "must not be negative"},
		{name: "bad id", mutate: func(m map[string]any) { m["id"] = "Dash" }, want: `id "Dash"`},
		{name: "version 0", mutate: func(m map[string]any) { m["version"] = 0 }, want: "version 0"},
		{name: "escalation without window", mutate: func(m map[string]any) {
			delete(m["flags"].(map[string]any), "escalation_window_months")
		}, want: "go together"},
		{name: "file named after another version", file: "dash-v2.json", want: "dash-v1.json"},
		{name: "file named after another id", file: "da-v1.json", want: "dash-v1.json"},
		{name: "version gap", file: "dash-v2.json", mutate: func(m map[string]any) { m["version"] = 2 }, want: "version 1 is missing"},
		{name: "trailing data", raw: `{"id":"dash"} {}`, want: "trailing data"},
		{name: "not JSON", raw: `{"id":`, want: "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cmp.Or(tt.file, "dash-v1.json")
			var f *fstest.MapFile
			if tt.raw != "" {
				f = &fstest.MapFile{Data: []byte(tt.raw)}
			} else {
				m := dashDefinition(t)
				if tt.mutate != nil {
					tt.mutate(m)
				}
				f = encode(t, m)
			}
			_, err := risk.LoadCatalogFS(fstest.MapFS{file: f})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestValidationReportsEveryFile(t *testing.T) {
	bad1, bad2 := dashDefinition(t), dashDefinition(t)
	bad1["scoring"] = "average"
	bad2["id"] = "other"
	bad2["scoring"] = "median"
	_, err := risk.LoadCatalogFS(fstest.MapFS{"dash-v1.json": encode(t, bad1), "other-v1.json": encode(t, bad2)})
	if err == nil || !strings.Contains(err.Error(), "dash-v1.json") || !strings.Contains(err.Error(), "other-v1.json") {
		t.Errorf("err = %v, want both files named", err)
	}
	if _, err := risk.LoadCatalogFS(fstest.MapFS{}); err == nil {
		t.Error("empty directory loaded")
	}
}

func ExampleCatalog_ScoreDASH() {
	c, err := risk.LoadCatalog()
	if err != nil {
		panic(err)
	}
	answers := map[string]bool{}
	for i := 1; i <= 11; i++ {
		answers[strconv.Itoa(i)] = true
	}
	r, err := c.ScoreDASH(risk.ScoreRequest{Answers: answers, ScoreOptions: risk.ScoreOptions{ProfessionalJudgement: "high"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.YesCount, r.ScoreLevel, r.Level, r.MARACReferral, r.Raises())
	// Output: 11 medium high true true
}
