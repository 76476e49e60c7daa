package api

import (
	"errors"
	"io"
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

// The webhook's headers: the signature ("sha256=<hex>") and the Unix time it signs with the body.
const (
	HeaderTelephonySignature = "X-Aman-Signature"
	HeaderTelephonyTimestamp = "X-Aman-Timestamp"
)

// maxTelephonyBody bounds one event: a few short fields.
const maxTelephonyBody = 16 << 10

// telephonyEvent is POST /public/api/v1/telephony/events. The route is public because the telephone
// system has no staff session; the request is trusted only through its signature, which app.Telephony
// checks against the raw body before anything is parsed.
func (h *Handler) telephonyEvent(w http.ResponseWriter, r *http.Request) {
	if h.telephony == nil || !h.telephony.Enabled() {
		h.errors(w, r, aman.Errorf(aman.ENotFound, "telephony webhook is not configured"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTelephonyBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errors(w, r, aman.Errorf(aman.ETooLarge, "event over %d bytes", maxTelephonyBody))
			return
		}
		h.errors(w, r, aman.Errorf(aman.EInvalidJSON, "read body: %v", err))
		return
	}
	res, err := h.telephony.Receive(r.Context(), app.TelephonyDelivery{Body: body,
		Signature: r.Header.Get(HeaderTelephonySignature), Timestamp: r.Header.Get(HeaderTelephonyTimestamp)})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"call_id": res.CallID, "status": string(res.Status)})
}
