package web

import (
	"net/http"

	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

// downloadReferralAttachment serves a file a partner desk sent with a referral, to triage, once
// PartnerReferrals.DownloadAttachment has checked that it belongs to this intake's referral and audited
// the download: an attachment under a generic name, as a case's documents are (httpx.ServeAttachment).
func (h *Handler) downloadReferralAttachment(w http.ResponseWriter, r *http.Request) {
	if h.partnerReferrals == nil {
		h.NotFound(w, r)
		return
	}
	_, actor, _ := session.From(r.Context())
	c, err := h.partnerReferrals.DownloadAttachment(r.Context(), actor, r.PathValue("id"), r.PathValue("fileID"))
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	httpx.ServeAttachment(w, r, h.logger, httpx.Attachment{ContentType: c.ContentType, Size: c.Size, Name: c.DownloadName(), Write: c.WriteTo})
}
