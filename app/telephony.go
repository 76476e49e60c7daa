package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Telephony receives the events of the centre's telephone system (ringing, answered, ended, missed) and
// keeps call records in step with them: a draft while the call rings and runs, completed later by the
// operator who answered; a missed call for the callback list.
//
// Every request is signed: HMAC-SHA256, under the shared secret, of the Unix timestamp, a dot and the
// raw body, sent as "sha256=<hex>". The timestamp must be within Tolerance of the server's clock, and a
// signature is accepted once: the signatures seen are kept in the database (not in a node's memory)
// until they could no longer pass the freshness check, so a replay to any node is refused.
type Telephony struct {
	Deps
	// Secret is shared with the telephone system. Empty disables the webhook: it answers not found.
	Secret []byte
	// Tolerance is how far a request's timestamp may be from now, either way; DefaultTelephonyTolerance
	// when zero.
	Tolerance time.Duration
}

// DefaultTelephonyTolerance is five minutes, as the issue and common webhook practice have it.
const DefaultTelephonyTolerance = 5 * time.Minute

// Telephony error codes.
const (
	// ETelephonySignature: the signature is missing, malformed or wrong.
	ETelephonySignature = "telephony_signature_invalid"
	// ETelephonyStale: the signed timestamp is missing or too far from now.
	ETelephonyStale = "telephony_timestamp_stale"
	// ETelephonyReplay: this exact signed request was already accepted.
	ETelephonyReplay = "telephony_replay"
	// EInvalidTelephonyEvent: the event is not one of ringing, answered, ended, missed, or lacks its call.
	EInvalidTelephonyEvent = "invalid_telephony_event"
)

// The event types the telephone system sends.
const (
	EventRinging  = "ringing"
	EventAnswered = "answered"
	EventEnded    = "ended"
	EventMissed   = "missed"
)

// TelephonyDelivery is one webhook request as it arrived: the raw body and the two headers.
type TelephonyDelivery struct {
	Body      []byte
	Signature string
	Timestamp string
}

// TelephonyEvent is the body of one request.
type TelephonyEvent struct {
	CallRef string `json:"call_ref"`
	Event   string `json:"event"`
	At      string `json:"at"`
	// From is the caller's number; empty or unparseable means withheld.
	From string `json:"from"`
	// Operator is the username of the operator who answered, on "answered".
	Operator string `json:"operator,omitempty"`
}

// TelephonyResult says what the event did to which call.
type TelephonyResult struct {
	CallID string
	Status aman.CallStatus
}

// Enabled tells whether the webhook is configured.
func (t *Telephony) Enabled() bool { return len(t.Secret) > 0 }

func (t *Telephony) tolerance() time.Duration {
	if t.Tolerance > 0 {
		return t.Tolerance
	}
	return DefaultTelephonyTolerance
}

// Sign returns the signature header value for body at timestamp: what the telephone system computes. It
// is here so tests and integration scripts compute it exactly as the server checks it.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// verify checks the signature and then the timestamp, and returns the signature's bytes. The signature
// comes first so that nobody without the secret learns anything from which check failed.
func (t *Telephony) verify(d TelephonyDelivery, now time.Time) ([]byte, error) {
	hexSig, ok := strings.CutPrefix(strings.TrimSpace(d.Signature), "sha256=")
	given, err := hex.DecodeString(hexSig)
	if !ok || err != nil || len(given) != sha256.Size {
		return nil, aman.Errorf(ETelephonySignature, "malformed signature header")
	}
	want, _ := hex.DecodeString(strings.TrimPrefix(Sign(t.Secret, d.Timestamp, d.Body), "sha256="))
	if !hmac.Equal(given, want) {
		return nil, aman.Errorf(ETelephonySignature, "signature does not match")
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(d.Timestamp), 10, 64)
	if err != nil {
		return nil, aman.Errorf(ETelephonyStale, "timestamp is not Unix seconds")
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > t.tolerance() || skew < -t.tolerance() {
		return nil, aman.Errorf(ETelephonyStale, "timestamp %v away from now", skew.Round(time.Second))
	}
	return given, nil
}

// decodeEvent reads the body strictly: an unknown field is an error, not silently dropped data.
func decodeEvent(body []byte) (TelephonyEvent, time.Time, error) {
	var e TelephonyEvent
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return e, time.Time{}, aman.Errorf(aman.EInvalidJSON, "decode: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return e, time.Time{}, aman.Errorf(aman.EInvalidJSON, "trailing data")
	}
	e.CallRef = strings.TrimSpace(e.CallRef)
	switch {
	case e.CallRef == "" || len(e.CallRef) > 200:
		return e, time.Time{}, aman.FieldError("call_ref", EInvalidTelephonyEvent)
	case e.Event != EventRinging && e.Event != EventAnswered && e.Event != EventEnded && e.Event != EventMissed:
		return e, time.Time{}, aman.FieldError("event", EInvalidTelephonyEvent)
	}
	at, err := callTime("at", e.At)
	if err != nil {
		return e, time.Time{}, err
	}
	if at.IsZero() {
		return e, time.Time{}, aman.FieldError("at", aman.ERequired)
	}
	return e, at, nil
}

// Receive verifies one webhook request and applies its event, in one transaction with the replay record
// and the audit entry. A repeated event (a new signature for something already recorded) changes
// nothing and succeeds, so a telephone system that retries is not told to retry forever.
func (t *Telephony) Receive(ctx context.Context, d TelephonyDelivery) (TelephonyResult, error) {
	if !t.Enabled() {
		return TelephonyResult{}, aman.Errorf(aman.ENotFound, "telephony webhook is not configured")
	}
	signature, err := t.verify(d, t.DB.Now())
	if err != nil {
		return TelephonyResult{}, err
	}
	event, at, err := decodeEvent(d.Body)
	if err != nil {
		return TelephonyResult{}, err
	}
	// A number the system sends in a form no phone library accepts ("anonymous", "unknown") is a
	// withheld number, not an error that would lose the event.
	number, _ := normalizeCallerNumber(event.From)
	var result TelephonyResult
	actor := aman.System("telephony")
	err = t.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM telephony_receipts WHERE expires_at < $1`, store.Millis(tx.Now)); err != nil {
			return err
		}
		secs, _ := strconv.ParseInt(strings.TrimSpace(d.Timestamp), 10, 64)
		// Past this moment the timestamp fails the freshness check, so the record is no longer needed.
		expires := time.Unix(secs, 0).Add(t.tolerance() + time.Minute)
		res, err := tx.ExecContext(ctx, `INSERT INTO telephony_receipts (signature, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			signature, store.Millis(expires))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return aman.Errorf(ETelephonyReplay, "signature already accepted")
		}
		operatorID, err := answeringOperator(ctx, tx, event.Operator)
		if err != nil {
			return err
		}
		result, err = t.apply(ctx, tx, event, at, number, operatorID)
		if err != nil {
			return err
		}
		return t.record(ctx, tx, actor, audit.Entry{Action: "telephony." + event.Event, Entity: "call", EntityID: result.CallID,
			Detail: map[string]string{"status": string(result.Status)}})
	})
	return result, err
}

