package portal_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
	"aman.qa/aman/portal"
)

func newRouter(t *testing.T) *httpx.Router {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	h, err := portal.New(portal.Config{Bundle: bundle, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rt := httpx.NewRouter(func(w http.ResponseWriter, r *http.Request, err error) { http.Error(w, err.Error(), 500) }, nil)
	h.Routes(rt)
	return rt
}

// A catalog key shown as itself ("help.title") is a missing translation.
var untranslated = regexp.MustCompile(`>\s*[a-z_]+\.[a-z_.]+\s*<`)

// Every screen of every app, in both languages: the right language and direction, a manifest, a quick
// exit, the language carried in links (never in a cookie), and nothing cached.
func TestEveryScreenHasAManifestAndAQuickExit(t *testing.T) {
	rt := newRouter(t)
	for _, app := range []string{"help", "consult", "report"} {
		for _, path := range []string{"/" + app, "/" + app + "/follow-up"} {
			for _, lang := range []struct{ query, tag, other string }{{"", `<html lang="ar" dir="rtl">`, "?lang=en"}, {"?lang=en", `<html lang="en" dir="ltr">`, "?lang=ar"}} {
				rec := httptest.NewRecorder()
				rt.ServeHTTP(rec, httptest.NewRequest("GET", path+lang.query, nil))
				body := rec.Body.String()
				switch {
				case rec.Code != 200:
					t.Fatalf("%s%s: %d %s", path, lang.query, rec.Code, body)
				case !strings.Contains(body, lang.tag):
					t.Errorf("%s%s: no %s", path, lang.query, lang.tag)
				case !strings.Contains(body, `rel="manifest"`):
					t.Errorf("%s%s: no manifest link", path, lang.query)
				case !strings.Contains(body, "data-quick-exit"):
					t.Errorf("%s%s: no quick exit", path, lang.query)
				case !strings.Contains(body, `href="`+lang.other+`"`):
					t.Errorf("%s%s: the language switch does not carry the language", path, lang.query)
				case rec.Header().Get("Set-Cookie") != "":
					t.Errorf("%s%s: set a cookie", path, lang.query)
				case rec.Header().Get("Cache-Control") != "no-store":
					t.Errorf("%s%s: Cache-Control %q", path, lang.query, rec.Header().Get("Cache-Control"))
				case strings.Contains(body, "<script>") || strings.Contains(body, "https://") && !strings.Contains(body, portal.ExitURL):
					t.Errorf("%s%s: inline script or a third-party address", path, lang.query)
				}
				if m := untranslated.FindString(body); m != "" {
					t.Errorf("%s%s: untranslated %q", path, lang.query, m)
				}
			}
		}
	}
}

func TestManifestsAndAssets(t *testing.T) {
	rt := newRouter(t)
	for _, tt := range []struct{ path, want string }{
		{"/help/manifest.webmanifest", `"name":"ساعدني"`},
		{"/consult/manifest.webmanifest?lang=en", `"start_url":"/consult?lang=en"`},
		{"/report/manifest.webmanifest?neutral=1", `"name":"ملاحظات"`},
		{"/portal-sw.js", "caches.open"},
		{"/portal/static/portal.js", "location.replace"},
		{"/portal/static/pictures/confinement.svg", "<svg"},
	} {
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), tt.want) || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %q, want %q", tt.path, rec.Code, rec.Body.String(), tt.want)
		}
	}
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("GET", "/portal/static/missing.js", nil))
	if rec.Code != 404 {
		t.Errorf("a missing asset: %d", rec.Code)
	}
}
