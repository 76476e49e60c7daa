package app_test

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	"strings"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/media"
	"aman.qa/aman/media/mediatest"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

func download(t *testing.T, env *apptest.Env, actor aman.Actor, id string) (app.DocumentContent, []byte) {
	t.Helper()
	c, err := env.Documents.Download(ctx, actor, id)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	var b bytes.Buffer
	if err := c.WriteTo(ctx, &b); err != nil {
		t.Fatalf("write: %v", err)
	}
	return c, b.Bytes()
}

func TestDocumentTypesAreReadFromContent(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	tests := []struct {
		filename string
		data     []byte
		want     string
		code     string
	}{
		{"photo.jpg", mediatest.Photo("jpg"), "image/jpeg", ""},
		{"photo.png", mediatest.Photo("png"), "image/png", ""},
		{"photo.webp", mediatest.Photo("webp"), "image/webp", ""},
		{"IMG_0001.HEIC", mediatest.Photo("heic"), "image/heic", ""},
		{"report.pdf", mediatest.PDF("medical report"), "application/pdf", ""},
		{"voice.mp3", mediatest.MP3(true), "audio/mpeg", ""},
		{"voice.m4a", mediatest.MP4("M4A ", "soun"), "audio/mp4", ""},
		{"voice.aac", mediatest.AAC(), "audio/aac", ""},
		{"voice.ogg", mediatest.OggOpus(), "audio/ogg", ""},
		{"recording.webm", mediatest.WebM(true), "audio/webm", ""},
		{"voice.wav", mediatest.WAV(), "audio/wav", ""},
		{"voice.amr", mediatest.AMR(), "audio/amr", ""},
		// The name says nothing: a PDF called .jpg is a PDF, a program called .pdf is refused.
		{"scan.jpg", mediatest.PDF("scan"), "application/pdf", ""},
		{"report.pdf", mediatest.WindowsExecutable(), "", app.EUnsupportedFileType},
		{"clip.m4a", mediatest.MP4("isom", "vide"), "", app.EUnsupportedFileType},
		{"page.html", []byte("<!doctype html><script>alert(1)</script>"), "", app.EUnsupportedFileType},
		{"photo.jpg", mediatest.Photo("jpg")[:300], "", app.EFileDamaged},
		{"empty.pdf", nil, "", aman.ERequired},
	}
	for _, tc := range tests {
		t.Run(tc.filename+" "+tc.want+tc.code, func(t *testing.T) {
			doc, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: tc.filename, Data: tc.data})
			if aman.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if tc.code != "" {
				if aman.ErrorField(err) != "file" {
					t.Fatalf("field %q, want file", aman.ErrorField(err))
				}
				return
			}
			if doc.ContentType != tc.want || doc.Filename != tc.filename {
				t.Fatalf("stored as %s named %q", doc.ContentType, doc.Filename)
			}
			got, content := download(t, env, s.workerA, doc.ID)
			if got.ContentType != tc.want || int64(len(content)) != got.Size || got.Size != doc.Size {
				t.Fatalf("downloaded %s, %d bytes of %d", got.ContentType, len(content), got.Size)
			}
			cleaned, _ := media.Clean(tc.data)
			if !bytes.Equal(content, cleaned.Data) {
				t.Fatal("the download is not the stored file")
			}
			if got.Kind != cleaned.Type.Kind || !strings.HasPrefix(got.DownloadName(), "document-") || !strings.HasSuffix(got.DownloadName(), "."+cleaned.Type.Ext) {
				t.Fatalf("kind %s, download name %q", got.Kind, got.DownloadName())
			}
		})
	}
}

func TestDocumentSizeLimit(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	largest := mediatest.PDFOfSize("twenty megabytes", app.MaxDocumentSize)
	doc, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: "big.pdf", Data: largest})
	if err != nil || doc.Size != app.MaxDocumentSize {
		t.Fatalf("20 MiB: %+v %v", doc, err)
	}
	_, content := download(t, env, s.workerA, doc.ID)
	if !bytes.Equal(content, largest) {
		t.Fatal("the largest file did not come back whole")
	}
	tooLarge := append(largest, '\n')
	if _, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: "big.pdf", Data: tooLarge}); aman.ErrorCode(err) != aman.ETooLarge {
		t.Fatalf("20 MiB + 1: %v", err)
	}
	long := strings.Repeat("x", 201)
	if _, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: "a.pdf", Title: long, Data: mediatest.PDF("x")}); aman.ErrorCode(err) != aman.ETextTooLong {
		t.Fatalf("a long title: %v", err)
	}
}

