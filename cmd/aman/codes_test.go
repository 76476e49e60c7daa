package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman/httpx"
	"aman.qa/aman/i18n"
)

// Every error code declared anywhere in the tree (a constant E… = "snake_case") must have a message in
// both catalogs and an HTTP status of its own, so a new code cannot surface as a raw key or a 500.
func TestEveryErrorCodeIsTranslatedAndMapped(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`(?m)^\s*E[A-Z]\w*\s*=\s*"([a-z][a-z0-9_]*)"`)
	internal := map[string]bool{"internal_error": true, "schema_too_new": true, "key_mismatch": true}
	codes := map[string]string{}
	err = filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "e2e") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range decl.FindAllStringSubmatch(string(src), -1) {
			codes[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 20 {
		t.Fatalf("found only %d codes", len(codes))
	}
	for code, where := range codes {
		if !bundle.Has(code) {
			t.Errorf("%s (declared in %s) has no message in the catalogs", code, where)
		}
		if status := httpx.Status(code); status >= 500 && !internal[code] {
			t.Errorf("%s (declared in %s) maps to HTTP %d", code, where, status)
		}
	}
}
