package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"text/template/parse"

	"aman.qa/aman/i18n"
)

//go:embed templates
var embeddedTemplates embed.FS

const (
	// layoutFile holds the "layout" template that frames every view; each other *.html file is a view
	// that defines "content".
	layoutFile = "layout.html"
	// partialFiles are parsed into every view: named pieces (a form field's error, a case section) that
	// several pages share.
	partialFiles   = "partials/*.html"
	layoutTemplate = "layout"
	contentBlock   = "content"
)

// parseViews parses every view with the layout, once per language, so that {{t "key"}} is bound to the
// language at parse time and a page cannot mix languages. It refuses a template that names a catalog key
// or an asset that does not exist.
func parseViews(files fs.FS, bundle *i18n.Bundle, a *assets) (map[string]map[i18n.Lang]*template.Template, error) {
	names, err := fs.Glob(files, "*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(files, partialFiles)
	if err != nil {
		return nil, err
	}
	views := map[string]map[i18n.Lang]*template.Template{}
	for _, file := range names {
		if file == layoutFile {
			continue
		}
		view := strings.TrimSuffix(file, ".html")
		views[view] = map[i18n.Lang]*template.Template{}
		for _, lang := range i18n.Langs() {
			tmpl, err := template.New(view).Funcs(templateFuncs(bundle, lang, a)).ParseFS(files, append(append([]string{layoutFile}, partials...), file)...)
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", file, err)
			}
			views[view][lang] = tmpl
		}
		// The trees are the same in every language, so one is enough to check.
		if err := checkView(views[view][i18n.Default], bundle, a); err != nil {
			return nil, fmt.Errorf("web: %s: %w", file, err)
		}
	}
	if len(views) == 0 {
		return nil, errors.New("web: no views found")
	}
	return views, nil
}

func templateFuncs(bundle *i18n.Bundle, lang i18n.Lang, a *assets) template.FuncMap {
	return template.FuncMap{
		"t":     func(key string, args ...any) string { return bundle.T(lang, key, args...) },
		"tn":    func(key string, n int, args ...any) string { return bundle.N(lang, key, n, args...) },
		"asset": a.url,
	}
}

// checkView finds what would otherwise only show when the page is served: a missing block, an unknown
// catalog key (which would show as the raw key), an unknown asset (which would fail the render).
func checkView(tmpl *template.Template, bundle *i18n.Bundle, a *assets) error {
	var problems []string
	for _, name := range []string{layoutTemplate, contentBlock} {
		if tmpl.Lookup(name) == nil {
			problems = append(problems, fmt.Sprintf("no %q template", name))
		}
	}
	for _, key := range literalArguments(tmpl, "t", "tn") {
		if !bundle.Has(key) {
			problems = append(problems, fmt.Sprintf("catalog has no key %q", key))
		}
	}
	for _, path := range literalArguments(tmpl, "asset") {
		if _, ok := a.fingerprints[path]; !ok {
			problems = append(problems, fmt.Sprintf("no asset %q", path))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// literalArguments lists, sorted and without repeats, the string literals passed as first argument to
// any of funcs anywhere in tmpl's templates: {{t "home.title"}} gives "home.title".
func literalArguments(tmpl *template.Template, funcs ...string) []string {
	seen := map[string]bool{}
	for _, tt := range tmpl.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		walkNodes(tt.Tree.Root, func(node parse.Node) {
			cmd, ok := node.(*parse.CommandNode)
			if !ok || len(cmd.Args) < 2 {
				return
			}
			ident, ok := cmd.Args[0].(*parse.IdentifierNode)
			if !ok || !slices.Contains(funcs, ident.Ident) {
				return
			}
			if literal, ok := cmd.Args[1].(*parse.StringNode); ok {
				seen[literal.Text] = true
			}
		})
	}
	found := make([]string, 0, len(seen))
	for s := range seen {
		found = append(found, s)
	}
	sort.Strings(found)
	return found
}

// walkNodes calls visit on node and every node below it, in document order.
func walkNodes(node parse.Node, visit func(parse.Node)) {
	visit(node)
	for _, child := range childNodes(node) {
		walkNodes(child, visit)
	}
}

func childNodes(node parse.Node) []parse.Node {
	var children []parse.Node
	// Optional parts are typed nil pointers, which would be non-nil once stored in a parse.Node.
	addPipe := func(p *parse.PipeNode) {
		if p != nil {
			children = append(children, p)
		}
	}
	addBranch := func(b *parse.BranchNode) {
		addPipe(b.Pipe)
		if b.List != nil {
			children = append(children, b.List)
		}
		if b.ElseList != nil {
			children = append(children, b.ElseList)
		}
	}
	switch n := node.(type) {
	case *parse.ListNode:
		children = append(children, n.Nodes...)
	case *parse.ActionNode:
		addPipe(n.Pipe)
	case *parse.PipeNode:
		for _, cmd := range n.Cmds {
			children = append(children, cmd)
		}
	case *parse.CommandNode:
		children = append(children, n.Args...)
	case *parse.IfNode:
		addBranch(&n.BranchNode)
	case *parse.RangeNode:
		addBranch(&n.BranchNode)
	case *parse.WithNode:
		addBranch(&n.BranchNode)
	case *parse.TemplateNode:
		addPipe(n.Pipe)
	}
	return children
}
