package apptest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman/app"
)

// Telephone sends one event to the hotline as the telephone system would: body with every "AT" replaced
// by the test clock's time, signed with TelephonySecret and timestamped now.
func (e *Env) Telephone(t testing.TB, body string) (app.TelephonyResult, error) {
	t.Helper()
	now := e.Clock.Now()
	stamp := strconv.FormatInt(now.Unix(), 10)
	body = strings.ReplaceAll(body, "AT", now.UTC().Format(time.RFC3339))
	return e.Telephony.Receive(context.Background(), app.TelephonyDelivery{Body: []byte(body), Timestamp: stamp,
		Signature: app.Sign([]byte(TelephonySecret), stamp, []byte(body))})
}
