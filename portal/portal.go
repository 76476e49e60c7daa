// Package portal serves the public intake apps — Sa'idni (/help) for children, Shawirni (/consult) for
// women, Ballighni (/report) for anyone — as installable web apps with no staff session. They leave no
// trace: no cookie, nothing sensitive in a URL, nothing cached by the browser, a quick exit on every
// screen, and no request to any third party. The pages work without script; the small script of
// static/portal.js adds the quick-exit key, voice recording and the offline draft.
package portal

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

//go:embed catalog/*.json
var catalogFiles embed.FS

// ExitURL is where the quick exit goes: an ordinary weather search. It is reached only when the person
// presses the exit, as a navigation that replaces the app's history entry, so the app's pages make no
// request to it; Referrer-Policy: no-referrer keeps it from learning where the visitor came from.
const ExitURL = "https://www.google.com/search?q=weather"

// Config carries what the portal needs.
type Config struct {
	// Bundle holds the error messages shared with the API; the portal's own wording is in its catalog.
	Bundle *i18n.Bundle
	Logger *slog.Logger
	Intake *app.PublicIntake
}

// Handler serves the three apps.
type Handler struct {
	errors *i18n.Bundle
	text   *i18n.Bundle
	logger *slog.Logger
	intake *app.PublicIntake
	pages  map[string]*template.Template
	static fs.FS
}

// appNames are the three apps, in the order they are registered.
var appNames = []string{"help", "consult", "report"}

// apps are the three apps by path, with their channel.
var apps = map[string]aman.Channel{"help": aman.ChannelHelpRequest, "consult": aman.ChannelConsultation, "report": aman.ChannelReport}

// New parses the templates and the portal's catalogs; a broken template stops the server at start.
func New(cfg Config) (*Handler, error) {
	text, err := i18n.LoadFS(catalogFiles)
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	h := &Handler{errors: cfg.Bundle, text: text, logger: cfg.Logger, intake: cfg.Intake, pages: map[string]*template.Template{}, static: static}
	funcs := template.FuncMap{
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
	}
	for _, name := range []string{"help", "consult", "report", "receipt", "follow_up", "thread"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("portal: parse %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return h, nil
}

// noStore marks every portal response as never to be cached, whatever the outer middleware did.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}
