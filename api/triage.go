package api

import (
	"net/http"

	"aman.qa/aman"
)

type intakeOut struct {
	ID      string `json:"id"`
	Channel string `json:"channel"`
	// SourceID is the intake's record in its channel: for a consultation, the id of
	// GET /api/v1/consultations/{id}.
	SourceID   string `json:"source_id"`
	Urgency    string `json:"urgency"`
	ReceivedAt string `json:"received_at"`
	DueAt      string `json:"due_at"`
	Status     string `json:"status"`
	Breached   bool   `json:"breached"`
}

func intakeJSON(in aman.Intake) intakeOut {
	return intakeOut{ID: in.ID, Channel: string(in.Channel), SourceID: in.SourceID, Urgency: string(in.Urgency), ReceivedAt: in.ReceivedAt.Format(timeFormat),
		DueAt: in.DueAt.Format(timeFormat), Status: string(in.Status), Breached: in.Breached}
}

// triageQueue is GET /api/v1/triage: the open queue, most urgent and oldest first.
func (h *Handler) triageQueue(w http.ResponseWriter, r *http.Request) {
	queue, err := h.triage.Queue(r.Context(), actorOf(r))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, queue, intakeJSON)
}
