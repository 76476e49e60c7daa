package web

import (
	"net/http"
	"net/url"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
)

// documentsSection is the case's documents, newest first, each with its audited download, and the form
// that uploads one (nil for a reader who may not add to the case).
type documentsSection struct {
	CaseID    string
	Documents []documentView
	Form      *caseDocumentForm
	// Closed says the case no longer takes documents from the reader.
	Closed bool
	// MaxMB is the size limit the form states, app.MaxDocumentSize in megabytes.
	MaxMB  int
	Notice string
}

// documentView describes one document; its content is only behind URL.
type documentView struct {
	Title    string
	Filename string
	// KindKey names the kind of file (photo, recording, PDF) from the catalog.
	KindKey string
	Size    string
	By      string
	At      shownTime
	URL     string
	// FromReferral marks a file the partner desk (By) sent with the referral that reached the case.
	FromReferral bool
}

// caseDocumentForm uploads a file with a title. A file cannot be put back into a form, so a refused
// upload comes back with its title and the problem, and the file is chosen again.
type caseDocumentForm struct {
	Title string
	formState
}

func (h *Handler) newDocumentsSection(r *http.Request, d caseRecords, names func(string) string) *documentsSection {
	s := &documentsSection{CaseID: d.k.ID, MaxMB: app.MaxDocumentSize >> 20}
	for _, doc := range d.documents {
		s.Documents = append(s.Documents, documentView{Title: documentTitle(doc.Title, ""), Filename: doc.Filename,
			KindKey: "case.document.kind." + string(doc.Kind), Size: h.documentSize(r, doc.Size), By: names(doc.UploadedBy),
			At: showTime(doc.UploadedAt, h.zone), URL: casePath(d.k.ID) + "/documents/" + url.PathEscape(doc.ID), FromReferral: doc.FromReferral})
	}
	switch {
	case d.rights.Add() && policy.Allows(d.actor.Role, policy.DocumentUpload):
		s.Form = &caseDocumentForm{}
	case d.k.Status == aman.CaseClosed:
		s.Closed = true
	}
	return s
}

// documentTitle is what a document is called: its title, or the name it was uploaded with.
func documentTitle(title, filename string) string {
	if title != "" {
		return title
	}
	return filename
}

// documentSize reads a size the way people do: kilobytes under a megabyte, megabytes with one decimal
// above.
func (h *Handler) documentSize(r *http.Request, size int64) string {
	if size < 1<<20 {
		return h.bundle.T(langOf(r), "case.document.size_kb", "n", strconv.FormatInt(max(1, (size+1023)>>10), 10))
	}
	return h.bundle.T(langOf(r), "case.document.size_mb", "n", strconv.FormatFloat(float64(size)/(1<<20), 'f', 1, 64))
}
