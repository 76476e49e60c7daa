package web

import (
	"net/http"
	"slices"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/app"
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
	v := deskView{Form: form}
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
			Status: string(ref.Status), StatusAt: showTime(ref.StatusAt, h.zone)})
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

// referFromDesk sends one referral and goes back to the desk, which shows it as received.
func (h *Handler) referFromDesk(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	f := deskForm{NameAR: formValue(r, "name_ar"), NameEN: formValue(r, "name_en"), Sex: formValue(r, "sex"), BirthDate: formValue(r, "birth_date"),
		Age: formValue(r, "age"), Phone: formValue(r, "phone"), QID: formValue(r, "qid"), Narrative: formValue(r, "narrative"),
		Urgency: formValue(r, "urgency"), Categories: r.PostForm["categories"], Consent: formValue(r, "consent") == "1"}
	in := app.PartnerReferralInput{NameAR: f.NameAR, NameEN: f.NameEN, Sex: f.Sex, BirthDate: f.BirthDate, Phone: f.Phone, QID: f.QID,
		Categories: f.Categories, Narrative: f.Narrative, Urgency: f.Urgency, Consent: f.Consent}
	var err error
	if f.Age != "" {
		if in.EstimatedAge, err = strconv.Atoi(foldDigits(f.Age)); err != nil {
			err = aman.FieldError("age", aman.EInvalidAge)
		}
	}
	if err == nil {
		_, err = h.partnerReferrals.Create(r.Context(), actor, in)
	}
	if err == nil {
		http.Redirect(w, r, "/desk?done=sent", http.StatusSeeOther)
		return
	}
	state, ok := h.formProblem(r, err)
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
