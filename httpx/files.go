package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"aman.qa/aman"
)

// Upload is a file posted as multipart/form-data in a "file" part, with an optional "title".
type Upload struct {
	Filename string
	Title    string
	Data     []byte
}

// uploadSlack is what an upload carries besides its file: part headers, boundaries and a title. The
// body is cut off there, so nobody streams gigabytes at the server to be refused at the end.
const uploadSlack = 64 << 10

// UploadReadTimeout is how long an upload may take to arrive: 20 MiB at about 300 kbit/s, from a phone
// on a weak connection in a shelter. The server's read timeout suits forms, not files.
const UploadReadTimeout = 10 * time.Minute

// maxTitle bounds the title part; the app bounds the title itself, in characters.
const maxTitle = 4 << 10

// ReadUpload streams a multipart upload, never spooling it to disk: an unsealed copy must not land in a
// temporary file. It keeps at most one byte more than maxFile of the file, so the caller can tell "too
// large" from "just fits" (and say so in its own words) without holding more; the title is read
// however far the file got, so a refused upload can give it back. It extends the request's read
// deadline to UploadReadTimeout.
func ReadUpload(w http.ResponseWriter, r *http.Request, maxFile int64) (Upload, error) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(UploadReadTimeout))
	var in Upload
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return in, aman.Errorf(aman.EUnsupportedMedia, "an upload is multipart/form-data")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFile+uploadSlack)
	parts, err := r.MultipartReader()
	if err != nil {
		return in, aman.Errorf(aman.EInvalid, "multipart: %v", err)
	}
	seen := false
	for {
		part, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return in, nil
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
			if _, err := io.Copy(&buf, io.LimitReader(part, maxFile+1)); err != nil {
				return in, uploadError(err)
			}
			in.Data = buf.Bytes()
			if int64(len(in.Data)) > maxFile {
				// Enough read to refuse.
				return in, nil
			}
		case "title":
			b, err := io.ReadAll(io.LimitReader(part, maxTitle))
			if err != nil {
				return in, uploadError(err)
			}
			in.Title = string(b)
		}
		part.Close()
	}
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

// Attachment is a stored file on its way out: its type as read from its bytes, its size, the generic
// name a browser saves it under, and the writer of its content.
type Attachment struct {
	ContentType string
	Size        int64
	Name        string
	Write       func(ctx context.Context, w io.Writer) error
}

// ServeAttachment sends a file whose download has been authorized and audited: always an attachment
// under its generic name, of its own type, never sniffed again by the browser, never cached, and
// sandboxed should it be opened in a tab. A failure after the first bytes cuts the connection: the
// client then sees a short body against Content-Length, never a truncated file that looks whole.
func ServeAttachment(w http.ResponseWriter, r *http.Request, logger *slog.Logger, a Attachment) {
	hd := w.Header()
	hd.Set("Content-Type", a.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if err := a.Write(r.Context(), w); err != nil {
		if r.Context().Err() != nil {
			return // the client went away
		}
		logger.ErrorContext(r.Context(), "file download failed", "request_id", RequestID(r.Context()), "error", err.Error())
		panic(http.ErrAbortHandler)
	}
}
