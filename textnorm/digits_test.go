package textnorm

import (
	"errors"
	"testing"
)

func TestFoldDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"0123456789", "0123456789"},
		{"٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"٥٥٥٥ ۱۲۳۴", "5555 1234"},
		{"QID: ٢٨٧-٦٣٤", "QID: 287-634"},
		{"محمد ٣", "محمد 3"},
		{"abc", "abc"},
		{"१२३", "१२३"}, // Devanagari digits are not Arabic-script digits
	}
	for _, tt := range tests {
		if got := FoldDigits(tt.in); got != tt.want {
			t.Errorf("FoldDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldDigitsNoAlloc(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { FoldDigits("55551234 Mohammed") }); n != 0 {
		t.Errorf("FoldDigits allocates %v times on ASCII input", n)
	}
}

func TestNormalizeQID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"28763400001", "28763400001"},
		{"287 634 00001", "28763400001"},
		{"2876-3400-001", "28763400001"},
		{"287.634.00001", "28763400001"},
		{" 28763400001\n", "28763400001"},
		{"٢٨٧٦٣٤٠٠٠٠١", "28763400001"},
		{"۲۸۷۶۳۴۰۰۰۰۱", "28763400001"},
		{"\u200f٢٨٧ ٦٣٤ ٠٠٠٠١\u200e", "28763400001"},
		{"2876\u20133400\u2014001", "28763400001"}, // en and em dashes
		{"2876340000a", "2876340000a"},             // not validated here
	}
	for _, tt := range tests {
		if got := NormalizeQID(tt.in); got != tt.want {
			t.Errorf("NormalizeQID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooksLikeQID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"28763400001", true},
		{"30163400001", true},
		{"2876 3400 001", true},
		{"٢٨٧٦٣٤٠٠٠٠١", true},
		{"18763400001", false},
		{"48763400001", false},
		{"2876340000", false},
		{"287634000011", false},
		{"2876340000a", false},
		{"97455551234", false},
		{"+97455551234", false},
		{"5555 1234", false},
		{"Mohammed", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := LooksLikeQID(tt.in); got != tt.want {
			t.Errorf("LooksLikeQID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	valid := []struct{ in, want string }{
		{"5555 1234", "+97455551234"},
		{"55551234", "+97455551234"},
		{"+974 5555 1234", "+97455551234"},
		{"+97455551234", "+97455551234"},
		{"00974-5555-1234", "+97455551234"},
		{"0097455551234", "+97455551234"},
		{"974 5555 1234", "+97455551234"},
		{"٥٥٥٥١٢٣٤", "+97455551234"},
		{"۵۵۵۵۱۲۳۴", "+97455551234"},
		{"۰۰۹۷۴ ۵۵۵۵ ۱۲۳۴", "+97455551234"},
		{"+٩٧٤ ٥٥٥٥ ١٢٣٤", "+97455551234"},
		{"(+974) 5555.1234", "+97455551234"},
		{" 5555-1234 ", "+97455551234"},
		{"\u200f5555 1234", "+97455551234"},
		{"3312 3456", "+97433123456"},
		{"6612 3456", "+97466123456"},
		{"7712 3456", "+97477123456"},
		{"4444 1234", "+97444441234"},
		{"+44 20 7946 0958", "+442079460958"},
		{"00 91 98765 43210", "+919876543210"},
	}
	for _, tt := range valid {
		got, err := NormalizePhone(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	invalid := []string{
		"", " ", "+", "1234", "16000", "5555123", "555512345", "1234 5678", "2212 3456",
		"+974 1234 5678", "+9745555", "5555 1234 x", "call 55551234", "FLOWERS", "5555+1234",
		"28763400001", "+999 5555 1234",
	}
	for _, in := range invalid {
		got, err := NormalizePhone(in)
		if err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want error", in, got)
		} else if !errors.Is(err, ErrInvalidPhone) || got != "" {
			t.Errorf("NormalizePhone(%q) = %q, %v; want ErrInvalidPhone", in, got, err)
		}
	}
}

func TestLooksLikePhone(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"5555 1234", true},
		{"+974 5555 1234", true},
		{"00974-5555-1234", true},
		{"٥٥٥٥١٢٣٤", true},
		{"(+974) 5555.1234", true},
		{"1234 5678", true}, // a phone number, if not a valid one: NormalizePhone says so
		{"28763400001", false},
		{"2876 3400 001", false},
		{"Mohammed", false},
		{"محمد", false},
		{"5555 Ali", false},
		{"1234", false},
		{"", false},
		{"1234567890123456", false},
	}
	for _, tt := range tests {
		if got := LooksLikePhone(tt.in); got != tt.want {
			t.Errorf("LooksLikePhone(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A search box decides between the three kinds of input; each must claim only its own.
func TestSearchBoxKinds(t *testing.T) {
	for _, q := range []string{"28763400001", "5555 1234", "Mohammed Ali", "محمد"} {
		qid, phone, name := LooksLikeQID(q), LooksLikePhone(q), len(NameTokens(q)) > 0 && !LooksLikeQID(q) && !LooksLikePhone(q)
		n := 0
		for _, b := range []bool{qid, phone, name} {
			if b {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%q: qid=%v phone=%v name=%v", q, qid, phone, name)
		}
	}
}
