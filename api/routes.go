package api

import "aman.qa/aman/httpx"

// Routes registers every API and operational route. Each /api/v1 route must also be in openapi.json;
// a test holds the two together.
func (h *Handler) Routes(rt *httpx.Router) {
	rt.HandleFunc("GET /healthz", h.health)
	rt.Handle("GET /metrics", h.metrics)
	rt.HandleFunc("GET /api/v1/openapi.json", h.openAPI)
}
