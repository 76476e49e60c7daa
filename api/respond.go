package api

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

// decode reads a JSON request body of ordinary size into v. On failure it has already answered with
// the contract's error body, and returns false.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := httpx.DecodeJSON(w, r, httpx.DefaultJSONLimit, v); err != nil {
		h.errors(w, r, err)
		return false
	}
	return true
}

// actorOf is the signed-in staff member the router's gate let through.
func actorOf(r *http.Request) aman.Actor {
	_, actor, _ := session.From(r.Context())
	return actor
}

// writeItems answers {"items": [...]}, each element of in mapped through out; an empty list is [] and
// never null, so clients can iterate without a check.
func writeItems[T, O any](w http.ResponseWriter, in []T, out func(T) O) {
	list := make([]O, len(in))
	for i, v := range in {
		list[i] = out(v)
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": list})
}
