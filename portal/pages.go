package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/session"
)

// qatar is where the centre is; message times are shown in its time.
var qatar = time.FixedZone("AST", 3*60*60)

// page is what every template sees.
type page struct {
	h       *Handler
	Lang    i18n.Lang
	App     string
	Neutral bool
	// Error is a translated message shown at the top; ErrorField names the input at fault.
	Error      string
	ErrorField string
	// Values are what the person typed, given back when the form is shown again.
	Values  map[string]string
	Checked map[string]bool
	Receipt app.PublicReceipt
	Thread  app.PublicThread
	// Code and Passphrase re-open the thread for a reply. They are in the page's body only, which is
	// never cached, and never in a URL.
	Code       string
	Passphrase string
}

// T translates a key of the portal's catalog.
func (p page) T(key string) string { return p.h.text.T(p.Lang, key) }

// Dir is the writing direction.
func (p page) Dir() string { return p.Lang.Dir() }

// Other is the language the switch offers.
func (p page) Other() string { return string(p.Lang.Other()) }

// Q is the query that carries the language (and the neutral name) in every link and form action.
func (p page) Q() string {
	q := "?lang=" + string(p.Lang)
	if p.Neutral {
		q += "&neutral=1"
	}
	return q
}

// SwitchQ is the query of the language switch.
func (p page) SwitchQ() string {
	q := "?lang=" + string(p.Lang.Other())
	if p.Neutral {
		q += "&neutral=1"
	}
	return q
}

// ExitURL is the quick exit's destination.
func (p page) ExitURL() string { return ExitURL }

// Harms are the pictures Sa'idni shows.
func (p page) Harms() []string { return app.Harms() }

// Kinds are the kinds of consultation.
func (p page) Kinds() []string { return app.ConsultationKinds() }

// Asset is the address of a static file.
func (p page) Asset(path string) string { return "/portal/static/" + path }

// When shows an instant in Qatar time.
func (p page) When(t time.Time) string { return t.In(qatar).Format("2006-01-02 15:04") }

// V is a value the person typed.
func (p page) V(name string) string { return p.Values[name] }

// langOf reads the language from the URL only: the public apps ignore the staff's language cookie and
// never set one.
func langOf(r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	return i18n.Default
}

func (h *Handler) newPage(r *http.Request, name string) page {
	return page{h: h, Lang: langOf(r), App: name, Neutral: r.URL.Query().Get("neutral") == "1", Values: map[string]string{}, Checked: map[string]bool{}}
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, tmpl string, p page, status int) {
	var buf bytes.Buffer
	if err := h.pages[tmpl].Execute(&buf, p); err != nil {
		h.logger.ErrorContext(r.Context(), "portal template failed", "request_id", httpx.RequestID(r.Context()), "template", tmpl, "error", err.Error())
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	noStore(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows the page again with a translated message; the person's text is kept, their passphrase
// is not.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, tmpl string, p page, err error) {
	code := aman.ErrorCode(err)
	httpx.LogIfInternal(r, h.logger, code, err)
	p.Error = h.errors.T(p.Lang, code)
	p.ErrorField = aman.ErrorField(err)
	p.Passphrase = ""
	h.render(w, r, tmpl, p, httpx.Status(code))
}

func (h *Handler) showForm(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.render(w, r, name, h.newPage(r, name), http.StatusOK)
	}
}

// readForm reads a page's form, with or without files.
func readForm(w http.ResponseWriter, r *http.Request) (map[string][]string, [][]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		form, err := httpx.ReadMultipartForm(w, r, "attachments", app.MaxPublicAttachments, app.MaxPublicAttachmentSize)
		return form.Fields, form.Files, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, httpx.DefaultJSONLimit)
	if err := r.ParseForm(); err != nil {
		return nil, nil, aman.Errorf(aman.EInvalid, "form: %v", err)
	}
	return r.PostForm, nil, nil
}

