package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/session"
)

// page is what every template receives: the layout's needs plus the view's own Data.
type page struct {
	Lang         i18n.Lang
	Dir          string
	OtherLang    i18n.Lang
	OtherDir     string
	Title        string
	Path         string
	OtherLangURL string
	RequestID    string
	Version      string
	// Signed describes the signed-in user, for the header; nil on public pages.
	Signed *signedInView
	Data   any
}

// signedInView is the header's view of the signed-in user.
type signedInView struct {
	Name   string
	Role   string
	Active bool
	Menu   []menuItem
}

func (h *Handler) newPage(r *http.Request, titleKey string, data any) page {
	lang := httpx.Lang(r.Context())
	var signed *signedInView
	if s, actor, ok := session.From(r.Context()); ok {
		name := s.User.DisplayName
		if name == "" {
			name = s.User.Username
		}
		signed = &signedInView{Name: name, Role: string(actor.Role), Active: s.Stage == app.StageActive}
		if signed.Active {
			signed.Menu = menuFor(actor.Role)
		}
	}
	return page{
		Signed:       signed,
		Lang:         lang,
		Dir:          lang.Dir(),
		OtherLang:    lang.Other(),
		OtherDir:     lang.Other().Dir(),
		Title:        h.bundle.T(lang, titleKey),
		Path:         r.URL.Path,
		OtherLangURL: switchLanguageURL(r.URL, lang.Other()),
		RequestID:    httpx.RequestID(r.Context()),
		Version:      h.version,
		Data:         data,
	}
}

// switchLanguageURL is the current page in language to: same path, same query, another lang.
func switchLanguageURL(current *url.URL, to i18n.Lang) string {
	query := current.Query()
	query.Set("lang", string(to))
	// Collapsing leading slashes keeps a path like "//host" from turning into a link to another host.
	path := "/" + strings.TrimLeft(current.Path, "/")
	return (&url.URL{Path: path, RawQuery: query.Encode()}).String()
}

// render writes view in the request's language. It executes into a buffer first, so a template that
// fails half-way becomes a clean error page rather than half a page under a 200.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, view, titleKey string, data any) error {
	p := h.newPage(r, titleKey, data)
	tmpl, ok := h.views[view][p.Lang]
	if !ok {
		return fmt.Errorf("web: no view %q in %s", view, p.Lang)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, layoutTemplate, p); err != nil {
		return fmt.Errorf("web: render %s in %s: %w", view, p.Lang, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// show renders view, or the 500 page when rendering fails.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, view, titleKey string, data any) {
	if err := h.render(w, r, status, view, titleKey, data); err != nil {
		h.Errors(w, r, err)
	}
}
