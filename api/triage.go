package api

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
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

// triageQueue is GET /api/v1/triage[?after=CURSOR][&limit=N]: a page of the open queue, most urgent
// and oldest first (the first limit intakes after the cursor); total, how many intakes the whole open
// queue holds, counted up to app.MaxCountedQueue; and next_after, the cursor of the next page, or
// null. Without limit the page holds up to app.MaxQueue intakes, what the queue answered before it
// was paged, so a client that reads items alone sees what it always saw.
func (h *Handler) triageQueue(w http.ResponseWriter, r *http.Request) {
	page, err := queuePageOf(r)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	queue, err := h.triage.QueuePage(r.Context(), actorOf(r), page)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	out := struct {
		Items     []intakeOut `json:"items"`
		Total     int         `json:"total"`
		NextAfter *string     `json:"next_after"`
	}{Items: make([]intakeOut, 0, len(queue.Intakes)), Total: queue.Open}
	for _, in := range queue.Intakes {
		out.Items = append(out.Items, intakeJSON(in))
	}
	if queue.HasMore() {
		next := queue.Next.String()
		out.NextAfter = &next
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// queuePageOf reads the page asked for: limit (app.MaxQueue when not given) and after.
func queuePageOf(r *http.Request) (app.QueuePage, error) {
	limit, after, err := pageParams(r, app.EInvalidQueueLimit, "after", app.ParseQueueCursor)
	if limit == 0 {
		limit = app.MaxQueue
	}
	return app.QueuePage{After: after, Limit: limit}, err
}
