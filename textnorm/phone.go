package textnorm

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Error is a textnorm error. It is a string type so that the sentinel values below can be constants:
// nothing can reassign them, and they never carry the input (which is personal data) in their text.
type Error string

func (e Error) Error() string { return string(e) }

// ErrInvalidPhone is returned by NormalizePhone for anything that is not a valid phone number.
// Callers report it as aman.FieldError("phone", aman.EInvalid).
const ErrInvalidPhone Error = "textnorm: invalid phone number"

// defaultRegion is the region assumed for numbers typed without a country code: the centre is in
// Qatar, so a bare eight-digit number is a Qatari one.
const defaultRegion = "QA"

// NormalizePhone returns the E.164 form (+97455551234) of a phone number typed in any of the usual
// ways: local eight digits, +974 or 00974 prefixes, spaces, dashes, dots, parentheses, and Arabic-Indic
// or Eastern Arabic-Indic digits. Foreign numbers with a + or 00 prefix are accepted too, because
// beneficiaries are often reachable only through family abroad. A number that libphonenumber does not
// consider valid for its region is rejected with ErrInvalidPhone rather than stored in a form no search
// would ever reproduce.
func NormalizePhone(s string) (e164 string, err error) {
	s, ok := phoneChars(s)
	if !ok {
		return "", ErrInvalidPhone
	}
	num, err := phonenumbers.Parse(s, defaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", ErrInvalidPhone
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// LooksLikePhone reports whether a search box entry is meant as a phone number rather than a name or
// a QID: only digits and phone punctuation, 7 to 15 digits, and not a QID. It is a syntactic test; the
// caller still runs NormalizePhone, and an error there means "this is a phone number, but not a valid
// one", which is a better message than searching for it as a name.
func LooksLikePhone(q string) bool {
	s, ok := phoneChars(q)
	if !ok || LooksLikeQID(q) {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n >= 7 && n <= 15
}

// phoneChars folds digits, drops invisible format characters and checks that only digits and phone
// punctuation remain, with at most one + before the first digit. libphonenumber would otherwise read letters as a
// vanity number (1-800-FLOWERS), which is never what a caseworker means.
func phoneChars(s string) (string, bool) {
	s = strings.TrimSpace(FoldDigits(s))
	var b strings.Builder
	b.Grow(len(s))
	digits, plus := 0, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == '+' && digits == 0 && !plus:
			plus = true
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/':
			b.WriteByte(' ')
		case unicode.IsSpace(r) || unicode.Is(unicode.Pd, r):
			b.WriteByte(' ')
		case unicode.Is(unicode.Cf, r):
			// direction marks pasted from Arabic text
		default:
			return "", false
		}
	}
	return b.String(), digits > 0
}
