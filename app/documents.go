package app

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/media"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Documents are the files attached to a case: photos, recordings and PDFs. Each is recognised by its
// bytes, stripped of location and other embedded metadata, and sealed in the database, so every node
// on PostgreSQL serves it and a copy of the database shows none of it. It leaves the database only
// through an authorized, audited download.
type Documents struct {
	Deps
}

// Document error codes.
const (
	// EUnsupportedFileType: the bytes are not a photo, recording or PDF, whatever the name says.
	EUnsupportedFileType = "unsupported_file_type"
	// EFileDamaged: the file starts like an accepted type but does not hold together, so its metadata
	// could not be removed with certainty.
	EFileDamaged = "file_damaged"
)

// MaxDocumentSize is the largest file accepted: 20 MiB, enough for a phone photo, a long voice note or
// a scanned report.
const MaxDocumentSize = 20 << 20

// documentChunkSize is the plaintext size of one sealed chunk. Downloads stream chunk by chunk, and key
// rotation re-seals at most a batch of chunks at a time, so memory stays bounded; 256 KiB keeps the
// per-row overhead (33 bytes of sealing) negligible.
const documentChunkSize = 256 << 10

// chunksPerRead is how many chunks a download reads per short read transaction: no transaction stays
// open while a slow client downloads.
const chunksPerRead = 8

// Bounds of the sealed text fields, in characters.
const (
	maxFilenameLength      = 255
	maxDocumentTitleLength = 200
)

// Document is a document's description, without its content.
type Document struct {
	ID          string
	CaseID      string
	ContentType string
	Kind        media.Kind
	Size        int64
	// Filename is the name it was uploaded with; it may name people, so it is sealed, shown in lists
	// and never put in a download's headers.
	Filename        string
	Title           string
	MetadataRemoved bool
	UploadedBy      string
	UploadedAt      time.Time
	// FromReferral marks a file that came with the partner referral whose intake triage linked to the
	// case: UploadedBy is then the partner desk's user, and UploadedAt when it referred.
	FromReferral bool
	chunks       int
}

// content is where the document's sealed chunks and its sealed names live.
func (d Document) content() (fileChunks, string) {
	if d.FromReferral {
		return referralAttachmentChunks, referralAttachmentTable
	}
	return documentChunks, "documents"
}

// DownloadName is a generic, ASCII-only name for the file a browser saves: the original name may
// identify someone and would stay in download histories.
func (d Document) DownloadName() string {
	ext := "bin"
	if t, ok := media.ByMIME(d.ContentType); ok {
		ext = t.Ext
	}
	id := strings.ReplaceAll(d.ID, "-", "")
	// The end of a UUIDv7 is random; its start is a timestamp, shared by documents of the same minute.
	return "document-" + id[max(0, len(id)-8):] + "." + ext
}

// NewDocument is an upload.
type NewDocument struct {
	Filename string
	Title    string
	Data     []byte
}

// Upload attaches a file to a case open to the actor. The type is what the bytes are; images lose
// their EXIF (with GPS), XMP and the like before anything is stored.
func (d *Documents) Upload(ctx context.Context, actor aman.Actor, caseID string, in NewDocument) (Document, error) {
	if err := authorize(actor, policy.DocumentUpload); err != nil {
		return Document{}, err
	}
	filename, err := boundedText("file", trimFilename(in.Filename), maxFilenameLength)
	if err != nil {
		return Document{}, err
	}
	title, err := boundedText("title", in.Title, maxDocumentTitleLength)
	if err != nil {
		return Document{}, err
	}
	cleaned, err := cleanFile("file", in.Data, MaxDocumentSize)
	if err != nil {
		return Document{}, err
	}
	doc := Document{ID: newID(), CaseID: caseID, ContentType: cleaned.Type.MIME, Kind: cleaned.Type.Kind, Size: int64(len(cleaned.Data)),
		Filename: filename, Title: title, MetadataRemoved: cleaned.MetadataRemoved, UploadedBy: actor.UserID}
	// Sealing is CPU work on up to 20 MiB: it is done before the transaction, so SQLite's single writer
	// is held only for the inserts.
	row := d.Keys.Row("documents", doc.ID)
	names, err := row.Fields("filename", filename, "title", title)
	if err != nil {
		return Document{}, err
	}
	chunks, err := documentChunks.seal(d.Keys, doc.ID, cleaned.Data)
	if err != nil {
		return Document{}, err
	}
	doc.chunks = len(chunks)
	err = d.onCaseRecords(ctx, actor, caseID, false, "document.upload", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		if err := acceptsAdditions(actor, k); err != nil {
			return nil, err
		}
		doc.UploadedAt = tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO documents (id, case_id, content_type, size, chunks, metadata_removed,
			filename_sealed, title_sealed, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			doc.ID, caseID, doc.ContentType, doc.Size, doc.chunks, doc.MetadataRemoved, names[0], names[1], actor.UserID, store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		if err := documentChunks.insert(ctx, tx, doc.ID, chunks); err != nil {
			return nil, err
		}
		return map[string]string{"document": doc.ID, "content_type": doc.ContentType, "size": strconv.FormatInt(doc.Size, 10),
			"metadata_removed": strconv.FormatBool(doc.MetadataRemoved)}, nil
	})
	if err != nil {
		return Document{}, err
	}
	return doc, nil
}

