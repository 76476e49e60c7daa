package risk

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode"

	"aman.qa/aman"
)

// definitions holds the instrument files. An embed.FS is read-only, so this is not mutable state;
// it is parsed afresh by every LoadCatalog call rather than in init, so a bad file is an error the
// caller reports at start-up, not a panic before main runs.
//
//go:embed instruments/*.json
var definitions embed.FS

// Catalog is every version of every instrument, validated. It is immutable once loaded and safe for
// concurrent use.
type Catalog struct {
	versions map[string][]Instrument // by id, ascending version
	ids      []string                // sorted
}

// LoadCatalog parses and validates the embedded instrument definitions.
func LoadCatalog() (*Catalog, error) {
	sub, err := fs.Sub(definitions, "instruments")
	if err != nil {
		return nil, fmt.Errorf("risk: %w", err)
	}
	return LoadCatalogFS(sub)
}

// LoadCatalogFS parses and validates the *.json definitions at the root of fsys. Each file must be
// named <id>-v<version>.json after the id and version it holds, so that the file list alone shows
// which versions exist. Every problem in every file is reported, joined, not just the first.
func LoadCatalogFS(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("risk: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("risk: no instrument definitions")
	}
	c := &Catalog{versions: make(map[string][]Instrument)}
	var errs []error
	for _, name := range names {
		in, err := loadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("risk: %s: %w", name, err))
			continue
		}
		c.versions[in.ID] = append(c.versions[in.ID], in)
	}
	for id, vs := range c.versions {
		slices.SortFunc(vs, func(a, b Instrument) int { return a.Version - b.Version })
		// Versions must run 1, 2, 3… with none missing: stored assessments name the version they
		// were scored with, so deleting an old file would orphan them. A gap means someone did.
		for i, in := range vs {
			if in.Version != i+1 {
				errs = append(errs, fmt.Errorf("risk: %s: versions must run from 1 without gaps; version %d is missing", id, i+1))
				break
			}
		}
		c.ids = append(c.ids, id)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.Sort(c.ids)
	return c, nil
}

// Get returns the latest version of an instrument. The copy is the caller's to modify.
func (c *Catalog) Get(id string) (Instrument, bool) {
	vs := c.versions[id]
	if len(vs) == 0 {
		return Instrument{}, false
	}
	return vs[len(vs)-1].clone(), true
}

// GetVersion returns one version of an instrument, for showing or re-scoring an assessment exactly
// as it was made.
func (c *Catalog) GetVersion(id string, version int) (Instrument, bool) {
	vs := c.versions[id]
	if version < 1 || version > len(vs) {
		return Instrument{}, false
	}
	return vs[version-1].clone(), true
}

// Versions returns the versions of an instrument, oldest first.
func (c *Catalog) Versions(id string) []int {
	vs := c.versions[id]
	out := make([]int, len(vs))
	for i, in := range vs {
		out[i] = in.Version
	}
	return out
}

// List returns the latest version of every instrument, by id. Older versions stay reachable through
// GetVersion but are not offered for new assessments.
func (c *Catalog) List() []Instrument {
	out := make([]Instrument, 0, len(c.ids))
	for _, id := range c.ids {
		vs := c.versions[id]
		out = append(out, vs[len(vs)-1].clone())
	}
	return out
}

// Score scores a request against the latest version of an instrument: the handler of
// POST /api/v1/instruments/{id}/score. An unknown id is aman.ENotFound on field "instrument".
func (c *Catalog) Score(id string, req ScoreRequest) (Result, error) {
	vs := c.versions[id]
	if len(vs) == 0 {
		return Result{}, aman.FieldError("instrument", aman.ENotFound)
	}
	// Score the stored value directly: it is not modified, so the copy Get makes is not needed.
	return vs[len(vs)-1].Score(req.Answers, req.ScoreOptions)
}