func TestDocumentPhotosLoseTheirLocation(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	original := mediatest.Photo("jpg")
	if !bytes.Contains(original, []byte(mediatest.GPSMarker)) {
		t.Fatal("the sample photo carries no GPS data; the test would prove nothing")
	}
	doc, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: `C:\fakepath\bruise.jpg`, Title: "Left arm", Data: original})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.MetadataRemoved || doc.Filename != "bruise.jpg" {
		t.Fatalf("uploaded %+v", doc)
	}
	_, content := download(t, env, s.workerA, doc.ID)
	if bytes.Contains(content, []byte(mediatest.GPSMarker)) || bytes.Contains(content, []byte(mediatest.XMPMarker)) {
		t.Fatal("the stored photo still says where it was taken")
	}
	if _, _, err := image.Decode(bytes.NewReader(content)); err != nil {
		t.Fatalf("the stored photo no longer decodes: %v", err)
	}
	entries, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: "document.upload"})
	if len(entries) != 1 || entries[0].Detail["metadata_removed"] != "true" || entries[0].Detail["document"] != doc.ID {
		t.Fatalf("upload audit: %+v", entries)
	}
}

func TestDocumentAccessIsDecidedAndAudited(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	doc, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: "statement.pdf", Title: "Statement", Data: mediatest.PDF("statement")})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		actor aman.Actor
		code  string
	}{
		{"assigned worker", s.workerA, ""},
		{"supervisor of the unit", s.supervisor, ""},
		{"colleague outside the case", s.workerB, policy.EBreakGlassRequired},
		{"administrator", s.admin, aman.EForbidden},
		{"partner", s.partner, aman.EForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := env.Documents.Download(ctx, tc.actor, doc.ID); aman.ErrorCode(err) != tc.code {
				t.Fatalf("download: %v, want %q", err, tc.code)
			}
			list, err := env.Documents.List(ctx, tc.actor, k.ID)
			if aman.ErrorCode(err) != tc.code {
				t.Fatalf("list: %v, want %q", err, tc.code)
			}
			// Newest first: the statement is the oldest, below the uploads of the rows before.
			if err == nil && (len(list) == 0 || list[len(list)-1].Filename != "statement.pdf" || list[len(list)-1].Title != "Statement") {
				t.Fatalf("list: %d documents", len(list))
			}
			if _, err := env.Documents.Upload(ctx, tc.actor, k.ID, app.NewDocument{Filename: "x.pdf", Data: mediatest.PDF("x")}); aman.ErrorCode(err) != tc.code {
				t.Fatalf("upload: %v, want %q", err, tc.code)
			}
		})
	}
	count := func(action string) int {
		entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: action})
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	if count("document.download") != 2 || count("document.download_denied") != 1 || count("document.list") != 2 {
		t.Fatalf("downloads %d, refused %d, lists %d", count("document.download"), count("document.download_denied"), count("document.list"))
	}

	// Under break-glass the download is allowed and stands out.
	if _, err := env.Cases.BreakGlass(ctx, s.workerB, k.ID, "The police need the statement tonight; worker unreachable"); err != nil {
		t.Fatal(err)
	}
	download(t, env, s.workerB, doc.ID)
	flagged, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: "document.download", BreakGlassOnly: true})
	if len(flagged) != 1 || flagged[0].ActorID != s.workerB.UserID {
		t.Fatalf("break-glass download audit: %+v", flagged)
	}
	if _, err := env.Documents.Download(ctx, s.workerA, "no-such-document"); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("unknown document: %v", err)
	}

	closeCaseForTest(t, env, k.ID)
	if _, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: "late.pdf", Data: mediatest.PDF("late")}); aman.ErrorCode(err) != app.ECaseClosed {
		t.Fatalf("upload to a closed case: %v", err)
	}
	download(t, env, s.workerA, doc.ID) // a closed case's documents stay readable
}

