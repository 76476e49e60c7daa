package i18n_test

import (
	"testing"
	"testing/fstest"

	"aman.qa/aman/i18n"
)

func TestEmbeddedCatalogsAreComplete(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Keys()) < 10 {
		t.Fatalf("only %d keys", len(b.Keys()))
	}
}

func TestLoadRejectsGaps(t *testing.T) {
	tests := []struct {
		name   string
		ar, en string
	}{
		{"key missing in English", `{"a":"أ","b":"ب"}`, `{"a":"A"}`},
		{"key missing in Arabic", `{"a":"أ"}`, `{"a":"A","b":"B"}`},
		{"Arabic plural lacks a form", `{"p":{"zero":"0","one":"1","two":"2","few":"3","other":"x"}}`, `{"p":{"one":"1","other":"x"}}`},
		{"English plural lacks other", `{"p":{"zero":"0","one":"1","two":"2","few":"3","many":"4","other":"x"}}`, `{"p":{"one":"1"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"catalog/ar.json": {Data: []byte(tc.ar)},
				"catalog/en.json": {Data: []byte(tc.en)},
			}
			if _, err := i18n.LoadFS(fsys); err == nil {
				t.Fatal("inconsistent catalogs were accepted")
			}
		})
	}
}

func TestArabicPluralsUseAllSixForms(t *testing.T) {
	tests := []struct {
		n    int
		ar   string
		en   string
		form string
	}{
		{0, "لا توجد حالات", "0 cases", "zero"},
		{1, "حالة واحدة", "1 case", "one"},
		{2, "حالتان", "2 cases", "two"},
		{3, "3 حالات", "3 cases", "few"},
		{10, "10 حالات", "10 cases", "few"},
		{11, "11 حالة", "11 cases", "many"},
		{99, "99 حالة", "99 cases", "many"},
		{100, "100 حالة", "100 cases", "other"},
		{103, "103 حالات", "103 cases", "few"},
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		if got := i18n.PluralCategory(i18n.Arabic, tc.n); got != tc.form {
			t.Errorf("Arabic category of %d = %s, want %s", tc.n, got, tc.form)
		}
		if got := b.N(i18n.Arabic, "count.cases", tc.n); got != tc.ar {
			t.Errorf("ar %d: %q, want %q", tc.n, got, tc.ar)
		}
		if got := b.N(i18n.English, "count.cases", tc.n); got != tc.en {
			t.Errorf("en %d: %q, want %q", tc.n, got, tc.en)
		}
	}
}

func TestMatchAcceptLanguage(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]i18n.Lang{
		"":                         i18n.Arabic,
		"en":                       i18n.English,
		"en-GB,en;q=0.9":           i18n.English,
		"ar-QA":                    i18n.Arabic,
		"fr-FR":                    i18n.Arabic,
		"fr;q=0.9, en;q=0.8":       i18n.English,
		"ar;q=0.5, en;q=0.9":       i18n.English,
		"not a header ;;; q=weird": i18n.Arabic,
	}
	for header, want := range tests {
		if got := b.Match(header); got != want {
			t.Errorf("Match(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestTFillsPlaceholdersAndShowsMissingKeys(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := b.T(i18n.English, "error.request_id", "id", "abc"); got != "Request number for support: abc" {
		t.Fatalf("placeholder: %q", got)
	}
	if got := b.T(i18n.Arabic, "no.such.key"); got != "no.such.key" {
		t.Fatalf("missing key: %q", got)
	}
	if i18n.Arabic.Dir() != "rtl" || i18n.English.Dir() != "ltr" {
		t.Fatal("directions")
	}
}