func (h *Handler) submit(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := h.newPage(r, name)
		fields, files, err := readForm(w, r)
		for k, v := range fields {
			if len(v) > 0 && k != "passphrase" {
				p.Values[k] = v[0]
			}
			for _, one := range v {
				p.Checked[k+":"+one] = true
			}
		}
		if err != nil {
			h.fail(w, r, name, p, err)
			return
		}
		receipt, err := h.intake.Submit(r.Context(), session.Meta(r), app.PublicInputFromFields(apps[name], fields, files))
		if err != nil {
			h.fail(w, r, name, p, err)
			return
		}
		p.Values, p.Checked = nil, nil
		p.Receipt = receipt
		h.render(w, r, "receipt", p, http.StatusCreated)
	}
}

func (h *Handler) showFollowUp(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.render(w, r, "follow_up", h.newPage(r, name), http.StatusOK)
	}
}

func (h *Handler) followUp(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := h.newPage(r, name)
		fields, _, err := readForm(w, r)
		if err != nil {
			h.fail(w, r, "follow_up", p, err)
			return
		}
		p.Code, p.Passphrase = first(fields, "follow_up_code"), first(fields, "passphrase")
		p.Thread, err = h.intake.FollowUp(r.Context(), session.Meta(r), p.Code, p.Passphrase)
		if err != nil {
			p.Values["follow_up_code"] = p.Code
			h.fail(w, r, "follow_up", p, err)
			return
		}
		h.render(w, r, "thread", p, http.StatusOK)
	}
}

func (h *Handler) reply(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := h.newPage(r, name)
		fields, _, err := readForm(w, r)
		if err != nil {
			h.fail(w, r, "follow_up", p, err)
			return
		}
		p.Code, p.Passphrase = first(fields, "follow_up_code"), first(fields, "passphrase")
		text := first(fields, "text")
		p.Thread, err = h.intake.Reply(r.Context(), session.Meta(r), p.Code, p.Passphrase, text)
		if err != nil {
			if aman.ErrorField(err) == "text" {
				// The code and passphrase were not even tried: show the conversation again with the problem.
				if th, ferr := h.intake.FollowUp(r.Context(), session.Meta(r), p.Code, p.Passphrase); ferr == nil {
					p.Thread, p.Values["text"] = th, text
					code := aman.ErrorCode(err)
					p.Error, p.ErrorField = h.errors.T(p.Lang, code), "text"
					h.render(w, r, "thread", p, httpx.Status(code))
					return
				}
			}
			p.Values["follow_up_code"] = p.Code
			h.fail(w, r, "follow_up", p, err)
			return
		}
		h.render(w, r, "thread", p, http.StatusOK)
	}
}

func first(fields map[string][]string, name string) string {
	if v := fields[name]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

// manifest is an app's web app manifest. With neutral=1 it names the app plainly ("Notes") with a plain
// icon, for a phone someone else may look at.
func (h *Handler) manifest(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := h.newPage(r, name)
		title, short, icon := p.T(name+".title"), p.T(name+".short"), "icons/"+name+".svg"
		if p.Neutral {
			title, short, icon = p.T("neutral.name"), p.T("neutral.name"), "icons/neutral.svg"
		}
		m := map[string]any{
			"name": title, "short_name": short, "lang": string(p.Lang), "dir": p.Dir(),
			"start_url": "/" + name + p.Q(), "scope": "/" + name, "id": "/" + name + p.Q(),
			"display": "standalone", "background_color": "#f6f4ef", "theme_color": "#2f6f73",
			"icons": []map[string]string{{"src": p.Asset(icon), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}},
		}
		noStore(w)
		w.Header().Set("Content-Type", "application/manifest+json")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(m)
	}
}

// serviceWorker serves the worker script. Service-Worker-Allowed is not needed: the script is at the
// root, and each app registers it for its own path.
func (h *Handler) serviceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(h.static, "portal-sw.js")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	noStore(w)
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(b)
}

// serveStatic serves the apps' styles, script and pictures. They hold nothing personal, but are not
// cached by the browser either: the service worker keeps its own copy for offline use.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	path := r.PathValue("path")
	if _, err := fs.Stat(h.static, path); err != nil || path == "portal-sw.js" {
		if !errors.Is(err, fs.ErrNotExist) && err != nil {
			h.logger.ErrorContext(r.Context(), "portal static", "error", err.Error())
		}
		http.NotFound(w, r)
		return
	}
	noStore(w)
	http.ServeFileFS(w, r, h.static, path)
}
