package api

import (
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

type documentOut struct {
	ID              string `json:"id"`
	CaseID          string `json:"case_id"`
	ContentType     string `json:"content_type"`
	Kind            string `json:"kind"`
	Size            int64  `json:"size"`
	Filename        string `json:"filename"`
	Title           string `json:"title,omitempty"`
	MetadataRemoved bool   `json:"metadata_removed"`
	UploadedBy      string `json:"uploaded_by"`
	UploadedAt      string `json:"uploaded_at"`
	FromReferral    bool   `json:"from_referral"`
}

func documentJSON(d app.Document) documentOut {
	return documentOut{ID: d.ID, CaseID: d.CaseID, ContentType: d.ContentType, Kind: string(d.Kind), Size: d.Size, Filename: d.Filename,
		Title: d.Title, MetadataRemoved: d.MetadataRemoved, UploadedBy: d.UploadedBy, UploadedAt: d.UploadedAt.Format(timeFormat),
		FromReferral: d.FromReferral}
}

// uploadDocument is POST /api/v1/cases/{id}/documents, multipart/form-data with a "file" part and an
// optional "title": 201 with the document's description.
func (h *Handler) uploadDocument(w http.ResponseWriter, r *http.Request) {
	up, err := httpx.ReadUpload(w, r, app.MaxDocumentSize)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	actor := actorOf(r)
	doc, err := h.documents.Upload(r.Context(), actor, r.PathValue("id"), app.NewDocument{Filename: up.Filename, Title: up.Title, Data: up.Data})
	if err != nil {
		h.errors(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/documents/"+doc.ID+"/content")
	httpx.WriteJSON(w, http.StatusCreated, documentJSON(doc))
}

// listDocuments is GET /api/v1/cases/{id}/documents: descriptions only, newest first.
func (h *Handler) listDocuments(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	docs, err := h.documents.List(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	out := struct {
		Items []documentOut `json:"items"`
	}{Items: []documentOut{}}
	for _, d := range docs {
		out.Items = append(out.Items, documentJSON(d))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// downloadDocument is GET /api/v1/documents/{id}/content: the file, after the app has decided and
// audited the download. It is always an attachment under a generic name, of the type read from its
// bytes, never sniffed again by the browser and never cached.
func (h *Handler) downloadDocument(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	c, err := h.documents.Download(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.ServeAttachment(w, r, h.logger, httpx.Attachment{ContentType: c.ContentType, Size: c.Size, Name: c.DownloadName(), Write: c.WriteTo})
}
