package app

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"aman.qa/aman"
)

// MinPasswordLength follows NIST SP 800-63B's advice for a length floor over composition rules.
const MinPasswordLength = 12

// Password error codes.
const (
	EPasswordTooShort = "password_too_short"
	EPasswordCommon   = "password_common"
)

//go:embed common-passwords.txt
var commonPasswordList string

// PasswordPolicy refuses short passwords and the ones attackers try first.
type PasswordPolicy struct {
	common map[string]struct{}
}

// NewPasswordPolicy loads the embedded list of the 10,000 most common passwords.
func NewPasswordPolicy() *PasswordPolicy {
	p := &PasswordPolicy{common: make(map[string]struct{}, 10000)}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			p.common[line] = struct{}{}
		}
	}
	return p
}

// Check returns a coded error on the "password" field when password is not acceptable for username.
func (p *PasswordPolicy) Check(username, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return aman.FieldError("password", EPasswordTooShort)
	}
	if p.isCommon(username, password) {
		return aman.FieldError("password", EPasswordCommon)
	}
	return nil
}

// isCommon catches a listed password, one padded with digits or symbols ("password1234!"), one made of a
// single repeated character, and the username itself.
func (p *PasswordPolicy) isCommon(username, password string) bool {
	lower := strings.ToLower(password)
	if _, ok := p.common[lower]; ok {
		return true
	}
	core := strings.TrimRightFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	core = strings.TrimLeftFunc(core, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if _, ok := p.common[core]; ok && core != "" {
		return true
	}
	if core == "" || strings.Count(lower, string([]rune(lower)[0])) == utf8.RuneCountInString(lower) {
		return true
	}
	return username != "" && strings.Contains(lower, strings.ToLower(username))
}
