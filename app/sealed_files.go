package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"aman.qa/aman"
	"aman.qa/aman/media"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// cleanFile accepts an uploaded file for storage: not empty, at most maxSize bytes, a type recognised
// by its bytes (never its name), and stripped of location and other embedded metadata. Refusals are
// coded on field, so a form shows them beside its file input.
func cleanFile(field string, data []byte, maxSize int) (media.Cleaned, error) {
	if len(data) == 0 {
		return media.Cleaned{}, aman.FieldError(field, aman.ERequired)
	}
	if len(data) > maxSize {
		return media.Cleaned{}, &aman.Error{Code: aman.ETooLarge, Field: field, Cause: fmt.Errorf("%d bytes", len(data))}
	}
	cleaned, err := media.Clean(data)
	switch {
	case errors.Is(err, media.ErrUnsupported):
		return media.Cleaned{}, &aman.Error{Code: EUnsupportedFileType, Field: field, Cause: err}
	case errors.Is(err, media.ErrMalformed):
		return media.Cleaned{}, &aman.Error{Code: EFileDamaged, Field: field, Cause: err}
	}
	return cleaned, err
}

// fileChunks is a table that holds files sealed in chunks: a case's documents, and the attachments of
// a partner referral until triage links it to a case. One row per chunk, named "<file id>.<seq>", so the
// sealing's associated data (table, column, row id) binds each chunk to its file and its place in it.
type fileChunks struct {
	table string
	// file is the column naming the file a chunk belongs to.
	file string
}

var (
	documentChunks           = fileChunks{table: "document_chunks", file: "document_id"}
	referralAttachmentChunks = fileChunks{table: "referral_attachment_chunks", file: "attachment_id"}
)

// chunkID names a chunk after its file and place.
func chunkID(fileID string, seq int) string { return fmt.Sprintf("%s.%06d", fileID, seq) }

// seal seals data in chunks of documentChunkSize. It is CPU work on up to tens of MiB, done before the
// transaction that inserts them, so SQLite's single writer is held only for the inserts.
func (c fileChunks) seal(keys *seal.Keyring, fileID string, data []byte) ([][]byte, error) {
	var out [][]byte
	for seq := 0; seq*documentChunkSize < len(data); seq++ {
		part := data[seq*documentChunkSize : min(len(data), (seq+1)*documentChunkSize)]
		sealed, err := keys.Seal(part, seal.AAD(c.table, "content", chunkID(fileID, seq)))
		if err != nil {
			return nil, err
		}
		out = append(out, sealed)
	}
	return out, nil
}

// insert writes sealed chunks in tx; table and columns are this file's constants, never input.
func (c fileChunks) insert(ctx context.Context, tx *store.Tx, fileID string, chunks [][]byte) error {
	for seq, sealed := range chunks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+c.table+` (id, `+c.file+`, seq, content_sealed) VALUES ($1, $2, $3, $4)`,
			chunkID(fileID, seq), fileID, seq, sealed); err != nil {
			return err
		}
	}
	return nil
}

// stream reads a file's chunks in short read transactions (or in the caller's, when ctx carries one)
// and writes them out in order, checking that every chunk is there and that the sizes add up. No
// transaction stays open while a slow client downloads.
func (c fileChunks) stream(ctx context.Context, d Deps, fileID string, chunks int, size int64, w io.Writer) error {
	var written int64
	for next := 0; next < chunks; {
		var batch [][]byte
		err := d.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT seq, content_sealed FROM `+c.table+` WHERE `+c.file+` = $1 AND seq >= $2
				ORDER BY seq LIMIT $3`, fileID, next, chunksPerRead)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var seq int
				var sealed []byte
				if err := rows.Scan(&seq, &sealed); err != nil {
					return err
				}
				if seq != next+len(batch) {
					return fmt.Errorf("%s %s: chunk %d missing", c.table, fileID, next+len(batch))
				}
				batch = append(batch, sealed)
			}
			return rows.Err()
		})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return fmt.Errorf("%s %s: chunk %d missing", c.table, fileID, next)
		}
		for _, sealed := range batch {
			plain, err := d.Keys.Open(sealed, seal.AAD(c.table, "content", chunkID(fileID, next)))
			if err != nil {
				return fmt.Errorf("%s %s: chunk %d: %w", c.table, fileID, next, err)
			}
			if _, err := w.Write(plain); err != nil {
				return err
			}
			written += int64(len(plain))
			next++
		}
	}
	if written != size {
		return fmt.Errorf("%s %s: %d bytes stored, %d expected", c.table, fileID, written, size)
	}
	return nil
}
