package web

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

var (
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	// Any mention of left or right is physical: margin-left, padding-right, left:, text-align: left,
	// float: right, border-top-left-radius, background-position: left…
	physicalWord = regexp.MustCompile(`(?i)\b(left|right)\b`)
	// A four-value box shorthand whose second and fourth values differ treats the two sides differently.
	boxShorthand = regexp.MustCompile(`(?i)(?:^|[;{\s])(margin|padding|inset|scroll-margin|scroll-padding|border-width|border-style|border-color)\s*:\s*([^;}]+)`)
	// border-radius with more than one value sets physical corners; use border-start-start-radius and
	// its kin instead.
	radiusShorthand = regexp.MustCompile(`(?i)(?:^|[;{\s])border-radius\s*:\s*([^;}]+)`)
	// Only fonts installed on the device: no @font-face, no @import, no url() to anywhere but here.
	remoteOrWebFont = regexp.MustCompile(`(?i)@font-face|@import|url\(\s*['"]?(https?:)?//`)
)

// physicalCSS lists the declarations in css that would not mirror between Arabic and English.
func physicalCSS(css string) []string {
	css = cssComment.ReplaceAllString(css, "")
	var problems []string
	for i, line := range strings.Split(css, "\n") {
		if physicalWord.MatchString(line) {
			problems = append(problems, fmt.Sprintf("line %d: %s", i+1, strings.TrimSpace(line)))
		}
	}
	for _, m := range boxShorthand.FindAllStringSubmatch(css, -1) {
		if values := cssValues(m[2]); len(values) == 4 && values[1] != values[3] {
			problems = append(problems, fmt.Sprintf("%s with unequal sides: %s", m[1], strings.TrimSpace(m[2])))
		}
	}
	for _, m := range radiusShorthand.FindAllStringSubmatch(css, -1) {
		if len(cssValues(m[1])) > 1 {
			problems = append(problems, "border-radius by corner: "+strings.TrimSpace(m[1]))
		}
	}
	if m := remoteOrWebFont.FindString(css); m != "" {
		problems = append(problems, "web font or remote resource: "+m)
	}
	return problems
}

// cssValues splits a declaration's value on the spaces between values, not those inside calc(…).
func cssValues(value string) []string {
	var values []string
	depth, start := 0, -1
	for i, r := range value + " " {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case depth == 0 && (r == ' ' || r == '\t' || r == '\n'):
			if start >= 0 {
				values = append(values, value[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return values
}

func TestStylesheetMirrorsForBothDirections(t *testing.T) {
	sheets, err := fs.Glob(embeddedStatic, "static/css/*.css")
	if err != nil || len(sheets) != 1 {
		t.Fatalf("want exactly one stylesheet, found %q (%v)", sheets, err)
	}
	raw, err := fs.ReadFile(embeddedStatic, sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	css := string(raw)
	for _, problem := range physicalCSS(css) {
		t.Errorf("%s: %s", sheets[0], problem)
	}
	for _, want := range []string{
		`"Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", Tahoma`, // Arabic-first font stack
		":lang(ar) {\n  font-family: var(--font-arabic);\n  line-height: 1.8;",
		":focus-visible {\n  outline: 3px solid",
		"text-align: start;",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("%s lacks %q", sheets[0], want)
		}
	}
}

func TestPhysicalCSSIsCaught(t *testing.T) {
	tests := []struct {
		css    string
		caught bool
	}{
		{"a { margin-inline-start: 1rem; padding: 0 1rem 0 1rem; inset-inline-end: 0; text-align: start; border-radius: 4px; }", false},
		{"/* left in a comment is fine */ a { float: inline-start; }", false},
		{"a { margin-left: 1rem; }", true},
		{"a { padding-right: 1rem; }", true},
		{"a {\n  left: 0;\n}", true},
		{"a { text-align: left; }", true},
		{"a { float: right; }", true},
		{"a { border-top-left-radius: 2px; }", true},
		{"a { margin: 0 1rem 0 2rem; }", true},
		{"a { padding: calc(1rem * 2) var(--x) 0 calc(var(--x) + 1px); }", true},
		{"a { padding: calc(1rem * 2) var(--x); }", false},
		{"a { border-radius: 4px 0 0 4px; }", true},
		{"@font-face { font-family: X; src: url(/x.woff2); }", true},
		{"a { background: url(https://cdn.example.com/x.png); }", true},
	}
	for _, tc := range tests {
		if caught := len(physicalCSS(tc.css)) > 0; caught != tc.caught {
			t.Errorf("%q: caught = %v, want %v", tc.css, caught, tc.caught)
		}
	}
}
