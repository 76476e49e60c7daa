package web

import (
	"mime"
	"net/http"
	"slices"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

const viewDesk = "desk"

// deskForm is what the desk typed, kept to re-render the form after a problem.
type deskForm struct {
	NameAR, NameEN, Sex, BirthDate, Age, Phone, QID, Narrative, Urgency string
	Categories                                                          []string
	Consent                                                             bool
}

// deskRow is one referral as its desk sees it: when, how urgent, why, and its status.
type deskRow struct {
	ID         string
	Sent       shownTime
	Urgency    string
	Categories []string
	Status     string
	StatusAt   shownTime
	// Files is how many files were sent with the referral; the desk never reads them back.
	Files int
}

// deskView is the partner desk: the one form and the organisation's own referrals.
type deskView struct {
	OrgNameAR, OrgNameEN string
	NoOrg                bool
	Form                 deskForm
	Categories           []option
	Urgencies            []option
	Referrals            []deskRow
	Notice               string
	// MaxFiles and MaxMB are the attachment limits the form states.
	MaxFiles, MaxMB int
	formState
}

func (h *Handler) deskOnly(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.partnerReferrals == nil {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}

func (h *Handler) deskView(r *http.Request, actor aman.Actor, form deskForm) (deskView, error) {
	v := deskView{Form: form, MaxFiles: app.MaxReferralAttachments, MaxMB: app.MaxReferralAttachmentSize >> 20}
	lang := langOf(r)
	for _, c := range app.ReferralCategories() {
		v.Categories = append(v.Categories, option{Value: c, Label: h.bundle.T(lang, "desk.category."+c), Selected: slices.Contains(form.Categories, c)})
	}
	for _, u := range app.ReferralUrgencies() {
		v.Urgencies = append(v.Urgencies, option{Value: u, Label: h.bundle.T(lang, "desk.urgency."+u), Selected: form.Urgency == u})
	}
	var err error
	v.OrgNameAR, v.OrgNameEN, err = h.partnerReferrals.OrgName(r.Context(), actor)
	if aman.ErrorCode(err) == app.ENoPartnerOrg {
		v.NoOrg = true
		return v, nil
	}
	if err != nil {
		return v, err
	}
	list, err := h.partnerReferrals.List(r.Context(), actor)
	if err != nil {
		return v, err
	}
	for _, ref := range list {
		v.Referrals = append(v.Referrals, deskRow{ID: ref.ID, Sent: showTime(ref.CreatedAt, h.zone), Urgency: ref.Urgency, Categories: ref.Categories,
			Status: string(ref.Status), StatusAt: showTime(ref.StatusAt, h.zone), Files: ref.Attachments})
	}
	return v, nil
}

// showDesk is the partner desk page.
func (h *Handler) showDesk(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	v, err := h.deskView(r, actor, deskForm{Urgency: "normal"})
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == "sent" {
		v.Notice = h.bundle.T(langOf(r), "desk.done.sent")
	}
	h.show(w, r, http.StatusOK, viewDesk, "desk.title", v)
}

// referFromDesk sends one referral, with the files chosen (a multipart form, streamed and never spooled
// to disk), and goes back to the desk, which shows it as received. A refused referral comes back with
// what was typed; files cannot be put back into a form, so they are chosen again.
func (h *Handler) referFromDesk(w http.ResponseWriter, r *http.Request) {
	fields, files, names, err := readDeskForm(w, r)
	_, actor, _ := session.From(r.Context())
	f := deskForm{NameAR: fieldValue(fields, "name_ar"), NameEN: fieldValue(fields, "name_en"), Sex: fieldValue(fields, "sex"),
		BirthDate: fieldValue(fields, "birth_date"), Age: fieldValue(fields, "age"), Phone: fieldValue(fields, "phone"), QID: fieldValue(fields, "qid"),
		Narrative: fieldValue(fields, "narrative"), Urgency: fieldValue(fields, "urgency"), Categories: fields["categories"],
		Consent: fieldValue(fields, "consent") == "1"}
	if err == nil {
		var in app.PartnerReferralInput
		if in, err = app.ReferralInputFromFields(fields, files, names); err == nil {
			_, err = h.partnerReferrals.Create(r.Context(), actor, in)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/desk?done=sent", http.StatusSeeOther)
		return
	}
	state, ok := h.formProblem(r, err)
	if code := aman.ErrorCode(err); code == aman.ETooLarge || code == app.EUnsupportedFileType {
		// Refusals of the files themselves, whatever their status, belong beside the file field.
		_, message := h.messageFor(r, err)
		state, ok = formState{Errors: fieldErrors{"attachments": message}}, true
	}
	if !ok && aman.ErrorCode(err) != app.ENoPartnerOrg {
		h.Errors(w, r, err)
		return
	}
	v, verr := h.deskView(r, actor, f)
	if verr != nil {
		h.Errors(w, r, verr)
		return
	}
	v.formState = state
	h.show(w, r, statusOf(err), viewDesk, "desk.title", v)
}

// readDeskForm reads the desk's form: multipart with its files, or an ordinary form without any.
func readDeskForm(w http.ResponseWriter, r *http.Request) (fields map[string][]string, files [][]byte, names []string, err error) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		form, err := httpx.ReadMultipartForm(w, r, "attachments", app.MaxReferralAttachments, app.MaxReferralAttachmentSize)
		return form.Fields, form.Files, form.FileNames, err
	}
	if err := parseForm(w, r); err != nil {
		return nil, nil, nil, err
	}
	return r.PostForm, nil, nil, nil
}

// fieldValue is a trimmed field of a form read into a map.
func fieldValue(fields map[string][]string, name string) string {
	if v := fields[name]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}
