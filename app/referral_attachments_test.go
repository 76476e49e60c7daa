package app_test

import (
	"bytes"
	"context"
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/media/mediatest"
	"aman.qa/aman/store"
)

func readContent(t *testing.T, c app.DocumentContent) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.WriteTo(ctx, &b); err != nil {
		t.Fatalf("write: %v", err)
	}
	return b.Bytes()
}

// The files a partner sends with a referral are checked as case documents are, sealed, read by triage
// with an audited download, and become the case's documents once triage links the intake to a case,
// whichever way it does. The desk that sent them learns only how many it sent.
func TestReferralAttachmentsReachTriageAndThenTheCase(t *testing.T) {
	const marker = "QARANFIL-MEDICAL-REPORT"
	const nameMarker = "QARANFIL-Maryam-report.pdf"
	env := apptest.New(t)
	s := newStaff(t, env)
	desk, hamad, police, _ := partnerDesk(t, env)
	in := app.PartnerReferralInput{NameEN: "Maryam Ali", Categories: []string{"physical_violence"}, Urgency: "urgent", Consent: true}

	refusals := []struct {
		name  string
		files []app.ReferralFile
		code  string
	}{
		{"a program called .pdf", []app.ReferralFile{{Filename: "report.pdf", Data: mediatest.WindowsExecutable()}}, app.EUnsupportedFileType},
		{"a damaged photo", []app.ReferralFile{{Filename: "x.jpg", Data: mediatest.Photo("jpg")[:300]}}, app.EFileDamaged},
		{"four files", []app.ReferralFile{{Data: mediatest.PDF("1")}, {Data: mediatest.PDF("2")}, {Data: mediatest.PDF("3")}, {Data: mediatest.PDF("4")}}, app.ETooManyAttachments},
		{"too large", []app.ReferralFile{{Filename: "big.pdf", Data: mediatest.PDFOfSize("big", app.MaxReferralAttachmentSize+1)}}, aman.ETooLarge},
	}
	for _, tc := range refusals {
		in.Attachments = tc.files
		if _, err := desk.Create(ctx, hamad, in); aman.ErrorCode(err) != tc.code || aman.ErrorField(err) != "attachments" {
			t.Fatalf("%s: %v (field %q), want %s on attachments", tc.name, err, aman.ErrorField(err), tc.code)
		}
	}
	if queue, _ := env.Triage.QueuePage(ctx, s.workerA, app.QueuePage{Limit: app.MaxQueue}); len(queue.Intakes) != 0 {
		t.Fatalf("a refused referral reached triage: %+v", queue)
	}

	report := mediatest.PDFOfSize(marker, 600<<10) // three chunks
	photo := mediatest.JPEGWithSplicedGPS()
	in.Attachments = []app.ReferralFile{{Filename: `C:\fakepath\` + nameMarker, Data: report}, {Filename: "empty.jpg"}, {Filename: "bruise.jpg", Data: photo}}
	ref, err := desk.Create(ctx, hamad, in)
	if err != nil || ref.Attachments != 2 {
		t.Fatalf("create: %+v %v", ref, err)
	}
	if got, err := desk.Get(ctx, hamad, ref.ID); err != nil || got.Attachments != 2 {
		t.Fatalf("the desk's view: %+v %v", got, err)
	}
	if _, err := desk.DownloadAttachment(ctx, hamad, ref.IntakeID, "any"); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("the desk downloaded: %v", err)
	}

	// Nothing of the files is readable in the database.
	err = env.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		for _, q := range []string{`SELECT content_sealed FROM referral_attachment_chunks`, `SELECT filename_sealed FROM referral_attachments`} {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					return err
				}
				if bytes.Contains(b, []byte(marker)) || bytes.Contains(b, []byte("QARANFIL")) || bytes.Contains(b, []byte(mediatest.GPSMarker)) {
					t.Errorf("%s holds plaintext", q)
				}
			}
			rows.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Triage reads the list and downloads each file, audited.
	person, err := desk.ForIntake(ctx, s.workerA, ref.IntakeID)
	if err != nil || len(person.Attachments) != 2 {
		t.Fatalf("triage's view: %+v %v", person.Attachments, err)
	}
	pdf, jpg := person.Attachments[0], person.Attachments[1]
	if pdf.Filename != nameMarker || pdf.ContentType != "application/pdf" || jpg.ContentType != "image/jpeg" || !jpg.MetadataRemoved {
		t.Fatalf("attachments %+v", person.Attachments)
	}
	c, err := desk.DownloadAttachment(ctx, s.workerA, ref.IntakeID, pdf.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := readContent(t, c); !bytes.Equal(got, report) || c.Size != int64(len(report)) {
		t.Fatalf("the report came back as %d bytes, want %d", len(got), len(report))
	}
	c, err = desk.DownloadAttachment(ctx, s.workerA, ref.IntakeID, jpg.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := readContent(t, c); bytes.Contains(got, []byte(mediatest.GPSMarker)) || len(got) == 0 {
		t.Fatal("the photo kept its location")
	}
	entries, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "referral_attachment", EntityID: pdf.ID, Action: "referral_in.attachment_download"})
	if len(entries) != 1 || entries[0].ActorID != s.workerA.UserID {
		t.Fatalf("download audit %+v", entries)
	}
	// A file is found only through its own intake.
	other, err := desk.Create(ctx, police, app.PartnerReferralInput{NameAR: "أ", Categories: []string{"neglect"}, Urgency: "normal", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.DownloadAttachment(ctx, s.workerA, other.IntakeID, pdf.ID); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("a file through another intake: %v", err)
	}
	// Before triage links it, no case holds the file.
	if _, err := env.Documents.Download(ctx, s.workerA, pdf.ID); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("a case document before any case: %v", err)
	}

	// Opening the case from the referral makes the files the case's documents, under the case's rules.
	k, err := desk.OpenCase(ctx, s.workerA, ref.IntakeID)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := env.Documents.List(ctx, s.workerA, k.ID)
	if err != nil || len(docs) != 2 {
		t.Fatalf("case documents %+v %v", docs, err)
	}
	for _, d := range docs {
		if !d.FromReferral || d.CaseID != k.ID || d.UploadedBy != hamad.UserID {
			t.Fatalf("case document %+v", d)
		}
	}
	byID := map[string]app.Document{docs[0].ID: docs[0], docs[1].ID: docs[1]}
	if byID[pdf.ID].Filename != nameMarker {
		t.Fatalf("case documents %+v", docs)
	}
	c, err = env.Documents.Download(ctx, s.workerA, pdf.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := readContent(t, c); !bytes.Equal(got, report) {
		t.Fatal("the case's copy differs from what the desk sent")
	}
	if entries, _ := env.Audit.Query(ctx, env.DB, audit.Filter{EntityType: "case", EntityID: k.ID, Action: "document.download"}); len(entries) != 1 {
		t.Fatalf("case download audit %+v", entries)
	}
	if _, err := env.Documents.Download(ctx, s.otherSupervisor, pdf.ID); err == nil {
		t.Fatal("a supervisor of another unit downloaded the case's file")
	}
	if _, err := env.Documents.Download(ctx, hamad, pdf.ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("the desk downloaded from the case: %v", err)
	}
	if got, _ := desk.Get(ctx, hamad, ref.ID); got.Status != app.ReferralInCaseOpened || got.Attachments != 2 {
		t.Fatalf("the desk's view after the case: %+v", got)
	}

	// A case opened for a person found by search takes the files too.
	in.Attachments = []app.ReferralFile{{Filename: "second.pdf", Data: mediatest.PDF("second")}}
	second, err := desk.Create(ctx, hamad, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := env.Beneficiaries.Create(ctx, s.workerA, app.BeneficiaryInput{NameEN: "Maryam Found"})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := env.Triage.OpenCase(ctx, s.workerA, second.IntakeID, b.ID, env.Cases)
	if err != nil {
		t.Fatal(err)
	}
	if docs, err := env.Documents.List(ctx, s.workerA, k2.ID); err != nil || len(docs) != 1 || docs[0].Filename != "second.pdf" {
		t.Fatalf("documents of the second case %+v %v", docs, err)
	}
	if docs, _ := env.Documents.List(ctx, s.workerA, k.ID); len(docs) != 2 {
		t.Fatalf("the first case now lists %d documents", len(docs))
	}
}
