package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"aman.qa/aman"
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
}

func documentJSON(d app.Document) documentOut {
	return documentOut{ID: d.ID, CaseID: d.CaseID, ContentType: d.ContentType, Kind: string(d.Kind), Size: d.Size, Filename: d.Filename,
		Title: d.Title, MetadataRemoved: d.MetadataRemoved, UploadedBy: d.UploadedBy, UploadedAt: d.UploadedAt.Format(timeFormat)}
}

// multipartSlack is what a multipart upload may carry besides the file: part headers, boundaries and a
// title. The body is cut off there, so nobody streams gigabytes at the server to be refused at the end.
const multipartSlack = 64 << 10

// uploadReadTimeout is how long an upload may take to arrive: 20 MiB at about 300 kbit/s.
const uploadReadTimeout = 10 * time.Minute

// uploadDocument is POST /api/v1/cases/{id}/documents, multipart/form-data with a "file" part and an
// optional "title": 201 with the document's description.
func (h *Handler) uploadDocument(w http.ResponseWriter, r *http.Request) {
	// The server's read timeout suits forms, not 20 MiB from a phone on a weak connection in a shelter.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTimeout))
	in, err := readUpload(w, r)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	actor := actorOf(r)
	doc, err := h.documents.Upload(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/documents/"+doc.ID+"/content")
	httpx.WriteJSON(w, http.StatusCreated, documentJSON(doc))
}

// readUpload streams the multipart body, keeping at most one byte more than app.MaxDocumentSize of the
// file so the app can tell "too large" from "just fits" without the handler holding more.
func readUpload(w http.ResponseWriter, r *http.Request) (app.NewDocument, error) {
	var in app.NewDocument
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return in, aman.Errorf(aman.EUnsupportedMedia, "an upload is multipart/form-data")
	}
	r.Body = http.MaxBytesReader(w, r.Body, app.MaxDocumentSize+multipartSlack)
	parts, err := r.MultipartReader()
	if err != nil {
		return in, aman.Errorf(aman.EInvalid, "multipart: %v", err)
	}
	seen := false
	for {
		part, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return in, uploadError(err)
		}
		switch part.FormName() {
		case "file":
			if seen {
				return in, aman.FieldError("file", aman.EInvalid)
			}
			seen = true
			in.Filename = part.FileName()
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, io.LimitReader(part, app.MaxDocumentSize+1)); err != nil {
				return in, uploadError(err)
			}
			in.Data = buf.Bytes()
			if len(in.Data) > app.MaxDocumentSize {
				// Enough read to refuse: the app says why, in its own words.
				return in, nil
			}
		case "title":
			b, err := io.ReadAll(io.LimitReader(part, 4<<10))
			if err != nil {
				return in, uploadError(err)
			}
			in.Title = string(b)
		}
		part.Close()
	}
	return in, nil
}

// uploadError turns a failed read of the body into a coded error: too large when the body passed its
// limit, bad input otherwise.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return aman.Errorf(aman.ETooLarge, "upload over %d bytes", tooBig.Limit)
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return aman.Errorf(aman.ETooLarge, "multipart headers too large")
	}
	return aman.Errorf(aman.EInvalid, "read upload: %v", err)
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
	hd := w.Header()
	hd.Set("Content-Type", c.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(c.Size, 10))
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.DownloadName()}))
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	// Even opened in a tab, the file runs nothing and embeds nothing.
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if err := c.WriteTo(r.Context(), w); err != nil {
		if r.Context().Err() != nil {
			return // the client went away
		}
		// The status line is gone; a cut connection is the only honest signal left. The client sees a
		// short body against Content-Length, never a truncated file that looks whole.
		h.logger.ErrorContext(r.Context(), "document download failed", "request_id", httpx.RequestID(r.Context()), "error", err.Error())
		panic(http.ErrAbortHandler)
	}
}
