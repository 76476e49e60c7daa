package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
)

//go:embed static
var embeddedStatic embed.FS

// assets are the embedded static files with their content fingerprints. Pages link an asset with its
// fingerprint in the URL (?v=…), so a browser may keep it for a year and still sees a new version the
// moment it changes.
type assets struct {
	files fs.FS
	// fingerprints maps a path under static/ to a hash of its content.
	fingerprints map[string]string
}

func loadAssets(files fs.FS) (*assets, error) {
	a := &assets{files: files, fingerprints: map[string]string{}}
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := fs.ReadFile(files, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		a.fingerprints[path] = hex.EncodeToString(sum[:8])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: fingerprint assets: %w", err)
	}
	return a, nil
}

// url is the fingerprinted address of the asset at path; templates reach it as {{asset "css/aman.css"}}.
func (a *assets) url(path string) (string, error) {
	fingerprint, ok := a.fingerprints[path]
	if !ok {
		return "", fmt.Errorf("web: no asset %q", path)
	}
	return "/static/" + path + "?v=" + fingerprint, nil
}

const (
	// cacheFingerprinted lets browsers keep an asset whose URL names its content for good.
	cacheFingerprinted = "public, max-age=31536000, immutable"
	// cacheRevalidate covers a stale or missing fingerprint (during a rolling upgrade, two nodes may serve
	// two versions): the browser may keep the file but must ask again, and the ETag makes that cheap.
	cacheRevalidate = "public, no-cache"
)

// serveStatic answers GET /static/{path...} from the embedded files. It overrides the no-store default
// the outer middleware sets, because assets hold no personal data.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	path := r.PathValue("path")
	fingerprint, ok := h.assets.fingerprints[path]
	if !ok {
		h.NotFound(w, r)
		return
	}
	cacheControl := cacheRevalidate
	if r.URL.Query().Get("v") == fingerprint {
		cacheControl = cacheFingerprinted
	}
	w.Header().Set("Cache-Control", cacheControl)
	w.Header().Set("ETag", `"`+fingerprint+`"`)
	http.ServeFileFS(w, r, h.assets.files, path)
}
