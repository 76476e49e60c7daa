package aman

import (
	"errors"
	"slices"
	"testing"
)

func TestParseQID(t *testing.T) {
	valid := []struct {
		in   string
		year int
		nat  string
	}{
		{"28763400001", 1987, "634"},
		{"20063412345", 1900, "634"},
		{"29935600123", 1999, "356"},
		{"30163400001", 2001, "634"},
		{"31504800007", 2015, "048"}, // Bahrain keeps its leading zero
		{"28801200001", 1988, "012"},
		{"39999999999", 2099, "999"}, // format only: unknown codes and future years are the caller's call
	}
	for _, tt := range valid {
		q, err := ParseQID(tt.in)
		if err != nil {
			t.Errorf("ParseQID(%q): %v", tt.in, err)
			continue
		}
		if want := (QID{Number: tt.in, BirthYear: tt.year, NationalityNumeric: tt.nat}); q != want {
			t.Errorf("ParseQID(%q) = %+v, want %+v", tt.in, q, want)
		}
	}

	invalid := []string{
		"", "2", "1234", "2876340000", "287634000011", "18763400001", "48763400001", "08763400001",
		"2876340000a", "28763-400001", " 28763400001", "28763400001 ", "2876 3400 001",
		"٢٨٧٦٣٤٠٠٠٠١", // unfolded: the caller runs textnorm.NormalizeQID first
		"2876340000١", "+28763400001", "２８７６３４０００１",
	}
	for _, in := range invalid {
		q, err := ParseQID(in)
		if err == nil {
			t.Errorf("ParseQID(%q) = %+v, want error", in, q)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != EInvalidQID || e.Field != "qid" {
			t.Errorf("ParseQID(%q) error = %#v, want FieldError(qid, %s)", in, err, EInvalidQID)
		}
		if ErrorCode(err) != EInvalidQID || ErrorField(err) != "qid" {
			t.Errorf("ParseQID(%q): code %q field %q", in, ErrorCode(err), ErrorField(err))
		}
		if q != (QID{}) {
			t.Errorf("ParseQID(%q) returned %+v with its error", in, q)
		}
	}
}

func TestQIDWarnings(t *testing.T) {
	qatari := QID{Number: "28763400001", BirthYear: 1987, NationalityNumeric: "634"}
	bahraini := QID{Number: "29004800001", BirthYear: 1990, NationalityNumeric: "048"}
	tests := []struct {
		q    QID
		year int
		nat  string
		want []string
	}{
		{qatari, 0, "", nil},
		{qatari, 1987, "QA", nil},
		{qatari, 1987, "qa", nil},
		{qatari, 1987, " QA ", nil},
		{qatari, 0, "QA", nil},
		{qatari, 1987, "", nil},
		{qatari, 1988, "QA", []string{WarnQIDBirthYearMismatch}},
		{qatari, 2087, "", []string{WarnQIDBirthYearMismatch}}, // right two digits, wrong century
		{qatari, 1987, "IN", []string{WarnQIDNationalityMismatch}},
		{qatari, 1990, "in", []string{WarnQIDBirthYearMismatch, WarnQIDNationalityMismatch}},
		{qatari, 1987, "XX", nil},  // unknown country: no opinion
		{qatari, 1987, "QAT", nil}, // alpha-3 is not what we were given
		{bahraini, 1990, "BH", nil},
		{bahraini, 1990, "SA", []string{WarnQIDNationalityMismatch}},
		{QID{}, 1990, "QA", nil}, // zero QID: nothing to compare
	}
	for _, tt := range tests {
		if got := tt.q.Warnings(tt.year, tt.nat); !slices.Equal(got, tt.want) {
			t.Errorf("%+v.Warnings(%d, %q) = %q, want %q", tt.q, tt.year, tt.nat, got, tt.want)
		}
	}
	// The codes are i18n keys and stored in case histories: they must not drift.
	if WarnQIDBirthYearMismatch != "qid_birth_year_mismatch" || WarnQIDNationalityMismatch != "qid_nationality_mismatch" || EInvalidQID != "invalid_qid" {
		t.Error("QID codes changed")
	}
}

func TestQIDRoundTrip(t *testing.T) {
	q, err := ParseQID("30568200042")
	if err != nil {
		t.Fatal(err)
	}
	if w := q.Warnings(2005, "SA"); w != nil {
		t.Errorf("Saudi born 2005: warnings %q", w)
	}
}

func TestISONumeric(t *testing.T) {
	if n := len(isoNumeric); n != 249 {
		t.Errorf("isoNumeric has %d entries, want the 249 of ISO 3166-1", n)
	}
	seen := map[string]string{}
	for a2, num := range isoNumeric {
		if len(a2) != 2 || a2[0] < 'A' || a2[0] > 'Z' || a2[1] < 'A' || a2[1] > 'Z' {
			t.Errorf("bad alpha-2 key %q", a2)
		}
		if len(num) != 3 || num[0] < '0' || num[0] > '9' || num[1] < '0' || num[1] > '9' || num[2] < '0' || num[2] > '9' {
			t.Errorf("%s: bad numeric %q", a2, num)
		}
		if prev, dup := seen[num]; dup {
			t.Errorf("%s and %s share numeric %s", prev, a2, num)
		}
		seen[num] = a2
	}
	// The countries most beneficiaries come from, checked by hand against ISO 3166-1.
	want := map[string]string{
		"QA": "634", "SA": "682", "AE": "784", "KW": "414", "BH": "048", "OM": "512", "EG": "818",
		"SY": "760", "JO": "400", "LB": "422", "PS": "275", "SD": "729", "YE": "887", "IQ": "368",
		"IN": "356", "PK": "586", "BD": "050", "NP": "524", "LK": "144", "PH": "608", "ID": "360",
		"ET": "231", "KE": "404", "US": "840", "GB": "826", "IR": "364", "TN": "788", "MA": "504",
		"DZ": "012", "SO": "706", "ER": "232", "LY": "434", "MR": "478", "DJ": "262", "KM": "174",
		"AF": "004", "UG": "800", "NG": "566", "GH": "288", "TZ": "834", "SS": "728", "TR": "792",
		"MM": "104", "TH": "764", "VN": "704", "CN": "156",
	}
	for a2, num := range want {
		if got := isoNumeric[a2]; got != num {
			t.Errorf("isoNumeric[%q] = %q, want %q", a2, got, num)
		}
	}
}
