package api

import (
	_ "embed"
	"encoding/json"
	"net/http"
)

// The OpenAPI 3.1 document is written by hand, next to the code, and kept honest by a test that compares
// its paths with the registered routes.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the embedded OpenAPI document.
func OpenAPIDocument() []byte { return openAPIDocument }

// OpenAPIOperations lists "METHOD /path" for every operation the document describes.
func OpenAPIOperations() ([]string, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		return nil, err
	}
	var ops []string
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				ops = append(ops, httpMethod(method)+" "+path)
			}
		}
	}
	return ops, nil
}

func httpMethod(m string) string {
	b := []byte(m)
	for i := range b {
		b[i] -= 'a' - 'A'
	}
	return string(b)
}

func (h *Handler) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// The document describes no personal data, so clients may cache it.
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(openAPIDocument)
}
