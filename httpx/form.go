package httpx

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"aman.qa/aman"
)

// MultipartForm is a multipart/form-data body read into memory: its text fields, and the files of one
// named part (which may repeat), with the names they were sent under (FileNames[i] is Files[i]'s).
type MultipartForm struct {
	Fields    map[string][]string
	Files     [][]byte
	FileNames []string
}

// Value is the first value of a text field, or "".
func (f MultipartForm) Value(name string) string {
	if v := f.Fields[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// maxFormField bounds one text field; the app bounds each field in characters.
const maxFormField = 64 << 10

// ReadMultipartForm streams a form with up to maxFiles files of at most maxFile bytes each in the part
// named fileField, never spooling to disk (an unsealed copy must not land in a temporary file). Empty
// file parts (a file input left empty) are skipped. More files than maxFiles, or a larger file, is
// refused here, before the rest of the body is read.
func ReadMultipartForm(w http.ResponseWriter, r *http.Request, fileField string, maxFiles int, maxFile int64) (MultipartForm, error) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(UploadReadTimeout))
	form := MultipartForm{Fields: map[string][]string{}}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return form, aman.Errorf(aman.EUnsupportedMedia, "a form with files is multipart/form-data")
	}
	r.Body = http.MaxBytesReader(w, r.Body, int64(maxFiles)*maxFile+uploadSlack)
	parts, err := r.MultipartReader()
	if err != nil {
		return form, aman.Errorf(aman.EInvalid, "multipart: %v", err)
	}
	for {
		part, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil {
			return form, uploadError(err)
		}
		name := part.FormName()
		if name == fileField {
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, io.LimitReader(part, maxFile+1)); err != nil {
				return form, uploadError(err)
			}
			part.Close()
			if buf.Len() == 0 {
				continue
			}
			if int64(buf.Len()) > maxFile {
				return form, &aman.Error{Code: aman.ETooLarge, Field: fileField}
			}
			if len(form.Files) == maxFiles {
				return form, aman.FieldError(fileField, "too_many_attachments")
			}
			form.Files = append(form.Files, buf.Bytes())
			form.FileNames = append(form.FileNames, part.FileName())
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormField))
		part.Close()
		if err != nil {
			return form, uploadError(err)
		}
		if name != "" {
			form.Fields[name] = append(form.Fields[name], string(b))
		}
	}
}
