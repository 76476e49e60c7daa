package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewPersonShow = "person_show"

// personView is a person's page: the whole record, what is doubtful about it, the records that may be
// the same person, and the cases the person is in.
type personView struct {
	// The record as stored, with its nationality and languages named in the page's language.
	aman.Beneficiary
	NationalityName string
	LanguageNames   []string
	// WarningTexts are translated doubts about the record, such as a QID that disagrees with the birth
	// year. A merged record (MergedInto set) offers nothing to do.
	WarningTexts []string
	// JustCreated puts the possible duplicates first and in plain sight, right after registration.
	JustCreated bool
	Duplicates  []personRow
	// MayMerge offers, on each duplicate, the supervisor's form that merges it into this record.
	MayMerge bool
	// MergeErrors holds a failed merge's message under the duplicate's id; MergeError one that belongs to
	// no listed duplicate.
	MergeErrors map[string]string
	MergeError  string
	Cases       []personCaseView
	MayOpenCase bool
	// OpenCaseError is why opening a case failed.
	OpenCaseError string
	Notice        string
}

// personCaseView is one of the person's cases. A case the actor may not open shows its number only.
type personCaseView struct {
	Number   string
	MayOpen  bool
	ID       string
	Status   aman.CaseStatus
	Role     string
	OpenedAt shownTime
}

// showPerson opens a person's record. The record, its possible duplicates and its cases are each read
// through app, which authorizes and audits them.
func (h *Handler) showPerson(w http.ResponseWriter, r *http.Request) {
	view, err := h.personPage(r)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	switch r.URL.Query().Get("done") {
	case donePersonCreated:
		view.JustCreated = true
		view.Notice = h.bundle.T(langOf(r), "person.done.created")
	case donePersonMerged:
		view.Notice = h.bundle.T(langOf(r), "person.done.merged")
	}
	h.show(w, r, http.StatusOK, viewPersonShow, "person.title", view)
}

// personPage loads the person named by the path, with what the signed-in person may do about them.
func (h *Handler) personPage(r *http.Request) (personView, error) {
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	lang := langOf(r)
	b, err := h.beneficiaries.Get(ctx, actor, r.PathValue("id"))
	if err != nil {
		return personView{}, err
	}
	view := personView{Beneficiary: b, NationalityName: h.countryName(lang, b.Nationality)}
	for _, code := range b.Languages {
		view.LanguageNames = append(view.LanguageNames, h.languageName(lang, code))
	}
	for _, warning := range app.BeneficiaryWarnings(b) {
		view.WarningTexts = append(view.WarningTexts, h.bundle.T(lang, warning))
	}
	if b.MergedInto != "" {
		return view, nil
	}
	duplicates, err := h.beneficiaries.Duplicates(ctx, actor, b.ID)
	if err != nil {
		return personView{}, err
	}
	for _, d := range duplicates {
		row := h.newPersonRow(lang, d.Beneficiary, true)
		row.Shared = d.Shared
		view.Duplicates = append(view.Duplicates, row)
	}
	cases, err := h.cases.ForPerson(ctx, actor, b.ID)
	if err != nil {
		return personView{}, err
	}
	for _, k := range cases {
		view.Cases = append(view.Cases, personCaseView{Number: k.Number, MayOpen: k.MayOpen, ID: k.ID, Status: k.Status, Role: k.Role,
			OpenedAt: showTime(k.OpenedAt, h.zone)})
	}
	view.MayMerge = policy.Allows(actor.Role, policy.BeneficiaryMerge)
	view.MayOpenCase = policy.Allows(actor.Role, policy.CaseCreate)
	return view, nil
}
