package api

import (
	"net/http"

	"aman.qa/aman/httpx"
)

type casePersonOut struct {
	beneficiaryOut
	Role         string `json:"role"`
	Relationship string `json:"relationship,omitempty"`
}

// casePeople is GET /api/v1/cases/{id}/people: the primary beneficiary first, then household members,
// guardians and alleged perpetrators.
func (h *Handler) casePeople(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	people, err := h.cases.People(r.Context(), actor, r.PathValue("id"), h.beneficiaries)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	items := make([]casePersonOut, len(people))
	for i, p := range people {
		items[i] = casePersonOut{beneficiaryOut: beneficiaryJSON(p.Beneficiary), Role: p.Role, Relationship: p.Relationship}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

// addCasePerson is POST /api/v1/cases/{id}/people {"person_id","role","relationship"}: 204.
func (h *Handler) addCasePerson(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PersonID     string `json:"person_id"`
		Role         string `json:"role"`
		Relationship string `json:"relationship"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	if err := h.cases.AddPerson(r.Context(), actor, r.PathValue("id"), body.PersonID, body.Role, body.Relationship); err != nil {
		h.errors(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
