package web

import (
	"mime"
	"net/http"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/httpx"
)

// exportAuditTrail streams the entries the filter selects as CSV. The selection is the page's filter
// without its paging: the export is the whole selection, which is what an auditor takes into a report.
// Break-glass reasons are in it only when the auditor opened them on the page. The trail records the
// export before the first byte is sent (app.AuditTrail.Export).
func (h *Handler) exportAuditTrail(w http.ResponseWriter, r *http.Request) {
	actor, filter, q, ok := h.readAuditRequest(w, r)
	if !ok {
		return
	}
	q.BeforeSeq = 0
	download := &csvDownload{w: w, filename: "aman-audit-" + time.Now().In(h.zone).Format("20060102-150405") + ".csv"}
	err := h.trail.Export(r.Context(), actor, q, download)
	switch {
	case err == nil:
	case !download.started:
		// Nothing has been sent: the filter's problem, or the error page, can still be shown.
		h.showAuditProblem(w, r, h.newAuditView(filter), err)
	default:
		// The file is half sent. Cutting the connection makes the download fail visibly, where
		// finishing the response normally would leave a file that looks whole but is not.
		httpx.LogIfInternal(r, h.logger, aman.EInternal, err)
		panic(http.ErrAbortHandler)
	}
}

// csvDownload sends the download's headers with its first bytes, so that an export refused before
// writing anything can still answer with a page instead of a file.
type csvDownload struct {
	w        http.ResponseWriter
	filename string
	started  bool
}

func (d *csvDownload) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		header := d.w.Header()
		header.Set("Content-Type", "text/csv; charset=utf-8")
		header.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.filename}))
		// The session gate already sets it; an export of who saw what must never be kept by a cache,
		// whatever route it is served under.
		header.Set("Cache-Control", "no-store")
		d.w.WriteHeader(http.StatusOK)
	}
	return d.w.Write(p)
}
