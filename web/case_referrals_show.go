package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
)

// referralsSection is the case's consents and referrals out: what the person agreed to (and, for a
// child, the child's assent and the guardian's consent), where the case was referred and what became
// of it, and the forms that record a consent, refer the case, and record a partner's answer.
type referralsSection struct {
	CaseID    string
	Consents  []consentView
	Referrals []referralView
	// ConsentForm and ReferForm are nil for a reader who may not use them.
	ConsentForm *caseConsentForm
	ReferForm   *caseReferForm
	Notice      string
}

// consentView is one recorded consent.
type consentView struct {
	Kind            string
	Partner         string
	Given           bool
	Child           bool
	ChildAssent     bool
	GuardianConsent bool
	Guardian        personNames
	By              string
	At              shownTime
	Withdrawn       shownTime
}

// referralView is one referral out. Update is the form for the partner's answer; nil once the referral
// is declined or completed, or for a reader who may not record it.
type referralView struct {
	ID             string
	Partner        string
	Purpose        string
	Status         string
	Feedback       string
	Overridden     bool
	OverrideReason string
	At             shownTime
	UpdatedAt      shownTime
	Update         *referralUpdateForm
}

// referralUpdateForm records a partner's answer: the next status and their feedback.
type referralUpdateForm struct {
	Statuses []option
	Feedback string
	Open     bool
	formState
}

// caseConsentForm records a consent. The child's fields count only when the beneficiary is a child,
// which RecordConsent works out from the birth date.
type caseConsentForm struct {
	Kinds           []option
	Partners        []option
	Guardians       []option
	Given           bool
	ChildAssent     bool
	GuardianConsent bool
	formState
}

// caseReferForm refers the case to a partner. ShowOverride offers a supervisor the reason to refer
// without the person's consent, once a referral was refused for the lack of it.
type caseReferForm struct {
	Partners       []option
	Purpose        string
	OverrideReason string
	ShowOverride   bool
	formState
}

func (h *Handler) newReferralsSection(r *http.Request, d caseRecords, names func(string) string) *referralsSection {
	lang := langOf(r)
	partners := partnerNames(r, d.partners)
	guardians := map[string]personNames{}
	var guardianOptions []option
	for _, p := range d.people {
		if p.Role == app.PersonGuardian {
			guardians[p.ID] = namesOf(p.Beneficiary)
			guardianOptions = append(guardianOptions, option{Value: p.ID, Label: personLabel(lang, p.Beneficiary)})
		}
	}
	s := &referralsSection{CaseID: d.k.ID}
	for _, c := range d.consents {
		s.Consents = append(s.Consents, consentView{Kind: c.Kind, Partner: partners[c.PartnerOrgID], Given: c.Given, Child: c.Child,
			ChildAssent: c.ChildAssent, GuardianConsent: c.GuardianConsent, Guardian: guardians[c.GuardianID], By: names(c.ObtainedBy),
			At: showTime(c.ObtainedAt, h.zone), Withdrawn: showTime(c.WithdrawnAt, h.zone)})
	}
	mayRefer := d.staff.MayEdit && policy.Allows(d.actor.Role, policy.ReferralOut)
	for _, ref := range d.referrals {
		v := referralView{ID: ref.ID, Partner: partners[ref.PartnerOrgID], Purpose: ref.Purpose, Status: ref.Status, Feedback: ref.Feedback,
			Overridden: ref.Overridden, OverrideReason: ref.OverrideReason, At: showTime(ref.CreatedAt, h.zone), UpdatedAt: showTime(ref.UpdatedAt, h.zone)}
		if next := app.NextReferralStatuses(ref.Status); mayRefer && len(next) > 0 {
			v.Update = &referralUpdateForm{}
			for _, status := range next {
				v.Update.Statuses = append(v.Update.Statuses, option{Value: status, Label: h.bundle.T(lang, "case.referral.status."+status)})
			}
		}
		s.Referrals = append(s.Referrals, v)
	}
	partnerOptions := func() []option {
		options := make([]option, 0, len(d.partners))
		for _, p := range d.partners {
			options = append(options, option{Value: p.ID, Label: partners[p.ID]})
		}
		return options
	}
	if d.staff.MayEdit {
		s.ConsentForm = &caseConsentForm{Partners: partnerOptions(), Guardians: guardianOptions, Given: true}
		for _, kind := range app.ConsentKinds() {
			s.ConsentForm.Kinds = append(s.ConsentForm.Kinds, option{Value: kind, Label: h.bundle.T(lang, "case.consent.kind."+kind)})
		}
	}
	if mayRefer {
		s.ReferForm = &caseReferForm{Partners: partnerOptions()}
	}
	return s
}

// partnerNames maps each partner's id to its name in the page's language.
func partnerNames(r *http.Request, partners []app.PartnerOrg) map[string]string {
	names := make(map[string]string, len(partners))
	for _, p := range partners {
		names[p.ID] = p.NameAR
		if langOf(r) == i18n.English && p.NameEN != "" {
			names[p.ID] = p.NameEN
		}
	}
	return names
}

// personLabel is a person's name for an option, in the page's language when the record has it.
func personLabel(lang i18n.Lang, b aman.Beneficiary) string {
	if lang == i18n.English && b.NameEN != "" || b.NameAR == "" {
		return b.NameEN
	}
	return b.NameAR
}

// referral finds the shown referral of id.
func (s *referralsSection) referral(id string) *referralView {
	for i := range s.Referrals {
		if s.Referrals[i].ID == id {
			return &s.Referrals[i]
		}
	}
	return nil
}
