package web

import (
	"html"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman/i18n"
)

var (
	langSwitchLink = regexp.MustCompile(`<a [^>]*data-lang-switch[^>]*>`)
	hrefValue      = regexp.MustCompile(`href="([^"]*)"`)
	scriptTag      = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	styleAttribute = regexp.MustCompile(`(?i)\sstyle\s*=`)
	styleElement   = regexp.MustCompile(`(?i)<style\b`)
	absoluteURL    = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	// An XML namespace names a vocabulary; it is never fetched, and a standalone SVG needs it.
	xmlNamespace = regexp.MustCompile(`\sxmlns(:[a-z]+)?="[^"]*"`)
)

// inlineCodeProblems lists what a strict CSP (script-src 'self'; style-src 'self') would block, and any
// address on another host, in one page or source file.
func inlineCodeProblems(content string) []string {
	var problems []string
	for _, tag := range scriptTag.FindAllString(content, -1) {
		if !strings.Contains(strings.ToLower(tag), " src=") {
			problems = append(problems, "inline script "+tag)
		}
	}
	if styleAttribute.MatchString(content) {
		problems = append(problems, "style= attribute")
	}
	if styleElement.MatchString(content) {
		problems = append(problems, "<style> element")
	}
	for _, url := range absoluteURL.FindAllString(xmlNamespace.ReplaceAllString(content, ""), -1) {
		problems = append(problems, "address on another host "+url)
	}
	return problems
}

func TestEveryPageInBothLanguages(t *testing.T) {
	h := newTestHandler(t)
	server := newTestServer(t, h)
	pages := []struct {
		name     string
		method   string
		path     string
		status   int
		titleKey string
	}{
		{"home", "GET", "/", http.StatusOK, "app.tagline"},
		{"sign-in", "GET", "/sign-in", http.StatusOK, "signin.title"},
		{"not found", "GET", "/no-such-page", http.StatusNotFound, "error.404.title"},
		{"method not allowed", "PUT", "/sign-in", http.StatusMethodNotAllowed, "error.title"},
		{"server error", "GET", testFailingPath, http.StatusInternalServerError, "error.500.title"},
	}
	for _, p := range pages {
		for _, lang := range i18n.Langs() {
			t.Run(p.name+"/"+string(lang), func(t *testing.T) {
				rec := httptest.NewRecorder()
				server.ServeHTTP(rec, httptest.NewRequest(p.method, p.path+"?lang="+string(lang), nil))
				body := rec.Body.String()
				if rec.Code != p.status {
					t.Fatalf("status %d, want %d", rec.Code, p.status)
				}
				if want := `<html lang="` + string(lang) + `" dir="` + lang.Dir() + `">`; !strings.HasPrefix(body, "<!doctype html>\n"+want) {
					t.Errorf("page does not open with %s", want)
				}
				if want := "<title>" + html.EscapeString(h.bundle.T(lang, p.titleKey)); !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
				links := langSwitchLink.FindAllString(body, -1)
				if len(links) != 1 {
					t.Fatalf("%d language switch links, want 1", len(links))
				}
				href := hrefValue.FindStringSubmatch(links[0])
				if want := p.path + "?lang=" + string(lang.Other()); href == nil || html.UnescapeString(href[1]) != want {
					t.Errorf("switch link %s, want href %q", links[0], want)
				}
				for _, landmark := range []string{`<header`, `<nav`, `<main id="main"`, `<footer`, `href="#main"`} {
					if !strings.Contains(body, landmark) {
						t.Errorf("page lacks %s", landmark)
					}
				}
				if strings.Contains(body, "<script") {
					t.Error("page has a script; the shell needs none")
				}
				for _, problem := range inlineCodeProblems(body) {
					t.Error(problem)
				}
				if strings.Contains(body, "ZgotmplZ") {
					t.Error("html/template rejected a value as unsafe")
				}
			})
		}
	}
}

func TestSourcesHaveNoInlineCodeOrOtherHosts(t *testing.T) {
	for _, tree := range []fs.FS{embeddedTemplates, embeddedStatic} {
		err := fs.WalkDir(tree, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			content, err := fs.ReadFile(tree, path)
			if err != nil {
				return err
			}
			for _, problem := range inlineCodeProblems(string(content)) {
				t.Errorf("%s: %s", path, problem)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestInlineCodeProblemsAreCaught(t *testing.T) {
	tests := []struct {
		content string
		caught  bool
	}{
		{`<script src="/static/app.js"></script><svg xmlns="http://www.w3.org/2000/svg"></svg><a href="/x?lang=en">`, false},
		{`<script>alert(1)</script>`, true},
		{`<p style="color: red">`, true},
		{`<style>p{}</style>`, true},
		{`<link rel="stylesheet" href="https://cdn.example.com/x.css">`, true},
		{`<img src="//cdn.example.com/x.png">`, true},
		{`@import url(http://fonts.example.org/f.css);`, true},
	}
	for _, tc := range tests {
		if caught := len(inlineCodeProblems(tc.content)) > 0; caught != tc.caught {
			t.Errorf("%s: caught = %v, want %v", tc.content, caught, tc.caught)
		}
	}
}
