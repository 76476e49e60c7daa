package api

import (
	"mime"
	"net/http"

	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

type referralInBody struct {
	NameAR     string   `json:"name_ar"`
	NameEN     string   `json:"name_en"`
	Sex        string   `json:"sex"`
	BirthDate  string   `json:"birth_date"`
	Age        int      `json:"age"`
	Phone      string   `json:"phone"`
	QID        string   `json:"qid"`
	Categories []string `json:"categories"`
	Narrative  string   `json:"narrative"`
	Urgency    string   `json:"urgency"`
	Consent    bool     `json:"consent"`
}

// referralInOut is all a partner desk ever reads back: when, how urgent, why (codes) and the status.
// Never what was written, never the case.
type referralInOut struct {
	ID         string   `json:"id"`
	CreatedAt  string   `json:"created_at"`
	Urgency    string   `json:"urgency"`
	Categories []string `json:"categories"`
	Status     string   `json:"status"`
	StatusAt   string   `json:"status_at"`
	// Attachments is how many files were sent; the desk never reads them back.
	Attachments int `json:"attachments"`
}

func referralInJSON(r app.PartnerReferral) referralInOut {
	cats := r.Categories
	if cats == nil {
		cats = []string{}
	}
	return referralInOut{ID: r.ID, CreatedAt: r.CreatedAt.Format(timeFormat), Urgency: r.Urgency, Categories: cats, Status: string(r.Status),
		StatusAt: r.StatusAt.Format(timeFormat), Attachments: r.Attachments}
}

// createReferralIn is POST /api/v1/referrals-in, with a JSON body or a multipart form whose
// "attachments" parts carry files (a medical report, photos): 201.
func (h *Handler) createReferralIn(w http.ResponseWriter, r *http.Request) {
	var in app.PartnerReferralInput
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		form, err := httpx.ReadMultipartForm(w, r, "attachments", app.MaxReferralAttachments, app.MaxReferralAttachmentSize)
		if err == nil {
			in, err = app.ReferralInputFromFields(form.Fields, form.Files, form.FileNames)
		}
		if err != nil {
			h.errors(w, r, err)
			return
		}
	} else {
		var body referralInBody
		if !h.decode(w, r, &body) {
			return
		}
		in = app.PartnerReferralInput{NameAR: body.NameAR, NameEN: body.NameEN, Sex: body.Sex, BirthDate: body.BirthDate, EstimatedAge: body.Age,
			Phone: body.Phone, QID: body.QID, Categories: body.Categories, Narrative: body.Narrative, Urgency: body.Urgency, Consent: body.Consent}
	}
	ref, err := h.partnerReferrals.Create(r.Context(), actorOf(r), in)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, referralInJSON(ref))
}

// listReferralsIn is GET /api/v1/referrals-in: the desk's own organisation's referrals.
func (h *Handler) listReferralsIn(w http.ResponseWriter, r *http.Request) {
	list, err := h.partnerReferrals.List(r.Context(), actorOf(r))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	writeItems(w, list, referralInJSON)
}

// getReferralIn is GET /api/v1/referrals-in/{id}.
func (h *Handler) getReferralIn(w http.ResponseWriter, r *http.Request) {
	ref, err := h.partnerReferrals.Get(r.Context(), actorOf(r), r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, referralInJSON(ref))
}

type countOut struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

type partnerCountOut struct {
	PartnerOrgID string `json:"partner_org_id"`
	NameAR       string `json:"name_ar"`
	NameEN       string `json:"name_en"`
	Count        int    `json:"count"`
}

func countsJSON(in []app.Count) []countOut {
	out := make([]countOut, len(in))
	for i, c := range in {
		out[i] = countOut(c)
	}
	return out
}

// intakeFigures is GET /api/v1/figures/intake?from=YYYY-MM-DD&to=YYYY-MM-DD: aggregates only.
func (h *Handler) intakeFiguresReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rep, err := h.intakeFigures.Intake(r.Context(), actorOf(r), q.Get("from"), q.Get("to"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	partners := make([]partnerCountOut, len(rep.ReferralsByPartner))
	for i, p := range rep.ReferralsByPartner {
		partners[i] = partnerCountOut{PartnerOrgID: p.OrgID, NameAR: p.NameAR, NameEN: p.NameEN, Count: p.Count}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"from": rep.From, "to": rep.To,
		"calls":           map[string]any{"total": rep.CallsTotal, "by_kind": countsJSON(rep.CallsByKind), "by_outcome": countsJSON(rep.CallsByOutcome)},
		"requests_by_app": countsJSON(rep.RequestsByApp),
		"referrals":       map[string]any{"total": rep.ReferralsTotal, "by_partner": partners},
	})
}