// answeringOperator is the id of the enabled hotline operator with that username, or "" when the system
// named nobody, or someone who is not an operator: the draft then waits for any operator.
func answeringOperator(ctx context.Context, tx *store.Tx, username string) (string, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return "", nil
	}
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1 AND role = $2 AND NOT disabled`,
		username, string(aman.RoleHotlineOperator)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// apply moves the call that event.CallRef names. Events may arrive out of order or twice: any event opens
// the draft if it does not exist yet, and each one only fills what is still empty, so the outcome is the
// same whatever the order. A call the operator already logged is left as it is.
func (t *Telephony) apply(ctx context.Context, tx *store.Tx, e TelephonyEvent, at time.Time, number, operatorID string) (TelephonyResult, error) {
	id := newID()
	var phone seal.Sealed
	var key []byte
	if number != "" {
		var err error
		if phone, err = t.Keys.Row(callTable, id).Seal("caller_phone", number); err != nil {
			return TelephonyResult{}, err
		}
		key = t.Keys.BlindIndex(keyCallerPhone, number)
	}
	var rang any
	if e.Event == EventRinging {
		rang = store.Millis(at)
	}
	now := store.Millis(tx.Now)
	if _, err := tx.ExecContext(ctx, `INSERT INTO calls (id, status, call_ref, rang_at, started_at, caller_phone_sealed, caller_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (call_ref) DO NOTHING`,
		id, string(aman.CallDraft), e.CallRef, rang, store.Millis(at), phone, nullBytes(key), now); err != nil {
		return TelephonyResult{}, err
	}
	var existing string
	var status string
	var hasKey bool
	if err := tx.QueryRowContext(ctx, `SELECT id, status, caller_key IS NOT NULL FROM calls WHERE call_ref = $1`, e.CallRef).Scan(&existing, &status, &hasKey); err != nil {
		return TelephonyResult{}, err
	}
	if existing != id && !hasKey && number != "" {
		// The call was opened by an event without the number; this one has it. It is sealed to its row.
		sealed, err := t.Keys.Row(callTable, existing).Seal("caller_phone", number)
		if err != nil {
			return TelephonyResult{}, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE calls SET caller_phone_sealed = $1, caller_key = $2 WHERE id = $3`, sealed, key, existing); err != nil {
			return TelephonyResult{}, err
		}
	}
	result := TelephonyResult{CallID: existing, Status: aman.CallStatus(status)}
	if result.Status != aman.CallDraft {
		return result, nil
	}
	ms := store.Millis(at)
	var err error
	switch e.Event {
	case EventRinging:
		_, err = tx.ExecContext(ctx, `UPDATE calls SET rang_at = $1, updated_at = $2 WHERE id = $3 AND rang_at IS NULL`, ms, now, existing)
	case EventAnswered:
		// The conversation starts when the call is answered: that is where its duration counts from.
		_, err = tx.ExecContext(ctx, `UPDATE calls SET answered_at = $1, started_at = $1, operator_id = COALESCE(operator_id, $2), updated_at = $3
			WHERE id = $4 AND answered_at IS NULL`, ms, nullable(operatorID), now, existing)
	case EventEnded:
		_, err = tx.ExecContext(ctx, `UPDATE calls SET ended_at = $1, duration_ms = $1 - started_at, updated_at = $2 WHERE id = $3 AND ended_at IS NULL`,
			ms, now, existing)
	case EventMissed:
		_, err = tx.ExecContext(ctx, `UPDATE calls SET status = $1, ended_at = COALESCE(ended_at, $2), updated_at = $3 WHERE id = $4`,
			string(aman.CallMissed), ms, now, existing)
		result.Status = aman.CallMissed
	}
	return result, err
}
