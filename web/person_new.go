package web

import "net/http"

const viewPersonNew = "person_new"

// showNewPerson opens an empty registration form.
func (h *Handler) showNewPerson(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, http.StatusOK, viewPersonNew, "person.new.title", h.newPersonForm(r, typedPerson{}))
}

// prefillNewPerson opens the registration form with what a search that found nobody carried over (a
// name, a QID, a phone or a passport number). It is a POST so that none of it appears in an address;
// it writes nothing.
func (h *Handler) prefillNewPerson(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewPersonNew, "person.new.title", h.newPersonForm(r, readTypedPerson(r)))
}
