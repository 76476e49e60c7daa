package api

import (
	"context"
	"net/http"
	"time"

	"aman.qa/aman/httpx"
)

type healthBody struct {
	Status        string `json:"status"`
	Database      string `json:"database"`
	SchemaVersion int64  `json:"schema_version"`
}

// health answers load balancers: 200 while the database answers, 503 when it does not.
func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := healthBody{Status: "ok", Database: string(h.db.Engine())}
	version, err := h.db.SchemaVersion(ctx)
	if err != nil {
		h.logger.WarnContext(ctx, "health check failed", "request_id", httpx.RequestID(ctx), "error", err.Error())
		body.Status = "unavailable"
		httpx.WriteJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	body.SchemaVersion = version
	httpx.WriteJSON(w, http.StatusOK, body)
}
