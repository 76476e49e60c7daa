package web

import (
	"net/http"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// eInvalidTime is the code of a time of day that does not parse.
const eInvalidTime = "invalid_time"

// recordService records a social service delivered (or attempted) on the case. Success returns to the
// case's services; a problem brings the case page back with the form as typed.
func (h *Handler) recordService(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	typed := deliveryTyped{Service: formValue(r, "service"), DeliveredOn: formValue(r, "delivered_at"), DeliveredTime: formValue(r, "delivered_time"),
		ProviderUserID: formValue(r, "provider_user_id"), ProviderOrg: formValue(r, "provider_org"), Outcome: formValue(r, "outcome"),
		// The note is kept as typed, line breaks and all.
		Note: r.PostFormValue("note")}
	at, err := deliveryInstant(typed.DeliveredOn, typed.DeliveredTime, h.zone)
	if err == nil {
		_, err = h.socialServices.RecordDelivery(r.Context(), actor, id, app.DeliveryInput{ServiceCode: typed.Service, DeliveredAt: at,
			ProviderUserID: typed.ProviderUserID, ProviderOrg: typed.ProviderOrg, Outcome: typed.Outcome, Note: typed.Note})
		if err == nil {
			redirectCare(w, r, id, doneService, anchorServices)
			return
		}
	}
	h.showCareProblem(w, r, err, []string{"service", "delivered_at", "delivered_time", "provider", "provider_user_id", "provider_org", "outcome", "note"}, func(care *caseCareView, state formState) bool {
		if care.Services.Form == nil {
			return false
		}
		care.Services.Form = care.build.newDeliveryForm(typed)
		care.Services.Form.formState = state
		return true
	})
}

// deliveryInstant is the instant a delivery happened, as app takes it (RFC 3339), from the day and the
// optional time of day (HH:MM) typed in the centre's zone; a day without a time is its start. No day is
// "", which app refuses as required.
func deliveryInstant(day, clock string, zone *time.Location) (string, error) {
	start, err := parseDay(day, zone, "delivered_at")
	if err != nil || start.IsZero() {
		return "", err
	}
	if clock = foldDigits(strings.TrimSpace(clock)); clock != "" {
		t, err := time.Parse("15:04", clock)
		if err != nil {
			return "", aman.FieldError("delivered_time", eInvalidTime)
		}
		start = time.Date(start.Year(), start.Month(), start.Day(), t.Hour(), t.Minute(), 0, 0, zone)
	}
	return start.Format(time.RFC3339), nil
}