// List describes the documents of a case, newest first, without their content. The read is audited:
// names and titles are protected data.
func (d *Documents) List(ctx context.Context, actor aman.Actor, caseID string) ([]Document, error) {
	var out []Document
	err := d.onCaseRecords(ctx, actor, caseID, false, "document.list", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		var err error
		out, err = d.load(ctx, tx, `WHERE case_id = $1 ORDER BY uploaded_at DESC, id DESC`, caseID)
		return map[string]string{"count": strconv.Itoa(len(out))}, err
	})
	return out, err
}

// DocumentContent is a document whose download has been authorized and audited. Only Download makes
// one, so the content cannot be reached without both.
type DocumentContent struct {
	Document
	read func(ctx context.Context, w io.Writer) error
}

// WriteTo writes the document's content to w, opening it chunk by chunk. A failure after the first
// bytes (a chunk missing or not opening) is returned; the caller must then abort the response rather
// than let a partial file pass for a whole one.
func (c DocumentContent) WriteTo(ctx context.Context, w io.Writer) error { return c.read(ctx, w) }

// Download authorizes and audits the download of a document (document.download, with the basis of
// access; under break-glass it stands out), and returns it ready to be written.
func (d *Documents) Download(ctx context.Context, actor aman.Actor, documentID string) (DocumentContent, error) {
	if err := authorize(actor, policy.DocumentDownload); err != nil {
		return DocumentContent{}, err
	}
	var caseID string
	err := d.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT case_id FROM `+caseFiles+` WHERE id = $1`, documentID).Scan(&caseID)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return DocumentContent{}, aman.Errorf(aman.ENotFound, "no such document")
	}
	if err != nil {
		return DocumentContent{}, err
	}
	var doc Document
	err = d.onCaseRecords(ctx, actor, caseID, false, "document.download", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		docs, err := d.load(ctx, tx, `WHERE id = $1`, documentID)
		if err != nil {
			return nil, err
		}
		if len(docs) != 1 {
			return nil, aman.Errorf(aman.ENotFound, "no such document")
		}
		doc = docs[0]
		return map[string]string{"document": documentID}, nil
	})
	if err != nil {
		return DocumentContent{}, err
	}
	chunks, _ := doc.content()
	return DocumentContent{Document: doc, read: func(ctx context.Context, w io.Writer) error {
		return chunks.stream(ctx, d.Deps, doc.ID, doc.chunks, doc.Size, w)
	}}, nil
}

// caseFiles are the files of cases, in one shape: the documents uploaded to them, and the attachments
// of partner referrals whose intake triage linked to a case. An attachment is not copied into the case:
// it is the case's from the moment its intake names the case, and only then.
const caseFiles = `(SELECT id, case_id, content_type, size, chunks, metadata_removed, filename_sealed, title_sealed, uploaded_by, uploaded_at,
		0 AS from_referral FROM documents
	UNION ALL
	SELECT a.id, i.case_id, a.content_type, a.size, a.chunks, a.metadata_removed, a.filename_sealed, NULL, r.created_by, r.created_at, 1
		FROM referral_attachments a JOIN partner_referrals r ON r.id = a.referral_id JOIN intakes i ON i.id = r.intake_id
		WHERE i.case_id IS NOT NULL) files`

// load reads and opens document descriptions; where is a constant of this file, never input.
func (d *Documents) load(ctx context.Context, tx *store.Tx, where string, args ...any) ([]Document, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, case_id, content_type, size, chunks, metadata_removed, filename_sealed, title_sealed,
		uploaded_by, uploaded_at, from_referral FROM `+caseFiles+` `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var doc Document
		var filename, title seal.Sealed
		var at int64
		if err := rows.Scan(&doc.ID, &doc.CaseID, &doc.ContentType, &doc.Size, &doc.chunks, &doc.MetadataRemoved, &filename, &title,
			&doc.UploadedBy, &at, &doc.FromReferral); err != nil {
			return nil, err
		}
		_, table := doc.content()
		row := d.Keys.Row(table, doc.ID)
		if doc.Filename, err = row.Open("filename", filename); err != nil {
			return nil, err
		}
		if doc.Title, err = row.Open("title", title); err != nil {
			return nil, err
		}
		doc.UploadedAt = store.Time(at)
		if t, ok := media.ByMIME(doc.ContentType); ok {
			doc.Kind = t.Kind
		}
		out = append(out, doc)
	}
	return out, rows.Err()
}

// trimFilename keeps the last element of a path, which some browsers send whole ("C:\fakepath\x.jpg").
func trimFilename(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}
