package web

import (
	"html"
	"html/template"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"text/template/parse"
	"unicode"

	"aman.qa/aman/i18n"
)

// actionMark stands in for every {{action}} when a template's text is put back together, so that text
// split by an action still reads as one piece of markup. It is not a letter.
const actionMark = "\x00"

var (
	htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	htmlTag     = regexp.MustCompile(`(?s)<[^>]*>`)
	// visibleAttribute matches attributes whose value a person reads or hears.
	visibleAttribute = regexp.MustCompile(`(?i)\s(placeholder|title|alt|label|aria-label|aria-description|aria-placeholder|aria-roledescription|aria-valuetext)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
)

// markup is a template's literal text in document order, with each action replaced by actionMark.
func markup(tree *parse.Tree) string {
	var b strings.Builder
	walkNodes(tree.Root, func(node parse.Node) {
		switch n := node.(type) {
		case *parse.TextNode:
			b.Write(n.Text)
		case *parse.ActionNode, *parse.TemplateNode, *parse.IfNode, *parse.RangeNode, *parse.WithNode:
			b.WriteString(actionMark)
		}
	})
	return b.String()
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// untranslatedText lists the text in tmpl's templates that a person would see but that does not come
// from the catalogs: letters left in the text once comments and tags are gone, and letters in visible
// attributes. Entities are decoded rather than dropped, so a letter cannot hide as &#1575;.
func untranslatedText(tmpl *template.Template) []string {
	var found []string
	for _, tt := range tmpl.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		text := htmlComment.ReplaceAllString(markup(tt.Tree), "")
		for _, m := range visibleAttribute.FindAllStringSubmatch(text, -1) {
			if hasLetter(html.UnescapeString(m[2])) {
				found = append(found, tt.Name()+": attribute "+strings.TrimSpace(m[0]))
			}
		}
		text = html.UnescapeString(htmlTag.ReplaceAllString(text, actionMark))
		for _, piece := range strings.Split(text, actionMark) {
			if hasLetter(piece) {
				found = append(found, tt.Name()+": text "+strings.Join(strings.Fields(piece), " "))
			}
		}
	}
	return found
}

func TestTemplatesShowOnlyCatalogText(t *testing.T) {
	h := newTestHandler(t)
	for view, byLang := range h.views {
		for lang, tmpl := range byLang {
			for _, problem := range untranslatedText(tmpl) {
				t.Errorf("%s (%s): %s: use {{t \"key\"}}", view, lang, problem)
			}
		}
	}
}

func TestTemplatesNameOnlyCatalogKeys(t *testing.T) {
	h := newTestHandler(t)
	used := map[string]bool{}
	for view, byLang := range h.views {
		for _, key := range literalArguments(byLang[i18n.Default], "t", "tn") {
			used[key] = true
			if !h.bundle.Has(key) {
				t.Errorf("%s: catalog has no key %q", view, key)
			}
		}
	}
	// Guards the walk itself: if it stopped finding calls, the loop above would pass on anything.
	for _, key := range []string{"app.name", "signin.otp", "error.back_home", "lang.switch"} {
		if !used[key] {
			t.Errorf("no template was found calling {{t %q}}", key)
		}
	}
}

func TestUntranslatedTextIsCaught(t *testing.T) {
	tests := []struct {
		name     string
		template string
		caught   bool
	}{
		{"text from the catalog", `<p class="lead">{{t "app.name"}}</p>`, false},
		{"markup, comment, entities and digits", `<!-- why --><a href="tel:919" class="x{{if .A}} y{{end}}">919&nbsp;&mdash;&#160;</a>`, false},
		{"letter written as an entity", `<p>&#1575;</p>`, true},
		{"letter entity in a visible attribute", `<img alt="&#x41;" src="/a.svg">`, true},
		{"attribute split by an action", `<a href="{{.URL}}" class="brand" data-lang-switch>{{t "x"}}</a>`, false},
		{"translated visible attribute", `<img alt="{{t "x"}}" src="/a.svg">`, false},
		{"literal English", `<p>Hello</p>`, true},
		{"literal Arabic", `<p>مرحبا</p>`, true},
		{"literal next to an action", `<p>{{t "x"}} more</p>`, true},
		{"literal placeholder", `<input placeholder="Name">`, true},
		{"literal title after an action", `<a href="{{.URL}}" title="Go home">{{t "x"}}</a>`, true},
		{"literal aria-label", `<nav aria-label='Main'></nav>`, true},
		{"literal alt", `<img alt=logo src="/a.svg">`, true},
		{"literal text inside a branch", `{{if .A}}<b>Yes</b>{{end}}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			funcs := template.FuncMap{"t": func(string, ...any) string { return "" }}
			tmpl := template.Must(template.New("sample").Funcs(funcs).Parse(tc.template))
			found := untranslatedText(tmpl)
			if caught := len(found) > 0; caught != tc.caught {
				t.Fatalf("caught = %v (%q), want %v", caught, found, tc.caught)
			}
		})
	}
}

func TestParseViewsRefusesBrokenTemplates(t *testing.T) {
	bundle := loadBundle(t)
	a := testAssets(t)
	layout := `{{define "layout"}}<link href="{{asset "css/aman.css"}}">{{template "content" .}}{{end}}`
	tests := []struct {
		name string
		view string
		ok   bool
	}{
		{"known key and asset", `{{define "content"}}{{t "app.name"}}{{tn "count.cases" 3}}{{end}}`, true},
		{"unknown key", `{{define "content"}}{{t "no.such.key"}}{{end}}`, false},
		{"unknown plural key", `{{define "content"}}{{tn "no.such.count" 2}}{{end}}`, false},
		{"unknown key inside a branch", `{{define "content"}}{{if .A}}{{t "no.such.key"}}{{end}}{{end}}`, false},
		{"unknown key as a nested argument", `{{define "content"}}{{printf "%s" (t "no.such.key")}}{{end}}`, false},
		{"unknown asset", `{{define "content"}}<img src="{{asset "img/none.svg"}}" alt="">{{end}}`, false},
		{"syntax error", `{{define "content"}}{{if}}{{end}}`, false},
		{"unknown function", `{{define "content"}}{{translate "app.name"}}{{end}}`, false},
		{"no content block", `<p></p>`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := fstest.MapFS{
				layoutFile:  {Data: []byte(layout)},
				"page.html": {Data: []byte(tc.view)},
			}
			_, err := parseViews(files, bundle, a)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok = %v", err, tc.ok)
			}
		})
	}
}
