package aman

import (
	"errors"
	"fmt"
)

// Error codes. Each code is also the i18n key of the message a person sees, and exactly one function
// (httpx.Status) maps codes to HTTP statuses, for HTML and JSON alike.
const (
	EInvalid            = "invalid_input"
	ENotFound           = "not_found"
	EConflict           = "conflict"
	EUnauthorized       = "unauthorized"
	EForbidden          = "forbidden"
	EInternal           = "internal_error"
	EInvalidCredentials = "invalid_credentials"
	EAccountLocked      = "account_locked"
	ETooLarge           = "too_large"
	ERateLimited        = "rate_limited"
	EUnsupportedMedia   = "unsupported_media_type"
	ESchemaTooNew       = "schema_too_new"
	EInvalidJSON        = "invalid_json"
	EMethodNotAllowed   = "method_not_allowed"
	ERequired           = "required"
)

// Error is an error a person may be shown. Code selects the translated message; Field names the input
// that was wrong, if any. Cause is kept for logs and never shown, so it must carry no personal data.
type Error struct {
	Code  string
	Field string
	Cause error
}

func (e *Error) Error() string {
	switch {
	case e.Field != "" && e.Cause != nil:
		return fmt.Sprintf("%s (%s): %v", e.Code, e.Field, e.Cause)
	case e.Field != "":
		return fmt.Sprintf("%s (%s)", e.Code, e.Field)
	case e.Cause != nil:
		return fmt.Sprintf("%s: %v", e.Code, e.Cause)
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.Cause }

// Errorf returns a coded error; the formatted text is kept only as the hidden cause.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Cause: fmt.Errorf(format, args...)}
}

// FieldError reports that one input field holds a bad value. Code names what is wrong with it.
func FieldError(field, code string) *Error {
	return &Error{Code: code, Field: field}
}

// ErrorCode returns the code of the first coded error in err's chain, or EInternal for any other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorField returns the field the first coded error in err's chain is about, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
