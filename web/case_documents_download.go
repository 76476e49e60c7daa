package web

import (
	"net/http"

	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

// downloadCaseDocument serves a document of the case once Documents.Download has decided and audited
// the download: an attachment under a generic name, since the uploaded name may identify someone and
// would stay in the browser's download history (httpx.ServeAttachment). Need-to-know is decided on the
// document's own case.
func (h *Handler) downloadCaseDocument(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	c, err := h.documents.Download(r.Context(), actor, r.PathValue("docID"))
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	httpx.ServeAttachment(w, r, h.logger, httpx.Attachment{ContentType: c.ContentType, Size: c.Size, Name: c.DownloadName(), Write: c.WriteTo})
}
