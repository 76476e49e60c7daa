package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

// uploadCaseDocument attaches a file to the case (Documents.Upload), which recognises it by its bytes
// and strips its location and other metadata before sealing it. The body is streamed, never spooled to
// disk (httpx.ReadUpload). A refusal (too large, not a photo, recording or PDF, damaged) comes back
// beside the file field with the title kept; a file cannot be put back into a form, so it is chosen
// again.
func (h *Handler) uploadCaseDocument(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	up, err := httpx.ReadUpload(w, r, app.MaxDocumentSize)
	if err == nil {
		_, err = h.documents.Upload(r.Context(), actor, r.PathValue("id"), app.NewDocument{Filename: up.Filename, Title: up.Title, Data: up.Data})
	}
	if err == nil {
		redirectToCase(w, r, doneDocumentAdded)
		return
	}
	state, ok := h.formProblem(r, err)
	switch code := aman.ErrorCode(err); {
	case code == aman.ETooLarge || code == app.EUnsupportedFileType:
		// Refusals of the file itself, whatever their status, belong beside the file field.
		_, message := h.messageFor(r, err)
		state, ok = formState{Errors: fieldErrors{"file": message}}, true
	case !ok:
		h.Errors(w, r, err)
		return
	}
	h.showCaseWith(w, r, statusOf(err), func(work *caseWork) bool {
		if work.Documents.Form == nil {
			return false
		}
		work.Documents.Form.Title, work.Documents.Form.formState = up.Title, state
		return true
	}, err)
}
