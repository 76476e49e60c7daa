// Package httpx is the HTTP plumbing that the staff UI, the public apps and the JSON API share: error
// codes to statuses, JSON bodies, request ids, language, logs, metrics and security headers.
package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/i18n"
)

// Status maps an error code to its HTTP status. It is the only such mapping, for HTML and JSON alike.
func Status(code string) int {
	switch code {
	case "":
		return http.StatusOK
	case aman.EInvalid, aman.ERequired, "password_too_short", "password_common", "unknown_unit", "unknown_item", "unknown_act", "passwords_differ", "date_in_future", "reason_too_short", "not_case_staff", "guardian_consent_required", "consent_required":
		return http.StatusUnprocessableEntity
	case "unknown_user", "invalid_email":
		return http.StatusUnprocessableEntity
	case "harms_child_only", "date_before_birth", "not_staff", "empty_form", "unknown_service", "one_provider_required", "beneficiary_not_on_case":
		return http.StatusUnprocessableEntity
	// The case lifecycle. A move the case's present state does not allow is a conflict with that
	// state, not bad input: the same request may succeed once the state changes.
	case "invalid_transition", "approval_pending", "no_pending_approval", "priority_below_risk":
		return http.StatusConflict
	case "self_approval":
		return http.StatusForbidden
	case "text_too_long", "date_in_past", "assignee_not_on_case", "closure_only_when_closing":
		return http.StatusUnprocessableEntity
	// Notes and documents. A closed edit window or case is a conflict with the record's state; a note
	// that is someone else's to change is forbidden; a file that is not what Aman accepts is a media
	// type refusal, a damaged one bad input.
	case "note_edit_window_closed", "case_closed":
		return http.StatusConflict
	case "not_note_author", "note_amend_forbidden":
		return http.StatusForbidden
	case "unsupported_file_type":
		return http.StatusUnsupportedMediaType
	case "file_damaged":
		return http.StatusUnprocessableEntity
	// The hotline. A call whose parts contradict each other is bad input; a draft already completed, a
	// callback that is not safe or has no number, and a replayed webhook conflict with what is recorded.
	// A webhook that fails its signature or freshness check is not authenticated.
	case "call_ends_before_start", "call_in_future", "call_too_long", "call_reasons_required", "call_reasons_not_counselling",
		"non_counselling_kind_required", "call_outcome_required", "call_link_required":
		return http.StatusUnprocessableEntity
	case "call_not_draft", "callback_not_safe", "no_caller_number", "callback_closed", "telephony_replay":
		return http.StatusConflict
	case "telephony_signature_invalid", "telephony_timestamp_stale":
		return http.StatusUnauthorized
	// The public apps. A wrong follow-up code and a wrong passphrase are the same not-found.
	case "passphrase_too_short", "empty_request", "too_many_attachments":
		return http.StatusUnprocessableEntity
	case "follow_up_not_found":
		return http.StatusNotFound
	// The partner desk: an account with no organisation may not refer; a referral without consent,
	// or an intake that is not a referral, is bad input.
	case "no_partner_org":
		return http.StatusForbidden
	case "referral_consent_required", "not_partner_referral":
		return http.StatusUnprocessableEntity
	case aman.EInvalidJSON:
		return http.StatusBadRequest
	case aman.ENotFound, "setup_link_invalid":
		return http.StatusNotFound
	case aman.EMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case aman.EConflict, "username_taken", "self_lockout", "break_glass_needless", "already_merged", "intake_not_open":
		return http.StatusConflict
	case aman.EUnauthorized, aman.EInvalidCredentials:
		return http.StatusUnauthorized
	case aman.EForbidden, "break_glass_required", "enrolment_required":
		return http.StatusForbidden
	case aman.EAccountLocked:
		return http.StatusLocked
	case aman.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case aman.ERateLimited:
		return http.StatusTooManyRequests
	case aman.EUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	}
	// Field-level codes such as invalid_qid or invalid_phone are all unprocessable input.
	if strings.HasPrefix(code, "invalid_") {
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// ErrorBody is the body of every API error, as CONTRACT.md fixes it.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail carries a stable code and a message in the request's language. Field names the input at
// fault, when there is one.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// ErrorWriter answers a request with err, in whatever form the surface speaks.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// JSONErrors writes errors as CONTRACT.md's JSON body. Internal errors are logged with the request id
// and shown only as a generic message.
func JSONErrors(bundle *i18n.Bundle, logger *slog.Logger) ErrorWriter {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		code := aman.ErrorCode(err)
		LogIfInternal(r, logger, code, err)
		WriteJSON(w, Status(code), ErrorBody{Error: ErrorDetail{
			Code:    code,
			Message: bundle.T(Lang(r.Context()), code),
			Field:   aman.ErrorField(err),
		}})
	}
}

// LogIfInternal logs an unexpected error. Coded errors are the user's business and are not logged; an
// internal one is, with its request id, so support can find it from the id the user is shown.
func LogIfInternal(r *http.Request, logger *slog.Logger, code string, err error) {
	if code != aman.EInternal {
		return
	}
	logger.ErrorContext(r.Context(), "request failed",
		"request_id", RequestID(r.Context()), "route", r.Pattern, "error", err.Error())
}

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// DefaultJSONLimit is the largest JSON body the API reads.
const DefaultJSONLimit = 1 << 20

// DecodeJSON reads a JSON body of at most limit bytes into v. Unknown fields are refused so a typo in a
// field name is an error, not silently dropped data.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return aman.Errorf(aman.EUnsupportedMedia, "content type %q", mt)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return aman.Errorf(aman.ETooLarge, "body over %d bytes", limit)
		}
		return aman.Errorf(aman.EInvalidJSON, "decode: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return aman.Errorf(aman.EInvalidJSON, "trailing data after the JSON value")
	}
	return nil
}

// IsAPI tells whether r is addressed to a JSON API, whose errors are JSON rather than pages.
func IsAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/public/api/")
}
