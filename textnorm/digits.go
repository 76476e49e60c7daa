// Package textnorm turns what people type about a beneficiary — names, phone numbers, Qatar ID
// numbers — into the canonical strings the blind indexes are keyed on.
//
// Beneficiaries are found only through blind indexes (keyed hashes of these strings), so there is no
// fuzzy matching afterwards: two spellings match if and only if they normalise to the same string.
// Every function here is therefore applied identically to the value being stored and to the search
// query, and every rule errs towards recall — a missed match can hide a returning person, while a
// spurious one only shows a caseworker one more candidate to rule out.
//
// The package holds no mutable state; its lookup tables are read-only literals.
package textnorm

import (
	"strings"
	"unicode"
)

// FoldDigits rewrites Arabic-Indic (٠–٩, U+0660–U+0669) and Eastern Arabic-Indic (۰–۹, U+06F0–U+06F9)
// digits as ASCII 0–9. Arabic keyboards on phones produce either set depending on the locale, and a
// number typed in one must match the same number typed in another. Other runes are left alone.
func FoldDigits(s string) string {
	i := strings.IndexFunc(s, isArabicDigit)
	if i < 0 {
		return s // the common case: no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r >= '\u0660' && r <= '\u0669':
			b.WriteByte(byte('0' + r - '\u0660'))
		case r >= '\u06F0' && r <= '\u06F9':
			b.WriteByte(byte('0' + r - '\u06F0'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isArabicDigit(r rune) bool {
	return (r >= '\u0660' && r <= '\u0669') || (r >= '\u06F0' && r <= '\u06F9')
}

// NormalizeQID folds digits and removes the separators people put in ID numbers: spaces, dashes and
// dots, plus the invisible direction marks that come along when a number is copied from Arabic text.
// It does not validate; aman.ParseQID does that on the result.
func NormalizeQID(s string) string {
	s = FoldDigits(s)
	return strings.Map(func(r rune) rune {
		if r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// LooksLikeQID reports whether a search box entry is a Qatar ID number: after NormalizeQID it is
// eleven digits starting with 2 or 3. A Qatari phone number in international form also has eleven
// digits, but it starts with 974, so the two never overlap.
func LooksLikeQID(q string) bool {
	n := NormalizeQID(q)
	if len(n) != 11 || (n[0] != '2' && n[0] != '3') {
		return false
	}
	for i := 1; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}