// The database holds the content, the name and the title only sealed, and each chunk only opens in its
// own place: swapped chunks make the download fail rather than serve a spliced file.
func TestDocumentsAreSealedInTheDatabase(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	const marker = "QARANFIL-STATEMENT-MARKER"
	data := mediatest.PDFOfSize(marker, 3*256<<10+100) // four chunks
	doc, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: marker + ".pdf", Title: marker, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	var chunks int
	err = env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT d.filename_sealed, d.title_sealed, c.content_sealed FROM documents d
			JOIN document_chunks c ON c.document_id = d.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name, title, content []byte
			if err := rows.Scan(&name, &title, &content); err != nil {
				return err
			}
			chunks++
			for _, b := range [][]byte{name, title, content} {
				if bytes.Contains(b, []byte(marker)) || bytes.Contains(b, []byte("%PDF")) {
					t.Error("a sealed column holds plaintext")
				}
			}
		}
		return rows.Err()
	})
	if err != nil || chunks != 4 {
		t.Fatalf("%d chunks (%v), want 4", chunks, err)
	}

	err = env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var one, two []byte
		q := `SELECT content_sealed FROM document_chunks WHERE id = $1`
		if err := tx.QueryRowContext(ctx, q, doc.ID+".000001").Scan(&one); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, q, doc.ID+".000002").Scan(&two); err != nil {
			return err
		}
		u := `UPDATE document_chunks SET content_sealed = $1 WHERE id = $2`
		if _, err := tx.ExecContext(ctx, u, two, doc.ID+".000001"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, u, one, doc.ID+".000002")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Documents.Download(ctx, s.workerA, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteTo(ctx, &bytes.Buffer{}); err == nil {
		t.Fatal("swapped chunks were served")
	}
}

// After a key rotation, re-sealing moves notes, amendments, document names and every content chunk to
// the new key (chunk ids carry the document and place, so the generic re-sealer binds them right), and
// all of it still opens.
func TestNotesAndDocumentsSurviveKeyRotation(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	k := openCase(t, env, s.workerA)
	note := writeNote(t, env, s.workerA, k.ID, policy.NoteGeneral, "Before rotation.")
	if _, err := env.Notes.Amend(ctx, s.workerA, note.ID, "Amended before rotation."); err != nil {
		t.Fatal(err)
	}
	data := mediatest.PDFOfSize("rotation", 2*256<<10+1) // three chunks
	doc, err := env.Documents.Upload(ctx, s.workerA, k.ID, app.NewDocument{Filename: "r.pdf", Title: "Rotation", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	ks := &seal.MemStore{}
	if err := env.Keys.Save(ctx, ks); err != nil {
		t.Fatal(err)
	}
	keys := &app.Keys{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Store: ks}
	if _, err := keys.Rotate(ctx, apptest.Admin(), func(context.Context, *store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	n, err := keys.ResealAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Besides the staff's TOTP secrets and the beneficiary's name: note, amendment, filename, title and
	// three chunks.
	if n < 7 {
		t.Fatalf("re-sealed %d values", n)
	}
	for table, column := range map[string]string{"case_notes": "body", "note_amendments": "body", "documents": "filename", "document_chunks": "content"} {
		err := env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT `+column+`_sealed FROM `+table)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var v seal.Sealed
				if err := rows.Scan(&v); err != nil {
					return err
				}
				if env.Keys.NeedsReseal(v) {
					t.Errorf("%s.%s still under the old key", table, column)
				}
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	list, err := env.Notes.List(ctx, s.workerA, k.ID, app.NotePage{})
	if err != nil || len(list.Notes) != 1 || list.Notes[0].Body != "Before rotation." || list.Notes[0].Amendments[0].Body != "Amended before rotation." {
		t.Fatalf("notes after rotation: %+v %v", list, err)
	}
	got, content := download(t, env, s.workerA, doc.ID)
	if !bytes.Equal(content, data) || got.Filename != "r.pdf" || got.Title != "Rotation" {
		t.Fatal("the document did not survive the rotation")
	}
}