// ScoreDASH is Score for DASH, the contract of POST /api/v1/instruments/dash/score:
//
//	{"answers":{"1":true,…,"24":false},"professional_judgement":"high"}
//	→ {"yes_count":N,"level":"standard"|"medium"|"high","marac_referral":bool,…}
func (c *Catalog) ScoreDASH(req ScoreRequest) (Result, error) {
	return c.Score(DASH, req)
}

// definition is the file format. It differs from Instrument only where a file must say something
// explicitly that an Instrument can take for granted once validated.
type definition struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Name    Text   `json:"name"`
	Source  string `json:"source"`
	Scoring string `json:"scoring"`
	// WeightsConfirmed is a pointer so that a weighted definition which does not say is refused:
	// whether weights are provisional must be a decision someone wrote down, never a default.
	WeightsConfirmed *bool   `json:"weights_confirmed"`
	Notes            Text    `json:"notes"`
	Flags            Flags   `json:"flags"`
	Items            []Item  `json:"items"`
	Levels           []Level `json:"levels"`
}

func loadFile(fsys fs.FS, name string) (Instrument, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Instrument{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	// Unknown fields are refused so that a misspelt key ("marac_refferal") fails loudly instead of
	// silently switching a rule off.
	dec.DisallowUnknownFields()
	var d definition
	if err := dec.Decode(&d); err != nil {
		return Instrument{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return Instrument{}, errors.New("trailing data after the definition")
	}
	in, err := d.instrument()
	if err != nil {
		return Instrument{}, err
	}
	if want := fmt.Sprintf("%s-v%d.json", in.ID, in.Version); name != want {
		return Instrument{}, fmt.Errorf("file must be named %s after the id and version it holds", want)
	}
	return in, nil
}

// instrument validates d and returns the Instrument it defines.
func (d definition) instrument() (Instrument, error) {
	if !isCode(d.ID) {
		return Instrument{}, fmt.Errorf("id %q: want lower-case letters, digits and _", d.ID)
	}
	if d.Version < 1 {
		return Instrument{}, fmt.Errorf("version %d: want 1 or more", d.Version)
	}
	if err := d.Name.check("name"); err != nil {
		return Instrument{}, err
	}
	if strings.TrimSpace(d.Source) == "" {
		return Instrument{}, errors.New("source is required: every instrument must say where it comes from")
	}
	if d.Notes != (Text{}) {
		if err := d.Notes.check("notes"); err != nil {
			return Instrument{}, err
		}
	}

	in := Instrument{
		ID: d.ID, Version: d.Version, Name: d.Name, Source: d.Source, Scoring: d.Scoring,
		Notes: d.Notes, Flags: d.Flags, Items: d.Items, Levels: d.Levels,
	}
	switch d.Scoring {
	case CountYes:
		// Every weight is 1, so there is nothing to confirm unless the file says otherwise.
		in.WeightsConfirmed = d.WeightsConfirmed == nil || *d.WeightsConfirmed
	case WeightedSum:
		if d.WeightsConfirmed == nil {
			return Instrument{}, errors.New("weights_confirmed is required for weighted_sum")
		}
		in.WeightsConfirmed = *d.WeightsConfirmed
	default:
		return Instrument{}, fmt.Errorf("scoring %q: want %s or %s", d.Scoring, CountYes, WeightedSum)
	}
	if !in.WeightsConfirmed && d.Notes == (Text{}) {
		return Instrument{}, errors.New("notes are required when weights_confirmed is false: say who must confirm what")
	}

	f := d.Flags
	if f.EscalationIncidents < 0 || f.EscalationWindowMonths < 0 {
		return Instrument{}, errors.New("flags: escalation values must not be negative")
	}
	if (f.EscalationIncidents > 0) != (f.EscalationWindowMonths > 0) {
		return Instrument{}, errors.New("flags: escalation_incidents and escalation_window_months go together")
	}

	if len(d.Items) == 0 {
		return Instrument{}, errors.New("items: at least one is required")
	}
	in.index = make(map[string]int, len(d.Items))
	maxScore := 0
	for i, it := range d.Items {
		if !isItemID(it.ID) {
			return Instrument{}, fmt.Errorf("items[%d]: id %q: want 1 to 32 of A-Z a-z 0-9 _ - .", i, it.ID)
		}
		if _, dup := in.index[it.ID]; dup {
			return Instrument{}, fmt.Errorf("items[%d]: id %q is used twice", i, it.ID)
		}
		in.index[it.ID] = i
		if err := it.Text.check(fmt.Sprintf("items[%d] (id %s) text", i, it.ID)); err != nil {
			return Instrument{}, err
		}
		switch {
		case d.Scoring == CountYes && it.Weight != 1:
			return Instrument{}, fmt.Errorf("items[%d] (id %s): weight %d: count_yes items weigh 1", i, it.ID, it.Weight)
		case it.Weight < 0:
			return Instrument{}, fmt.Errorf("items[%d] (id %s): weight %d is negative", i, it.ID, it.Weight)
		case it.Weight == 0 && !it.ImmediateDanger:
			// Only an immediate-danger question may weigh nothing, because it is reported on its
			// own; any other weightless question is a typo that would hide a risk factor.
			return Instrument{}, fmt.Errorf("items[%d] (id %s): weight 0 is only allowed for an immediate_danger item", i, it.ID)
		}
		if d.Scoring == CountYes {
			maxScore++
		} else {
			maxScore += it.Weight
		}
	}

	if len(d.Levels) == 0 {
		return Instrument{}, errors.New("levels: at least one is required")
	}
	if d.Levels[0].Min != 0 {
		return Instrument{}, errors.New("levels[0]: min must be 0 so that every score has a level")
	}
	codes := make(map[string]bool, len(d.Levels))
	for i, l := range d.Levels {
		if !isCode(l.Code) {
			return Instrument{}, fmt.Errorf("levels[%d]: code %q: want lower-case letters, digits and _", i, l.Code)
		}
		if codes[l.Code] {
			return Instrument{}, fmt.Errorf("levels[%d]: code %q is used twice", i, l.Code)
		}
		codes[l.Code] = true
		if err := l.Name.check(fmt.Sprintf("levels[%d] (%s) name", i, l.Code)); err != nil {
			return Instrument{}, err
		}
		if i == 0 {
			continue
		}
		prev := d.Levels[i-1]
		if l.Min <= prev.Min {
			return Instrument{}, fmt.Errorf("levels[%d] (%s): min %d must be above the previous level's %d; levels go from least to most serious", i, l.Code, l.Min, prev.Min)
		}
		// A more serious level must not drop a consequence a less serious one carries, or a
		// higher score could end a MARAC referral or a supervisor alert.
		if prev.MARACReferral && !l.MARACReferral || prev.RaisesPriority && !l.RaisesPriority {
			return Instrument{}, fmt.Errorf("levels[%d] (%s): must keep marac_referral and raises_priority of the level below", i, l.Code)
		}
	}
	if top := d.Levels[len(d.Levels)-1]; top.Min > maxScore {
		return Instrument{}, fmt.Errorf("levels: %s needs %d but the highest possible score is %d", top.Code, top.Min, maxScore)
	}
	return in, nil
}

// check requires both languages, and Arabic letters in the Arabic, which catches the commonest
// slip: English pasted into both fields.
func (t Text) check(what string) error {
	if strings.TrimSpace(t.EN) == "" {
		return fmt.Errorf("%s: English is missing", what)
	}
	if !strings.ContainsFunc(t.AR, func(r rune) bool { return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) }) {
		return fmt.Errorf("%s: Arabic is missing", what)
	}
	return nil
}

// isCode reports whether s is a lower-case code such as "danger_assessment" or "high": these go into
// URLs, database columns and i18n keys.
func isCode(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isItemID reports whether s may be an item id: 1 to 32 of A-Z a-z 0-9 _ - and ".".
func isItemID(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
