// Package i18n holds Aman's message catalogs (Arabic first, English a switch away), their CLDR plural
// rules and each language's writing direction.
//
// Catalogs are flat JSON objects, one per language, under catalog/. A value is either a string or, for a
// message that depends on a count, an object keyed by CLDR plural category: Arabic uses all six (zero,
// one, two, few, many, other), English one and other. Placeholders are written {name}.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Lang is a supported language code.
type Lang string

const (
	Arabic  Lang = "ar"
	English Lang = "en"
)

// Default is the language of a visitor who has not chosen one.
const Default = Arabic

// Langs lists the supported languages, the default first.
func Langs() []Lang { return []Lang{Arabic, English} }

// Parse returns the supported language s names, if any.
func Parse(s string) (Lang, bool) {
	switch Lang(strings.ToLower(strings.TrimSpace(s))) {
	case Arabic:
		return Arabic, true
	case English:
		return English, true
	}
	return "", false
}

// Dir is the writing direction of the language: "rtl" or "ltr".
func (l Lang) Dir() string {
	if l == Arabic {
		return "rtl"
	}
	return "ltr"
}

// Other is the language the switch offers.
func (l Lang) Other() Lang {
	if l == Arabic {
		return English
	}
	return Arabic
}

func (l Lang) tag() language.Tag {
	if l == Arabic {
		return language.Arabic
	}
	return language.English
}

// PluralForms are the CLDR categories each language's plural messages must define.
func (l Lang) PluralForms() []string {
	if l == Arabic {
		return []string{"zero", "one", "two", "few", "many", "other"}
	}
	return []string{"one", "other"}
}

//go:embed catalog/*.json
var catalogFiles embed.FS

// message is one catalog entry: a plain text, or texts by plural category.
type message struct {
	text   string
	plural map[string]string
}

func (m *message) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &m.text)
	}
	return json.Unmarshal(b, &m.plural)
}

// Bundle holds every catalog. It is read-only after Load and safe for concurrent use.
type Bundle struct {
	catalogs map[Lang]map[string]message
	matcher  language.Matcher
}

// Load reads and checks the embedded catalogs.
func Load() (*Bundle, error) {
	return LoadFS(catalogFiles)
}

// LoadFS reads catalogs from fsys (catalog/<lang>.json) and checks that every language has every key,
// with the plural forms its language needs.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{catalogs: map[Lang]map[string]message{}}
	var tags []language.Tag
	for _, l := range Langs() {
		raw, err := fs.ReadFile(fsys, "catalog/"+string(l)+".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s catalog: %w", l, err)
		}
		cat := map[string]message{}
		if err := json.Unmarshal(raw, &cat); err != nil {
			return nil, fmt.Errorf("i18n: parse %s catalog: %w", l, err)
		}
		b.catalogs[l] = cat
		tags = append(tags, l.tag())
	}
	b.matcher = language.NewMatcher(tags)
	if problems := b.Check(); len(problems) > 0 {
		return nil, fmt.Errorf("i18n: catalogs are inconsistent:\n  %s", strings.Join(problems, "\n  "))
	}
	return b, nil
}

// Check lists every key missing from a catalog and every plural message lacking a form its language
// needs.
func (b *Bundle) Check() []string {
	var problems []string
	all := map[string]bool{}
	for _, cat := range b.catalogs {
		for k := range cat {
			all[k] = true
		}
	}
	for _, l := range Langs() {
		for k := range all {
			m, ok := b.catalogs[l][k]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: missing key %q", l, k))
				continue
			}
			if m.plural != nil {
				for _, form := range l.PluralForms() {
					if m.plural[form] == "" {
						problems = append(problems, fmt.Sprintf("%s: %q lacks plural form %q", l, k, form))
					}
				}
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// Has tells whether key is in the catalogs.
func (b *Bundle) Has(key string) bool {
	_, ok := b.catalogs[Default][key]
	return ok
}

// Keys lists every key, sorted.
func (b *Bundle) Keys() []string {
	keys := make([]string, 0, len(b.catalogs[Default]))
	for k := range b.catalogs[Default] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Match picks the supported language an Accept-Language header prefers, or Default.
func (b *Bundle) Match(acceptLanguage string) Lang {
	if acceptLanguage == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, index, confidence := b.matcher.Match(tags...)
	if confidence == language.No {
		return Default
	}
	return Langs()[index]
}

// T translates key. args are name/value pairs that fill {name} placeholders. A key missing from the
// catalogs comes back as itself, so the gap is visible rather than blank; tests keep that from shipping.
func (b *Bundle) T(l Lang, key string, args ...any) string {
	m, ok := b.catalogs[l][key]
	if !ok {
		return key
	}
	text := m.text
	if m.plural != nil {
		text = m.plural["other"]
	}
	return fill(text, args)
}

// N translates a message whose wording depends on the count n, using the language's plural rules. The
// placeholder {n} holds the count.
func (b *Bundle) N(l Lang, key string, n int, args ...any) string {
	m, ok := b.catalogs[l][key]
	if !ok {
		return key
	}
	text := m.text
	if m.plural != nil {
		text = m.plural[PluralCategory(l, n)]
		if text == "" {
			text = m.plural["other"]
		}
	}
	return fill(text, append([]any{"n", n}, args...))
}

// PluralCategory is the CLDR cardinal category of the integer n in language l.
func PluralCategory(l Lang, n int) string {
	abs := n
	if abs < 0 {
		abs = -abs
	}
	switch plural.Cardinal.MatchPlural(l.tag(), abs, 0, 0, 0, 0) {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

func fill(text string, args []any) string {
	if len(args) < 2 || !strings.Contains(text, "{") {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		var value string
		switch v := args[i+1].(type) {
		case int:
			value = strconv.Itoa(v)
		default:
			value = fmt.Sprint(v)
		}
		pairs = append(pairs, "{"+name+"}", value)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}
